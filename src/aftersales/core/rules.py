"""Business-calendar arithmetic for after-sales service: SLA clocks and warranty dates; and, at
the end, the kernel's other clock rules (limits over a sliding window, idle sessions).

Two different calendars are in play, and mixing them up is the classic bug:

* The *state* calendar (国务院放假安排) decides which dates are official working days.
  三包 deadlines ("15 days, rolled forward if the last day is a holiday") follow it,
  whatever the service center's own opening hours are.
* The *center* calendar decides when the clock runs for SLAs and callbacks
  ("call back within 2 working hours"). It is the center's weekly hours with the
  state calendar folded in (holidays closed, 调休 weekend days worked), plus
  per-date exceptions.

Everything here is a pure function of plain values so it can be used from models,
services, templates and tests alike, without a database.

Conventions:

* Working intervals are half-open ``[start, end)`` for "is it working time?", but a
  duration that is used up exactly at the end of an interval returns that end: the
  deadline is 12:00, not 13:30 after lunch.
* Durations are real elapsed time (computed in UTC), so a DST zone is handled
  sensibly; results are returned as aware datetimes in the calendar's zone.
* Naive datetimes are rejected: guessing their zone is how SLA clocks drift by 8 hours.
* Scans give up after ``MAX_SCAN_DAYS`` consecutive days without working time, so a
  misconfigured calendar fails loudly instead of looping forever.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from types import MappingProxyType

__all__ = [
    "MAX_SCAN_DAYS",
    "DayHours",
    "Interval",
    "WorkingCalendar",
    "add_business_days",
    "add_business_hours",
    "blocked_until",
    "business_time_between",
    "day_hours",
    "in_window",
    "is_official_working_day",
    "is_working_time",
    "next_opening",
    "next_working_day_opening",
    "parse_day_hours",
    "retry_after_seconds",
    "roll_forward",
    "session_idle_state",
    "standard_week",
    "working_intervals",
]

Interval = tuple[time, time]
"""``(start, end)`` on the same day, ``start < end``, e.g. ``(time(9), time(12))``."""

DayHours = tuple[Interval, ...]
"""Sorted, non-overlapping intervals of one day; ``()`` means closed."""

MAX_SCAN_DAYS = 3 * 366
"""Consecutive days without working time after which a calendar is declared empty."""

_NO_WORKING_TIME = "calendar has no working time"
_TIME_RE = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def _check_day_hours(hours: Sequence[Sequence[time]], where: str) -> DayHours:
    """Validate a day's intervals and normalize them to a tuple of pairs.

    Done at calendar construction so the arithmetic below can trust its input.
    """
    result: list[Interval] = []
    for interval in hours:
        if len(interval) != 2:
            raise ValueError(f"{where}: interval {interval!r} must be a (start, end) pair")
        start, end = interval
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError(f"{where}: interval {interval!r} must hold datetime.time values")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{where}: times must be naive; the calendar carries the zone")
        if start >= end:
            raise ValueError(f"{where}: interval {start}-{end} must start before it ends")
        if result and start < result[-1][1]:
            prev = result[-1]
            raise ValueError(
                f"{where}: intervals {prev[0]}-{prev[1]} and {start}-{end} are unsorted or overlap"
            )
        result.append((start, end))
    return tuple(result)


@dataclass(frozen=True)
class WorkingCalendar:
    """A service center's working time, with the state calendar folded in.

    ``weekly`` holds 7 entries, Monday..Sunday. ``days_off`` are statutory holidays
    and substituted days off (调休放假); ``extra_workdays`` are weekend days worked
    instead (调休上班). ``special_hours`` are per-date exceptions that win over
    everything (``()`` = closed that day). ``adjusted_workday_hours`` are the hours of
    an extra workday whose weekday has no weekly hours (a Sunday worked); ``None``
    means "Monday's hours".

    Collections are copied and frozen on construction, so a calendar can be cached
    and shared; ``special_hours`` takes part in equality but not in the hash
    (mappings are not hashable, and equal calendars still hash equal).
    """

    tz: tzinfo
    weekly: tuple[DayHours, ...]
    days_off: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    special_hours: Mapping[date, DayHours] = field(default_factory=dict, hash=False)
    adjusted_workday_hours: DayHours | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise ValueError(f"tz must be a tzinfo, got {self.tz!r}")
        if len(self.weekly) != 7:
            raise ValueError(f"weekly must have 7 entries (Monday..Sunday), got {len(self.weekly)}")
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        weekly = tuple(_check_day_hours(h, names[i]) for i, h in enumerate(self.weekly))
        special = {d: _check_day_hours(h, str(d)) for d, h in self.special_hours.items()}
        adjusted = self.adjusted_workday_hours
        if adjusted is not None:
            adjusted = _check_day_hours(adjusted, "adjusted_workday_hours")
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "extra_workdays", frozenset(self.extra_workdays))
        object.__setattr__(self, "special_hours", MappingProxyType(special))
        object.__setattr__(self, "adjusted_workday_hours", adjusted)


def parse_day_hours(spec: Sequence[Sequence[str]]) -> DayHours:
    """Parse ``[["09:00", "12:00"], ["13:30", "18:00"]]`` as stored in settings/JSON.

    Accepts ``H:MM``, ``HH:MM`` and ``HH:MM:SS``. Intervals are sorted; bad times,
    empty intervals and overlaps raise ``ValueError`` naming the culprit, because a
    silently wrong opening time shifts every SLA of the center. Touching intervals
    (``12:00-12:00``) are allowed.
    """
    if isinstance(spec, str):
        raise ValueError(f"day hours must be a list of [start, end] pairs, got {spec!r}")
    intervals: list[Interval] = []
    for pair in spec:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"interval {pair!r} must be a [start, end] pair")
        start, end = (_parse_time(text) for text in pair)
        if start >= end:
            raise ValueError(f"interval {pair[0]}-{pair[1]} must start before it ends")
        intervals.append((start, end))
    intervals.sort()
    return _check_day_hours(intervals, "day hours")


def _parse_time(text: str) -> time:
    match = _TIME_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"bad time {text!r}: expected HH:MM")
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"bad time {text!r}: out of range (use 23:59 rather than 24:00)")
    return time(hour, minute, second)


def standard_week(hours: DayHours, workdays: int = 5) -> tuple[DayHours, ...]:
    """The usual week: ``hours`` on the first ``workdays`` days from Monday, rest closed."""
    if not 0 <= workdays <= 7:
        raise ValueError(f"workdays must be between 0 and 7, got {workdays}")
    return tuple(hours if i < workdays else () for i in range(7))


# --- State calendar (三包 dates) ---------------------------------------------------


def is_official_working_day(day: date, cal: WorkingCalendar) -> bool:
    """Whether ``day`` is an official working day; the center's hours do not matter."""
    if day in cal.days_off:
        return False
    return day.weekday() < 5 or day in cal.extra_workdays


