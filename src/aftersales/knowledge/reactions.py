"""The technical center's cases, as reactions to the timeline (core.reactions): a request or a
work order escalated opens a case with the facts gathered so far."""

from typing import Any

from aftersales.core.reactions import on
from aftersales.knowledge.services import escalation_open


@on("tickets.ticket", "escalate")
def case_for_a_request(event: Any, ticket: Any) -> None:
    escalation_open(ticket=ticket, question=event.note, by=event.actor)


@on("workorders.workorder", "escalate")
def case_for_a_work_order(event: Any, work_order: Any) -> None:
    escalation_open(
        ticket=work_order.ticket, question=event.note, by=event.actor, work_order=work_order
    )
