"""Catalog endpoints: product models and units (CONTRACT.md "Master data")."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from aftersales.catalog import selectors, services
from aftersales.catalog.models import ProductModel, Unit
from aftersales.core.api import require_perm, require_staff
from aftersales.core.errors import NotFound
from aftersales.core.pagination import keyset_page
from aftersales.warranty.selectors import entitlement_today, failed_repairs_of

router = Router(tags=["catalog"])


class ModelIn(Schema):
    code: str
    name: str
    brand: str
    category: str
    policy: str | None = None


class ModelOut(Schema):
    code: str
    name: str
    brand: str
    category: str
    policy: str | None

    @staticmethod
    def resolve_category(obj: ProductModel) -> str:
        return obj.category.code

    @staticmethod
    def resolve_policy(obj: ProductModel) -> str | None:
        return obj.policy_code or None


class ModelPage(Schema):
    items: list[ModelOut]
    next_cursor: str | None


class PageQuery(Schema):
    limit: int | None = None
    cursor: str | None = None


class UnitIn(Schema):
    serial: str
    model: str
    customer_id: int | None = None
    purchase_date: date | None = None
    invoice_date: date | None = None
    invoice_no: str | None = None
    seller: str | None = None
    price: Decimal | None = None
    activation_date: date | None = None
    manufacture_date: date | None = None


class WarrantySummary(Schema):
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
        from aftersales.workorders.selectors import unit_history

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
            for wo in unit_history(obj)
        ]


@router.post("/catalog/models", response={201: ModelOut})
def create_model(request: HttpRequest, payload: ModelIn) -> Any:
    user = require_perm(request, "catalog.add_productmodel")
    return Status(201, services.model_create(by=user, **payload.dict()))


@router.get("/catalog/models", response=ModelPage)
def list_models(request: HttpRequest, page: Query[PageQuery]) -> Any:
    require_staff(request)
    return keyset_page(selectors.product_models(), limit=page.limit, cursor=page.cursor)


@router.post("/units", response={201: UnitOut})
def register_unit(request: HttpRequest, payload: UnitIn) -> Any:
    user = require_perm(request, "catalog.add_unit")
    return Status(201, services.unit_register(by=user, **payload.dict()))


@router.get("/units/{serial}", response=UnitOut)
def get_unit(request: HttpRequest, serial: str) -> Any:
    require_staff(request)
    unit = selectors.unit_get(serial)
    if unit is None:
        raise NotFound(_("No unit with this serial number."))
    return unit
