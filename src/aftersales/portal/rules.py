"""Pure rules of the portal: when a client's failed lookups stop it for a while."""

import math
from datetime import datetime, timedelta

# CONTRACT.md "Portal": from one client, the 11th failed lookup within 10 minutes and every
# lookup after it in that window → 429.
FAILED_LOOKUPS_ALLOWED = 10
FAILED_LOOKUP_WINDOW = timedelta(minutes=10)


def in_window(failed_at: datetime, now: datetime) -> bool:
    """A failure at `failed_at` still counts at `now`."""
    return timedelta(0) <= now - failed_at < FAILED_LOOKUP_WINDOW


def blocked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the client may look up again, given the times of its failed lookups; None when it
    may now. Blocked while `FAILED_LOOKUPS_ALLOWED` failures lie within the last
    `FAILED_LOOKUP_WINDOW`, until the oldest of those leaves the window (a sliding window)."""
    recent = sorted(at for at in failures if in_window(at, now))
    if len(recent) < FAILED_LOOKUPS_ALLOWED:
        return None
    return recent[-FAILED_LOOKUPS_ALLOWED] + FAILED_LOOKUP_WINDOW


def retry_after_seconds(until: datetime, now: datetime) -> int:
    """The Retry-After header's whole seconds (at least 1)."""
    return max(1, math.ceil((until - now).total_seconds()))
