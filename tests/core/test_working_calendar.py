"""The calendar a center's clocks run on: statutory days, administrators' overrides, center hours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aftersales.core import rules
from aftersales.core.models import BusinessCalendar, CalendarOverride
from aftersales.core.selectors import working_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_national_day_is_off_and_the_adjusted_saturday_is_worked(db):
    cal = working_calendar(None)

    assert not rules.is_official_working_day(date(2026, 10, 1), cal)
    assert rules.roll_forward(date(2026, 10, 1), cal) == date(2026, 10, 8)
    assert rules.is_official_working_day(date(2026, 10, 10), cal)  # 调休上班, a Saturday


def test_an_administrators_override_wins_over_the_holidays_package(db):
    CalendarOverride.objects.create(date=date(2026, 10, 8), is_working_day=False, name="临时放假")
    CalendarOverride.objects.create(date=date(2026, 10, 10), is_working_day=False, name="取消调休")

    cal = working_calendar(None)

    assert rules.roll_forward(date(2026, 10, 1), cal) == date(2026, 10, 9)
    assert not rules.is_official_working_day(date(2026, 10, 10), cal)


def test_a_center_with_a_lunch_break_counts_only_its_hours(db):
    split = BusinessCalendar.objects.create(
        code="depot",
        name="维修中心",
        weekly_hours={
            d: [["08:00", "12:00"], ["14:00", "20:00"]]
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )

    cal = working_calendar(split)
    friday_noon = datetime(2026, 11, 20, 11, 0, tzinfo=SHANGHAI)

    # 1 h before lunch, the 2-hour break does not count, 1 h after it.
    assert rules.add_business_hours(friday_noon, 2, cal) == datetime(
        2026, 11, 20, 15, 0, tzinfo=SHANGHAI
    )
    # The depot works weekends: Saturday counts.
    friday_evening = datetime(2026, 11, 20, 19, 0, tzinfo=SHANGHAI)
    assert rules.add_business_hours(friday_evening, 2, cal) == datetime(
        2026, 11, 21, 9, 0, tzinfo=SHANGHAI
    )


def test_a_centers_own_closed_day(db):
    office = BusinessCalendar.objects.create(
        code="office",
        name="办公",
        weekly_hours={d: [["09:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    CalendarOverride.objects.create(
        calendar=office, date=date(2026, 11, 23), is_working_day=False, name="盘点"
    )

    cal = working_calendar(office)
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)

    assert rules.next_opening(monday, cal) == datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
    assert rules.is_official_working_day(date(2026, 11, 23), cal)  # the state calendar is unchanged
