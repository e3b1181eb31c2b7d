"""Each rule that puts a call on the list, with its due time in the owning center's working hours:
across the lunch break, the weekend and a holiday (CONTRACT.md "Follow-ups")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from aftersales.core.models import BusinessCalendar, CalendarOverride
from aftersales.followups.models import FollowUp
from tests.workorders.conftest import ok, to_diagnosing

TZ = ZoneInfo("Asia/Shanghai")
HOURS = [["09:00", "12:00"], ["13:30", "18:00"]]  # a lunch break


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


WEDNESDAY, THURSDAY, FRIDAY, MONDAY = (date(2026, 12, d) for d in (2, 3, 4, 7))

# The week above, an ordinary one: the people and their tokens are made the day before.
pytestmark = pytest.mark.clock("2026-12-01T08:00:00+08:00")


@pytest.fixture(autouse=True)
def lunch_break_week(center):  # type: ignore[no-untyped-def]
    center.calendar = BusinessCalendar.objects.create(
        code="lunch",
        name="午休",
        weekly_hours={d: HOURS for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    center.save()


def due_of(kind: str) -> datetime:
    return FollowUp.objects.get(kind=kind, status="open").due_at.astimezone(TZ)


def test_a_consultation_answered_before_lunch_is_called_back_two_working_hours_later(api_as):
    hotline = api_as("hotline")
    with time_machine.travel(at(WEDNESDAY, "11:00"), tick=False):
        ticket = hotline.post(
            "/tickets",
            {
                "kind": "consultation",
                "channel": "hotline",
                "customer": {"name": "李娜", "phone": "13900139000"},
                "summary": "怎么设置省电模式",
            },
        )
        assert ticket.status_code == 201, ticket.json()
        number = ticket.json()["number"]
        hotline.post(
            f"/tickets/{number}/actions", {"action": "resolve", "resolution": "remote_guidance"}
        )
    assert due_of("consultation_callback") == at(WEDNESDAY, "14:30")


@pytest.mark.parametrize(
    ("result", "finished", "due"),
    [
        ("uncertain", at(FRIDAY, "16:30"), at(MONDAY, "10:30")),  # 1.5 h Friday, 1.5 h Monday
        ("untested", at(FRIDAY, "17:00"), at(MONDAY, "10:00")),
        ("uncertain", at(WEDNESDAY, "10:00"), at(WEDNESDAY, "14:30")),  # 2 h, lunch, 1 h
    ],
)
def test_an_uncertain_or_untested_repair_is_called_back_in_working_hours(
    api_as, bought, open_job, result, finished, due
):
    desk = api_as("front_desk", "desk")
    with time_machine.travel(finished, tick=False):
        _ticket, wo = open_job(desk, bought(100))
        to_diagnosing(desk, wo)
        ok(desk, wo, "start_repair")
        ok(desk, wo, "complete_repair", actions_taken="重新焊接尾插", result=result)
    assert due_of("repair_callback") == due


def test_the_satisfaction_survey_skips_a_holiday_to_the_next_working_days_opening(
    api_as, bought, open_job
):
    CalendarOverride.objects.create(date=THURSDAY, is_working_day=False, name="检修停业")
    desk = api_as("front_desk", "desk")
    with time_machine.travel(at(WEDNESDAY, "15:00"), tick=False):
        _ticket, wo = open_job(desk, bought(100))
        to_diagnosing(desk, wo)
        ok(desk, wo, "start_repair")
        ok(desk, wo, "complete_repair", actions_taken="更换电池")
        ok(desk, wo, "qc_pass", checks=["开机", "充电"])
        ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户口头确认")
    assert due_of("satisfaction_survey") == at(FRIDAY, "09:00")
