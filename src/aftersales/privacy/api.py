"""A person's export and erase by API (CONTRACT.md "Commands"): the administrator's."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from aftersales.core import xlsx
from aftersales.core.api import Answer
from aftersales.core.errors import NotFound
from aftersales.customers.models import Customer
from aftersales.privacy import exporting, selectors, services

router = Router(tags=["customers"])


class EraseIn(Schema):
    force: bool = False


class OpenCase(Answer):
    kind: str
    ref: str | int


class ErasedOut(Answer):
    id: int
    erased_at: datetime
    erased_by: str
    forced: bool
    open_cases: list[OpenCase]
    rows_changed: dict[str, int]


def _customer(request: HttpRequest, customer_id: int) -> tuple[Any, Customer]:
    by = services.require_admin(request.user)
    customer = selectors.customer_get(customer_id)
    if customer is None:
        raise NotFound(_("No customer with this id."))
    return by, customer


@router.get("/customers/{customer_id}/export", response=dict[str, Any])
def export_customer(request: HttpRequest, customer_id: int, format: str | None = None) -> Any:
    """Everything held about the person, as JSON; `?format=xlsx` (or `Accept` the XLSX type):
    a workbook, one sheet per section."""
    by, customer = _customer(request, customer_id)
    export = services.customer_export(customer=customer, by=by, request=request)
    if xlsx.wanted(request, format):
        return xlsx.response(f"customer-{customer.pk}.xlsx", exporting.sheets(export))
    return export


@router.post("/customers/{customer_id}/erase", response=ErasedOut)
def erase_customer(request: HttpRequest, customer_id: int, payload: EraseIn | None = None) -> Any:
    """Erase the person's name, phone and address; 409 `case_open` while a case is open, unless
    `{"force": true}`."""
    by, customer = _customer(request, customer_id)
    force = bool(payload and payload.force)
    return services.customer_erase(customer=customer, by=by, force=force, request=request)
