"""The only code that changes follow-ups. (The follow-up engine's own issue adds the sweep.)"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.services import record_event
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket

if TYPE_CHECKING:
    from aftersales.workorders.models import WorkOrder


def followup_schedule(
    *,
    ticket: Ticket,
    kind: str,
    due_at: datetime,
    owner: User | None,
    work_order: "WorkOrder | None" = None,
) -> FollowUp:
    """Put a call on the owner's list, due at `due_at` (already in the center's working hours)."""
    followup = FollowUp.objects.create(
        ticket=ticket, kind=kind, due_at=due_at, owner=owner, work_order=work_order
    )
    record_event(
        subject=followup, action="scheduled", actor=None, data={"due_at": due_at.isoformat()}
    )
    return followup


def _open_pickup_calls(work_order: "WorkOrder"):  # type: ignore[no-untyped-def]
    return FollowUp.objects.filter(
        work_order=work_order, kind=FollowUp.Kind.PICKUP_REMINDER, status=FollowUp.Status.OPEN
    )


def pickup_call_logged(
    *, work_order: "WorkOrder", channel: str, reached: bool, at: datetime
) -> None:
    """A pickup call or SMS was made: the open rung of the ladder is done, with its outcome."""
    outcome = f"{channel}:{'reached' if reached else 'not_reached'}"
    calls = list(_open_pickup_calls(work_order))
    if not calls:  # a call off the ladder (reached before, still not collected) counts too
        calls = [
            followup_schedule(
                ticket=work_order.ticket,
                kind=FollowUp.Kind.PICKUP_REMINDER,
                due_at=at,
                owner=work_order.ticket.owner,
                work_order=work_order,
            )
        ]
    for followup in calls:
        followup.attempts += 1
        _finish(followup, outcome=outcome, at=at, action="attempt", note=outcome)


def pickup_attempts(work_order: "WorkOrder") -> list[datetime]:
    """When the unanswered pickup calls were made, oldest first (the ladder counts them)."""
    times = (
        FollowUp.objects.filter(
            work_order=work_order,
            kind=FollowUp.Kind.PICKUP_REMINDER,
            status=FollowUp.Status.DONE,
            outcome__endswith=":not_reached",
        )
        .order_by("done_at")
        .values_list("done_at", flat=True)
    )
    return [t for t in times if t is not None]


def pickup_closed(*, work_order: "WorkOrder") -> None:
    """The unit was collected (or the job ended): no more pickup calls."""
    now = timezone.now()
    for followup in _open_pickup_calls(work_order):
        _finish(followup, outcome="closed", at=now, action="closed")


def _finish(followup: FollowUp, *, outcome: str, at: datetime, action: str, note: str = "") -> None:
    """Mark a follow-up done with its outcome, and write the event that says how."""
    followup.status = FollowUp.Status.DONE
    followup.outcome = outcome
    followup.done_at = at
    followup.save(update_fields=["status", "attempts", "outcome", "done_at"])
    record_event(subject=followup, action=action, actor=None, note=note)
