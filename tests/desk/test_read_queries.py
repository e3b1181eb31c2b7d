"""Reading service requests costs the same few statements however long the page, and however
many jobs, events and compensations a request has: the API's list (each filter and each way of
searching), a request through the API, and the request page (issue 17: reads at a million
requests)."""

import pytest

from aftersales.complaints.models import Compensation
from aftersales.desk.services import request_act, request_create
from aftersales.tickets.services import ticket_act
from aftersales.workorders.services import work_order_create
from tests.factories import CustomerFactory, UnitFactory, make_staff, make_technician
from tests.queries import statements


@pytest.fixture
def hotline(db, center):  # type: ignore[no-untyped-def]
    return make_staff("hl", "hotline", center)


@pytest.fixture
def techs(db, center):  # type: ignore[no-untyped-def]
    return [make_technician(f"tech{i}", center) for i in range(4)]


def a_repair(by, unit, *, jobs=(), notes: int = 0):  # type: ignore[no-untyped-def]
    """A repair of `unit` with a job for each technician in `jobs`, and `notes` notes."""
    ticket = request_create(
        by=by,
        kind="repair",
        channel="hotline",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="手机不开机",
    )
    for technician in jobs:
        work_order_create(ticket=ticket, by=by, mode="on_site", technician=technician.username)
        ticket.refresh_from_db()  # the first job started it
    for i in range(notes):
        ticket = ticket_act(ticket=ticket, by=by, action="note", note=f"回访{i}")
    return ticket


def a_complaint(by, unit, *, about=None, offers: int = 0, handler=None):  # type: ignore[no-untyped-def]
    """A complaint about `unit` naming the hotline agent (and `about` a request), stepped to
    "proposed" with `offers` gifts by `handler` when asked."""
    ticket = request_create(
        by=by,
        kind="complaint",
        channel="hotline",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="维修太慢",
        center="gz",
        staff=[by.username],
        about=about.number if about else None,
    )
    if offers:
        handler = handler or make_staff(f"handler-{ticket.pk}", "complaints")
        for action, fields in (
            ("acknowledge", {"note": "致歉"}),
            ("investigate", {"findings": "备件延误", "responsibility": "ours"}),
            (
                "propose",
                {
                    "plan": "赠品",
                    "compensation": [{"kind": "gift", "value": f"贴膜{i}"} for i in range(offers)],
                },
            ),
        ):
            ticket = request_act(ticket=ticket, by=handler, action=action, fields=fields)
        # As if a manager had approved them (the answer names who did).
        manager = make_staff(f"manager-{ticket.pk}", "branch_manager", ticket.center)
        Compensation.objects.filter(complaint__ticket=ticket).update(approved_by=manager)
    return ticket


def test_a_page_of_fifty_requests_costs_what_a_page_of_five_does(hotline, techs, center, api_as):  # type: ignore[no-untyped-def]
    # One customer "王伟" and their phone: every search by name, phone or serial finds them all.
    unit = UnitFactory(customer=CustomerFactory(name="王伟", phone="+8613800138000"))
    handler = make_staff("handler", "complaints")
    first = a_repair(hotline, unit)
    # Any five requests in a row have every kind of row: jobs with technicians, complaints with
    # compensations and staff concerned, requests that have neither.
    for _ in range(11):
        a_repair(hotline, unit, jobs=techs[:2])
        a_repair(hotline, unit, jobs=techs[:1])
        a_repair(hotline, unit)
        a_complaint(hotline, unit, about=first, offers=2, handler=handler)
        a_complaint(hotline, unit)
    agent = api_as("hotline", "hl2")

    for filters in (
        {},
        {"status": "new"},
        {"kind": "repair"},
        {"owner": hotline.username},
        {"center": center.code},
        {"escalated": "false"},
        {"q": "王伟"},
        {"q": "138 0013 8000"},
        {"q": unit.serial},
    ):
        five, _answer = statements(agent.get, "/tickets", limit=5, **filters)
        fifty, answer = statements(agent.get, "/tickets", limit=50, **filters)

        assert len(answer.json()["items"]) >= 11, filters
        assert fifty == five, filters

    by_number, found = statements(agent.get, "/tickets", q=first.number.lower())
    assert [t["number"] for t in found.json()["items"]] == [first.number]
    assert by_number <= five


def test_a_request_costs_the_same_however_many_jobs_events_and_compensations(
    hotline, techs, api_as
):  # type: ignore[no-untyped-def]
    unit = UnitFactory()
    small = a_repair(hotline, unit, jobs=techs[:1], notes=1)
    large = a_repair(hotline, unit, jobs=techs, notes=6)
    agent = api_as("hotline", "hl2")

    one, _answer = statements(agent.get, f"/tickets/{small.number}")
    many, answer = statements(agent.get, f"/tickets/{large.number}")

    assert [j["technician"] for j in answer.json()["work_orders"]] == [t.username for t in techs]
    assert many == one

    few = a_complaint(hotline, unit, offers=1)
    more = a_complaint(hotline, unit, offers=4)
    one, _answer = statements(agent.get, f"/tickets/{few.number}")
    four, answer = statements(agent.get, f"/tickets/{more.number}")

    assert len(answer.json()["compensations"]) == 4
    assert four == one


def test_the_request_page_costs_the_same_however_many_jobs_events_and_compensations(
    hotline, techs, client
):  # type: ignore[no-untyped-def]
    unit = UnitFactory()
    small = a_repair(hotline, unit, jobs=techs[:1], notes=1)
    large = a_repair(hotline, unit, jobs=techs, notes=6)
    client.force_login(hotline)

    one, _page = statements(client.get, f"/requests/{small.number}/")
    many, page = statements(client.get, f"/requests/{large.number}/")

    assert page.content.decode().count('class="mono" href="/work-orders/WO') == len(techs)
    assert many == one

    few = a_complaint(hotline, unit, about=small, offers=1)
    more = a_complaint(hotline, unit, about=small, offers=4)
    one, _page = statements(client.get, f"/requests/{few.number}/")
    four, page = statements(client.get, f"/requests/{more.number}/")

    assert "贴膜3" in page.content.decode()
    assert four == one
