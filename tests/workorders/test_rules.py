"""The pure rules of a repair job: the transition table of CONTRACT.md "Work orders", row for row,
its guards, repair days, repeat repairs, charges, fee standards and the pickup ladder."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from aftersales.core.rules import WorkingCalendar, is_working_time, parse_day_hours, standard_week
from aftersales.workorders import rules
from aftersales.workorders.rules import Band, Job

# --- the table, written out from CONTRACT.md (not from rules.TABLE) ---------------------------

STATUSES = [
    "created",
    "assigned",
    "scheduled",
    "received",
    "diagnosing",
    "awaiting_approval",
    "awaiting_parts",
    "repairing",
    "qc",
    "ready",
    "completed",
    "closed",
    "cancelled",
]
MODES = ["remote", "on_site", "carry_in", "mail_in", "pull_back"]
EVERY_MODE = set(MODES)
DEPOT = {"carry_in", "mail_in", "pull_back"}
OPEN = [s for s in STATUSES if s not in ("completed", "closed", "cancelled")]
BEFORE_REPAIRING = ["created", "assigned", "scheduled", "received", "diagnosing"]
SAME = "same"

# (action, from statuses, to, modes) — one line per row of the contract's table.
CONTRACT_ROWS = [
    ("assign", ["created", "assigned", "scheduled"], "assigned", EVERY_MODE),
    ("schedule", ["assigned", "scheduled"], "scheduled", {"on_site"}),
    ("depart", ["scheduled"], SAME, {"on_site"}),
    ("arrive", ["scheduled"], SAME, {"on_site"}),
    ("receive", ["created", "assigned", "scheduled"], "received", DEPOT),
    ("choose_remedy", OPEN, SAME, EVERY_MODE),
    # "received/scheduled (remote: created/assigned)": the unit is received at the depot, the
    # on-site technician works from the appointment, remote guidance starts from the call.
    ("start_diagnosis", ["received"], "diagnosing", DEPOT),
    ("start_diagnosis", ["scheduled"], "diagnosing", {"on_site"}),
    ("start_diagnosis", ["created", "assigned"], "diagnosing", {"remote"}),
    ("diagnose", ["diagnosing"], SAME, EVERY_MODE),
    ("quote", ["diagnosing"], "awaiting_approval", EVERY_MODE),
    ("waive", OPEN, SAME, EVERY_MODE),
    ("no_fault_found", ["diagnosing"], "ready", EVERY_MODE),
    ("exchange", ["received", "scheduled", "diagnosing"], "ready", EVERY_MODE),
    ("refund", ["received", "scheduled", "diagnosing"], "ready", EVERY_MODE),
    ("approve_quote", ["awaiting_approval"], "repairing", EVERY_MODE),
    ("decline_quote", ["awaiting_approval"], "ready", EVERY_MODE),
    ("wait_parts", ["diagnosing", "repairing"], "awaiting_parts", EVERY_MODE),
    ("parts_arrived", ["awaiting_parts"], "back", EVERY_MODE),
    ("start_repair", ["diagnosing"], "repairing", EVERY_MODE),
    ("complete_repair", ["repairing"], "qc", EVERY_MODE),
    ("qc_pass", ["qc"], "ready", EVERY_MODE),
    ("qc_fail", ["qc"], "repairing", EVERY_MODE),
    ("notify_pickup", ["ready"], SAME, EVERY_MODE),
    ("hand_over", ["ready"], "completed", EVERY_MODE),
    ("loan_unit", OPEN, SAME, EVERY_MODE),
    ("return_loan", OPEN, SAME, EVERY_MODE),
    ("incident", OPEN, SAME, EVERY_MODE),
    ("change_mode", BEFORE_REPAIRING, "created", EVERY_MODE),
    ("escalate", OPEN, SAME, EVERY_MODE),
    ("cancel", OPEN, "cancelled", EVERY_MODE),
    ("close", ["completed"], "closed", EVERY_MODE),
]
# Beyond the contract (docs/api.md): the on-site technician records why a visit did not finish.
EXTENSION_ROWS = [
    (
        "visit_incomplete",
        ["scheduled", "diagnosing", "awaiting_approval", "awaiting_parts", "repairing"],
        SAME,
        {"on_site"},
    ),
    ("resume", OPEN, SAME, EVERY_MODE),
    # …and a job left unfinished on site books, sets off for and reaches its next visit from
    # where it stopped (docs/api.md "The transition table as built", decision 43).
    ("schedule", ["diagnosing", "awaiting_parts", "repairing"], SAME, {"on_site"}),
    ("depart", ["diagnosing", "awaiting_parts", "repairing"], SAME, {"on_site"}),
    ("arrive", ["diagnosing", "awaiting_parts", "repairing"], SAME, {"on_site"}),
]
CONTRACT_ROWS += EXTENSION_ROWS
ACTIONS = list(dict.fromkeys(row[0] for row in CONTRACT_ROWS))


def expected_next(status: str, mode: str, action: str) -> str | None:
    for name, sources, target, modes in CONTRACT_ROWS:
        if name == action and status in sources and mode in modes:
            if target == SAME:
                return status
            if target == "back":
                return "diagnosing"  # the status that waited (see the parts test below)
            return target
    return None


def test_the_rules_know_every_action_of_the_contract_and_our_extensions_and_no_other():
    assert set(rules.ACTIONS) == set(ACTIONS)
    assert set(rules.STATUSES) == set(STATUSES)
    assert set(rules.MODES) == set(MODES)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", STATUSES)
def test_every_action_from_every_status_in_every_mode_goes_where_the_contract_says(status, mode):
    for action in ACTIONS:
        got = rules.next_status(status, mode, action, back_to="diagnosing")
        assert got == expected_next(status, mode, action), (status, mode, action)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", STATUSES)
def test_allowed_actions_are_exactly_the_moves_the_table_allows(status, mode):
    expected = {a for a in ACTIONS if expected_next(status, mode, a) is not None}
    allowed = rules.allowed_actions(status, mode)
    assert set(allowed) == expected
    assert len(allowed) == len(set(allowed))  # each action once, even with two rows


def test_parts_arriving_return_the_job_to_where_it_waited():
    assert rules.next_status(
        "awaiting_parts", "carry_in", "parts_arrived", back_to="diagnosing"
    ) == ("diagnosing")
    assert rules.next_status(
        "awaiting_parts", "carry_in", "parts_arrived", back_to="repairing"
    ) == ("repairing")


def test_a_finished_job_allows_only_closing():
    assert rules.allowed_actions("completed", "carry_in") == ["close"]
    assert rules.allowed_actions("closed", "carry_in") == []
    assert rules.allowed_actions("cancelled", "on_site") == []


# --- guards -----------------------------------------------------------------------------------

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DAY_5 = ("refund", "exchange", "free_repair")


def refused(action: str, job: Job, **payload: object) -> str | None:
    return rules.refusal(action, job, payload, NOW)


def test_receiving_needs_the_signed_repair_agreement():
    job = Job(mode="carry_in", status="assigned")
    assert refused("receive", job) == "agreement_required"
    assert refused("receive", job, agreement_signed=False) == "agreement_required"
    assert refused("receive", job, agreement_signed="yes") == "agreement_required"
    assert refused("receive", job, agreement_signed=True) is None


def test_work_waits_for_the_customers_choice_when_several_remedies_are_open():
    undecided = Job(mode="carry_in", status="received", remedies=DAY_5)
    assert refused("start_diagnosis", undecided) == "remedy_choice_required"
    assert refused("start_repair", Job(**{**undecided.__dict__, "status": "diagnosing"})) == (
        "remedy_choice_required"
    )
    chose = Job(mode="carry_in", status="received", remedies=DAY_5, chosen_remedy="free_repair")
    assert refused("start_diagnosis", chose) is None
    assert refused("start_diagnosis", Job(mode="carry_in", status="received")) is None


def test_only_a_remedy_on_offer_can_be_chosen():
    job = Job(mode="carry_in", status="received", remedies=("exchange", "free_repair"))
    assert refused("choose_remedy", job, remedy="refund") == "remedy_not_available"
    assert refused("choose_remedy", job, remedy="exchange") is None


def test_exchange_and_refund_need_that_remedy_chosen():
    open_three = Job(mode="carry_in", status="diagnosing", remedies=DAY_5)
    assert refused("exchange", open_three) == "remedy_not_available"
    assert refused("refund", open_three) == "remedy_not_available"
    exchanging = Job(**{**open_three.__dict__, "chosen_remedy": "exchange"})
    assert refused("exchange", exchanging) is None
    assert refused("refund", exchanging) == "remedy_not_available"
    refunding = Job(**{**open_three.__dict__, "chosen_remedy": "refund"})
    assert refused("refund", refunding) is None
    assert refused("start_repair", refunding) == "remedy_not_available"


def test_paid_work_needs_an_approved_quote_but_free_and_repeat_jobs_need_none():
    paid = Job(mode="carry_in", status="diagnosing", remedies=("paid_repair",))
    assert refused("start_repair", paid) == "quote_not_approved"
    assert refused("start_repair", Job(**{**paid.__dict__, "quote_approved": False})) == (
        "quote_not_approved"
    )
    assert refused("start_repair", Job(**{**paid.__dict__, "quote_approved": True})) is None
    free = Job(mode="carry_in", status="diagnosing", remedies=("free_repair",))
    assert refused("start_repair", free) is None
    repeat = Job(**{**paid.__dict__, "repeat_repair": True})
    assert refused("start_repair", repeat) is None


def test_hand_over_needs_the_amount_due_paid():
    owing = Job(mode="carry_in", status="ready", amount_due=Decimal("120.00"))
    signed = {"signature": b"\x89PNG"}
    assert refused("hand_over", owing, **signed) == "payment_due"
    assert refused("hand_over", owing, payment={"amount": Decimal("100.00")}) == "payment_due"
    assert refused("hand_over", owing, payment={"amount": Decimal("120.00")}, **signed) is None
    assert refused("hand_over", Job(mode="carry_in", status="ready"), **signed) is None


@pytest.mark.parametrize("mode", ["carry_in", "on_site"])
def test_a_customer_at_hand_signs_for_the_unit_or_the_reason_is_written(mode):
    ready = Job(mode=mode, status="ready")
    assert refused("hand_over", ready) == "signature_required"
    assert refused("hand_over", ready, no_signature_reason=" ") == "signature_required"
    assert refused("hand_over", ready, no_signature_reason="家属代取") is None
    assert refused("hand_over", ready, signature=b"\x89PNG") is None


@pytest.mark.parametrize("mode", ["mail_in", "remote", "pull_back"])
def test_a_customer_not_at_hand_is_not_asked_to_sign(mode):
    assert refused("hand_over", Job(mode=mode, status="ready")) is None


def test_one_loaner_at_a_time():
    assert refused("loan_unit", Job(mode="carry_in", status="received", loaner_out=True)) == (
        "loaner_out"
    )
    assert refused("loan_unit", Job(mode="carry_in", status="received")) is None


def test_an_appointment_window_must_lie_ahead():
    job = Job(mode="on_site", status="assigned")
    assert refused("schedule", job, start=NOW - timedelta(minutes=1)) == "window_in_past"
    assert refused("schedule", job, start=NOW) == "window_in_past"
    assert refused("schedule", job, start=NOW + timedelta(hours=1)) is None


# --- who may act ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "may", "may_not"),
    [
        ("admin", ["assign", "waive", "hand_over"], []),
        ("branch_manager", ["assign", "waive", "quote"], []),
        ("front_desk", ["assign", "receive", "hand_over"], ["waive"]),
        ("technician", ["receive", "diagnose", "complete_repair"], ["assign", "waive"]),
        ("dispatcher", ["assign", "schedule"], ["receive", "cancel", "waive"]),
        ("tech_center", ["diagnose", "escalate"], ["assign", "receive", "quote"]),
        ("hotline", [], ["assign", "cancel", "receive"]),
        ("finance", [], ["hand_over", "waive"]),
        ("archive", [], ["close"]),
        (None, [], ["assign"]),
    ],
)
def test_roles_may_take_only_their_actions(role, may, may_not):
    assert all(rules.may_act(role, a) for a in may)
    assert not any(rules.may_act(role, a) for a in may_not)


# --- repair days, repeat repairs, faults --------------------------------------------------------


def test_repair_days_are_24_hour_blocks_and_a_remainder_counts_as_a_day():
    start = datetime(2026, 11, 2, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert rules.repair_days(start, start) == 0
    assert rules.repair_days(start, start + timedelta(minutes=30)) == 1
    assert rules.repair_days(start, start + timedelta(hours=24)) == 1
    assert rules.repair_days(start, start + timedelta(hours=24, seconds=1)) == 2
    assert rules.repair_days(start, start + timedelta(hours=48)) == 2
    assert rules.repair_days(start, start + timedelta(days=6, hours=1)) == 7


def test_a_job_within_90_days_of_a_hand_over_is_a_repeat_day_90_included():
    handed = date(2026, 3, 1)
    assert rules.within_repeat_window(handed, handed)
    assert rules.within_repeat_window(handed + timedelta(days=90), handed)
    assert not rules.within_repeat_window(handed + timedelta(days=91), handed)
    assert not rules.within_repeat_window(handed - timedelta(days=1), handed)


def test_same_fault_when_codes_match_or_either_is_missing():
    assert rules.same_fault("NO_POWER", "no_power ")
    assert rules.same_fault("", "NO_POWER")
    assert rules.same_fault("NO_POWER", "")
    assert not rules.same_fault("NO_POWER", "SCREEN")


# --- money --------------------------------------------------------------------------------------


def test_what_the_customer_owes_free_quoted_or_declined():
    fee = {"quote_total": Decimal("280.00"), "inspection_fee": Decimal("30.00")}
    paid = Job(mode="carry_in", status="ready")
    assert rules.charges(Job(**{**paid.__dict__, "quote_approved": True}), **fee) == Decimal(
        "280.00"
    )
    assert rules.charges(Job(**{**paid.__dict__, "quote_approved": False}), **fee) == Decimal(
        "30.00"
    )
    assert rules.charges(paid, **fee) == Decimal("0.00")  # nothing quoted yet
    free = Job(mode="carry_in", status="ready", remedies=("free_repair",), quote_approved=True)
    assert rules.charges(free, **fee) == Decimal("0.00")
    repeat = Job(mode="carry_in", status="ready", repeat_repair=True, quote_approved=True)
    assert rules.charges(repeat, **fee) == Decimal("0.00")
    exchanged = Job(mode="carry_in", status="ready", remedies=DAY_5, chosen_remedy="exchange")
    assert rules.charges(exchanged, **fee) == Decimal("0.00")


def test_amount_due_never_goes_below_zero():
    assert rules.amount_due(Decimal("280"), waived=Decimal("80"), paid=Decimal("0")) == Decimal(
        "200.00"
    )
    assert rules.amount_due(Decimal("280"), waived=Decimal("200"), paid=Decimal("100")) == (
        Decimal("0.00")
    )
    assert str(rules.amount_due(Decimal("0"), waived=Decimal("0"), paid=Decimal("0"))) == "0.00"


def test_the_lower_of_two_fee_standards_applies():
    assert rules.lowest_price([Decimal("120.00"), Decimal("95.00")]) == Decimal("95.00")
    assert rules.lowest_price([None, Decimal("95.00")]) == Decimal("95.00")
    assert rules.lowest_price([None]) is None
    assert rules.lowest_price([]) is None


BANDS = [
    Band("visit_far", Decimal("30"), None, Decimal("100.00")),
    Band("visit_near", Decimal("0"), Decimal("10"), Decimal("30.00")),
    Band("visit_mid", Decimal("10"), Decimal("30"), Decimal("60.00")),
]


@pytest.mark.parametrize(
    ("km", "code"),
    [
        ("0", "visit_near"),
        ("9.9", "visit_near"),
        ("10", "visit_mid"),
        ("29.9", "visit_mid"),
        ("30", "visit_far"),
        ("500", "visit_far"),
    ],
)
def test_a_visit_falls_in_the_band_that_starts_at_or_below_its_distance(km, code):
    band = rules.band_for(Decimal(km), BANDS)
    assert band is not None and band.code == code


def test_no_band_when_the_distance_is_below_every_band():
    assert rules.band_for(Decimal("3"), [Band("far", Decimal("5"), None)]) is None


def test_where_bands_of_two_standards_overlap_the_cheaper_one_prices_the_visit():
    company = [Band("V-10", Decimal("0"), Decimal("10"), Decimal("50.00"))]
    local = [Band("GZ-5", Decimal("0"), Decimal("5"), Decimal("30.00"))]
    assert rules.cheapest_band(Decimal("3"), company + local).code == "GZ-5"
    assert rules.cheapest_band(Decimal("3"), local + company).code == "GZ-5"
    assert rules.cheapest_band(Decimal("7"), company + local).code == "V-10"
    assert rules.cheapest_band(Decimal("12"), company + local) is None


# --- the pickup ladder --------------------------------------------------------------------------

SH = ZoneInfo("Asia/Shanghai")
OFFICE = parse_day_hours([["09:00", "12:00"], ["13:30", "18:00"]])
# Friday 2026-10-30; Monday 2026-11-02 is a day off in this calendar.
CAL = WorkingCalendar(
    tz=SH, weekly=standard_week(OFFICE), days_off=frozenset({date(2026, 11, 2), date(2026, 11, 6)})
)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_three_calls_on_the_first_day_two_working_hours_apart():
    first = sh(2026, 11, 3, 9, 0)  # Tuesday
    second = rules.next_pickup_call([first], CAL)
    assert second == sh(2026, 11, 3, 11, 0)
    third = rules.next_pickup_call([first, second], CAL)
    assert third == sh(2026, 11, 3, 14, 30)  # the lunch break is not working time
    assert rules.next_pickup_call([first, second, third], CAL) == sh(2026, 11, 4, 9, 0)


def test_a_pickup_call_never_falls_outside_working_hours():
    first = sh(2026, 11, 3, 10, 0)  # + 2 working hours ends exactly at the lunch break
    second = rules.next_pickup_call([first], CAL)
    assert is_working_time(second, CAL)
    assert second == sh(2026, 11, 3, 13, 30)


def test_after_the_first_day_the_next_working_day_then_weekly():
    first = sh(2026, 11, 3, 9, 0)
    day_one = [first, sh(2026, 11, 3, 11, 0), sh(2026, 11, 3, 14, 30)]
    next_day = sh(2026, 11, 4, 9, 0)
    assert rules.next_pickup_call([*day_one, next_day], CAL) == sh(2026, 11, 11, 9, 0)
    later = sh(2026, 11, 11, 9, 5)
    assert rules.next_pickup_call([*day_one, next_day, later], CAL) == sh(2026, 11, 18, 9, 0)


def test_the_ladder_skips_the_weekend_and_a_day_off():
    friday_late = sh(2026, 10, 30, 16, 0)  # + 2 working hours is closing time
    # Saturday, Sunday and the Monday off are skipped: Tuesday's opening.
    assert rules.next_pickup_call([friday_late], CAL) == sh(2026, 11, 3, 9, 0)
    assert rules.next_pickup_call([friday_late, sh(2026, 10, 30, 17, 0)], CAL) == sh(
        2026, 11, 3, 9, 0
    )


def test_a_weekly_call_that_lands_on_a_day_off_moves_to_the_next_working_day():
    thursday = [sh(2026, 10, 29, 14, 0), sh(2026, 10, 29, 16, 0)]
    assert rules.next_pickup_call(thursday, CAL) == sh(2026, 10, 30, 9, 0)
    # A week after Friday 10-30 is the Friday 11-06 off, then the weekend: Monday 11-09.
    assert rules.next_pickup_call([*thursday, sh(2026, 10, 30, 9, 0)], CAL) == sh(2026, 11, 9, 9, 0)


def test_the_ladder_needs_a_first_call():
    with pytest.raises(ValueError):
        rules.next_pickup_call([], CAL)
