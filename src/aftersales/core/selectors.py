"""Reads of the kernel: the working calendar a center's clocks run on."""

from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone

from aftersales.core import rules
from aftersales.core.models import BusinessCalendar, CalendarOverride
from aftersales.core.reference import cached

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS = [["09:00", "12:00"], ["13:30", "18:00"]]
DEFAULT_WEEK = {key: (DEFAULT_HOURS if i < 5 else []) for i, key in enumerate(WEEKDAY_KEYS)}


@lru_cache(maxsize=16)
def statutory_calendar(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """China's days off and adjusted working days (调休上班) from the pinned `holidays` package."""
    years = range(first_year, last_year + 1)
    china = holidays.China(years=years)
    days_off = frozenset(china.keys())
    workdays = frozenset(d for d in china.weekend_workdays if d.year in years)
    return days_off, workdays


def working_calendar(calendar: BusinessCalendar | None) -> rules.WorkingCalendar:
    """The pure calendar: weekly hours, the statutory calendar, then administrators' overrides."""
    this_year = timezone.localdate().year
    statutory_off, statutory_work = statutory_calendar(this_year - 2, this_year + 3)
    days_off, workdays = set(statutory_off), set(statutory_work)
    for day, is_working_day in state_overrides():
        (workdays if is_working_day else days_off).add(day)
        (days_off if is_working_day else workdays).discard(day)
    weekly = calendar.weekly_hours if calendar else DEFAULT_WEEK
    special = special_days(calendar.pk) if calendar is not None else {}
    return rules.WorkingCalendar(
        tz=ZoneInfo(settings.TIME_ZONE),
        weekly=tuple(rules.parse_day_hours(weekly.get(key, [])) for key in WEEKDAY_KEYS),
        days_off=frozenset(days_off),
        extra_workdays=frozenset(workdays),
        special_hours=special,
    )


@cached("state_overrides")
def state_overrides() -> tuple[tuple[date, bool], ...]:
    """The administrators' corrections of the state calendar: (date, working day?), by date."""
    return tuple(
        CalendarOverride.objects.filter(calendar=None)
        .order_by("date")
        .values_list("date", "is_working_day")
    )


@cached("special_days")
def special_days(calendar_id: int) -> dict[date, rules.DayHours]:
    """One calendar's special days and their hours (none: closed)."""
    return {
        o.date: rules.parse_day_hours(o.hours if o.is_working_day else [])
        for o in CalendarOverride.objects.filter(calendar_id=calendar_id)
    }
