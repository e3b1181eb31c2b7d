"""SLA clocks on the owning center's calendar: weekends, statutory holidays, adjusted working days."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from aftersales.core.selectors import working_calendar
from aftersales.tickets import rules
from aftersales.tickets.models import SlaPolicy
from aftersales.tickets.selectors import sla_policy_for

SH = ZoneInfo("Asia/Shanghai")
TWO_HOURS = rules.Clock(Decimal(2), "business_hours")
THREE_DAYS = rules.Clock(Decimal(3), "business_days")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_friday_afternoon_respond_clock_runs_into_monday(db):
    office = working_calendar(None)  # Mon–Fri 09:00–12:00, 13:30–18:00

    assert rules.due_at(at(2026, 11, 20, 17, 0), TWO_HOURS, office) == at(2026, 11, 23, 10, 0)


def test_the_national_day_holiday_stops_the_clock_and_the_adjusted_saturday_runs_it(db):
    office = working_calendar(None)

    # Wed 09-30 17:00: one hour that day, then the holiday 10-01..10-07, then Thu 10-08 09:00–10:00.
    assert rules.due_at(at(2026, 9, 30, 17, 0), TWO_HOURS, office) == at(2026, 10, 8, 10, 0)
    # Fri 10-09 17:00: the 调休 Saturday 10-10 is a working day.
    assert rules.due_at(at(2026, 10, 9, 17, 0), TWO_HOURS, office) == at(2026, 10, 10, 10, 0)


def test_three_business_days_skip_the_weekend(db):
    office = working_calendar(None)

    assert rules.due_at(at(2026, 11, 19, 10, 0), THREE_DAYS, office) == at(2026, 11, 24, 10, 0)


def test_clock_hours_ignore_the_calendar(db):
    office = working_calendar(None)

    assert rules.due_at(at(2026, 11, 21, 22, 0), rules.Clock(Decimal(24), "hours"), office) == at(
        2026, 11, 22, 22, 0
    )


def test_breaches_count_late_answers_and_overdue_open_clocks():
    due = at(2026, 11, 23, 10, 0)

    assert not rules.is_breached(due, at(2026, 11, 23, 9, 0), now=at(2026, 11, 23, 12, 0))
    assert rules.is_breached(due, at(2026, 11, 23, 11, 0), now=at(2026, 11, 23, 12, 0))
    assert rules.is_breached(due, None, now=at(2026, 11, 23, 12, 0))
    assert not rules.is_breached(due, None, now=at(2026, 11, 23, 9, 0))


def test_the_most_specific_sla_policy_wins(db):
    assert sla_policy_for("consultation", "web", "normal").respond_unit == "hours"
    assert sla_policy_for("consultation", "hotline", "normal").respond_amount == Decimal(2)
    assert sla_policy_for("repair", "hotline", "urgent").respond_amount == Decimal(1)
    SlaPolicy.objects.create(
        kind="repair",
        channel="hotline",
        priority="normal",
        respond_amount=Decimal("0.5"),
        resolve_amount=Decimal(2),
    )
    assert sla_policy_for("repair", "hotline", "normal").respond_amount == Decimal("0.5")


def clocks(status: str = "new", **times: datetime | None) -> SimpleNamespace:
    """A request's SLA facts, as the rules read them."""
    fields = {"respond_by": None, "responded_at": None, "resolve_by": None, "resolved_at": None}
    return SimpleNamespace(status=status, **{**fields, **times})


def test_the_pending_due_time_is_the_response_until_answered_then_the_resolution():
    respond, resolve = at(2026, 11, 23, 11, 0), at(2026, 11, 27, 18, 0)

    assert rules.pending_due(clocks(respond_by=respond, resolve_by=resolve)) == respond
    answered = clocks("in_progress", respond_by=respond, resolve_by=resolve, responded_at=respond)
    assert rules.pending_due(answered) == resolve
    # A policy that promises the resolution first: the earlier promise is the one pending.
    assert rules.pending_due(clocks(respond_by=resolve, resolve_by=respond)) == respond


def test_requests_that_are_not_open_owe_nothing():
    respond, resolve = at(2026, 11, 23, 11, 0), at(2026, 11, 27, 18, 0)

    for status in ("resolved", "closed", "cancelled"):
        assert rules.pending_due(clocks(status, respond_by=respond, resolve_by=resolve)) is None
        assert rules.sla_due(clocks(status, respond_by=respond), now=respond).state == "done"


def test_the_sla_column_says_which_promise_and_how_close():
    respond, resolve = at(2026, 11, 23, 11, 0), at(2026, 11, 27, 18, 0)
    new = clocks(respond_by=respond, resolve_by=resolve)

    assert rules.sla_due(new, now=at(2026, 11, 23, 8, 0)) == rules.SlaDue(respond, "respond", "ok")
    assert rules.sla_due(new, now=at(2026, 11, 23, 9, 30)).state == "soon"  # within 2 hours
    assert rules.sla_due(new, now=at(2026, 11, 23, 11, 1)).state == "breached"
    late_answer = clocks(
        "in_progress", respond_by=respond, resolve_by=resolve, responded_at=at(2026, 11, 23, 12)
    )
    assert rules.sla_due(late_answer, now=at(2026, 11, 24, 9, 0)) == rules.SlaDue(
        resolve, "resolve", "breached"
    )  # answered late: stays red
