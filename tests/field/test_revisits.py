"""A job left unfinished on site while diagnosing comes back on its next visit: the phone offers
to agree it, then only "on my way" and "arrived" for it, and lists the visits; the board draws
the second visit at its window and flags it late when nobody arrived."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from aftersales.workorders import services
from tests.clock import PLAIN_DAY
from tests.factories import make_staff, on_site_job
from tests.words import zh_html as zh

pytestmark = pytest.mark.clock(PLAIN_DAY)  # Wednesday 18 November 2026, 10:00


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


def steps_of(page: str) -> list[str]:
    return re.findall(r'data-step="(\w+)"', page)


@pytest.fixture
def dispatcher(db):  # type: ignore[no-untyped-def]
    return make_staff("diaodu", "dispatcher")


@pytest.fixture
def li(center):  # type: ignore[no-untyped-def]
    return make_staff("li", "technician", center)


@pytest.fixture
def unfinished(center, dispatcher, li):  # type: ignore[no-untyped-def]
    """An on-site job visited this morning, diagnosed and left for want of a part."""
    hotline = make_staff("hotline", "hotline", center)
    wo = on_site_job(hotline, technician=li, booked_at=at(18, 11), booked_by=dispatcher)
    with time_machine.travel(at(18, 10, 40), tick=False):
        services.work_order_act(work_order=wo, by=li, action="depart")
    with time_machine.travel(at(18, 11, 5), tick=False):
        for action in ("arrive", "start_diagnosis"):
            services.work_order_act(work_order=wo, by=li, action=action)
        services.work_order_act(work_order=wo, by=li, action="diagnose", findings="主板损坏")
        services.work_order_act(
            work_order=wo, by=li, action="visit_incomplete", reason="parts_missing"
        )
    return wo


def test_the_phone_offers_the_next_visit_then_only_its_way_there(
    client, li, dispatcher, unfinished
):
    wo = unfinished
    client.force_login(li)

    with time_machine.travel(at(18, 12), tick=False):
        page = client.get(f"/field/{wo.number}/").content.decode()
    assert zh("Agree the next visit") in page
    assert "start_repair" not in steps_of(page)  # not there: no work steps
    # agree the next visit, or set off again today (which begins it, unbooked)
    assert steps_of(page)[:2] == ["schedule", "depart"]

    with time_machine.travel(at(18, 17), tick=False):
        services.work_order_act(
            work_order=wo, by=dispatcher, action="schedule", start=at(19, 14), end=at(19, 16)
        )
        page = client.get(f"/field/{wo.number}/").content.decode()
    steps = steps_of(page)
    assert steps[0] == "depart" and "arrive" not in steps and "start_repair" not in steps
    assert zh("Visit %(n)s") % {"n": 2} in page  # the current visit is the second
    assert 'data-visit="1"' in page and zh("Parts missing (a new visit is needed)") in page

    with time_machine.travel(at(19, 13, 30), tick=False):
        client.force_login(li)  # a new working day, a new login on the phone
        assert client.post(f"/field/{wo.number}/act/", {"action": "depart"}).status_code == 302
        steps = steps_of(client.get(f"/field/{wo.number}/").content.decode())
    assert steps[0] == "arrive" and "start_repair" not in steps

    with time_machine.travel(at(19, 14, 5), tick=False):
        assert client.post(f"/field/{wo.number}/act/", {"action": "arrive"}).status_code == 302
        steps = steps_of(client.get(f"/field/{wo.number}/").content.decode())
    assert "start_repair" in steps and "depart" not in steps and "arrive" not in steps


def test_the_board_draws_the_second_visit_and_flags_it_late(client, dispatcher, unfinished):
    wo = unfinished
    with time_machine.travel(at(18, 17), tick=False):
        services.work_order_act(
            work_order=wo, by=dispatcher, action="schedule", start=at(19, 14), end=at(19, 16)
        )
    client.force_login(dispatcher)

    with time_machine.travel(at(19, 14, 30), tick=False):
        page = client.get("/dispatch/", {"day": "2026-11-19"}).content.decode()
        wo.refresh_from_db()
        assert wo.status == "diagnosing"

    block = re.search(rf'<a class="block[^"]*"[^>]*job={wo.number}.*?</a>', page, re.S)
    assert block is not None
    assert zh("Visit %(n)s") % {"n": 2} in block.group(0)
    assert zh("Late") in block.group(0)  # the window began, nobody arrived

    with time_machine.travel(at(19, 14, 40), tick=False):
        services.work_order_act(work_order=wo, by=wo.technician, action="depart")
        services.work_order_act(work_order=wo, by=wo.technician, action="arrive")
        page = client.get("/dispatch/", {"day": "2026-11-19"}).content.decode()
    block = re.search(rf'<a class="block[^"]*"[^>]*job={wo.number}.*?</a>', page, re.S)
    assert block is not None and zh("Late") not in block.group(0)
    assert timedelta(0) < wo.appointment_end - wo.appointment_start


def test_the_board_books_the_next_visit_without_a_reason(client, dispatcher, unfinished):
    wo = unfinished
    client.force_login(dispatcher)

    with time_machine.travel(at(18, 17), tick=False):
        panel = client.get(
            f"/dispatch/jobs/{wo.number}/window/", HTTP_HX_REQUEST="true"
        ).content.decode()
        form = {"start": "2026-11-19T14:00", "end": "2026-11-19T16:00", "reason": ""}
        answer = client.post(f"/dispatch/jobs/{wo.number}/schedule/", form)

    assert zh("Book the next visit") in panel
    assert zh("Required when the window changes.") not in panel
    assert answer.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.appointment_start) == ("diagnosing", at(19, 14))
    assert [v.number for v in wo.visits.all()] == [1, 2]


def test_the_job_page_lists_each_visit_with_its_own_times(client, center, unfinished):
    wo = unfinished
    client.force_login(make_staff("desk", "front_desk", center))

    page = client.get(f"/work-orders/{wo.number}/").content.decode()

    visits = re.search(r'<ol class="visits">.*?</ol>', page, re.S)
    assert visits is not None
    assert zh("Visit %(n)s") % {"n": 1} in visits.group(0)
    assert "11-18 10:40" in visits.group(0) and "11-18 11:05" in visits.group(0)
    assert zh("Parts missing (a new visit is needed)") in visits.group(0)
