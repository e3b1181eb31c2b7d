from django import template

from aftersales.customers.rules import format_phone

register = template.Library()


@register.filter(name="phone")
def phone_filter(e164: str) -> str:
    """`{{ customer.phone|phone }}` → 138 0013 8000."""
    return format_phone(e164 or "")
