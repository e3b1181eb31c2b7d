"""Catalog endpoints: product models (CONTRACT.md "Master data"; the units are answered by
workorders.api, with their entitlement and service history)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from aftersales.catalog import selectors, services
from aftersales.catalog.models import ProductModel
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
