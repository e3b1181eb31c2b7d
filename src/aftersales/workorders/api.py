"""Work order endpoints (CONTRACT.md "Work orders"), and the unit with its entitlement and
service history (CONTRACT.md "Master data": it reads work orders, so it is answered here)."""

from datetime import date, datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import BaseModel, ConfigDict

from aftersales.catalog import services as catalog_services
from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.core import xlsx
from aftersales.core.api import ActionBody, Answer, PageQuery, require_perm, require_staff
from aftersales.core.errors import Forbidden, NotFound
from aftersales.core.models import AccessKind
from aftersales.core.pagination import every, keyset_page
from aftersales.core.payloads import Day, Money
from aftersales.core.roles import role_of
from aftersales.core.services import record_access
from aftersales.tickets.selectors import ticket_get_for
from aftersales.warranty.selectors import entitlement_today, failed_repairs_of
from aftersales.workorders import presenters, selectors, services
from aftersales.workorders.payloads import ResolveDiscrepancyIn, WorkOrderAction

router = Router(tags=["work orders"])


class WorkOrderIn(Schema):
    mode: str
    center: str | None = None
    technician: str | None = None


class WorkOrderActionIn(ActionBody):
    """`action` and its payload: each action's fields are its own schema (workorders.payloads);
    unknown fields are ignored."""

    ACTIONS = WorkOrderAction


class EventOut(Answer):
    at: datetime
    actor: str | None
    action: str
    note: str
    customer_visible: bool
    work_order: str | None


class QuoteLineOut(Answer):
    kind: str
    code: str
    description: str
    qty: int
    unit_price: str
    standard_price: str | None
    total: str


class QuoteOut(Answer):
    lines: list[QuoteLineOut]
    total: str
    approved: bool


class LoanerOut(Answer):
    serial: str
    description: str
    lent_at: datetime


class AppointmentOut(Answer):
    start: datetime
    end: datetime | None


class VisitOut(Answer):
    number: int
    technician: str | None
    start: datetime | None
    end: datetime | None
    departed_at: datetime | None
    arrived_at: datetime | None
    visit_incomplete: str | None


class WorkOrderOut(Answer):
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
    voucher: str | None
    brought_by: str | None
    dealer_name: str
    agreement_signed: bool
    findings: str
    fault_code: str
    parts: list[dict[str, Any]]
    expected_parts_date: str | None
    repair_days: int
    rating: int | None
    rating_declined: bool
    quality_score: int | None
    attitude_score: int | None
    handover_signed: bool
    no_signature_reason: str
    promised_ready: str | None
    tracking_in: str
    tracking_out: str
    paused: bool
    departed_at: datetime | None
    arrived_at: datetime | None
    visit_incomplete: str | None
    visits: list[VisitOut]
    escalated: bool
    created_at: datetime
    handed_over_at: datetime | None


class RescheduleOut(Answer):
    at: datetime
    actor: str | None
    reason: str | None
    previous_start: str | None
    start: str | None


class WorkOrderDetail(WorkOrderOut):
    events: list[EventOut]
    reschedules: list[RescheduleOut]


class WorkOrderPage(Answer):
    items: list[WorkOrderOut]
    next_cursor: str | None


class WorkOrderFilters(Schema):
    status: str | None = None
    technician: str | None = None
    center: str | None = None
    mode: str | None = None
    limit: int | None = None
    cursor: str | None = None


class PhotoOut(Answer):
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
def list_work_orders(
    request: HttpRequest, filters: Query[WorkOrderFilters], format: xlsx.Format = None
) -> Any:
    """A page of the work orders the filters select; `?format=xlsx` (or `Accept` the XLSX
    type): all of them as a workbook."""
    user = require_staff(request)
    found = selectors.answer_list(user, **filters.dict(exclude={"limit", "cursor"}))
    if xlsx.wanted(request, format):
        sheet = presenters.work_order_sheet(every(found))
        return xlsx.list_export(request, name="work-orders", filters=filters, sheet=sheet)
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [presenters.work_order_json(wo) for wo in page["items"]]
    return page


@router.get("/work-orders/{number}", response=WorkOrderDetail)
def get_work_order(request: HttpRequest, number: str) -> Any:
    user = require_staff(request)
    wo = selectors.work_order_get_for(user, number)
    return presenters.work_order_json(wo, with_events=True)


@router.post("/work-orders/{number}/actions", response=WorkOrderDetail)
def act_on_work_order(request: HttpRequest, number: str, payload: WorkOrderActionIn) -> Any:
    user = require_staff(request)
    wo = selectors.work_order_get_for(user, number)
    wo = services.work_order_act(
        work_order=wo, by=user, action=payload.action, fields=payload.fields()
    )
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


# --- stock discrepancies: parts used that no stock held, for the center's manager to reconcile


class DiscrepancyPartOut(Answer):
    code: str
    name: str
    model: str


class DiscrepancyOut(Answer):
    id: int
    center: str | None
    part: DiscrepancyPartOut
    qty: int
    work_order: str
    technician: str | None
    created_at: datetime
    resolved: bool
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str


class DiscrepancyPage(Answer):
    items: list[DiscrepancyOut]
    next_cursor: str | None


