"""The one dispatcher, `work_order_act`: it checks the transition table, the role, reads the
payload into the action's own schema (`payloads.PAYLOADS`), runs the action's checks that need
the job or the database (`_CHECKS`: a technician of that center, the fee standard's price…),
then the guards, applies the action (its applier in `_APPLY`), saves the job and writes its
event. A refused action changes nothing and writes no event: the order of checks is the table
(409 `invalid_transition`), the role (403), the payload (422), then the guards (409 with their
code). The checks and appliers live in the modules by subject; `Effect` (outcomes) is what an
applier returns. Here too, the two steps made of two actions, both or neither:
`work_order_finish_on_site` and `work_order_assign_and_book`.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden
from aftersales.core.payloads import read_payload
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.tickets import services as ticket_services
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import PAYLOADS, NoteIn
from aftersales.workorders.services.diagnosis import _apply_diagnose, _apply_no_fault
from aftersales.workorders.services.hand_over import (
    _apply_hand_over,
    _apply_notify,
    _check_hand_over,
)
from aftersales.workorders.services.intake import _apply_receive, _check_receive
from aftersales.workorders.services.lifecycle import (
    _apply_cancel,
    _apply_change_mode,
    _apply_close,
    _apply_escalate,
    _check_change_mode,
)
from aftersales.workorders.services.loaners import _apply_loan, _apply_return_loan, _check_loaner
from aftersales.workorders.services.outcomes import Effect, _guard_message
from aftersales.workorders.services.parts import (
    _apply_parts_arrived,
    _apply_wait_parts,
    _check_wait_parts,
)
from aftersales.workorders.services.quotes import (
    _apply_approve_quote,
    _apply_decline_quote,
    _apply_quote,
    _apply_waive,
    _check_quote,
    _check_waive,
)
from aftersales.workorders.services.remedies import (
    _apply_choose_remedy,
    _apply_exchange,
    _apply_refund,
    _check_exchange,
    _check_refund,
    _check_remedy,
)
from aftersales.workorders.services.repair import (
    _apply_complete,
    _apply_qc_fail,
    _apply_qc_pass,
    _check_complete,
)
from aftersales.workorders.services.visits import (
    _apply_arrive,
    _apply_assign,
    _apply_depart,
    _apply_incident,
    _apply_resume,
    _apply_schedule,
    _apply_visit_incomplete,
    _check_assign,
    _check_schedule,
)


def _refuse_transition(wo: WorkOrder, action: str) -> DomainError:
    return DomainError(
        _("Work order %(number)s cannot do “%(action)s” while it is %(status)s.")
        % {"number": wo.number, "action": action, "status": wo.get_status_display()},
        code="invalid_transition",
        details={"allowed": rules.allowed_actions(wo.status, wo.mode), "status": wo.status},
    )


@transaction.atomic
def work_order_act(
    *,
    work_order: WorkOrder,
    by: User,
    action: str,
    fields: dict[str, Any] | None = None,
    **given: Any,
) -> WorkOrder:
    """Apply one action of the transition table, with its guards, and write its event. Its
    payload is given as keywords (a page, a two-step service) or as a dict (`fields`: the API's
    body, as given), and read into the action's schema (workorders.payloads) once the table and
    the role allowed the action."""
    # Lock the job's own row only: PostgreSQL refuses FOR UPDATE on the outer join to the unit.
    wo = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("ticket", "unit")
        .get(pk=work_order.pk)
    )
    target = rules.next_status(wo.status, wo.mode, action, back_to=wo.parts_back_to)
    if target is None:
        raise _refuse_transition(wo, action)
    if not rules.may_act(role_of(by), action):
        raise Forbidden(
            _("Your role may not do “%(action)s” on a work order.") % {"action": action}
        )
    payload = read_payload(PAYLOADS[action], {**(fields or {}), **given, "action": action})
    checked = _CHECKS.get(action, _as_given)(wo, by, payload)
    job = wo.as_job(loaner_out=selectors.open_loan(wo) is not None)
    now = timezone.now()
    refused = rules.refusal(action, job, payload.model_dump(), now)
    if refused:
        raise DomainError(_guard_message(refused), code=refused)
    effect = _APPLY.get(action, _apply_note)(wo, by, checked, now)
    previous = wo.status
    wo.status = target
    if action == "wait_parts":
        wo.parts_back_to = previous
        effect.changed.add("parts_back_to")
    if action in rules.OUTCOME_OF:
        wo.outcome = rules.OUTCOME_OF[action]
        effect.changed.add("outcome")
    wo.save(update_fields=sorted({"status", *effect.changed}))
    if "technician" in effect.changed:  # assign, change_mode: the request's record of its job
        ticket_services.ticket_job_record(ticket=wo.ticket, job=wo, technician=wo.technician)
    visible = action in rules.CUSTOMER_VISIBLE
    record_event(
        subject=wo,
        action=action,
        actor=by,
        note=effect.note,
        customer_visible=visible,
        data={"work_order": wo.number, "from": previous, "to": target, **effect.data},
        at=now,
    )
    for step in effect.after:
        step()
    return wo


def _as_given(wo: WorkOrder, by: User, payload: Any) -> Any:
    return payload


def _apply_note(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    return Effect(note=p.note)


# The checks that need the job or the database, before the guards; each hands its applier what
# it needs (the payload itself, or what it found: the technician, the priced lines, the loaner).
_CHECKS: dict[str, Callable[[WorkOrder, User, Any], Any]] = {
    "assign": _check_assign,
    "schedule": _check_schedule,
    "receive": _check_receive,
    "choose_remedy": _check_remedy,
    "quote": _check_quote,
    "waive": _check_waive,
    "exchange": _check_exchange,
    "refund": _check_refund,
    "wait_parts": _check_wait_parts,
    "complete_repair": _check_complete,
    "hand_over": _check_hand_over,
    "loan_unit": _check_loaner,
    "return_loan": _check_loaner,
    "change_mode": _check_change_mode,
}


_APPLY: dict[str, Callable[[WorkOrder, User, Any, datetime], Effect]] = {
    "assign": _apply_assign,
    "schedule": _apply_schedule,
    "depart": _apply_depart,
    "arrive": _apply_arrive,
    "incident": _apply_incident,
    "visit_incomplete": _apply_visit_incomplete,
    "resume": _apply_resume,
    "receive": _apply_receive,
    "choose_remedy": _apply_choose_remedy,
    "diagnose": _apply_diagnose,
    "no_fault_found": _apply_no_fault,
    "quote": _apply_quote,
    "approve_quote": _apply_approve_quote,
    "decline_quote": _apply_decline_quote,
    "waive": _apply_waive,
    "exchange": _apply_exchange,
    "refund": _apply_refund,
    "wait_parts": _apply_wait_parts,
    "parts_arrived": _apply_parts_arrived,
    "complete_repair": _apply_complete,
    "qc_pass": _apply_qc_pass,
    "qc_fail": _apply_qc_fail,
    "notify_pickup": _apply_notify,
    "hand_over": _apply_hand_over,
    "loan_unit": _apply_loan,
    "return_loan": _apply_return_loan,
    "change_mode": _apply_change_mode,
    "escalate": _apply_escalate,
    "cancel": _apply_cancel,
    "close": _apply_close,
}


@transaction.atomic
def work_order_finish_on_site(
    *,
    work_order: WorkOrder,
    by: User,
    actions_taken: str,
    parts_used: list[dict[str, Any]],
    result: str,
    checks: list[str],
) -> WorkOrder:
    """The technician's "finished" on the phone: `complete_repair` then `qc_pass`, both or
    neither (a refused QC leaves the job repairing, with no repair event and no part used)."""
    work_order_act(
        work_order=work_order,
        by=by,
        action="complete_repair",
        actions_taken=actions_taken,
        parts_used=parts_used,
        result=result,
    )
    return work_order_act(work_order=work_order, by=by, action="qc_pass", checks=checks)


@transaction.atomic
def work_order_assign_and_book(
    *,
    work_order: WorkOrder,
    by: User,
    technician: str,
    expected_technician: str | None,
    center: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    reason: str = "",
) -> WorkOrder:
    """The board's "assign" and "book the slot" as one step: `assign` to `technician` (checking
    that the job is still with `expected_technician`, moving it to `center` when given), then,
    with a window, `schedule` it (`reason` when it moves a booked window, e.g. `preempted`).
    Two moves of the table, each with its event; both or neither (a refused booking leaves the
    job with whoever had it, and writes no `assign` event)."""
    assign: dict[str, Any] = {"technician": technician, "expected_technician": expected_technician}
    if center:
        assign["center"] = center
    wo = work_order_act(work_order=work_order, by=by, action="assign", **assign)
    if start is None or end is None:
        return wo
    window: dict[str, Any] = {"start": start, "end": end}
    if reason:
        window["reason"] = reason
    return work_order_act(work_order=wo, by=by, action="schedule", **window)
