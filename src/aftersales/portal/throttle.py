"""The portal's failed-lookup limiter (CONTRACT.md "Portal"; decision 33): a customer's request
found by its number and phone, but a client that got `FAILED_LOOKUPS_ALLOWED` "not found" answers
within `FAILED_LOOKUP_WINDOW` is refused (429) any lookup, even a right one, until the oldest of
them leaves the window. Only failures count; they are counted by the kernel's limiter
(core.throttle), in the database cache."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from aftersales.core.clients import client_of
from aftersales.core.errors import NotFound
from aftersales.core.throttle import Limit, Tally, refusal
from aftersales.portal import rules, selectors
from aftersales.tickets.models import Ticket

FAILED_LOOKUPS = Limit(
    "portal:failed-lookup",
    allowed=rules.FAILED_LOOKUPS_ALLOWED,
    window=rules.FAILED_LOOKUP_WINDOW,
)


def ticket_for_customer(request: HttpRequest, *, number: str, phone: str) -> Ticket:
    """`selectors.ticket_for_customer` behind the limiter: 429 `rate_limited` while the client
    is blocked; a NotFound counts as a failure of the client and is raised on unchanged."""
    tally = Tally((FAILED_LOOKUPS, client_of(request)))
    now = timezone.now()
    until = tally.blocked_until(now)
    if until is not None:
        raise refusal(until, now, _try_again)
    try:
        return selectors.ticket_for_customer(number=number, phone=phone)
    except NotFound:
        tally.record_failure(now)
        raise


def _try_again(time: str, minutes: int) -> str:
    return ngettext(
        "Too many tries with a wrong request number or phone number. "
        "Please try again after %(time)s (in %(minutes)d minute).",
        "Too many tries with a wrong request number or phone number. "
        "Please try again after %(time)s (in %(minutes)d minutes).",
        minutes,
    ) % {"time": time, "minutes": minutes}
