"""What the customer hears, as reactions to the timeline (core.reactions): the lower apps write
their events; the texts are decided here."""

from typing import Any

from aftersales.complaints.models import Complaint
from aftersales.core.reactions import on
from aftersales.notifications.services import (
    complaint_acknowledged_moment,
    complaint_not_ours_moment,
    ticket_created_moment,
    work_order_moment,
)


@on("tickets.ticket", "created")
def request_number(event: Any, ticket: Any) -> None:
    ticket_created_moment(ticket=ticket, event=event)


@on("tickets.ticket", "acknowledge")
def complaint_promise(event: Any, ticket: Any) -> None:
    complaint = Complaint.objects.get(ticket=ticket)
    complaint_acknowledged_moment(ticket=ticket, promised_by=complaint.promised_by)


@on("tickets.ticket", "screen")
def complaint_explanation(event: Any, ticket: Any) -> None:
    if event.data.get("screening") == "not_ours":
        complaint_not_ours_moment(ticket=ticket, explanation=event.note)


@on("workorders.workorder")
def work_order_step(event: Any, work_order: Any) -> None:
    work_order_moment(work_order=work_order, action=event.action, event=event)