class DiscrepancyFilters(PageQuery):
    # open (default): not reconciled yet; resolved; all.
    status: Literal["open", "resolved", "all"] = "open"


class ResolveDiscrepancyBody(BaseModel):
    """`note` (what was found) and `counted`? (the center's shelf of the part, counted): read by
    the service (workorders.payloads.ResolveDiscrepancyIn), which the OpenAPI document shows."""

    model_config = ConfigDict(extra="allow")

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        return handler(ResolveDiscrepancyIn.__pydantic_core_schema__)


def _reconciler(request: HttpRequest) -> User:
    user = require_staff(request)
    if role_of(user) not in ("branch_manager", "admin"):
        raise Forbidden(_("Only branch managers reconcile stock."))
    return user


@router.get("/stock/discrepancies", response=DiscrepancyPage, tags=["stock"])
def list_discrepancies(request: HttpRequest, filters: Query[DiscrepancyFilters]) -> Any:
    """A branch manager's center's (an administrator's: every center's), newest first."""
    user = _reconciler(request)
    found = selectors.stock_discrepancies_for(user, open_only=filters.status == "open")
    if filters.status == "resolved":
        found = found.filter(resolved_at__isnull=False)
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [presenters.discrepancy_json(gap) for gap in page["items"]]
    return page


@router.post(
    "/stock/discrepancies/{discrepancy_id}/resolve", response=DiscrepancyOut, tags=["stock"]
)
def resolve_discrepancy(
    request: HttpRequest, discrepancy_id: int, payload: ResolveDiscrepancyBody
) -> Any:
    user = _reconciler(request)
    gap = selectors.stock_discrepancy_get_for(user, discrepancy_id)
    gap = services.stock_discrepancy_resolve(discrepancy=gap, by=user, fields=payload.model_dump())
    return presenters.discrepancy_json(selectors.stock_discrepancy_get_for(user, gap.pk))


# --- units: the unit with today's entitlement and its service history (CONTRACT.md "Master data")


class UnitIn(Schema):
    serial: str
    model: str
    customer_id: int | None = None
    purchase_date: Day | None = None
    invoice_date: Day | None = None
    invoice_no: str | None = None
    seller: str | None = None
    price: Money | None = None
    activation_date: Day | None = None
    manufacture_date: Day | None = None


class WarrantySummary(Answer):
    """Today's entitlement for a performance fault of the whole unit (null dates and no remedies
    when no policy covers the category or the purchase date is unknown)."""

    policy: str | None
    warranty_ends: date | None
    return_ends: date | None
    exchange_ends: date | None
    extension_days: int
    failed_repairs: int
    remedies: list[str]


class UnitOut(Schema):
    serial: str
    model: str
    brand: str
    category: str
    customer_id: int | None
    purchase_date: date | None
    invoice_date: date | None
    invoice_no: str
    seller: str
    price: str | None
    activation_date: date | None
    manufacture_date: date | None
    status: str
    created_at: datetime
    warranty: WarrantySummary
    history: list[dict[str, Any]]

    @staticmethod
    def resolve_model(obj: Unit) -> str:
        return obj.model.code

    @staticmethod
    def resolve_brand(obj: Unit) -> str:
        return obj.model.brand

    @staticmethod
    def resolve_category(obj: Unit) -> str:
        return obj.model.category.code

    @staticmethod
    def resolve_price(obj: Unit) -> str | None:
        return f"{obj.price:.2f}" if obj.price is not None else None

    @staticmethod
    def resolve_warranty(obj: Unit) -> dict[str, Any]:
        today = entitlement_today(obj)
        return {
            "policy": today.policy_code if today else None,
            "warranty_ends": today.warranty_ends if today else None,
            "return_ends": today.return_ends if today else None,
            "exchange_ends": today.exchange_ends if today else None,
            "extension_days": obj.extension_days,
            "failed_repairs": failed_repairs_of(obj),
            "remedies": list(today.remedies) if today else [],
        }

    @staticmethod
    def resolve_history(obj: Unit) -> list[dict[str, Any]]:
        return [
            {
                "work_order": wo.number,
                "ticket": wo.ticket.number,
                "mode": wo.mode,
                "status": wo.status,
                "created_at": wo.created_at,
                "received_at": wo.received_at,
                "handed_over_at": wo.handed_over_at,
                "fault_code": wo.fault_code,
                "findings": wo.findings,
                "outcome": wo.outcome or None,
                "repair_days": wo.repair_days,
                "repeat_of": wo.repeat_of.number if wo.repeat_of else None,
            }
            for wo in selectors.unit_history(obj)
        ]


@router.post("/units", response={201: UnitOut}, tags=["catalog"])
def register_unit(request: HttpRequest, payload: UnitIn) -> Any:
    user = require_perm(request, "catalog.add_unit")
    return Status(201, catalog_services.unit_register(by=user, **payload.dict()))


@router.get("/units/{serial}", response=UnitOut, tags=["catalog"])
def get_unit(request: HttpRequest, serial: str) -> Any:
    require_staff(request)
    unit = unit_get(serial)
    if unit is None:
        raise NotFound(_("No unit with this serial number."))
    record_access(request, kind=AccessKind.UNIT, subject=unit.serial)
    return unit
