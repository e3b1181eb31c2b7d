"""How a complaint shows on its request (the ticket's GET and action answers)."""

from typing import Any

from aftersales.complaints import rules, selectors
from aftersales.complaints.models import Complaint
from aftersales.complaints.services import compensation_json
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket


def complaint_fields(ticket: Ticket) -> dict[str, Any]:
    """`complaint_stage`, `responsibility`, `promised_by`, `compensations` for a complaint; the
    request's `allowed_actions` with the complaint steps of its stage (its `resolve` is the
    complaint's); `complaint` with what the handler wrote and whom it concerns. Empty for other
    kinds."""
    if ticket.kind != "complaint":
        return {}
    complaint = selectors.complaint_of(ticket)
    ticket_actions = [a for a in ticket_rules.allowed_actions(ticket.status) if a != "resolve"]
    return {
        "complaint_stage": complaint.stage if complaint else "received",
        "responsibility": (complaint.responsibility or None) if complaint else None,
        "promised_by": complaint.promised_by if complaint else None,
        "compensations": [
            compensation_json(c) for c in sorted(complaint.compensations.all(), key=lambda c: c.pk)
        ]
        if complaint
        else [],
        "allowed_actions": ticket_actions + selectors.complaint_steps(ticket, complaint),
        "complaint": complaint_detail(complaint) if complaint else None,
    }


def complaint_detail(complaint: Complaint) -> dict[str, Any]:
    return {
        "category": complaint.ticket.problem_class or rules.DEFAULT_CATEGORY,
        "wish": complaint.wish,
        "about": complaint.about.number if complaint.about else None,
        "staff": sorted(person.username for person in complaint.staff.all()),
        "screening": complaint.screening or None,
        "screening_note": complaint.screening_note,
        "escalated": complaint.escalated,
        "note": complaint.note,
        "findings": complaint.findings,
        "plan": complaint.plan,
    }
