"""How a complaint shows on its request (the ticket's GET and action answers)."""

from typing import Any

from aftersales.complaints import rules, selectors
from aftersales.complaints.services import compensation_json
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket


def complaint_fields(ticket: Ticket) -> dict[str, Any]:
    """`complaint_stage`, `responsibility`, `promised_by`, `compensations` for a complaint; the
    request's `allowed_actions` with the complaint steps of its stage (its `resolve` is the
    complaint's). Empty for other kinds."""
    if ticket.kind != "complaint":
        return {}
    complaint = selectors.complaint_of(ticket)
    stage = complaint.stage if complaint else "received"
    steps = rules.allowed_actions(stage, ticket.status in ticket_rules.OPEN_STATUSES)
    ticket_actions = [a for a in ticket_rules.allowed_actions(ticket.status) if a != "resolve"]
    return {
        "complaint_stage": stage,
        "responsibility": (complaint.responsibility or None) if complaint else None,
        "promised_by": complaint.promised_by if complaint else None,
        "compensations": [
            compensation_json(c) for c in sorted(complaint.compensations.all(), key=lambda c: c.pk)
        ]
        if complaint
        else [],
        "allowed_actions": ticket_actions + steps,
    }
