"""Pure rules of the portal: when a client's failed lookups stop it for a while."""

from datetime import datetime, timedelta

from aftersales.core import rules as core_rules

# CONTRACT.md "Portal": from one client, the 11th failed lookup within 10 minutes and every
# lookup after it in that window → 429.
FAILED_LOOKUPS_ALLOWED = 10
FAILED_LOOKUP_WINDOW = timedelta(minutes=10)


def blocked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the client may look up again, given the times of its failed lookups; None when it
    may now. Blocked while `FAILED_LOOKUPS_ALLOWED` failures lie within the last
    `FAILED_LOOKUP_WINDOW`, until the oldest of those leaves the window (a sliding window)."""
    return core_rules.blocked_until(
        failures, now, allowed=FAILED_LOOKUPS_ALLOWED, window=FAILED_LOOKUP_WINDOW
    )
