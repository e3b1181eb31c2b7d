"""Catalog endpoints: product models and fault codes (CONTRACT.md "Master data", "Work orders";
the units are answered by workorders.api, with their entitlement and service history)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from aftersales.catalog import selectors, services
from aftersales.catalog.models import FaultCode, ProductModel
from aftersales.core.api import require_perm, require_staff
from aftersales.core.pagination import keyset_page

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


@router.post("/catalog/models", response={201: ModelOut})
def create_model(request: HttpRequest, payload: ModelIn) -> Any:
    user = require_perm(request, "catalog.add_productmodel")
    return Status(201, services.model_create(by=user, **payload.dict()))


@router.get("/catalog/models", response=ModelPage)
def list_models(request: HttpRequest, page: Query[PageQuery]) -> Any:
    require_staff(request)
    return keyset_page(selectors.product_models(), limit=page.limit, cursor=page.cursor)


class FaultCodeOut(Schema):
    code: str
    name: str
    parent: str | None  # the symptom's code for a cause; null for a symptom

    @staticmethod
    def resolve_parent(obj: FaultCode) -> str | None:
        return obj.parent.code if obj.parent else None


class FaultCodeList(Schema):
    items: list[FaultCodeOut]


class FaultCodeQuery(Schema):
    category: str


@router.get("/catalog/fault-codes", response=FaultCodeList)
def list_fault_codes(request: HttpRequest, query: Query[FaultCodeQuery]) -> Any:
    """The category's fault-code tree in use: each symptom, then its causes; "other" last."""
    require_staff(request)
    return {"items": selectors.fault_codes_of(query.category)}
