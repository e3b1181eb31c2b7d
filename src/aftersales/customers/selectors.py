"""Reads of customers. Every staff role may read them (CONTRACT.md "Scope by role")."""

from django.db.models import Q, QuerySet

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
    condition = Q(name__startswith=query)
    digits = rules.phone_search_digits(query)
    if digits:
        condition |= Q(phone__startswith=f"+86{digits}") | Q(phone__startswith=f"+{digits}")
    return Customer.objects.filter(condition)
