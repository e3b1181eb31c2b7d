"""Customer satisfaction: the average survey score of the last 30 days, in the caller's scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.followups.models import FollowUp
from aftersales.followups.selectors import csat
from aftersales.tickets.models import Ticket
from tests.factories import CenterFactory, make_staff, repair_request


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("xiaoyan", "hotline", center)


@pytest.fixture
def answered(agent, center):  # type: ignore[no-untyped-def]
    """`answered(score, days_ago, center=…)` → a request whose survey was answered then."""

    def make(score, days_ago=1, at=center, kind="satisfaction_survey", status="done"):  # type: ignore[no-untyped-def]
        ticket = repair_request(agent)
        Ticket.objects.filter(pk=ticket.pk).update(center=at, status="resolved")
        when = timezone.now() - timedelta(days=days_ago)
        return FollowUp.objects.create(
            ticket=ticket,
            kind=kind,
            due_at=when,
            status=status,
            score=score,
            done_at=when if status == "done" else None,
        )

    return make


def test_the_average_and_count_of_scored_surveys_in_the_window(agent, answered):
    for score in (5, 4, 5, 2):
        answered(score)
    answered(1, days_ago=40)  # before the window
    answered(None)  # reached, no score given
    answered(1, kind="verification_call")  # not a survey
    answered(None, status="open")
    now = timezone.now()

    found = csat(agent, now - timedelta(days=30), now)

    assert (found.average, found.count) == (4.0, 4)


def test_a_branch_manager_sees_the_satisfaction_of_their_own_center(center, answered):
    other = CenterFactory(code="sz", name="深圳维修中心")
    answered(5)
    answered(1, at=other)
    boss = make_staff("wangjl", "branch_manager", center)
    now = timezone.now()

    found = csat(boss, now - timedelta(days=30), now)

    assert (found.average, found.count) == (5.0, 1)


def test_no_answers_is_no_average(agent):
    now = timezone.now()
    found = csat(agent, now - timedelta(days=30), now)
    assert (found.average, found.count) == (None, 0)


def test_the_callback_console_shows_the_last_30_days(client, agent, answered):
    answered(5)
    answered(4)
    answered(4)
    client.force_login(agent)

    page = client.get("/callbacks/").content.decode()

    assert "满意度（近30天）" in page and "4.3 / 5" in page and "3 份" in page
    assert "data-csat" in page


@pytest.fixture
def rated_at_hand_over(agent, center):  # type: ignore[no-untyped-def]
    """`rated_at_hand_over(rating, days_ago)` → a job handed over then with that rating (None:
    the customer declined to rate)."""
    from aftersales.workorders.models import WorkOrder

    def make(rating, days_ago=1, at=center):  # type: ignore[no-untyped-def]
        ticket = repair_request(agent)
        Ticket.objects.filter(pk=ticket.pk).update(center=at, status="resolved")
        return WorkOrder.objects.create(
            number=f"WO{WorkOrder.objects.count() + 1:010d}",
            ticket=ticket,
            mode="carry_in",
            status="completed",
            center=at,
            handed_over_at=timezone.now() - timedelta(days=days_ago),
            rating=rating,
        )

    return make


def test_every_score_counts_the_hand_over_ratings_and_the_surveys_by_phone_or_web(
    agent, answered, rated_at_hand_over
):
    rated_at_hand_over(5)
    rated_at_hand_over(2)
    rated_at_hand_over(None)  # declined: no score
    rated_at_hand_over(1, days_ago=40)  # before the window
    answered(4)  # a survey answered by phone or on the web
    now = timezone.now()

    found = csat(agent, now - timedelta(days=30), now)

    assert (found.average, found.count) == (11 / 3, 3)


def test_the_callback_console_counts_the_hand_over_ratings_before_any_survey(
    client, agent, rated_at_hand_over
):
    rated_at_hand_over(5)
    rated_at_hand_over(4)
    client.force_login(agent)

    page = client.get("/callbacks/").content.decode()

    assert "4.5 / 5" in page and "2 份" in page