def roll_forward(day: date, cal: WorkingCalendar) -> date:
    """``day`` if it is an official working day, else the next one.

    A legal deadline falling on a holiday moves to the first working day after it.
    """
    for _ in range(MAX_SCAN_DAYS):
        if is_official_working_day(day, cal):
            return day
        day += timedelta(days=1)
    raise ValueError(_NO_WORKING_TIME)


# --- Center calendar (SLA clocks) ---------------------------------------------------


def day_hours(day: date, cal: WorkingCalendar) -> DayHours:
    """The center's hours on ``day``.

    Order of precedence: a per-date exception; a day off; a 调休 workday that falls on
    a normally closed weekday (it gets ``adjusted_workday_hours``, default Monday's);
    the weekly hours. A center that regularly opens on Saturdays keeps its Saturday
    hours on a 调休 Saturday.
    """
    special = cal.special_hours.get(day)
    if special is not None:
        return special
    if day in cal.days_off:
        return ()
    weekly = cal.weekly[day.weekday()]
    if not weekly and day in cal.extra_workdays:
        adjusted = cal.adjusted_workday_hours
        return adjusted if adjusted is not None else cal.weekly[0]
    return weekly


def _utc_intervals(day: date, cal: WorkingCalendar) -> list[tuple[datetime, datetime]]:
    """The day's intervals as UTC instants, so that subtraction is real elapsed time.

    Wall times skipped by a DST jump can make an interval collapse or overlap its
    neighbour; those are clamped so the result stays sorted and non-overlapping.
    """
    result: list[tuple[datetime, datetime]] = []
    for start, end in day_hours(day, cal):
        s = datetime.combine(day, start, tzinfo=cal.tz).astimezone(UTC)
        e = datetime.combine(day, end, tzinfo=cal.tz).astimezone(UTC)
        if result:
            s = max(s, result[-1][1])
        if s < e:
            result.append((s, e))
    return result


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime")
    return moment.astimezone(UTC)


