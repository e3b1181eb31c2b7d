"""The calls put on the agents' list, as reactions to the timeline (core.reactions): the lower
apps write their events; which call follows, and when, is decided here."""

from typing import Any

from aftersales.core import rules as calendar_rules
from aftersales.core.reactions import on
from aftersales.dispatch.selectors import calendar_of
from aftersales.followups.models import FollowUp
from aftersales.followups.services import (
    followup_schedule,
    pickup_attempts,
    pickup_call_logged,
    pickup_closed,
)
from aftersales.tickets import rules as ticket_rules
from aftersales.workorders import rules as work_order_rules


@on("tickets.ticket", "resolve")
def after_a_resolve(event: Any, ticket: Any) -> None:
    """Phone guidance and answered consultations are called back 2 working hours later; an
    accepted complaint is followed up at the next working day's opening (CONTRACT.md)."""
    if ticket.kind == "complaint":
        if event.data.get("customer_accepted"):
            due = calendar_rules.next_working_day_opening(event.at, calendar_of(ticket.center))
            followup_schedule(
                ticket=ticket, kind="complaint_followup", due_at=due, owner=ticket.owner
            )
    elif ticket_rules.needs_consultation_callback(ticket.kind, ticket.resolution):
        due = calendar_rules.add_business_hours(ticket.resolved_at, 2, calendar_of(ticket.center))
        followup_schedule(
            ticket=ticket, kind="consultation_callback", due_at=due, owner=ticket.owner
        )


def _call(work_order: Any, kind: str, due: Any) -> FollowUp:
    ticket = work_order.ticket
    return followup_schedule(
        ticket=ticket, kind=kind, due_at=due, owner=ticket.owner, work_order=work_order
    )


@on("workorders.workorder", "complete_repair")
def after_an_unsure_repair(event: Any, work_order: Any) -> None:
    """A repair finished uncertain or untested is called back within working hours."""
    hours = work_order_rules.REPAIR_CALLBACK_HOURS.get(work_order.result)
    if hours:
        due = calendar_rules.add_business_hours(event.at, hours, calendar_of(work_order.center))
        _call(work_order, "repair_callback", due)


@on("workorders.workorder")
def pickup_ladder_opens(event: Any, work_order: Any) -> None:
    """A unit to collect that became ready: the first pickup call, at the next opening hour."""
    arrived = event.data.get("to") == "ready" and event.data.get("from") != "ready"
    if arrived and work_order.mode in work_order_rules.PICKUP_MODES:
        due = calendar_rules.next_opening(event.at, calendar_of(work_order.center))
        _call(work_order, "pickup_reminder", due)


@on("workorders.workorder", "notify_pickup")
def pickup_call_made(event: Any, work_order: Any) -> None:
    """The ladder's rung is done; an unreached customer gets the next call on the ladder."""
    reached = event.data["reached"]
    pickup_call_logged(
        work_order=work_order, channel=event.data["channel"], reached=reached, at=event.at
    )
    if not reached and work_order.mode in work_order_rules.PICKUP_MODES:
        calendar = calendar_of(work_order.center)
        _call(
            work_order,
            "pickup_reminder",
            work_order_rules.next_pickup_call(pickup_attempts(work_order), calendar),
        )


@on("workorders.workorder", "hand_over", "cancel")
def pickup_ladder_closes(event: Any, work_order: Any) -> None:
    pickup_closed(work_order=work_order)


@on("workorders.workorder", "hand_over")
def satisfaction_survey(event: Any, work_order: Any) -> None:
    """Every job handed over is surveyed at the next working day's opening."""
    due = calendar_rules.next_working_day_opening(event.at, calendar_of(work_order.center))
    _call(work_order, "satisfaction_survey", due)
