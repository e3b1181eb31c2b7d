"""The one limiter of failures: a subject (a client, a username from a client) that failed
`Limit.allowed` times within `Limit.window` is refused until the oldest of those failures leaves
the window (a sliding window, core.rules.blocked_until). Only failures count; the caller says what
a failure is. Used by the login (core.accounts; decision 55) and the portal's lookups (decision 33).

Counted in Django's cache (`CACHES["default"]`, the database cache, so every worker process sees
the same counts): each failure takes one of `allowed` slots of its subject with `cache.add`, which
two processes cannot both win, and the slot expires with the window. Requests already past the
check when the last slot fills still run: a burst of parallel tries can exceed the limit by what
runs at the same moment, once. A subject is named in the cache by a digest: any backend takes the
key (no spaces, bounded length) and the cache holds no address or username in clear."""

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from aftersales.core import rules
from aftersales.core.errors import RateLimited


@dataclass(frozen=True)
class Limit:
    """At most `allowed` failures of one subject within `window`; `name` prefixes its cache keys."""

    name: str
    allowed: int
    window: timedelta

    def keys(self, subject: str) -> list[str]:
        digest = hashlib.sha256(subject.encode(errors="surrogatepass")).hexdigest()[:32]
        return [f"{self.name}:{digest}:{slot}" for slot in range(self.allowed)]


class Tally:
    """The failures counted against some subjects, each under its own limit, read from the cache
    in one call: `Tally((PER_PAIR, pair), (PER_CLIENT, client))`."""

    def __init__(self, *counted: tuple[Limit, str]) -> None:
        self._keys = [(limit, limit.keys(subject)) for limit, subject in counted]
        self._taken: dict[str, datetime] = cache.get_many(
            [key for _limit, keys in self._keys for key in keys]
        )

    def blocked_until(self, now: datetime) -> datetime | None:
        """When every subject may try again (the longest wait of them); None when all may now."""
        waits = [
            rules.blocked_until(
                [self._taken[key] for key in keys if key in self._taken],
                now,
                allowed=limit.allowed,
                window=limit.window,
            )
            for limit, keys in self._keys
        ]
        return max((until for until in waits if until is not None), default=None)

    def record_failure(self, now: datetime) -> None:
        """One failure more for every subject: each takes its first free slot, the next one when
        another process took it meanwhile. A slot whose failure left the window but that the
        cache still holds (it expires at the window's very end) is freed first. All taken
        (failures that ran alongside a full set): nothing to add, the subject is blocked anyway."""
        for limit, keys in self._keys:
            stale = [
                key
                for key in keys
                if key in self._taken and not rules.in_window(self._taken[key], now, limit.window)
            ]
            if stale:
                cache.delete_many(stale)
            timeout = math.ceil(limit.window.total_seconds())
            for key in keys:
                if (key not in self._taken or key in stale) and cache.add(
                    key, now, timeout=timeout
                ):
                    break

    def forgive(self, limit: Limit) -> None:
        """Forget the failures counted under `limit` (a right password forgives its username's
        earlier typos); no cache call when there were none."""
        for counted, keys in self._keys:
            taken = [key for key in keys if key in self._taken]
            if counted == limit and taken:
                cache.delete_many(taken)


def refusal(until: datetime, now: datetime, words: Callable[[str, int], str]) -> RateLimited:
    """The 429 for a subject blocked until `until`: `words(time, minutes)` says when to try again
    — a minute the person may try at (rounded up, never before `until`) and in how many minutes."""
    seconds = rules.retry_after_seconds(until, now)
    minutes = max(1, math.ceil(seconds / 60))
    shown = timezone.localtime(now + timedelta(seconds=seconds))
    if shown.second or shown.microsecond:
        shown = shown.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return RateLimited(
        words(shown.strftime("%H:%M"), minutes), retry_after=seconds, details={"retry_at": until}
    )
