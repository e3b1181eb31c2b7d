"""Who does the job and when, and the field visits: `assign` (a technician, perhaps another
center), `schedule` (the appointment window, a reason to move it; once a visit took place, the
next visit), `depart`, `arrive`, `visit_incomplete` (each on the job's current `Visit`, whose
times the job carries), `incident` (pauses the job, alerts the branch managers) and `resume` —
the checks that need the job (`_check_*`) and each action's applier.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.workorders import rules
from aftersales.workorders.models import Visit, WorkOrder
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


def _current_visit(wo: WorkOrder) -> Visit | None:
    return wo.visits.order_by("-number").first()


def _next_visit(wo: WorkOrder, previous: Visit | None, **times: Any) -> Visit:
    """The job's next visit (the first, when none is recorded); the job now carries its times,
    and the visit before keeps its own (docs/decisions.md 43)."""
    visit = Visit.objects.create(
        work_order=wo,
        number=previous.number + 1 if previous else 1,
        technician=wo.technician,
        **times,
    )
    wo.appointment_start, wo.appointment_end = visit.window_start, visit.window_end
    wo.departed_at, wo.arrived_at, wo.visit_incomplete = visit.departed_at, None, ""
    return visit


_VISIT_FIELDS = {
    "appointment_start",
    "appointment_end",
    "departed_at",
    "arrived_at",
    "visit_incomplete",
}


def _books_next_visit(wo: WorkOrder, visit: Visit | None) -> bool:
    """A `schedule` books the next visit once the current one took place (the technician got
    there, or it was declared unfinished); before that it moves the current visit's window."""
    return visit is None or visit.taken_place


def _check_schedule(wo: WorkOrder, by: User, p: ScheduleIn) -> ScheduleIn:
    now = timezone.now()
    for name, moment in (("start", p.start), ("end", p.end)):
        if rules.beyond_booking_horizon(moment, now):
            raise InvalidInput.field(name, _("Book the visit within a year."))
    moving = not _books_next_visit(wo, _current_visit(wo)) and wo.appointment_start is not None
    if moving and not p.reason:  # changing a window needs its reason
        raise InvalidInput.field("reason", _("This field is required."))
    return p


def _apply_schedule(wo: WorkOrder, by: User, p: ScheduleIn, now: datetime) -> Effect:
    visit = _current_visit(wo)
    data: dict[str, Any] = {"start": p.start.isoformat(), "end": p.end.isoformat()}
    if _books_next_visit(wo, visit):
        visit = _next_visit(wo, visit, window_start=p.start, window_end=p.end)
        if p.reason:
            data["reason"] = p.reason
    else:
        assert visit is not None
        previous = wo.appointment_start
        visit.window_start, visit.window_end = p.start, p.end
        visit.save(update_fields=["window_start", "window_end"])
        wo.appointment_start, wo.appointment_end = p.start, p.end
        if previous:
            data.update(previous=previous.isoformat(), reason=p.reason)
    data["visit"] = visit.number
    return Effect(data=data, changed=set(_VISIT_FIELDS))


def _apply_depart(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    """Setting off: for the visit booked, or, after a visit that took place, for the next one
    (unbooked)."""
    visit = _current_visit(wo)
    if visit is None or visit.taken_place:
        visit = _next_visit(wo, visit, departed_at=now)
    else:
        visit.departed_at = now
        visit.save(update_fields=["departed_at"])
    wo.departed_at = now
    return Effect(note=p.note, data={"visit": visit.number}, changed=set(_VISIT_FIELDS))


def _apply_arrive(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    visit = _current_visit(wo)
    if visit is None:  # set off before visits were recorded
        visit = _next_visit(wo, None, departed_at=wo.departed_at)
    visit.arrived_at, visit.visit_incomplete = now, ""
    visit.save(update_fields=["arrived_at", "visit_incomplete"])
    wo.arrived_at = now
    wo.visit_incomplete = ""
    return Effect(note=p.note, data={"visit": visit.number}, changed=set(_VISIT_FIELDS))


def _drop_unbegun_visit(wo: WorkOrder) -> None:
    """The job leaves on-site service (`change_mode`): a visit booked and never begun did not
    happen; the visits that took place stay on the job."""
    visit = _current_visit(wo)
    if visit is not None and visit.departed_at is None and not visit.taken_place:
        visit.delete()


def _apply_visit_incomplete(wo: WorkOrder, by: User, p: VisitIncompleteIn, now: datetime) -> Effect:
    visit = _current_visit(wo)
    if visit is None:
        visit = _next_visit(
            wo, None, window_start=wo.appointment_start, window_end=wo.appointment_end
        )
    visit.visit_incomplete = p.reason
    visit.save(update_fields=["visit_incomplete"])
    wo.visit_incomplete = p.reason
    return Effect(
        note=p.note,
        data={"reason": p.reason, "visit": visit.number},
        changed=set(_VISIT_FIELDS),
    )


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