def _local_day(moment_utc: datetime, cal: WorkingCalendar) -> date:
    return moment_utc.astimezone(cal.tz).date()


def _intervals_from(day: date, cal: WorkingCalendar) -> Iterator[list[tuple[datetime, datetime]]]:
    """Each day's intervals from ``day`` on, failing after too many empty days in a row."""
    empty_run = 0
    while True:
        intervals = _utc_intervals(day, cal)
        if intervals:
            empty_run = 0
        else:
            empty_run += 1
            if empty_run > MAX_SCAN_DAYS:
                raise ValueError(_NO_WORKING_TIME)
        yield intervals
        day += timedelta(days=1)


def working_intervals(day: date, cal: WorkingCalendar) -> list[tuple[datetime, datetime]]:
    """The center's working intervals on ``day`` as aware datetimes in ``cal.tz``."""
    return [(s.astimezone(cal.tz), e.astimezone(cal.tz)) for s, e in _utc_intervals(day, cal)]


def is_working_time(moment: datetime, cal: WorkingCalendar) -> bool:
    """Whether the center is working at ``moment`` (intervals are ``[start, end)``)."""
    m = _to_utc(moment)
    return any(s <= m < e for s, e in _utc_intervals(_local_day(m, cal), cal))


def next_opening(moment: datetime, cal: WorkingCalendar) -> datetime:
    """The earliest working instant at or after ``moment`` (``moment`` itself if working)."""
    return add_business_hours(moment, timedelta(0), cal)


def next_working_day_opening(moment: datetime, cal: WorkingCalendar) -> datetime:
    """Opening time of the first day with hours strictly after ``moment``'s local date.

    For actions scheduled "at the opening of the next working day" (e.g. a satisfaction
    survey), which must not fire later the same day even if the center is still open.
    """
    day = _local_day(_to_utc(moment), cal) + timedelta(days=1)
    for intervals in _intervals_from(day, cal):
        if intervals:
            return intervals[0][0].astimezone(cal.tz)
    raise AssertionError("unreachable")  # pragma: no cover


def _as_timedelta(hours: float | int | Decimal | timedelta) -> timedelta:
    """Convert an amount of hours exactly (Decimal) or to the microsecond (float)."""
    if isinstance(hours, timedelta):
        amount = hours
    elif isinstance(hours, Decimal):
        if not hours.is_finite():
            raise ValueError(f"hours must be finite, got {hours}")
        micros = (hours * 3_600_000_000).to_integral_value(rounding=ROUND_HALF_EVEN)
        amount = timedelta(microseconds=int(micros))
    else:
        if not math.isfinite(hours):
            raise ValueError(f"hours must be finite, got {hours}")
        amount = timedelta(hours=hours)
    if amount < timedelta(0):
        raise ValueError(f"hours must not be negative, got {hours}")
    return amount


