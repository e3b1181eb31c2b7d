"""Service request endpoints (CONTRACT.md "Service requests", "Complaints"): a request answers
with its work orders and, for a complaint, its complaint; a complaint is taken and worked here
too (desk.services)."""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from aftersales.complaints import payloads as complaint_payloads
from aftersales.complaints.presenters import complaint_fields
from aftersales.core import xlsx
from aftersales.core.api import ActionBody, Answer, require_staff
from aftersales.core.pagination import every, keyset_page
from aftersales.core.presenters import event_json
from aftersales.desk import presenters, services
from aftersales.desk import selectors as desk_selectors
from aftersales.tickets import payloads as ticket_payloads
from aftersales.tickets import rules, selectors
from aftersales.tickets.models import Ticket
from aftersales.workorders.presenters import ticket_work_orders_json

router = Router(tags=["tickets"])


class InlineCustomer(Schema):
    name: str
    phone: str
    address: str | None = None
    region: str | None = None


class TicketIn(Schema):
    kind: str
    channel: str
    customer_id: int | None = None
    customer: InlineCustomer | None = None
    serial: str | None = None
    summary: str
    description: str | None = None
    priority: str = "normal"
    problem_class: str | None = None
    preferred_time: str | None = None
    center: str | None = None
    category: str | None = None  # complaints: kept as the problem class
    wish: str | None = None  # complaints: what the customer wants
    about: str | None = None  # complaints: the request number it concerns
    staff: list[str] | None = None  # complaints: usernames of the staff it concerns


class TicketActionIn(ActionBody):
    """`action` and its payload: each request action's fields (tickets.payloads) and each
    complaint step's (complaints.payloads) are their own schema, `resolve` one for both (the
    request's kind decides what it requires). The services read them after the transition and
    the role checks; unknown fields are ignored."""

    ACTIONS = Annotated[
        ticket_payloads.RequestNoteIn
        | ticket_payloads.RequestAssignOwnerIn
        | ticket_payloads.RequestStartIn
        | ticket_payloads.ResolveIn
        | ticket_payloads.RequestReopenIn
        | ticket_payloads.RequestCloseIn
        | ticket_payloads.RequestCancelIn
        | ticket_payloads.RequestEscalateIn
        | complaint_payloads.ComplaintScreenIn
        | complaint_payloads.ComplaintAcknowledgeIn
        | complaint_payloads.ComplaintInvestigateIn
        | complaint_payloads.ComplaintProposeIn
        | complaint_payloads.ComplaintApproveIn
        | complaint_payloads.ComplaintRecordCapaIn
        | complaint_payloads.ComplaintCompleteCapaIn,
        Field(discriminator="action"),
    ]


class CustomerRef(Answer):
    id: int
    name: str
    phone: str


class SlaOut(Answer):
    respond_by: datetime | None
    resolve_by: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    respond_breached: bool
    resolve_breached: bool


class EventOut(Answer):
    at: datetime
    actor: str | None
    action: str
    note: str
    customer_visible: bool
    work_order: str | None


class TicketOut(Answer):
    number: str
    kind: str
    channel: str
    status: str
    priority: str
    customer: CustomerRef
    serial: str | None
    summary: str
    description: str
    problem_class: str
    preferred_time: str
    center: str | None
    owner: str | None
    created_by: str | None
    created_at: datetime
    sla: SlaOut
    escalated: bool
    resolution: str
    warranty: dict[str, Any] | None
    allowed_actions: list[str]
    missing_facts: list[str]
    work_orders: list[dict[str, Any]]
    # complaints only (null for other kinds)
    category: str | None = None
    complaint_stage: str | None = None
    responsibility: str | None = None
    promised_by: datetime | None = None
    compensations: list[dict[str, Any]] | None = None
    complaint: dict[str, Any] | None = None


class TicketDetail(TicketOut):
    events: list[EventOut]


