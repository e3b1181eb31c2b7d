"""Work order endpoints (CONTRACT.md "Work orders")."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from aftersales.core.api import require_staff
from aftersales.core.pagination import keyset_page
from aftersales.tickets.selectors import ticket_get_for
from aftersales.workorders import presenters, selectors, services

router = Router(tags=["work orders"])


class WorkOrderIn(Schema):
    mode: str
    center: str | None = None
    technician: str | None = None


class ActionIn(Schema):
    """`action` and its payload (see the table in the docs); unknown fields are ignored."""

    model_config = ConfigDict(extra="allow")

    action: str
    note: str | None = None
    reason: str | None = None
    technician: str | None = None
    center: str | None = None
    expected_technician: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    inspection: dict[str, Any] | None = None
    agreement_signed: bool | None = None
    agreement_signature: str | None = None
    voucher: str | None = None
    part: str | None = None
    tracking_no: str | None = None
    remedy: str | None = None
    findings: str | None = None
    fault_code: str | None = None
    human_damage: bool | None = None
    damage_kind: str | None = None
    lines: list[dict[str, Any]] | None = None
    amount: str | None = None
    new_serial: str | None = None
    parts: list[dict[str, Any]] | None = None
    expected_date: str | None = None
    actions_taken: str | None = None
    parts_used: list[dict[str, Any]] | None = None
    result: str | None = None
    checks: list[str] | None = None
    channel: str | None = None
    reached: bool | None = None
    rating: int | None = None
    comment: str | None = None
    signature: str | None = None
    payment: dict[str, Any] | None = None
    serial: str | None = None
    mode: str | None = None


class EventOut(Schema):
    at: datetime
    actor: str | None
    action: str
    note: str
    customer_visible: bool
    work_order: str | None


class QuoteLineOut(Schema):
    kind: str
    code: str
    description: str
    qty: int
    unit_price: str
    standard_price: str | None
    total: str


class QuoteOut(Schema):
    lines: list[QuoteLineOut]
    total: str
    approved: bool | None


class LoanerOut(Schema):
    serial: str
    description: str
    lent_at: datetime


class AppointmentOut(Schema):
    start: datetime
    end: datetime | None


class WorkOrderOut(Schema):
    number: str
    ticket: str
    serial: str | None
    mode: str
    status: str
    allowed_actions: list[str]
    center: str | None
    technician: str | None
    appointment: AppointmentOut | None
    decision: dict[str, Any] | None
    chosen_remedy: str | None
    repeat_repair: bool
    repeat_of: str | None
    qc_fail_count: int
    quote: QuoteOut
    amount_due: str
    waived: str
    paid: str
    refund_amount: str | None
    loaner: LoanerOut | None
    outcome: str | None
    inspection: dict[str, Any]
    agreement_signed: bool
    findings: str
    fault_code: str
    parts: list[dict[str, Any]]
    expected_parts_date: str | None
    repair_days: int
    rating: int | None
    tracking_in: str
    tracking_out: str
    paused: bool
    departed_at: datetime | None
    arrived_at: datetime | None
    visit_incomplete: str | None
    escalated: bool
    created_at: datetime
    handed_over_at: datetime | None


class RescheduleOut(Schema):
    at: datetime
    actor: str | None
    reason: str | None
    previous_start: str | None
    start: str | None


class WorkOrderDetail(WorkOrderOut):
    events: list[EventOut]
    reschedules: list[RescheduleOut]


class WorkOrderPage(Schema):
    items: list[WorkOrderOut]
    next_cursor: str | None


class WorkOrderFilters(Schema):
    status: str | None = None
    technician: str | None = None
    center: str | None = None
    mode: str | None = None
    limit: int | None = None
    cursor: str | None = None


class PhotoOut(Schema):
    id: int
    caption: str
    url: str


@router.post("/tickets/{number}/work-orders", response={201: WorkOrderDetail})
def create_work_order(request: HttpRequest, number: str, payload: WorkOrderIn) -> Any:
    user = require_staff(request)
    ticket = ticket_get_for(user, number)
    wo = services.work_order_create(ticket=ticket, by=user, **payload.dict())
    return Status(201, presenters.work_order_json(wo, with_events=True))


@router.get("/work-orders", response=WorkOrderPage)
def list_work_orders(request: HttpRequest, filters: Query[WorkOrderFilters]) -> Any:
    user = require_staff(request)
    found = selectors.filtered(user, **filters.dict(exclude={"limit", "cursor"}))
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [presenters.work_order_json(wo) for wo in page["items"]]
    return page


@router.get("/work-orders/{number}", response=WorkOrderDetail)
def get_work_order(request: HttpRequest, number: str) -> Any:
    user = require_staff(request)
    wo = selectors.work_order_get_for(user, number)
    return presenters.work_order_json(wo, with_events=True)


@router.post("/work-orders/{number}/actions", response=WorkOrderDetail)
def act_on_work_order(request: HttpRequest, number: str, payload: ActionIn) -> Any:
    user = require_staff(request)
    wo = selectors.work_order_get_for(user, number)
    wo = services.work_order_act(work_order=wo, by=user, **payload.dict(exclude_unset=True))
    return presenters.work_order_json(
        selectors.work_order_get_for(user, wo.number), with_events=True
    )


@router.post("/work-orders/{number}/photos", response={201: PhotoOut})
def add_photo(
    request: HttpRequest, number: str, image: File[UploadedFile], caption: Form[str] = ""
) -> Any:
    user = require_staff(request)
    wo = selectors.work_order_get_for(user, number)
    photo = services.photo_add(work_order=wo, by=user, content=image.read(), caption=caption)
    return Status(201, presenters.photo_json(photo))
