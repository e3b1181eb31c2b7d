"""The only code that changes customers."""

from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import Duplicate, InvalidInput
from aftersales.core.services import record_event
from aftersales.customers import rules
from aftersales.customers.models import Customer
from aftersales.dispatch.regions import is_region

EDITABLE = ("kind", "name", "contact_person", "email", "address", "postcode", "region", "note")


def clean_phone(raw: str, field: str = "phone") -> str:
    try:
        return rules.normalize_phone(raw)
    except ValueError as exc:
        raise InvalidInput.field(
            field, _("%(phone)s is not a phone number we can dial.") % {"phone": raw}
        ) from exc


def _check(fields: dict[str, Any]) -> None:
    if "name" in fields and not str(fields["name"]).strip():
        raise InvalidInput.field("name", _("The customer's name is required."))
    region = fields.get("region")
    if region and not (len(region) == 6 and region.isdigit()):
        raise InvalidInput.field("region", _("A region is a 6-digit administrative division code."))
    if region and not is_region(region):
        raise InvalidInput.field(
            "region",
            _("%(code)s is not a region code: type the place's name and choose it.")
            % {"code": region},
        )
    if "kind" in fields and fields["kind"] not in Customer.Kind.values:
        raise InvalidInput.field("kind", _("Kind must be person or organization."))


def customer_create(*, by: User | None, name: str, phone: str, **fields: Any) -> Customer:
    """Register a customer; a phone already on file is refused with the existing customer's id."""
    e164 = clean_phone(phone)
    fields = {k: (v or "") for k, v in fields.items() if k in EDITABLE}
    fields["kind"] = fields.get("kind") or Customer.Kind.PERSON
    _check({"name": name, **fields})
    existing = Customer.objects.filter(phone=e164).values_list("pk", flat=True).first()
    if existing:
        raise Duplicate(
            _("A customer with this phone is already on file."), details={"id": existing}
        )
    try:
        with transaction.atomic():
            customer = Customer.objects.create(name=name.strip(), phone=e164, **fields)
            record_event(subject=customer, action="created", actor=by)
    except IntegrityError as exc:  # a concurrent registration of the same phone won the race
        existing = Customer.objects.values_list("pk", flat=True).get(phone=e164)
        raise Duplicate(
            _("A customer with this phone is already on file."), details={"id": existing}
        ) from exc
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, by: User | None, **changes: Any) -> Customer:
    """Change a customer's details (a new phone must not belong to someone else)."""
    if "phone" in changes:
        e164 = clean_phone(changes.pop("phone"))
        other = (
            Customer.objects.filter(phone=e164)
            .exclude(pk=customer.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other:
            raise Duplicate(
                _("A customer with this phone is already on file."), details={"id": other}
            )
        changes["phone"] = e164
    changes = {k: v for k, v in changes.items() if k in (*EDITABLE, "phone")}
    _check(changes)
    for key, value in changes.items():
        setattr(customer, key, value if value is not None else "")
    customer.save(update_fields=list(changes) or None)
    record_event(subject=customer, action="updated", actor=by, data={"fields": sorted(changes)})
    return customer


@transaction.atomic
def customer_privacy_erase(*, customer: Customer, placeholder: str) -> Customer:
    """The person's own contact data out of their record (a privacy erase, decision 70): the
    name becomes `placeholder`, the phone a unique placeholder that matches no number, and the
    contact person, e-mail, address, postcode and note are emptied; the kind, the region (the
    reports count by it) and the dates stay. A pure data rewrite, no event: the erase writes its
    one event on the customer's timeline."""
    customer.name = placeholder
    customer.phone = rules.erased_phone(customer.pk)
    for name in ("contact_person", "email", "address", "postcode", "note"):
        setattr(customer, name, "")
    customer.save(update_fields=[*PRIVATE_FIELDS])
    return customer


# What `customer_privacy_erase` rewrites (the privacy registry lists them; decision 72).
PRIVATE_FIELDS = ("name", "phone", "contact_person", "email", "address", "postcode", "note")
