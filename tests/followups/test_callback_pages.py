"""The callback console: the agent's due calls with the words to say and the outcome buttons."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.followups.models import FollowUp
from aftersales.followups.services import followup_schedule
from aftersales.tickets.models import Ticket
from aftersales.workorders import services as wo_services
from aftersales.workorders.models import WorkOrder
from tests.factories import CustomerFactory, make_staff, repair_request
from tests.queries import statements


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("xiaoyan", "hotline", center)


@pytest.fixture
def call(agent):  # type: ignore[no-untyped-def]
    """`call(kind, due_in)` → an open follow-up on a fresh request (and, for a survey, a job)."""

    def make(kind: str = "satisfaction_survey", due_in: timedelta = timedelta(minutes=-30)):  # type: ignore[no-untyped-def]
        ticket = repair_request(agent, CustomerFactory(name="陈静"))
        job = None
        if kind == "satisfaction_survey":
            job = wo_services.work_order_create(ticket=ticket, by=agent, mode="carry_in")
            WorkOrder.objects.filter(pk=job.pk).update(
                status="completed", outcome="repaired", handed_over_at=timezone.now()
            )
        return followup_schedule(
            ticket=ticket,
            kind=kind,
            due_at=timezone.now() + due_in,
            owner=agent,
            work_order=job,
        )

    return make


def test_due_calls_are_listed_overdue_first_with_the_words_to_say(client, agent, call):
    later = call("repair_callback", timedelta(minutes=30))
    overdue = call("satisfaction_survey", timedelta(hours=-3))
    tomorrow = call("consultation_callback", timedelta(days=1))
    client.force_login(agent)

    page = client.get("/callbacks/").content.decode()

    assert page.index(f'data-followup="{overdue.pk}"') < page.index(f'data-followup="{later.pk}"')
    assert f'data-followup="{tomorrow.pk}"' not in page
    assert "陈静" in page and overdue.ticket.number in page
    assert 'href="tel:' in page


def test_a_satisfied_customer_takes_the_call_off_the_list(client, agent, call):
    survey = call()
    client.force_login(agent)

    answer = client.post(
        f"/callbacks/{survey.pk}/record/",
        {
            f"c{survey.pk}-reached": "yes",
            f"c{survey.pk}-satisfied": "yes",
            f"c{survey.pk}-score": "5",
        },
    )

    assert answer.status_code == 302
    survey.refresh_from_db()
    assert (survey.status, survey.outcome, survey.score) == ("done", "satisfied", 5)
    assert f'data-followup="{survey.pk}"' not in client.get("/callbacks/").content.decode()


def test_an_unhappy_customer_reopens_the_request_with_a_revisit(client, agent, call):
    survey = call()
    client.force_login(agent)

    client.post(
        f"/callbacks/{survey.pk}/record/",
        {
            f"c{survey.pk}-reached": "yes",
            f"c{survey.pk}-satisfied": "no",
            f"c{survey.pk}-score": "2",
        },
    )

    assert Ticket.objects.get(pk=survey.ticket_id).status == "reopened"
    assert WorkOrder.objects.filter(ticket_id=survey.ticket_id, status="created").count() == 1


def test_an_unreached_customer_gets_another_try_and_the_answers_left_on_the_form_are_ignored(
    client, agent, call
):
    survey = call()
    client.force_login(agent)

    client.post(
        f"/callbacks/{survey.pk}/record/",
        {f"c{survey.pk}-reached": "no", f"c{survey.pk}-satisfied": "yes"},
    )

    tries = FollowUp.objects.filter(ticket_id=survey.ticket_id).order_by("id")
    assert [(t.status, t.outcome) for t in tries] == [("done", "not_reached"), ("open", "")]


def test_saying_nothing_about_reaching_the_customer_is_refused_on_the_form(client, agent, call):
    survey = call()
    client.force_login(agent)

    answer = client.post(f"/callbacks/{survey.pk}/record/", {f"c{survey.pk}-note": "占线"})

    assert answer.status_code == 422
    assert "占线" in answer.content.decode()
    assert FollowUp.objects.get(pk=survey.pk).status == "open"


@pytest.mark.parametrize("role", ["technician", "dispatcher", "finance"])
def test_roles_that_make_no_calls_get_403(client, center, role):
    client.force_login(make_staff(f"{role}-x", role, center))
    assert client.get("/callbacks/").status_code == 403


def test_a_long_list_of_calls_costs_what_a_short_one_does(client, agent, call):
    """Each call's script names its customer, center and model: read with the list, not once
    per call (issue 17: reads at a million rows)."""

    client.force_login(agent)
    for kind in ("satisfaction_survey", "repair_callback"):
        call(kind)
    few, _page = statements(client.get, "/callbacks/")
    for i in range(10):
        call(("satisfaction_survey", "repair_callback", "consultation_callback")[i % 3])

    assert statements(client.get, "/callbacks/")[0] == few