def add_business_hours(
    start: datetime, hours: float | int | Decimal | timedelta, cal: WorkingCalendar
) -> datetime:
    """The instant when ``hours`` of working time have elapsed since ``start``.

    Only working time counts; a start outside working time begins at the next
    opening, so adding 0 gives ``next_opening(start)``. A sum that is used up exactly
    at the end of an interval returns that end, not the next opening: "by 12:00" is
    what the customer was promised, even if nobody works 12:00-13:30.
    """
    remaining = _as_timedelta(hours)
    m = _to_utc(start)
    for intervals in _intervals_from(_local_day(m, cal), cal):
        for s, e in intervals:
            if e <= m:
                continue
            cursor = max(s, m)
            available = e - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(cal.tz)
            remaining -= available
            m = e
    raise AssertionError("unreachable")  # pragma: no cover


def business_time_between(start: datetime, end: datetime, cal: WorkingCalendar) -> timedelta:
    """Working time inside ``[start, end]``; zero if ``end <= start``.

    The elapsed part of an SLA clock, e.g. for "2h 15m of working time used".
    """
    lo, hi = _to_utc(start), _to_utc(end)
    total = timedelta(0)
    if hi <= lo:
        return total
    day, last = _local_day(lo, cal), _local_day(hi, cal)
    while day <= last:
        for s, e in _utc_intervals(day, cal):
            overlap = min(e, hi) - max(s, lo)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


def add_business_days(day: date, days: int, cal: WorkingCalendar) -> date:
    """The ``days``-th day after ``day`` on which the center has working hours.

    ``day`` itself never counts (so ``days=0`` returns ``day`` unchanged), matching
    "within 3 working days" counted from the day after the request.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return day
    found = 0
    start = day + timedelta(days=1)
    for offset, intervals in enumerate(_intervals_from(start, cal)):
        if intervals:
            found += 1
            if found == days:
                return start + timedelta(days=offset)
    raise AssertionError("unreachable")  # pragma: no cover


def local_day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants a local calendar day starts and ends, [start, end), for "on that day" queries."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


# --- Limits over a sliding window, and idle sessions ----------------------------------------------
# The pure half of core.throttle (failed logins, the portal's failed lookups) and of
# core.sessions (a staff session ending after a while without activity).


def in_window(at: datetime, now: datetime, window: timedelta) -> bool:
    """Something that happened `at` still counts at `now` in a window of `window`."""
    return timedelta(0) <= now - at < window


def blocked_until(
    failures: Sequence[datetime], now: datetime, *, allowed: int, window: timedelta
) -> datetime | None:
    """When a subject may try again, given the times of its failures; None when it may now.
    Blocked while `allowed` failures lie within the last `window`, until the oldest of those
    leaves it (a sliding window: no reset at fixed hours an attacker could wait for)."""
    recent = sorted(at for at in failures if in_window(at, now, window))
    if len(recent) < allowed:
        return None
    return recent[-allowed] + window


def retry_after_seconds(until: datetime, now: datetime) -> int:
    """The Retry-After header's whole seconds (at least 1)."""
    return max(1, math.ceil((until - now).total_seconds()))


SESSION_RESTAMP_EVERY = timedelta(minutes=1)
"""A session's last activity is written again only when older than this: no database write on
every request, at the price of an idle limit that may end up to this much early."""


def session_idle_state(seen_at: datetime, now: datetime, idle_limit: timedelta) -> str:
    """What a request does to a session last stamped active at `seen_at`: `"expired"` once
    `idle_limit` has passed without a stamp, `"restamp"` when the stamp is due again, else
    `"fresh"` (nothing to write)."""
    idle = now - seen_at
    if idle >= idle_limit:
        return "expired"
    if idle >= SESSION_RESTAMP_EVERY or idle < timedelta(0):
        return "restamp"
    return "fresh"
