"""The request's own record of the jobs done for it: a technician sees the requests of the jobs
they hold, for as long as they hold them, and the request's timeline shows its jobs' events."""

import pytest

from aftersales.tickets.models import TicketJob
from aftersales.workorders.models import WorkOrder
from tests.factories import UnitFactory


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


@pytest.fixture
def techs(api_as, center):  # type: ignore[no-untyped-def]
    """Two technicians of the center, each with their own API client: li and wang."""
    return api_as("technician", "li"), api_as("technician", "wang")


def open_request(desk, **job):  # type: ignore[no-untyped-def]
    """A repair request taken at the desk with a carry-in job opened on it: (request, job)."""
    unit = UnitFactory()
    ticket = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "不开机",
        },
    )
    assert ticket.status_code == 201, ticket.json()
    number = ticket.json()["number"]
    wo = desk.post(f"/tickets/{number}/work-orders", {"mode": "carry_in", **job})
    assert wo.status_code == 201, wo.json()
    return number, wo.json()["number"]


def act(client, wo, action, **payload):  # type: ignore[no-untyped-def]
    answer = client.post(f"/work-orders/{wo}/actions", {"action": action, **payload})
    assert answer.status_code == 200, (action, answer.json())
    return answer.json()


def listed(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [t["number"] for t in client.get("/tickets").json()["items"]]


def test_a_technician_sees_the_request_of_the_job_they_hold_and_no_other(desk, techs):
    li, wang = techs
    mine, _ = open_request(desk, technician="li")
    nobodys, _ = open_request(desk)

    assert li.get(f"/tickets/{mine}").status_code == 200
    assert listed(li) == [mine]
    assert li.get(f"/tickets/{nobodys}").status_code == 404
    assert wang.get(f"/tickets/{mine}").status_code == 404 and listed(wang) == []


def test_a_job_assigned_to_a_colleague_takes_its_request_with_it(desk, techs):
    li, wang = techs
    number, wo = open_request(desk)
    act(desk, wo, "assign", technician="li")
    assert li.get(f"/tickets/{number}").status_code == 200

    act(desk, wo, "assign", technician="wang", expected_technician="li")

    assert li.get(f"/tickets/{number}").status_code == 404 and listed(li) == []
    assert wang.get(f"/tickets/{number}").status_code == 200 and listed(wang) == [number]


def test_a_new_mode_dispatched_afresh_leaves_the_technician_without_the_request(desk, techs):
    li, _ = techs
    number, wo = open_request(desk, technician="li")

    act(desk, wo, "change_mode", mode="on_site", reason="客户要求上门")

    assert li.get(f"/tickets/{number}").status_code == 404
    assert TicketJob.objects.get(object_id=WorkOrder.objects.get(number=wo).pk).technician is None


def test_a_leavers_jobs_handed_over_take_their_requests_to_the_colleague(desk, techs, api_as):
    _, wang = techs
    number, _ = open_request(desk, technician="li")
    manager = api_as("branch_manager", "boss")

    moved = manager.post("/users/li/handover", {"to": "wang"})

    assert moved.status_code == 200 and moved.json()["work_orders"] == 1, moved.json()
    assert wang.get(f"/tickets/{number}").status_code == 200 and listed(wang) == [number]
    # The leaver's account is closed; the request's record no longer names them either.
    assert not TicketJob.objects.filter(technician__username="li").exists()


def test_the_request_timeline_shows_its_jobs_events_in_order_and_no_others(desk, techs):
    number, wo = open_request(desk)
    _, elsewhere = open_request(desk)
    act(desk, wo, "assign", technician="li")
    act(desk, elsewhere, "assign", technician="wang")

    events = desk.get(f"/tickets/{number}").json()["events"]

    assert [(e["action"], e["work_order"]) for e in events] == [
        ("created", None),  # the request's
        ("created", wo),  # its job's
        ("start", wo),  # the request's, started by its first job
        ("assign", wo),  # its job's
    ]
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
