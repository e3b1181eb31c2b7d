"""The request page: the request with its complaint and its escalation cases, for someone who
may see the request (the request's scope: tickets.selectors)."""

from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from aftersales.complaints import rules as complaint_rules
from aftersales.complaints import selectors as complaint_selectors
from aftersales.dispatch.selectors import center_of
from aftersales.knowledge.selectors import cases_of
from aftersales.tickets import selectors as ticket_selectors
from aftersales.tickets.models import Ticket
from aftersales.workorders.selectors import jobs_of, jobs_prefetch, technicians_at


def answer_list(user: User, **filters: Any) -> QuerySet[Ticket]:
    """The API list (`tickets.selectors.filtered`) with what each request's answer reads
    (desk.api.ticket_json): its customer, unit and center joined; who owns it and who took it,
    its jobs and its complaint's parts prefetched. The two users are not joined: each join more
    made PostgreSQL plan the statement longer (~1.5 ms a join) than their query takes."""
    return with_answer_parts(ticket_selectors.filtered(user, **filters))


def with_answer_parts(found: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The requests `found` with what each one's answer and export row read (`answer_list`)."""
    found = found.select_related(None).select_related("customer", "unit", "center")
    return found.prefetch_related(
        "owner", "created_by", jobs_prefetch(), *complaint_selectors.COMPLAINT_PREFETCH
    )


def console_export(user: User, *, queue: str = "mine", **filters: Any) -> QuerySet[Ticket]:
    """Every request of a console queue with the console's filters (its export, "requests")."""
    return with_answer_parts(ticket_selectors.console_found(user, queue=queue, **filters))


def complaint_list_export(user: User, *, view: str = "open") -> QuerySet[Ticket]:
    """The requests of the complaints a tab of the complaint list holds (its export)."""
    return with_answer_parts(complaint_selectors.complaint_list_requests(user, view=view))


@dataclass(frozen=True)
class TicketPage(ticket_selectors.TicketPage):
    escalations: list[Any]  # knowledge's EscalationCase rows, oldest first
    complaint: Any = None  # complaints' Complaint row, for a complaint
    promise: str = "none"  # how its promised answer stands (complaints.rules.promise_state)
    complaint_steps: list[str] = dataclass_field(default_factory=list)
    complaints_about: list[Any] = dataclass_field(default_factory=list)  # complaints naming it
    # Who a work order opened here may go to (the request's center's technicians), by name.
    technicians: list[User] = dataclass_field(default_factory=list)
    jobs: list[Any] = dataclass_field(default_factory=list)  # its work orders, first first


def ticket_page(user: User, number: str) -> TicketPage:
    """Everything the request page shows, for someone who may see the request (else NotFound)."""
    own = ticket_selectors.ticket_page(user, number)
    ticket = own.ticket
    complaint = complaint_selectors.complaint_of(ticket)
    is_complaint = ticket.kind == "complaint"
    request_part = {f.name: getattr(own, f.name) for f in fields(own)}
    if is_complaint:  # its `resolve` is its own step (customer accepted?), not the request's form
        request_part["actions"] = [action for action in own.actions if action != "resolve"]
    return TicketPage(
        **request_part,
        escalations=list(cases_of(ticket.pk)),
        complaint=complaint,
        promise=complaint_rules.promise_state(
            complaint.promised_by, timezone.now(), settings.COMPLAINT_ESCALATE_BEFORE_HOURS
        )
        if complaint
        else "none",
        complaint_steps=complaint_selectors.complaint_steps_for(user, ticket, complaint)
        if is_complaint
        else [],
        complaints_about=complaint_selectors.complaints_about(ticket),
        jobs=jobs_of(ticket),  # one query, whatever their number
        technicians=list(technicians_at(ticket.center or center_of(user)))
        if ticket.is_open
        else [],
    )
