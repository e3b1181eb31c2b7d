"""Reads of customers. Every staff role may read them (CONTRACT.md "Scope by role")."""

from django.db.models import QuerySet

from aftersales.core.db import starts_with
from aftersales.customers import rules
from aftersales.customers.models import Customer


def customer_get(customer_id: int) -> Customer | None:
    return Customer.objects.filter(pk=customer_id).first()


def customers_by_phone(raw: str) -> QuerySet[Customer]:
    """The customer with this number in any common spelling (empty when it is no number)."""
    try:
        return Customer.objects.filter(phone=rules.normalize_phone(raw))
    except ValueError:
        return Customer.objects.none()


def customer_search(query: str) -> QuerySet[Customer]:
    """Customers whose name, or national phone number, starts with what was typed."""
    query = query.strip()
    if not query:
        return Customer.objects.none()
    condition = starts_with("name", query)
    digits = rules.phone_search_digits(query)
    if digits:
        condition |= starts_with("phone", f"+86{digits}") | starts_with("phone", f"+{digits}")
    return Customer.objects.filter(condition)
