"""Customer endpoints (CONTRACT.md "Master data")."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from aftersales.core.api import Answer, require_perm, require_staff
from aftersales.core.errors import NotFound
from aftersales.core.models import AccessKind
from aftersales.core.pagination import keyset_page
from aftersales.core.services import record_access
from aftersales.customers import selectors, services
from aftersales.customers.models import Customer

router = Router(tags=["customers"])


class CustomerIn(Schema):
    name: str
    phone: str
    kind: Literal["person", "organization"] = "person"
    address: str | None = None
    region: str | None = None
    contact_person: str | None = None
    email: str | None = None


class CustomerOut(Answer):
    id: int
    kind: str
    name: str
    phone: str
    contact_person: str
    email: str
    address: str
    region: str
    created_at: datetime


class CustomerPage(Answer):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerFilters(Schema):
    phone: str | None = None
    q: str | None = None
    limit: int | None = None
    cursor: str | None = None


@router.post("/customers", response={201: CustomerOut})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Any:
    user = require_perm(request, "customers.add_customer")
    return Status(201, services.customer_create(by=user, **payload.dict()))


@router.get("/customers", response=CustomerPage)
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]) -> Any:
    require_staff(request)
    if filters.phone is not None:
        found = selectors.customers_by_phone(filters.phone)
    elif filters.q:
        found = selectors.customer_search(filters.q)
    else:
        found = Customer.objects.all()
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    record_access(request, kind=AccessKind.LIST_EXPORT, subject="customers", detail=str(filters))
    return page


@router.get("/customers/{customer_id}", response=CustomerOut)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    require_staff(request)
    customer = selectors.customer_get(customer_id)
    if customer is None:
        raise NotFound(_("No customer with this id."))
    record_access(request, kind=AccessKind.CUSTOMER, subject=customer.pk)
    return customer
