"""Reads of the catalog. Every staff role may read models and units."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aftersales.catalog.models import (
    REPAIRED,
    Category,
    ChecklistItem,
    FaultCode,
    ProductModel,
    Unit,
)
from aftersales.catalog.rules import OTHER_FAULT, fault_symptoms, normalize_serial
from aftersales.core.db import starts_with
from aftersales.core.errors import InvalidInput
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


def fault_tree(category_id: int | None) -> list[tuple[FaultCode, list[FaultCode]]]:
    """A category's fault codes in use, as the diagnosis offers them: each symptom in its order
    with its causes ("other" last); empty for no category."""
    if category_id is None:
        return []
    codes = list(
        FaultCode.objects.filter(category_id=category_id, active=True).select_related("parent")
    )
    causes: dict[int, list[FaultCode]] = {}
    for code in codes:
        if code.parent_id is not None:
            causes.setdefault(code.parent_id, []).append(code)
    symptoms = sorted(
        (c for c in codes if c.parent_id is None),
        key=lambda c: (c.code == OTHER_FAULT, c.position, c.code),
    )
    return [(symptom, causes.get(symptom.pk, [])) for symptom in symptoms]


def fault_codes_of(category: str) -> list[FaultCode]:
    """The fault codes in use of the category with this code, each symptom followed by its
    causes; InvalidInput (422) for an unknown category."""
    found = Category.objects.filter(code=category).first()
    if found is None:
        raise InvalidInput.field("category", _("Unknown category %(code)s.") % {"code": category})
    return [code for symptom, causes in fault_tree(found.pk) for code in (symptom, *causes)]


def fault_name(category_id: int | None, code: str) -> str:
    """How a work order's fault code reads: "symptom · cause" (or the symptom) for a code of the
    category's tree, "" for anything else (text kept as it was sent)."""
    if category_id is None or not code:
        return ""
    found = (
        FaultCode.objects.filter(category_id=category_id, code=code.strip().upper())
        .select_related("parent")
        .first()
    )
    if found is None:
        return ""
    return f"{found.parent.name} · {found.name}" if found.parent else found.name


def symptoms_of(category_id: int | None) -> dict[str, str]:
    """Each fault code of the category, retired ones too → its symptom's code (what "the same
    fault" compares: workorders.rules.same_fault)."""
    if category_id is None:
        return {}
    return fault_symptoms(
        FaultCode.objects.filter(category_id=category_id).values_list("code", "parent__code")
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
