"""The only code that changes categories, models and units."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Category, ProductModel, Unit
from aftersales.core.errors import Duplicate, InvalidInput
from aftersales.core.services import record_event
from aftersales.customers.models import Customer

UNIT_FIELDS = (
    "invoice_date",
    "invoice_no",
    "seller",
    "price",
    "activation_date",
    "manufacture_date",
)


@transaction.atomic
def category_ensure(*, code: str, name: str) -> Category:
    """The category with this code, created if missing (idempotent: demo data and migrations)."""
    category, _created = Category.objects.get_or_create(code=code, defaults={"name": name})
    return category


def model_create(
    *,
    by: User | None,
    code: str,
    name: str,
    brand: str,
    category: str,
    policy: str | None = None,
) -> ProductModel:
    """Register a product model in a known category; its code is unique."""
    found = Category.objects.filter(code=category).first()
    if found is None:
        raise InvalidInput.field("category", _("Unknown category %(code)s.") % {"code": category})
    for field, value in (("code", code), ("name", name), ("brand", brand)):
        if not value.strip():
            raise InvalidInput.field(field, _("This field is required."))
    try:
        with transaction.atomic():
            model = ProductModel.objects.create(
                code=code.strip(),
                name=name.strip(),
                brand=brand.strip(),
                category=found,
                policy_code=policy or "",
            )
            record_event(subject=model, action="created", actor=by)
    except IntegrityError as exc:
        existing = ProductModel.objects.get(code=code.strip())
        raise Duplicate(
            _("A model with this code already exists."), details={"code": existing.code}
        ) from exc
    return model


def _check_dates(purchase_date: date | None, fields: dict[str, Any]) -> None:
    today = timezone.localdate()
    for name, value in (
        ("purchase_date", purchase_date),
        *((k, fields.get(k)) for k in ("invoice_date", "activation_date", "manufacture_date")),
    ):
        if value is not None and value > today:
            raise InvalidInput.field(name, _("This date is in the future."))
    price = fields.get("price")
    if price is not None and Decimal(price) < 0:
        raise InvalidInput.field("price", _("The price cannot be negative."))


def unit_register(
    *,
    by: User | None,
    serial: str,
    model: str,
    customer_id: int | None,
    purchase_date: date | None,
    **fields: Any,
) -> Unit:
    """Register a customer's unit by its serial/IMEI (unique, never reused)."""
    serial = serial.strip()
    if not serial:
        raise InvalidInput.field("serial", _("The serial number is required."))
    product = ProductModel.objects.filter(code=model).first()
    if product is None:
        raise InvalidInput.field("model", _("Unknown model %(code)s.") % {"code": model})
    customer = None
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise InvalidInput.field("customer_id", _("No customer with this id."))
    fields = {k: v for k, v in fields.items() if k in UNIT_FIELDS and v is not None}
    _check_dates(purchase_date, fields)
    if Unit.objects.filter(serial=serial).exists():
        raise Duplicate(
            _("A unit with this serial is already registered."), details={"serial": serial}
        )
    try:
        with transaction.atomic():
            unit = Unit.objects.create(
                serial=serial,
                model=product,
                customer=customer,
                purchase_date=purchase_date,
                invoice_date=fields.pop("invoice_date", None) or purchase_date,
                **fields,
            )
            record_event(subject=unit, action="created", actor=by)
    except IntegrityError as exc:
        raise Duplicate(
            _("A unit with this serial is already registered."), details={"serial": serial}
        ) from exc
    return unit
