"""The reports' arithmetic: rounding half up, `None` for an empty population, money strings, and
the period asked for (reports.rules)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from aftersales.reports import rules

TZ = ZoneInfo("Asia/Shanghai")


def test_a_rate_has_four_places_rounded_half_up_and_none_without_a_population():
    assert rules.rate(1, 3) == 0.3333
    assert rules.rate(2, 3) == 0.6667
    assert rules.rate(1, 8) == 0.125
    assert rules.rate(1, 16) == 0.0625
    assert rules.rate(1, 32) == 0.0313  # 0.03125, half up
    assert rules.rate(0, 5) == 0.0
    assert rules.rate(5, 5) == 1.0
    assert rules.rate(0, 0) is None
    assert rules.rate(None, None) is None


def test_a_mean_has_its_places_and_none_without_a_count():
    assert rules.mean(23, 6, 2) == 3.83
    assert rules.mean(8, 3, 2) == 2.67
    assert rules.mean(9, 8, 2) == 1.13  # 1.125, half up
    assert rules.mean(0, 0, 2) is None


def test_hours_have_one_place():
    assert rules.hours(timedelta(hours=197, minutes=35)) == 197.6
    assert rules.hours(timedelta(minutes=3)) == 0.1  # 0.05, half up
    assert rules.hours(None) is None


def test_money_is_a_string_with_two_places():
    assert rules.money(None) == "0.00"
    assert rules.money(Decimal("840")) == "840.00"
    assert rules.money(20.0) == "20.00"
    assert rules.money(Decimal("0.005")) == "0.01"


def test_the_default_period_is_the_first_of_the_month_to_today_as_whole_local_days():
    period = rules.period(None, None, date(2026, 12, 15), TZ)
    assert (period.first, period.last) == (date(2026, 12, 1), date(2026, 12, 15))
    assert period.start == datetime(2026, 12, 1, tzinfo=TZ)
    assert period.end == datetime(2026, 12, 16, tzinfo=TZ)


def test_a_period_ends_after_it_starts_and_spans_less_than_366_days():
    assert rules.period_refusal(date(2026, 12, 2), date(2026, 12, 1)) == "before"
    assert rules.period_refusal(date(2026, 12, 1), date(2026, 12, 1)) is None
    assert rules.period_refusal(date(2025, 12, 1), date(2026, 12, 1)) is None  # 365 days apart
    assert rules.period_refusal(date(2025, 12, 1), date(2026, 12, 2)) == "too_long"


def test_only_the_reading_roles_read_and_only_some_see_every_center():
    assert all(rules.sees_every_center(r) for r in ("admin", "finance", "archive", "tech_center"))
    assert rules.may_read("branch_manager") and not rules.sees_every_center("branch_manager")
    assert not any(rules.may_read(r) for r in ("hotline", "technician", "front_desk", None))
