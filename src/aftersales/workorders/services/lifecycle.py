"""The actions that redirect a job or end it: `change_mode` (dispatched afresh), `escalate` (the
technical center's case follows as a reaction), `cancel` (a loaner still out comes back) and
`close` — each action's parser and applier.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.loaners import _loaner_back
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.payload import Parsed, _choice, _text


def _parse_change_mode(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    mode = _choice(payload, "mode", rules.MODES)
    if mode == wo.mode:
        raise InvalidInput.field("mode", _("The job is already in this mode."))
    return {"mode": mode, "reason": _text(payload, "reason")}


def _apply_change_mode(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    previous = wo.mode
    wo.mode = p["mode"]
    wo.technician = None  # a new mode is dispatched afresh
    wo.appointment_start = wo.appointment_end = None
    return Effect(
        note=p["reason"],
        data={"from_mode": previous, "mode": wo.mode},
        changed={"mode", "technician", "appointment_start", "appointment_end"},
    )


def _apply_escalate(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    """The technical center's case opens as a reaction to the event (knowledge.reactions)."""
    wo.escalated = True
    return Effect(note=p["note"], changed={"escalated"})


def _parse_reason(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"reason": _text(payload, "reason")}


def _apply_cancel(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    effect = Effect(note=p["reason"], data={"reason": p["reason"]})
    _loaner_back(wo, now, effect)
    return effect


def _apply_close(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.closed_at = now
    return Effect(changed={"closed_at"})
