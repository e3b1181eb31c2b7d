"""The portal's failed-lookup limiter (CONTRACT.md "Portal"; decision 33): a customer's request
found by its number and phone, but a client that got `FAILED_LOOKUPS_ALLOWED` "not found" answers
within `FAILED_LOOKUP_WINDOW` is refused (429) any lookup, even a right one, until the oldest of
them leaves the window. Only failures count.

Counted in Django's cache (`CACHES["default"]`, the database cache, so every worker process sees
the same counts): each failure takes one of `FAILED_LOOKUPS_ALLOWED` slots of its client with
`cache.add`, which two processes cannot both win, and the slot expires with the window. Requests
already past the check when the last slot fills still run: a burst of parallel guesses can
exceed the limit by what runs at the same moment, once."""

import hashlib
import math
from datetime import datetime, timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from aftersales.core.clients import client_of
from aftersales.core.errors import NotFound, RateLimited
from aftersales.portal import rules, selectors
from aftersales.tickets.models import Ticket

KEY_PREFIX = "portal:failed-lookup"


def ticket_for_customer(request: HttpRequest, *, number: str, phone: str) -> Ticket:
    """`selectors.ticket_for_customer` behind the limiter: 429 `rate_limited` while the client
    is blocked; a NotFound counts as a failure of the client and is raised on unchanged."""
    client = client_of(request)
    taken = _failures(client)
    now = timezone.now()
    until = rules.blocked_until(list(taken.values()), now)
    if until is not None:
        raise _refusal(until, now)
    try:
        return selectors.ticket_for_customer(number=number, phone=phone)
    except NotFound:
        _record_failure(client, taken, now)
        raise


def _keys(client: str) -> list[str]:
    """The client's slots, named by a digest of its address: any backend takes the key (no
    spaces, bounded length), and the cache holds no address in clear."""
    digest = hashlib.sha256(client.encode()).hexdigest()[:32]
    return [f"{KEY_PREFIX}:{digest}:{slot}" for slot in range(rules.FAILED_LOOKUPS_ALLOWED)]


def _failures(client: str) -> dict[str, datetime]:
    """The client's failures still in the cache: slot key → when (one read)."""
    return cache.get_many(_keys(client))


def _record_failure(client: str, taken: dict[str, datetime], now: datetime) -> None:
    """Take the first free slot; one taken meanwhile by another process → the next. A slot whose
    failure left the window but that the cache still holds (it expires at the window's very end)
    is freed first. All taken (failures that ran alongside a full set): nothing to add, the
    client is blocked anyway."""
    timeout = math.ceil(rules.FAILED_LOOKUP_WINDOW.total_seconds())
    stale = [key for key, at in taken.items() if not rules.in_window(at, now)]
    if stale:
        cache.delete_many(stale)
    for key in _keys(client):
        if (key not in taken or key in stale) and cache.add(key, now, timeout=timeout):
            return


def _refusal(until: datetime, now: datetime) -> RateLimited:
    seconds = rules.retry_after_seconds(until, now)
    minutes = max(1, math.ceil(seconds / 60))
    # The minute shown is one the customer may try at: rounded up, never before `until`.
    shown = timezone.localtime(now + timedelta(seconds=seconds))
    if shown.second or shown.microsecond:
        shown = shown.replace(second=0, microsecond=0) + timedelta(minutes=1)
    message = ngettext(
        "Too many tries with a wrong request number or phone number. "
        "Please try again after %(time)s (in %(minutes)d minute).",
        "Too many tries with a wrong request number or phone number. "
        "Please try again after %(time)s (in %(minutes)d minutes).",
        minutes,
    ) % {"time": shown.strftime("%H:%M"), "minutes": minutes}
    return RateLimited(message, retry_after=seconds, details={"retry_at": until})
