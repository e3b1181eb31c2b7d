"""What a customer without a login may read: their own request, found by its number and phone."""

from django.conf import settings
from django.utils.translation import gettext as _

from aftersales.core.errors import NotFound
from aftersales.customers.rules import normalize_phone
from aftersales.tickets.models import Ticket


def ticket_for_customer(*, number: str, phone: str) -> Ticket:
    """The request `number` when `phone` is its customer's. An unknown number, a phone of someone
    else and an unreadable phone all raise the same NotFound, so nobody learns which numbers
    exist by trying."""
    try:
        e164 = normalize_phone(str(phone or ""), settings.PHONE_REGION)
    except ValueError:
        e164 = ""
    found = (
        Ticket.objects.select_related("customer", "center")
        .filter(number=str(number or "").strip().upper(), customer__phone=e164)
        .first()
        if e164
        else None
    )
    if found is None:
        raise NotFound(_("No request with this number and phone number."))
    return found
