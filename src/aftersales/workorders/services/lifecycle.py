"""The actions that redirect a job or end it: `change_mode` (dispatched afresh), `escalate` (the
technical center's case follows as a reaction), `cancel` (a loaner still out comes back, parts
set aside are freed) and `close` — the check that needs the job and each action's applier.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import ChangeModeIn, NoteIn, ReasonIn, RequiredNoteIn
from aftersales.workorders.services.loaners import _loaner_back
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.parts import release_reservations
from aftersales.workorders.services.visits import _drop_unbegun_visit


def _check_change_mode(wo: WorkOrder, by: User, p: ChangeModeIn) -> ChangeModeIn:
    if p.mode == wo.mode:
        raise InvalidInput.field("mode", _("The job is already in this mode."))
    return p


def _apply_change_mode(wo: WorkOrder, by: User, p: ChangeModeIn, now: datetime) -> Effect:
    previous = wo.mode
    wo.mode = p.mode
    wo.technician = None  # a new mode is dispatched afresh
    wo.appointment_start = wo.appointment_end = None
    _drop_unbegun_visit(wo)  # the booked visit will not happen
    return Effect(
        note=p.reason,
        data={"from_mode": previous, "mode": wo.mode},
        changed={"mode", "technician", "appointment_start", "appointment_end"},
    )


def _apply_escalate(wo: WorkOrder, by: User, p: RequiredNoteIn, now: datetime) -> Effect:
    """The technical center's case opens as a reaction to the event (knowledge.reactions)."""
    wo.escalated = True
    return Effect(note=p.note, changed={"escalated"})


def _apply_cancel(wo: WorkOrder, by: User, p: ReasonIn, now: datetime) -> Effect:
    effect = Effect(note=p.reason, data={"reason": p.reason})
    _loaner_back(wo, now, effect)
    if released := release_reservations(wo, by, now):  # parts set aside: free again
        effect.data["parts_released"] = released
    return effect


def _apply_close(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.closed_at = now
    return Effect(changed={"closed_at"})
