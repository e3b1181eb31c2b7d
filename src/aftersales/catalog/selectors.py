"""Reads of the catalog. Every staff role may read models and units."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from aftersales.catalog.models import REPAIRED, Category, ChecklistItem, ProductModel, Unit
from aftersales.catalog.rules import normalize_serial
from aftersales.core.db import starts_with
from aftersales.core.models import Event
from aftersales.customers.models import Customer


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("code")


def checklist(category_id: int | None, kind: str) -> list[ChecklistItem]:
    """A category's checklist of one kind (intake, accessory, qc) in use, in its order; empty
    for no category or a category without that list."""
    if category_id is None:
        return []
    return list(
        ChecklistItem.objects.filter(category_id=category_id, kind=kind, active=True).order_by(
            "position", "id"
        )
    )


def product_models() -> QuerySet[ProductModel]:
    return ProductModel.objects.select_related("category")


def unit_get(serial: str) -> Unit | None:
    return (
        Unit.objects.select_related("model__category", "customer")
        .filter(serial=normalize_serial(serial))
        .first()
    )


def units_of(customer: Customer) -> QuerySet[Unit]:
    return (
        Unit.objects.select_related("model__category")
        .filter(customer=customer)
        .order_by("-purchase_date", "-pk")
    )


def repairs_since(unit: Unit, since: date | None) -> int:
    """How many jobs on the unit were handed over repaired (its `repaired` events), on or after
    `since` (a local date; None: all of them)."""
    found = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(Unit), object_id=unit.pk, action=REPAIRED
    )
    if since is not None:
        found = found.filter(at__date__gte=since)
    return found.count()


def unit_search(query: str) -> QuerySet[Unit]:
    """Units whose serial starts with what was typed."""
    query = normalize_serial(query)
    if len(query) < 3:
        return Unit.objects.none()
    # The model comes in a second query: joining it lets SQLite start from the models table and scan.
    return (
        Unit.objects.select_related("customer")
        .prefetch_related("model")
        .filter(starts_with("serial", query))
    )
