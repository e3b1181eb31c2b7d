"""Business-calendar arithmetic: SLA clocks, callbacks and 三包 date roll-forward."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales.core.rules import (
    DayHours,
    WorkingCalendar,
    add_business_days,
    add_business_hours,
    business_time_between,
    day_hours,
    is_official_working_day,
    is_working_time,
    next_opening,
    next_working_day_opening,
    parse_day_hours,
    roll_forward,
    standard_week,
    working_intervals,
)

SH = ZoneInfo("Asia/Shanghai")
OFFICE_HOURS = parse_day_hours([["09:00", "12:00"], ["13:30", "18:00"]])
PLAIN = WorkingCalendar(tz=SH, weekly=standard_week(OFFICE_HOURS))
NATIONAL_DAY_2026 = WorkingCalendar(
    tz=SH,
    weekly=standard_week(OFFICE_HOURS),
    days_off=frozenset(date(2026, 10, d) for d in range(1, 8)),
    extra_workdays=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


# --- parsing -------------------------------------------------------------------------


def test_parse_day_hours_sorts_intervals():
    assert parse_day_hours([["13:30", "18:00"], ["9:00", "12:00"]]) == (
        (time(9), time(12)),
        (time(13, 30), time(18)),
    )


@pytest.mark.parametrize(
    "spec",
    [
        [["09:00", "25:00"]],
        [["9h", "12:00"]],
        [["12:00", "09:00"]],
        [["09:00", "09:00"]],
        [["09:00", "12:00"], ["11:00", "14:00"]],
        [["09:00"]],
        "09:00-12:00",
    ],
)
def test_parse_day_hours_rejects_bad_specs(spec):
    with pytest.raises(ValueError):
        parse_day_hours(spec)


def test_calendar_needs_seven_days():
    with pytest.raises(ValueError, match="7 entries"):
        WorkingCalendar(tz=SH, weekly=(OFFICE_HOURS,) * 5)


def test_calendar_accepts_a_plain_dict_of_special_hours_and_stays_hashable():
    cal = WorkingCalendar(
        tz=SH, weekly=standard_week(OFFICE_HOURS), special_hours={date(2026, 3, 9): ()}
    )
    assert hash(cal) == hash(WorkingCalendar(tz=SH, weekly=standard_week(OFFICE_HOURS)))
    assert cal != PLAIN


# --- the center's clock ----------------------------------------------------------------


def test_friday_afternoon_plus_two_hours_is_monday_ten():
    assert add_business_hours(sh(2026, 3, 6, 17), 2, PLAIN) == sh(2026, 3, 9, 10)


def test_lunch_break_does_not_count():
    assert add_business_hours(sh(2026, 3, 4, 11), 2, PLAIN) == sh(2026, 3, 4, 14, 30)


def test_start_at_lunch_begins_at_afternoon_opening():
    assert add_business_hours(sh(2026, 3, 4, 12, 30), 1, PLAIN) == sh(2026, 3, 4, 14, 30)


def test_start_at_night_begins_next_morning():
    assert add_business_hours(sh(2026, 3, 3, 22), 1, PLAIN) == sh(2026, 3, 4, 10)
    assert add_business_hours(sh(2026, 3, 4, 6), 1, PLAIN) == sh(2026, 3, 4, 10)


def test_zero_hours_is_next_opening():
    assert add_business_hours(sh(2026, 3, 4, 12, 15), 0, PLAIN) == sh(2026, 3, 4, 13, 30)
    assert add_business_hours(sh(2026, 3, 4, 10), 0, PLAIN) == sh(2026, 3, 4, 10)
    assert next_opening(sh(2026, 3, 7, 10), PLAIN) == sh(2026, 3, 9, 9)


def test_landing_exactly_on_closing_returns_the_closing_time():
    assert add_business_hours(sh(2026, 3, 4, 11), 1, PLAIN) == sh(2026, 3, 4, 12)
    assert add_business_hours(sh(2026, 3, 6, 17), 1, PLAIN) == sh(2026, 3, 6, 18)


def test_split_shift_counts_both_shifts():
    split = WorkingCalendar(
        tz=SH, weekly=standard_week(parse_day_hours([["08:00", "11:00"], ["17:00", "21:00"]]))
    )
    assert add_business_hours(sh(2026, 3, 4, 10), 3, split) == sh(2026, 3, 4, 19)
    assert is_working_time(sh(2026, 3, 4, 20, 59), split)
    assert not is_working_time(sh(2026, 3, 4, 21), split)


def test_fractional_and_timedelta_amounts():
    start = sh(2026, 3, 4, 9)
    assert add_business_hours(start, Decimal("1.5"), PLAIN) == sh(2026, 3, 4, 10, 30)
    assert add_business_hours(start, 0.25, PLAIN) == sh(2026, 3, 4, 9, 15)
    assert add_business_hours(start, timedelta(minutes=200), PLAIN) == sh(2026, 3, 4, 13, 50)


def test_negative_hours_are_rejected():
    with pytest.raises(ValueError):
        add_business_hours(sh(2026, 3, 4, 9), -1, PLAIN)


def test_other_zones_are_converted_and_results_are_local():
    result = add_business_hours(datetime(2026, 3, 6, 9, tzinfo=UTC), 2, PLAIN)
    assert result == sh(2026, 3, 9, 10)
    assert result.tzinfo is SH
    assert result.hour == 10


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 3, 4, 9)
    with pytest.raises(ValueError, match="naive"):
        add_business_hours(naive, 1, PLAIN)
    with pytest.raises(ValueError, match="naive"):
        is_working_time(naive, PLAIN)
    with pytest.raises(ValueError, match="naive"):
        business_time_between(naive, sh(2026, 3, 5), PLAIN)


def test_calendar_without_working_time_raises_instead_of_looping():
    empty = WorkingCalendar(tz=SH, weekly=standard_week(OFFICE_HOURS, workdays=0))
    start = sh(2026, 3, 4, 9)
    with pytest.raises(ValueError, match="calendar has no working time"):
        add_business_hours(start, 1, empty)
    with pytest.raises(ValueError, match="calendar has no working time"):
        next_opening(start, empty)
    with pytest.raises(ValueError, match="calendar has no working time"):
        next_working_day_opening(start, empty)
    with pytest.raises(ValueError, match="calendar has no working time"):
        add_business_days(start.date(), 1, empty)


def test_business_time_between_skips_the_weekend():
    assert business_time_between(sh(2026, 3, 6, 17), sh(2026, 3, 9, 10), PLAIN) == timedelta(
        hours=2
    )
    assert business_time_between(sh(2026, 3, 9, 10), sh(2026, 3, 6, 17), PLAIN) == timedelta(0)


def test_next_working_day_opening_skips_the_rest_of_today():
    assert next_working_day_opening(sh(2026, 3, 4, 8), PLAIN) == sh(2026, 3, 5, 9)
    assert next_working_day_opening(sh(2026, 3, 6, 10), PLAIN) == sh(2026, 3, 9, 9)


def test_add_business_days_counts_days_with_hours():
    assert add_business_days(date(2026, 3, 6), 3, PLAIN) == date(2026, 3, 11)
    assert add_business_days(date(2026, 3, 6), 0, PLAIN) == date(2026, 3, 6)


def test_special_hours_close_a_normal_monday():
    closed_monday = WorkingCalendar(
        tz=SH, weekly=standard_week(OFFICE_HOURS), special_hours={date(2026, 3, 9): ()}
    )
    assert day_hours(date(2026, 3, 9), closed_monday) == ()
    assert add_business_hours(sh(2026, 3, 6, 17), 2, closed_monday) == sh(2026, 3, 10, 10)
    assert add_business_days(date(2026, 3, 6), 1, closed_monday) == date(2026, 3, 10)


def test_special_hours_shorten_a_day():
    half_day = WorkingCalendar(
        tz=SH,
        weekly=standard_week(OFFICE_HOURS),
        special_hours={date(2026, 3, 4): parse_day_hours([["09:00", "12:00"]])},
    )
    assert add_business_hours(sh(2026, 3, 4, 11), 2, half_day) == sh(2026, 3, 5, 10)


# --- 2026 National Day (国庆): Oct 1-7 off, Sun Sep 20 and Sat Oct 10 worked ----------


def test_national_day_sla_jumps_the_golden_week():
    assert add_business_hours(sh(2026, 9, 30, 17), 2, NATIONAL_DAY_2026) == sh(2026, 10, 8, 10)


def test_adjusted_saturday_counts_with_monday_hours():
    assert day_hours(date(2026, 10, 10), NATIONAL_DAY_2026) == OFFICE_HOURS
    assert add_business_hours(sh(2026, 10, 9, 17), 2, NATIONAL_DAY_2026) == sh(2026, 10, 10, 10)
    assert business_time_between(
        sh(2026, 10, 9, 9), sh(2026, 10, 12, 9), NATIONAL_DAY_2026
    ) == timedelta(hours=15)


def test_adjusted_sunday_opens_before_the_holiday():
    assert next_opening(sh(2026, 9, 19, 12), NATIONAL_DAY_2026) == sh(2026, 9, 20, 9)


def test_adjusted_workday_hours_override_monday_hours():
    cal = WorkingCalendar(
        tz=SH,
        weekly=standard_week(OFFICE_HOURS),
        extra_workdays=frozenset({date(2026, 9, 20)}),
        adjusted_workday_hours=parse_day_hours([["10:00", "16:00"]]),
    )
    assert working_intervals(date(2026, 9, 20), cal) == [(sh(2026, 9, 20, 10), sh(2026, 9, 20, 16))]


def test_saturday_center_keeps_its_own_saturday_hours_on_an_adjusted_saturday():
    saturday = parse_day_hours([["10:00", "15:00"]])
    cal = WorkingCalendar(
        tz=SH,
        weekly=standard_week(OFFICE_HOURS)[:5] + (saturday, ()),
        extra_workdays=frozenset({date(2026, 10, 10)}),
        days_off=frozenset({date(2026, 10, 3)}),
    )
    assert day_hours(date(2026, 10, 10), cal) == saturday
    assert day_hours(date(2026, 10, 3), cal) == ()


def test_national_day_business_days_and_survey():
    assert add_business_days(date(2026, 9, 30), 3, NATIONAL_DAY_2026) == date(2026, 10, 10)
    assert next_working_day_opening(sh(2026, 9, 30, 10), NATIONAL_DAY_2026) == sh(2026, 10, 8, 9)


# --- the state calendar (三包) ---------------------------------------------------------


def test_roll_forward_follows_the_state_calendar():
    assert roll_forward(date(2026, 3, 7), NATIONAL_DAY_2026) == date(2026, 3, 9)
    assert roll_forward(date(2026, 10, 1), NATIONAL_DAY_2026) == date(2026, 10, 8)
    assert roll_forward(date(2026, 10, 10), NATIONAL_DAY_2026) == date(2026, 10, 10)
    assert roll_forward(date(2026, 3, 4), NATIONAL_DAY_2026) == date(2026, 3, 4)


def test_official_working_days_ignore_the_centers_hours():
    seven_days = WorkingCalendar(tz=SH, weekly=(OFFICE_HOURS,) * 7)
    assert not is_official_working_day(date(2026, 3, 7), seven_days)
    closed_monday = WorkingCalendar(
        tz=SH, weekly=standard_week(OFFICE_HOURS), special_hours={date(2026, 3, 9): ()}
    )
    assert is_official_working_day(date(2026, 3, 9), closed_monday)


def test_durations_are_real_elapsed_time_across_dst():
    berlin = ZoneInfo("Europe/Berlin")
    cal = WorkingCalendar(tz=berlin, weekly=(parse_day_hours([["01:00", "04:00"]]),) * 7)
    spring_forward = date(2026, 3, 29)  # 02:00 -> 03:00
    start = datetime(2026, 3, 29, 0, tzinfo=berlin)
    end = datetime(2026, 3, 29, 5, tzinfo=berlin)
    assert business_time_between(start, end, cal) == timedelta(hours=2)
    assert add_business_hours(start, 2, cal) == datetime(2026, 3, 29, 4, tzinfo=berlin)
    assert working_intervals(spring_forward, cal)[0][0].hour == 1


# --- properties ----------------------------------------------------------------------

YEAR_START = sh(2026, 1, 1)
starts = st.integers(0, 365 * 24 * 60 - 1).map(lambda m: YEAR_START + timedelta(minutes=m))
amounts = st.integers(0, 200 * 60).map(lambda m: timedelta(minutes=m))
days_2026 = st.integers(0, 364).map(lambda d: date(2026, 1, 1) + timedelta(days=d))


@st.composite
def random_day_hours(draw: st.DrawFn) -> DayHours:
    """0-3 intervals on a 15-minute grid (0 = closed that weekday)."""
    count = draw(st.integers(0, 3))
    marks = sorted(
        draw(st.lists(st.integers(0, 95), min_size=2 * count, max_size=2 * count, unique=True))
    )
    times = [time(q // 4, 15 * (q % 4)) for q in marks]
    return tuple(zip(times[::2], times[1::2], strict=True))


@st.composite
def random_calendars(draw: st.DrawFn) -> WorkingCalendar:
    weekly = tuple(draw(random_day_hours()) for _ in range(7))
    assume(any(weekly))
    return WorkingCalendar(
        tz=SH,
        weekly=weekly,
        days_off=draw(st.frozensets(days_2026, max_size=20)),
        extra_workdays=draw(st.frozensets(days_2026, max_size=5)),
        special_hours=draw(st.dictionaries(days_2026, random_day_hours(), max_size=5)),
    )


calendars = st.one_of(st.just(NATIONAL_DAY_2026), st.just(PLAIN), random_calendars())


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, amount=amounts)
def test_result_always_lies_in_working_time(cal, start, amount):
    result = add_business_hours(start, amount, cal)
    assert result >= start
    assert any(s <= result <= e for s, e in working_intervals(result.date(), cal))


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, amount=amounts)
def test_business_time_between_inverts_add_business_hours(cal, start, amount):
    assert business_time_between(start, add_business_hours(start, amount, cal), cal) == amount


@settings(max_examples=200, deadline=None)
@given(cal=calendars, a=starts, b=starts, amount=amounts)
def test_later_start_never_finishes_earlier(cal, a, b, amount):
    a, b = sorted((a, b))
    assert add_business_hours(a, amount, cal) <= add_business_hours(b, amount, cal)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, x=amounts, y=amounts)
def test_more_hours_never_finish_earlier(cal, start, x, y):
    x, y = sorted((x, y))
    assert add_business_hours(start, x, cal) <= add_business_hours(start, y, cal)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, start=starts, quarters=st.integers(0, 800))
def test_quarter_hours_as_numbers_match_minutes(cal, start, quarters):
    expected = add_business_hours(start, timedelta(minutes=15 * quarters), cal)
    assert add_business_hours(start, quarters / 4, cal) == expected
    assert add_business_hours(start, Decimal(quarters) / 4, cal) == expected


@settings(max_examples=200, deadline=None)
@given(cal=calendars, a=starts, b=starts, c=starts)
def test_business_time_between_is_additive(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    assert business_time_between(a, c, cal) == business_time_between(
        a, b, cal
    ) + business_time_between(b, c, cal)


@settings(max_examples=200, deadline=None)
@given(cal=calendars, moment=starts)
def test_next_opening_is_working_time(cal, moment):
    opening = next_opening(moment, cal)
    assert opening >= moment
    assert is_working_time(opening, cal)
    assert business_time_between(moment, opening, cal) == timedelta(0)
