"""How a complaint shows on its request (the ticket's GET and action answers), and what its
steps read as on the request's timeline."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.complaints import rules, selectors
from aftersales.complaints.models import Complaint
from aftersales.complaints.services import compensation_json
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket

# What the request's timeline says each complaint step was: the steps are the request's events
# (`tickets.services.ticket_step`), worded here, where the complaint's words live.
EVENT_LABELS = {
    "screen": _("Screened"),
    "acknowledge": _("Complaint acknowledged"),
    "investigate": _("Complaint investigated"),
    "propose": _("Solution proposed"),
    "approve_compensation": _("Compensation approved"),
    "complaint_escalated": _("Complaint escalated: the promise is near"),
    "record_capa": _("Root cause and corrective action recorded"),
    "complete_capa": _("Corrective action done"),
}
NOT_ACCEPTED = _("The customer did not accept the solution")


def event_label(action: str, data: dict[str, Any]) -> str | None:
    """A complaint step's words on the request's timeline; None for the request's own events
    (a complaint's accepted `resolve` reads as the request's "Resolved")."""
    if action == "resolve" and data.get("customer_accepted") is False:
        return str(NOT_ACCEPTED)
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else None


def complaint_fields(ticket: Ticket) -> dict[str, Any]:
    """`category`, `complaint_stage`, `responsibility`, `promised_by`, `compensations` for a
    complaint; the
    request's `allowed_actions` with the complaint steps of its stage (its `resolve` is the
    complaint's); `complaint` with what the handler wrote and whom it concerns. Empty for other
    kinds."""
    if ticket.kind != "complaint":
        return {}
    complaint = selectors.complaint_of(ticket)
    ticket_actions = [a for a in ticket_rules.allowed_actions(ticket.status) if a != "resolve"]
    return {
        "category": ticket.problem_class or rules.DEFAULT_CATEGORY,
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
        "capa": capa_json(complaint),
    }


def capa_json(complaint: Complaint) -> dict[str, Any] | None:
    """The lesson learned (null until recorded): `state` open or done, `overdue` when open past
    its due date (a local date)."""
    if not complaint.capa_state:
        return None
    return {
        "root_cause": complaint.root_cause,
        "root_cause_note": complaint.root_cause_note,
        "corrective_action": complaint.corrective_action,
        "owner": complaint.capa_owner.username if complaint.capa_owner else None,
        "due": complaint.capa_due.isoformat() if complaint.capa_due else None,
        "state": complaint.capa_state,
        "overdue": rules.capa_overdue(
            complaint.capa_state, complaint.capa_due, timezone.localdate()
        ),
        "done_by": complaint.capa_done_by.username if complaint.capa_done_by else None,
        "done_at": complaint.capa_done_at.isoformat() if complaint.capa_done_at else None,
        "done_note": complaint.capa_done_note,
    }
