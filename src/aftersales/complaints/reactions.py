"""What complaints do after the request's timeline events (core.reactions)."""

from typing import Any

from aftersales.complaints.services import complaint_reopened
from aftersales.core.reactions import on


@on("tickets.ticket", "reopen")
def complaint_worked_again(event: Any, ticket: Any) -> None:
    """A complaint request reopened — by its `reopen` action or by an unhappy follow-up — takes
    its complaint back to be worked again, its stage recorded on the `reopen` event."""
    if ticket.kind == "complaint":
        complaint_reopened(ticket=ticket, reopened=event)
