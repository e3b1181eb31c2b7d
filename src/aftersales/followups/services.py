"""The only code that changes follow-ups. (The follow-up engine's own issue adds the sweep.)"""

from datetime import datetime

from django.contrib.auth.models import User

from aftersales.core.services import record_event
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket


def followup_schedule(
    *, ticket: Ticket, kind: str, due_at: datetime, owner: User | None, work_order: str = ""
) -> FollowUp:
    """Put a call on the owner's list, due at `due_at` (already in the center's working hours)."""
    followup = FollowUp.objects.create(
        ticket=ticket, kind=kind, due_at=due_at, owner=owner, work_order=work_order
    )
    record_event(
        subject=followup, action="scheduled", actor=None, data={"due_at": due_at.isoformat()}
    )
    return followup
