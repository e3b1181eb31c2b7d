"""The pure rules of a web rating: what counts as satisfied, when a request can be rated."""

import pytest

from aftersales.followups import rules


@pytest.mark.parametrize(("score", "satisfied"), [(1, False), (2, False), (3, True), (5, True)])
def test_three_and_up_is_satisfied(score, satisfied):  # type: ignore[no-untyped-def]
    assert rules.satisfied_by_score(score) is satisfied
    assert rules.web_rating_needs_call(score) is not satisfied


@pytest.mark.parametrize("value", [1, 5])
def test_a_score_is_a_whole_number_from_one_to_five(value):  # type: ignore[no-untyped-def]
    assert rules.is_score(value)


@pytest.mark.parametrize("value", [0, 6, 4.0, "4", True, None])
def test_anything_else_is_not_a_score(value):  # type: ignore[no-untyped-def]
    assert not rules.is_score(value)


@pytest.mark.parametrize(
    ("status", "survey_open", "answered", "refusal"),
    [
        ("in_progress", True, False, "not_ready"),
        ("reopened", False, True, "not_ready"),
        ("resolved", True, False, None),
        ("closed", False, False, None),  # no survey at all: the rating records one
        ("resolved", False, True, "already_rated"),
        ("resolved", True, True, None),  # a new round after a revisit: its survey takes it
    ],
)
def test_when_a_request_can_be_rated(status, survey_open, answered, refusal):  # type: ignore[no-untyped-def]
    found = rules.web_rating_refusal(
        ticket_status=status, survey_open=survey_open, answered=answered
    )
    assert found == refusal


def test_the_callback_after_a_low_score_is_about_the_repair_when_there_was_one():
    assert rules.callback_kind_after_low_rating(has_work_order=True) == "repair_callback"
    assert rules.callback_kind_after_low_rating(has_work_order=False) == "consultation_callback"
