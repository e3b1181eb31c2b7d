"""What a page offers on a job now (`rules.available_actions`): the table's moves that make
sense for the job, each possible or blocked by a guard the job alone decides; and the step a
page highlights (`rules.primary_action`). The API's `allowed_actions` stays the table's list."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aftersales.workorders import rules
from aftersales.workorders.rules import Job

NOW = datetime(2026, 11, 18, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def offered(job: Job) -> dict[str, str | None]:
    return dict(rules.available_actions(job))


def test_diagnosis_waits_for_the_customers_choice_and_says_so():
    job = Job(mode="carry_in", status="received", remedies=("exchange", "free_repair"))

    offers = offered(job)

    assert offers["start_diagnosis"] == "remedy_choice_required"
    assert offers["choose_remedy"] is None
    assert rules.primary_action(job, rules.available_actions(job)) == "choose_remedy"
    assert "start_diagnosis" in rules.allowed_actions(job.status, job.mode)  # the API's list


def test_once_chosen_diagnosis_is_the_next_step():
    job = Job(
        mode="carry_in",
        status="received",
        remedies=("exchange", "free_repair"),
        chosen_remedy="free_repair",
    )

    assert offered(job)["start_diagnosis"] is None
    assert rules.primary_action(job, rules.available_actions(job)) == "start_diagnosis"


def test_an_expired_unit_is_offered_no_exchange_and_no_refund():
    job = Job(mode="carry_in", status="diagnosing", remedies=("paid_repair",), diagnosed=True)

    offers = offered(job)

    assert "exchange" not in offers and "refund" not in offers
    assert "choose_remedy" not in offers  # one remedy: nothing to choose
    assert offers["start_repair"] == "quote_not_approved"
    assert rules.primary_action(job, rules.available_actions(job)) == "quote"


def test_an_exchange_chosen_is_the_next_step_and_the_repair_is_not_offered():
    job = Job(
        mode="carry_in",
        status="diagnosing",
        remedies=("exchange", "refund", "free_repair"),
        chosen_remedy="exchange",
        diagnosed=True,
    )

    offers = offered(job)

    assert offers["exchange"] is None and "refund" not in offers
    assert "start_repair" not in offers and "quote" not in offers  # free: nothing to quote
    assert rules.primary_action(job, rules.available_actions(job)) == "exchange"


def test_a_loaner_is_returned_only_when_one_is_out():
    without = offered(Job(mode="carry_in", status="diagnosing"))
    lent = offered(Job(mode="carry_in", status="diagnosing", loaner_out=True))

    assert "return_loan" not in without and without["loan_unit"] is None
    assert lent["return_loan"] is None and "loan_unit" not in lent


def test_an_amount_due_does_not_hide_the_hand_over():
    job = Job(mode="carry_in", status="ready", amount_due=Decimal("120.00"))

    assert offered(job)["hand_over"] is None
    assert rules.primary_action(job, rules.available_actions(job)) == "hand_over"


def test_the_pause_is_lifted_only_from_a_paused_job_and_waivers_need_an_amount_due():
    assert "resume" not in offered(Job(mode="on_site", status="scheduled"))
    assert offered(Job(mode="on_site", status="scheduled", paused=True))["resume"] is None
    assert "waive" not in offered(Job(mode="carry_in", status="ready"))
    assert "waive" in offered(Job(mode="carry_in", status="ready", amount_due=Decimal("1")))


def test_a_field_incident_and_pickup_calls_belong_to_their_modes():
    assert "incident" not in offered(Job(mode="carry_in", status="diagnosing"))
    assert "incident" in offered(Job(mode="on_site", status="diagnosing"))
    assert "notify_pickup" not in offered(Job(mode="on_site", status="ready"))
    assert "notify_pickup" in offered(Job(mode="carry_in", status="ready"))


def test_an_on_site_visit_goes_on_my_way_then_arrived_then_diagnosis():
    booked = Job(mode="on_site", status="scheduled", visit_booked=True)
    on_the_way = Job(mode="on_site", status="scheduled", on_the_way=True)
    there = Job(mode="on_site", status="scheduled", on_site=True)

    assert offered(booked)["depart"] is None and offered(booked)["arrive"] == "not_departed"
    assert rules.primary_action(booked, rules.available_actions(booked)) == "depart"
    assert "depart" not in offered(on_the_way) and offered(on_the_way)["arrive"] is None
    assert rules.primary_action(on_the_way, rules.available_actions(on_the_way)) == "arrive"
    assert "depart" not in offered(there) and "arrive" not in offered(there)
    assert rules.primary_action(there, rules.available_actions(there)) == "start_diagnosis"


def test_arriving_needs_this_visits_departure():
    assert rules.refusal("arrive", Job(mode="on_site", status="scheduled"), {}, NOW) == (
        "not_departed"
    )
    assert rules.refusal("arrive", Job(mode="on_site", status="repairing"), {}, NOW) == (
        "not_departed"
    )
    there = Job(mode="on_site", status="repairing", on_site=True)
    assert rules.refusal("arrive", there, {}, NOW) == "already_arrived"
    assert rules.refusal("depart", there, {}, NOW) == "visit_in_progress"
    assert "not_departed" in rules.GUARD_CODES and "visit_in_progress" in rules.GUARD_CODES


def test_a_job_left_unfinished_books_its_next_visit_and_sets_off_again_first():
    job = Job(mode="on_site", status="awaiting_parts", visit_booked=True)

    offers = offered(job)

    assert offers["schedule"] is None and offers["depart"] is None
    assert rules.next_status("awaiting_parts", "on_site", "depart") == "awaiting_parts"
    assert rules.primary_action(job, rules.available_actions(job)) == "depart"
