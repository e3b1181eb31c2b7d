"""Who does the job and when, and the field visit: `assign` (a technician, perhaps another
center), `schedule` (the appointment window, a reason to move it), `depart`, `arrive`,
`visit_incomplete`, `incident` (pauses the job, alerts the branch managers) and `resume` — the
checks that need the job (`_check_*`) and each action's applier.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import (
    AssignIn,
    NoteIn,
    RequiredNoteIn,
    ScheduleIn,
    VisitIncompleteIn,
)
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.people import _beyond_own_center, _center, _technician

# assign -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    technician: User
    center: ServiceCenter | None


def _check_assign(wo: WorkOrder, by: User, p: AssignIn) -> Assignment:
    where = _center(p.center, wo.center)
    if _beyond_own_center(by, where):
        raise Forbidden(_("Only dispatch moves a job to another service center."))
    if "expected_technician" in p.model_fields_set:
        expected = p.expected_technician or None
        current = wo.technician.username if wo.technician else None
        if expected != current:
            raise DomainError(
                _("Someone else changed the technician meanwhile: it is now %(who)s.")
                % {"who": current or _("nobody")},
                code="conflict",
                details={"technician": current},
            )
    tech = _technician(p.technician, where)
    return Assignment(technician=tech, center=where or center_of(tech))


def _apply_assign(wo: WorkOrder, by: User, p: Assignment, now: datetime) -> Effect:
    previous = wo.technician.username if wo.technician else None
    wo.technician, wo.center = p.technician, p.center
    return Effect(
        data={"from_technician": previous, "technician": wo.technician.username},
        changed={"technician", "center"},
    )


# schedule / field ---------------------------------------------------------------------------------


def _check_schedule(wo: WorkOrder, by: User, p: ScheduleIn) -> ScheduleIn:
    if wo.appointment_start is not None and not p.reason:  # changing a window needs its reason
        raise InvalidInput.field("reason", _("This field is required."))
    return p


def _apply_schedule(wo: WorkOrder, by: User, p: ScheduleIn, now: datetime) -> Effect:
    previous = wo.appointment_start
    wo.appointment_start, wo.appointment_end = p.start, p.end
    data = {"start": p.start.isoformat(), "end": p.end.isoformat()}
    if previous:
        data.update(previous=previous.isoformat(), reason=p.reason)
    return Effect(data=data, changed={"appointment_start", "appointment_end"})


def _apply_depart(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.departed_at = now
    return Effect(note=p.note, changed={"departed_at"})


def _apply_arrive(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.arrived_at = now
    wo.visit_incomplete = ""
    return Effect(note=p.note, changed={"arrived_at", "visit_incomplete"})


def _apply_visit_incomplete(wo: WorkOrder, by: User, p: VisitIncompleteIn, now: datetime) -> Effect:
    wo.visit_incomplete = p.reason
    return Effect(note=p.note, data={"reason": p.reason}, changed={"visit_incomplete"})


def _apply_incident(wo: WorkOrder, by: User, p: RequiredNoteIn, now: datetime) -> Effect:
    from aftersales.core.roles import BRANCH_MANAGER

    wo.paused = True
    managers = list(
        User.objects.filter(
            is_active=True, groups__name=BRANCH_MANAGER, staff_profile__center=wo.center
        ).values_list("username", flat=True)
    )
    return Effect(note=p.note, data={"alerted": managers}, changed={"paused"})


def _apply_resume(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.paused = False
    return Effect(note=p.note, changed={"paused"})
