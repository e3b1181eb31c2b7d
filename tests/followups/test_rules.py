"""When to call again after an unanswered follow-up call: within the owning center's hours."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aftersales.core.rules import WorkingCalendar, parse_day_hours, standard_week
from aftersales.followups import rules

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = date(2026, 11, 27)
WEEK = WorkingCalendar(
    tz=TZ, weekly=standard_week(parse_day_hours([["09:00", "12:00"], ["13:30", "18:00"]]))
)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def test_an_unanswered_call_is_tried_again_two_working_hours_later_across_lunch():
    assert rules.next_try("repair_callback", [at(FRIDAY, "11:00")], WEEK) == at(FRIDAY, "14:30")


def test_after_three_unanswered_tries_the_next_is_the_next_working_days_opening():
    tries = [at(FRIDAY, "09:00"), at(FRIDAY, "11:00"), at(FRIDAY, "14:30")]
    assert rules.next_try("satisfaction_survey", tries, WEEK) == at(date(2026, 11, 30), "09:00")


def test_a_late_afternoon_try_rolls_to_monday_morning_not_saturday():
    assert rules.next_try("consultation_callback", [at(FRIDAY, "17:00")], WEEK) == at(
        date(2026, 11, 30), "10:00"
    )


def test_pickup_reminders_keep_their_own_ladder():
    first = at(FRIDAY, "10:00")
    assert rules.next_try("pickup_reminder", [first], WEEK) == at(FRIDAY, "13:30")


def test_who_records_which_call():
    assert rules.may_complete("hotline", "satisfaction_survey")
    assert rules.may_complete("archive", "verification_call")
    assert not rules.may_complete("archive", "satisfaction_survey")
    assert not rules.may_complete("technician", "repair_callback")
