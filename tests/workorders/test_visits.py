"""An on-site job left unfinished books its next visit from where it stopped (diagnosing,
awaiting parts, repairing): each visit with its own window, departure, arrival and reason, the
job carrying the current one; each departure tells the customer once."""

from datetime import datetime

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.notifications.models import Message
from aftersales.workorders.models import Part, Visit, WorkOrder
from tests.factories import make_technician
from tests.workorders.conftest import act, ok

SHANGHAI = timezone.get_fixed_timezone(8 * 60)
# The job is opened on Tuesday 17 November 2026 at 16:00 (a plain week).
pytestmark = pytest.mark.clock("2026-11-17T16:00:00+08:00")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 (the 18th is a plain Wednesday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def local(moment: str) -> str:
    """An API moment as the desk reads it: "11-20 14:00" (Beijing time)."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return parsed.astimezone(SHANGHAI).strftime("%m-%d %H:%M")


def window(day: int, hour: int) -> dict[str, str]:
    return {"start": at(day, hour).isoformat(), "end": at(day, hour + 2).isoformat()}


@pytest.fixture
def visited(api_as, center, bought, open_job):  # type: ignore[no-untyped-def]
    """An on-site job (a free repair) booked for the 18th at 9:00, visited and diagnosed, and
    left unfinished for want of a part; (the desk's client, the technician's, the number)."""
    make_technician("li", center)
    desk = api_as("admin", "boss")
    unit = bought(40)
    Part.objects.create(model=unit.model, code="IC-01", name="电源管理芯片", price="50.00")
    _ticket, wo = open_job(desk, unit, mode="on_site", technician="li")
    ok(desk, wo, "schedule", **window(18, 9))
    li = api_as("technician", "li")
    with time_machine.travel(at(18, 8, 40), tick=False):
        ok(li, wo, "depart")
    with time_machine.travel(at(18, 9, 5), tick=False):
        ok(li, wo, "arrive")
        ok(li, wo, "start_diagnosis")
        ok(li, wo, "diagnose", findings="主板电源管理芯片损坏", fault_code="BOARD")
    with time_machine.travel(at(18, 9, 40), tick=False):
        ok(li, wo, "visit_incomplete", reason="parts_missing", note="需订芯片")
    return desk, li, wo


def test_a_second_visit_is_booked_from_diagnosing_and_logged_with_its_own_times(visited):
    desk, li, wo = visited

    # The dispatcher books the next visit: no reason needed, the job stays diagnosing
    with time_machine.travel(at(18, 17), tick=False):
        booked = ok(desk, wo, "schedule", **window(20, 14))
    assert booked["status"] == "diagnosing"
    assert local(booked["appointment"]["start"]) == "11-20 14:00"
    assert (booked["departed_at"], booked["arrived_at"], booked["visit_incomplete"]) == (
        None,
        None,
        None,
    )

    # The technician sets off and arrives for it: arriving first is refused
    with time_machine.travel(at(20, 13, 30), tick=False):
        assert act(li, wo, "arrive").json()["error"]["code"] == "not_departed"
        ok(li, wo, "depart")
    with time_machine.travel(at(20, 14, 10), tick=False):
        job = ok(li, wo, "arrive")

    assert job["status"] == "diagnosing"
    visits = [
        (v["number"], local(v["start"]), local(v["departed_at"]), local(v["arrived_at"]))
        for v in job["visits"]
    ]
    assert visits == [
        (1, "11-18 09:00", "11-18 08:40", "11-18 09:05"),
        (2, "11-20 14:00", "11-20 13:30", "11-20 14:10"),
    ]
    assert [v["visit_incomplete"] for v in job["visits"]] == ["parts_missing", None]
    logged = Event.objects.filter(
        object_id=WorkOrder.objects.get(number=wo).pk,
        content_type=ContentType.objects.get_for_model(WorkOrder),
        action__in=("schedule", "depart", "arrive"),
    ).order_by("at", "id")
    assert [(e.action, e.data.get("visit")) for e in logged] == [
        ("schedule", 1),
        ("depart", 1),
        ("arrive", 1),
        ("schedule", 2),
        ("depart", 2),
        ("arrive", 2),
    ]
    # each visit told the customer the technician was on the way, once
    assert Message.objects.filter(template_code="technician_on_the_way").count() == 2
    # the second booking was a new appointment, not a move of the first one
    assert Message.objects.filter(template_code="appointment_agreed").count() == 2


@pytest.mark.parametrize("left_while", ["awaiting_parts", "repairing"])
def test_a_job_awaiting_parts_or_repairing_books_its_next_visit_and_keeps_its_status(
    visited, left_while
):
    desk, li, wo = visited
    with time_machine.travel(at(18, 17), tick=False):
        if left_while == "awaiting_parts":
            parts = [{"code": "IC-01", "qty": 1}]
            ok(desk, wo, "wait_parts", parts=parts, expected_date="2026-11-20")
        else:
            ok(desk, wo, "start_repair")
        assert ok(desk, wo, "schedule", **window(20, 14))["status"] == left_while
    with time_machine.travel(at(20, 13, 30), tick=False):
        assert ok(li, wo, "depart")["status"] == left_while
    with time_machine.travel(at(20, 14, 10), tick=False):
        assert ok(li, wo, "arrive")["status"] == left_while
    assert Visit.objects.filter(work_order__number=wo).count() == 2


def test_moving_the_next_visits_window_needs_its_reason_and_keeps_the_visit(visited):
    desk, _li, wo = visited
    with time_machine.travel(at(18, 17), tick=False):
        ok(desk, wo, "schedule", **window(20, 14))

        refused = act(desk, wo, "schedule", **window(21, 9))
        moved = ok(desk, wo, "schedule", **window(21, 9), reason="customer_request")

    assert refused.status_code == 422
    assert [local(v["start"]) for v in moved["visits"]] == ["11-18 09:00", "11-21 09:00"]
    assert moved["reschedules"][-1]["reason"] == "customer_request"


def test_on_my_way_after_a_visit_that_took_place_begins_the_next_one_unbooked(visited):
    _desk, li, wo = visited
    with time_machine.travel(at(18, 15), tick=False):  # back the same day with the part
        job = ok(li, wo, "depart")

    assert [(v["number"], v["start"] is None) for v in job["visits"]] == [(1, False), (2, True)]
    assert job["appointment"] is None and job["departed_at"] is not None


def test_the_repair_days_count_from_the_first_visits_arrival(visited):
    desk, li, wo = visited
    with time_machine.travel(at(18, 17), tick=False):
        ok(desk, wo, "schedule", **window(20, 14))
    with time_machine.travel(at(20, 13, 30), tick=False):
        ok(li, wo, "depart")
    with time_machine.travel(at(20, 14, 10), tick=False):
        ok(li, wo, "arrive")
        ok(li, wo, "start_repair")
        ok(li, wo, "complete_repair", actions_taken="更换芯片")
        job = ok(li, wo, "qc_pass", checks=["开机"])

    assert job["repair_days"] == 3  # from the 18th 9:05, not from the 20th
    assert WorkOrder.objects.get(number=wo).arrived_at == at(20, 14, 10)