def ticket_json(ticket: Ticket, *, with_events: bool = False) -> dict[str, Any]:
    """The request as the API answers it. A request just taken (its `intake_events` set by
    `ticket_create`) is answered from the objects in hand: its one event, and no work orders
    (decision 61)."""
    now = timezone.now()
    taken = ticket.intake_events
    body = {
        "number": ticket.number,
        "kind": ticket.kind,
        "channel": ticket.channel,
        "status": ticket.status,
        "priority": ticket.priority,
        "customer": {
            "id": ticket.customer_id,
            "name": ticket.customer.name,
            "phone": ticket.customer.phone,
        },
        "serial": ticket.unit.serial if ticket.unit else None,
        "summary": ticket.summary,
        "description": ticket.description,
        "problem_class": ticket.problem_class,
        "preferred_time": ticket.preferred_time,
        "center": ticket.center.code if ticket.center else None,
        "owner": ticket.owner.username if ticket.owner else None,
        "created_by": ticket.created_by.username if ticket.created_by else None,
        "created_at": ticket.created_at,
        "sla": {
            "respond_by": ticket.respond_by,
            "resolve_by": ticket.resolve_by,
            "responded_at": ticket.responded_at,
            "resolved_at": ticket.resolved_at,
            "respond_breached": rules.is_breached(ticket.respond_by, ticket.responded_at, now),
            "resolve_breached": rules.is_breached(ticket.resolve_by, ticket.resolved_at, now),
        },
        "escalated": ticket.escalated,
        "resolution": ticket.resolution,
        "warranty": ticket.warranty,
        "allowed_actions": rules.allowed_actions(ticket.status),
        "missing_facts": selectors.missing_facts(ticket),
        "work_orders": [] if taken is not None else ticket_work_orders_json(ticket),
        **complaint_fields(ticket),
    }
    if with_events:
        events = taken if taken is not None else selectors.timeline(ticket)
        body["events"] = [event_json(e) for e in events]
    return body


class TicketPage(Answer):
    items: list[TicketOut]
    next_cursor: str | None


class TicketFilters(Schema):
    status: str | None = None
    kind: str | None = None
    owner: str | None = None
    center: str | None = None
    q: str | None = None
    escalated: bool | None = None
    breaching: bool | None = None
    unassigned: bool | None = None
    limit: int | None = None
    cursor: str | None = None


@router.post("/tickets", response={201: TicketDetail})
def create_ticket(request: HttpRequest, payload: TicketIn) -> Any:
    user = require_staff(request)
    data = payload.dict()
    ticket = services.request_create(by=user, **data)
    return Status(201, ticket_json(ticket, with_events=True))


@router.get("/tickets", response=TicketPage)
def list_tickets(
    request: HttpRequest, filters: Query[TicketFilters], format: xlsx.Format = None
) -> Any:
    """A page of the requests the filters select; `?format=xlsx` (or `Accept` the XLSX type):
    all of them as a workbook, the complaints' own columns with `kind=complaint`."""
    user = require_staff(request)
    found = desk_selectors.answer_list(user, **filters.dict(exclude={"limit", "cursor"}))
    if xlsx.wanted(request, format):
        complaints = filters.kind == "complaint"
        sheet = presenters.request_sheet(every(found), complaints=complaints)
        name = "complaints" if complaints else "requests"
        return xlsx.list_export(request, name=name, filters=filters, sheet=sheet)
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [ticket_json(t) for t in page["items"]]
    return page


@router.get("/tickets/{number}", response=TicketDetail)
def get_ticket(request: HttpRequest, number: str) -> Any:
    user = require_staff(request)
    return ticket_json(selectors.ticket_get_for(user, number), with_events=True)


@router.post("/tickets/{number}/actions", response=TicketDetail)
def act_on_ticket(request: HttpRequest, number: str, payload: TicketActionIn) -> Any:
    user = require_staff(request)
    ticket = selectors.ticket_get_for(user, number)
    ticket = services.request_act(
        ticket=ticket, by=user, action=payload.action, fields=payload.fields()
    )
    return ticket_json(selectors.ticket_get_for(user, ticket.number), with_events=True)
