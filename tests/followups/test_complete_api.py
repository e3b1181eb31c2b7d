"""Recording a follow-up call: reached or not, satisfied or not — and "until satisfied": an
unhappy customer reopens the request and gets a revisit job for dispatch."""

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aftersales.core.models import Event
from aftersales.core.rules import is_working_time
from aftersales.dispatch.selectors import calendar_of
from aftersales.tickets.models import Ticket
from tests.workorders.conftest import ok, to_ready_paid


def handed_over(api_as, bought, open_job):  # type: ignore[no-untyped-def]
    """A paid carry-in repair handed over today; its satisfaction survey is open."""
    desk = api_as("front_desk", "desk")
    ticket, wo = open_job(desk, bought(400))
    to_ready_paid(desk, wo)
    ok(
        desk,
        wo,
        "hand_over",
        rating=5,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
    )
    return ticket, wo


def survey_of(client, ticket):  # type: ignore[no-untyped-def]
    found = client.get("/followups", ticket=ticket, kind="satisfaction_survey", status="open")
    return found.json()["items"][0]


def test_a_satisfied_customer_closes_the_call_with_the_score(api_as, bought, open_job):
    ticket, _wo = handed_over(api_as, bought, open_job)
    hotline = api_as("hotline")
    call = survey_of(hotline, ticket)
    answer = hotline.post(
        f"/followups/{call['id']}/complete",
        {"reached": True, "satisfied": True, "score": 5, "note": "很满意"},
    )
    assert answer.status_code == 200
    done = answer.json()
    assert (done["status"], done["outcome"], done["score"], done["attempts"]) == (
        "done",
        "satisfied",
        5,
        1,
    )
    assert Ticket.objects.get(number=ticket).status == "resolved"


def test_an_unhappy_customer_reopens_the_request_and_gets_a_revisit_for_dispatch(
    api_as, bought, open_job
):
    ticket, wo = handed_over(api_as, bought, open_job)
    hotline = api_as("hotline")
    call = survey_of(hotline, ticket)
    answer = hotline.post(
        f"/followups/{call['id']}/complete",
        {"reached": True, "satisfied": False, "score": 2, "note": "屏幕又出现竖线"},
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["outcome"] == "dissatisfied"
    request = hotline.get(f"/tickets/{ticket}").json()
    assert request["status"] == "reopened"
    jobs = request["work_orders"]
    assert [j["number"] for j in jobs][0] == wo and len(jobs) == 2
    revisit = hotline.get(f"/work-orders/{jobs[1]['number']}").json()
    assert (revisit["mode"], revisit["status"], revisit["technician"]) == (
        "carry_in",
        "created",
        None,
    )
    assert revisit["repeat_repair"] is True and revisit["repeat_of"] == wo  # free of charge
    created = Event.objects.get(action="created", data__work_order=revisit["number"])
    assert created.data["revisit_of"] == wo


def test_an_unanswered_call_is_done_and_the_next_try_is_put_on_the_list(api_as, bought, open_job):
    ticket, _wo = handed_over(api_as, bought, open_job)
    hotline = api_as("hotline")
    call = survey_of(hotline, ticket)
    answer = hotline.post(f"/followups/{call['id']}/complete", {"reached": False})
    assert (answer.json()["status"], answer.json()["outcome"]) == ("done", "not_reached")
    again = survey_of(hotline, ticket)
    assert again["id"] != call["id"] and again["attempts"] == 1
    due = parse_datetime(again["due_at"])
    assert due > timezone.now()
    center = Ticket.objects.get(number=ticket).center
    assert is_working_time(due, calendar_of(center))


def test_a_call_is_recorded_once(api_as, bought, open_job):
    ticket, _wo = handed_over(api_as, bought, open_job)
    hotline = api_as("hotline")
    call = survey_of(hotline, ticket)
    hotline.post(f"/followups/{call['id']}/complete", {"reached": True, "satisfied": True})
    twice = hotline.post(f"/followups/{call['id']}/complete", {"reached": True, "satisfied": True})
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "invalid_transition")


def test_bad_answers_are_refused_naming_the_field_and_change_nothing(api_as, bought, open_job):
    ticket, _wo = handed_over(api_as, bought, open_job)
    hotline = api_as("hotline")
    call = survey_of(hotline, ticket)
    for body, field in (
        ({}, "reached"),
        ({"reached": True, "score": 7}, "score"),
        ({"reached": "yes"}, "reached"),
        ({"reached": False, "satisfied": True}, "reached"),
    ):
        answer = hotline.post(f"/followups/{call['id']}/complete", body)
        assert answer.status_code == 422 and field in answer.json()["error"]["details"], body
    assert survey_of(hotline, ticket)["id"] == call["id"]


def test_roles_that_do_not_work_follow_ups_are_refused(api_as, bought, open_job):
    ticket, _wo = handed_over(api_as, bought, open_job)
    call = survey_of(api_as("hotline"), ticket)
    for role in ("technician", "archive", "dispatcher"):
        answer = api_as(role).post(f"/followups/{call['id']}/complete", {"reached": True})
        assert answer.status_code in (403, 404), role  # a technician does not even see it
    assert (
        api_as("finance").post("/followups/999999/complete", {"reached": True}).status_code == 404
    )
