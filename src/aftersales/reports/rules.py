"""Pure arithmetic of the reports (CONTRACT.md "Reports"): who reads them, the period asked for,
and how each figure is rounded — a share of an empty population is `None`, never 0."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

# Roles that read every center's reports; a branch manager reads its own center's.
ALL_CENTERS_ROLES = frozenset({"admin", "finance", "archive", "tech_center"})
CENTER_ROLES = frozenset({"branch_manager"})

# `to` − `from` ≥ this many days is refused (a year, a leap year's included).
LONGEST_PERIOD_DAYS = 366

CENT = Decimal("0.01")


def may_read(role: str | None) -> bool:
    return role in ALL_CENTERS_ROLES or role in CENTER_ROLES


def sees_every_center(role: str | None) -> bool:
    return role in ALL_CENTERS_ROLES


@dataclass(frozen=True)
class Period:
    """Local dates `first`..`last`, both included, and the instants they span: `start` (the
    first's midnight) up to `end` (the midnight after the last), excluded."""

    first: date
    last: date
    start: datetime
    end: datetime


def period_refusal(first: date, last: date) -> str | None:
    """Why `first`..`last` is not a period to report on (`before`, `too_long`), or None."""
    if last < first:
        return "before"
    if (last - first).days >= LONGEST_PERIOD_DAYS:
        return "too_long"
    return None


def period(first: date | None, last: date | None, today: date, tz: tzinfo) -> Period:
    """The period asked for; by default the first of `today`'s month to `today`. (Check it with
    `period_refusal` first.)"""
    first = first or today.replace(day=1)
    last = last or today
    return Period(
        first=first,
        last=last,
        start=datetime.combine(first, time.min, tzinfo=tz),
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


def _round(value: Decimal, places: int) -> float:
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def rate(part: int | None, whole: int | None) -> float | None:
    """`part` ÷ `whole` rounded to 4 places (half up); None when `whole` is empty."""
    if not whole:
        return None
    return _round(Decimal(part or 0) / Decimal(whole), 4)


def mean(total: int | Decimal | float | None, count: int | None, places: int) -> float | None:
    """`total` ÷ `count` rounded to `places` (half up); None when nothing was counted."""
    if not count:
        return None
    return _round(Decimal(str(total or 0)) / Decimal(count), places)


def hours(span: timedelta | None) -> float | None:
    """A duration in hours, rounded to 1 place; None for none."""
    if span is None:
        return None
    return _round(Decimal(str(span.total_seconds())) / Decimal(3600), 1)


def money(amount: Decimal | float | int | None) -> str:
    """A sum of money as the API writes it: a decimal string with two places ("0.00" for none)."""
    return f"{Decimal(str(amount or 0)).quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


# A period longer than this many days is drawn by week (at most 53 points), a shorter one by day.
DAILY_UP_TO_DAYS = 62


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `first` (the comparison beside
    each figure of the dashboard)."""
    length = (last - first).days + 1
    return first - timedelta(days=length), first - timedelta(days=1)


def month_so_far(today: date) -> tuple[date, date, date, date]:
    """This month so far (its first day to `today`) and the same stretch of last month (its
    first day to the same day of the month, or to its last day when it is shorter): the
    managers' homes compare like with like (decision 82)."""
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    before_first = last_month_end.replace(day=1)
    before_last = last_month_end.replace(day=min(today.day, last_month_end.day))
    return first, today, before_first, before_last


@dataclass(frozen=True)
class Bucket:
    """One point of a trend: the local days `first`..`last` (one day, or the part of a Monday–
    Sunday week inside the period)."""

    first: date
    last: date


def buckets(first: date, last: date) -> list[Bucket]:
    """The points of a trend over `first`..`last`: each day, or each week (Monday to Sunday,
    cut to the period) when the period is longer than `DAILY_UP_TO_DAYS`."""
    if (last - first).days + 1 <= DAILY_UP_TO_DAYS:
        return [Bucket(d, d) for d in _days(first, last)]
    found = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=6 - start.weekday()), last)
        found.append(Bucket(start, end))
        start = end + timedelta(days=1)
    return found


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_index(points: list[Bucket]) -> dict[date, int]:
    """Each day of the points → the index of the point that holds it."""
    return {day: n for n, point in enumerate(points) for day in _days(point.first, point.last)}


# The list behind each KPI (the dashboard's figures are links to it): what it lists — requests,
# work orders or scores — and which of them (decision 85). A rate lists what it misses (the
# requests answered late, the repairs not fixed at the first try), a count what it counts.
FIGURE_SUBJECTS = {
    "tickets_created": "requests",
    "response_sla_met_rate": "requests",
    "resolution_sla_met_rate": "requests",
    "complaint_rate": "requests",
    "work_orders_completed": "jobs",
    "first_time_fix_rate": "jobs",
    "repeat_repair_rate_90d": "jobs",
    "avg_turnaround_hours": "jobs",
    "fees_collected": "jobs",
    "fees_waived": "jobs",
    "csat_avg": "scores",
}

# A satisfaction score of this or lower (of 5) is a low one: the customer was not satisfied.
LOW_SCORE = 3

# A figure's list shows this many rows at most (the newest, or the slowest), with the total.
FIGURE_LIST_ROWS = 200
