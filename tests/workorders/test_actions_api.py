"""Refusals of work-order actions by API: the table (409 invalid_transition), the roles (403),
the scope (404), the payload (422) and every guard (409 with its code) — and a refused action
changes nothing and writes no event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.workorders.models import FeeItem, FeeStandard, Loaner, WorkOrder
from tests.factories import CenterFactory, make_staff, make_technician
from tests.workorders.conftest import INSPECTION, act, ok, to_diagnosing, to_ready_paid


def refused(client, wo, action, *, status=409, code, seen_by, **payload):  # type: ignore[no-untyped-def]
    """Try `action`; it is refused with `status`/`code`, and the job reads exactly as before."""
    before = seen_by.get(f"/work-orders/{wo}").json()
    answer = act(client, wo, action, **payload)
    assert answer.status_code == status, answer.json()
    error = answer.json()["error"]
    assert error["code"] == code
    assert seen_by.get(f"/work-orders/{wo}").json() == before
    return error


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


def later(hours: int) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


# --- the table ----------------------------------------------------------------------------------


def test_an_action_the_status_does_not_allow_is_refused_with_what_is_allowed(
    desk, bought, open_job
):
    _, wo = open_job(desk, bought(days_ago=400))
    error = refused(desk, wo, "qc_pass", code="invalid_transition", seen_by=desk, checks=["开机"])
    job = desk.get(f"/work-orders/{wo}").json()
    assert error["details"]["allowed"] == job["allowed_actions"]
    assert "receive" in error["details"]["allowed"] and "qc_pass" not in error["details"]["allowed"]


def test_a_carry_in_job_has_no_appointment_to_schedule(desk, bought, open_job, tech):
    _, wo = open_job(desk, bought(days_ago=400), technician="tech")
    error = refused(
        desk,
        wo,
        "schedule",
        code="invalid_transition",
        seen_by=desk,
        start=later(24),
        end=later(26),
    )
    assert "schedule" not in error["details"]["allowed"]
    assert error["details"]["allowed"] == desk.get(f"/work-orders/{wo}").json()["allowed_actions"]


def test_an_unknown_action_is_an_invalid_transition(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    refused(desk, wo, "teleport", code="invalid_transition", seen_by=desk)


# --- guards -------------------------------------------------------------------------------------


def test_no_intake_without_the_signed_repair_agreement(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    refused(
        desk,
        wo,
        "receive",
        code="agreement_required",
        seen_by=desk,
        inspection=INSPECTION,
        agreement_signed=False,
    )


def test_no_diagnosis_before_the_customer_chose_among_open_remedies(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=5))
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    refused(desk, wo, "start_diagnosis", code="remedy_choice_required", seen_by=desk)


def test_a_remedy_not_on_offer_cannot_be_chosen_nor_carried_out(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))  # out of warranty: paid repair only
    to_diagnosing(desk, wo)
    refused(desk, wo, "choose_remedy", code="remedy_not_available", seen_by=desk, remedy="refund")
    refused(desk, wo, "exchange", code="remedy_not_available", seen_by=desk, new_serial="X1")
    refused(desk, wo, "refund", code="remedy_not_available", seen_by=desk, amount="100.00")


def test_paid_work_does_not_start_before_the_quote_is_approved(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    refused(desk, wo, "start_repair", code="quote_not_approved", seen_by=desk)


def test_the_unit_is_not_handed_over_while_money_is_due(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    ready = to_ready_paid(desk, wo, price="280.00")
    assert ready["amount_due"] == "280.00"
    refused(desk, wo, "hand_over", code="payment_due", seen_by=desk, rating=5)
    refused(
        desk,
        wo,
        "hand_over",
        code="payment_due",
        seen_by=desk,
        rating=5,
        payment={"amount": "200.00", "method": "cash", "receipt_no": "R1"},
    )


def test_one_loaner_at_a_time_on_a_job(desk, bought, open_job, center):
    Loaner.objects.create(serial="LOAN-1", description="备用机 A", center=center)
    Loaner.objects.create(serial="LOAN-2", description="备用机 B", center=center)
    _, wo = open_job(desk, bought(days_ago=400))
    ok(desk, wo, "loan_unit", serial="LOAN-1")
    refused(desk, wo, "loan_unit", code="loaner_out", seen_by=desk, serial="LOAN-2")


def test_an_appointment_cannot_be_set_in_the_past(desk, bought, open_job, tech):
    _, wo = open_job(desk, bought(days_ago=400), mode="on_site", technician="tech")
    refused(
        desk, wo, "schedule", code="window_in_past", seen_by=desk, start=later(-2), end=later(-1)
    )


def test_a_technician_of_another_center_is_not_available(desk, bought, open_job):
    make_staff("far-tech", "technician", CenterFactory(code="sz"))
    _, wo = open_job(desk, bought(days_ago=400))
    refused(
        desk, wo, "assign", code="technician_not_available", seen_by=desk, technician="far-tech"
    )


def test_assigning_over_someone_elses_change_is_a_conflict(desk, bought, open_job, tech, center):
    make_staff("tech2", "technician", center)
    _, wo = open_job(desk, bought(days_ago=400), technician="tech")
    error = refused(
        desk,
        wo,
        "assign",
        code="conflict",
        seen_by=desk,
        technician="tech2",
        expected_technician=None,
    )
    assert error["details"]["technician"] == "tech"
    moved = ok(desk, wo, "assign", technician="tech2", expected_technician="tech")
    assert moved["technician"] == "tech2"


def test_a_front_desk_cannot_send_a_job_to_another_center_but_dispatch_can(
    api_as, desk, bought, open_job
):
    make_staff("far-tech", "technician", CenterFactory(code="sz"))
    _, wo = open_job(desk, bought(days_ago=400))
    refused(
        desk,
        wo,
        "assign",
        status=403,
        code="forbidden",
        seen_by=desk,
        technician="far-tech",
        center="sz",
    )
    moved = ok(api_as("dispatcher", "disp"), wo, "assign", technician="far-tech", center="sz")
    assert (moved["center"], moved["technician"]) == ("sz", "far-tech")


# --- roles --------------------------------------------------------------------------------------


def test_a_dispatcher_assigns_and_schedules_but_does_nothing_else(
    api_as, desk, bought, open_job, tech
):
    dispatcher = api_as("dispatcher", "disp")
    _, wo = open_job(desk, bought(days_ago=400), mode="on_site")
    ok(dispatcher, wo, "assign", technician="tech")
    ok(dispatcher, wo, "schedule", start=later(24), end=later(26))
    refused(dispatcher, wo, "cancel", status=403, code="forbidden", seen_by=desk, reason="x")
    refused(dispatcher, wo, "depart", status=403, code="forbidden", seen_by=desk)


def test_a_technician_works_the_job_but_neither_assigns_nor_waives(
    api_as, desk, bought, open_job, center
):
    technician = api_as("technician", "tech")
    _, wo = open_job(desk, bought(days_ago=400), technician="tech")
    make_staff("tech2", "technician", center)
    refused(
        technician, wo, "assign", status=403, code="forbidden", seen_by=desk, technician="tech2"
    )
    ok(technician, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    refused(technician, wo, "waive", status=403, code="forbidden", seen_by=desk, reason="老客户")


def test_the_technical_center_only_diagnoses_and_escalates(api_as, desk, bought, open_job):
    expert = api_as("tech_center", "expert")
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(expert, wo, "diagnose", findings="电源管理芯片损坏", fault_code="NO_POWER")
    ok(expert, wo, "escalate", note="同批次多例")
    refused(expert, wo, "no_fault_found", status=403, code="forbidden", seen_by=desk, findings="-")
    refused(expert, wo, "cancel", status=403, code="forbidden", seen_by=desk, reason="-")


def test_the_hotline_opens_a_job_but_does_not_act_on_it(api_as, desk, bought, tech):
    hotline = api_as("hotline", "hotline")
    unit = bought(days_ago=400)
    ticket = hotline.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "屏幕闪烁",
        },
    ).json()
    created = hotline.post(
        f"/tickets/{ticket['number']}/work-orders", {"mode": "carry_in", "center": "gz"}
    )
    assert created.status_code == 201, created.json()
    wo = created.json()["number"]
    refused(hotline, wo, "assign", status=403, code="forbidden", seen_by=desk, technician="tech")
    refused(hotline, wo, "cancel", status=403, code="forbidden", seen_by=desk, reason="客户取消")


def test_a_price_other_than_the_fee_standards_needs_the_branch_manager(
    api_as, desk, bought, open_job
):
    standard = FeeStandard.objects.create(code="company", name="公司收费标准")
    FeeItem.objects.create(
        standard=standard, kind="labor", code="L-SCREEN", description="换屏工时", price="80.00"
    )
    manager = api_as("branch_manager", "boss")
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    line = {"kind": "labor", "code": "L-SCREEN", "description": "换屏", "qty": 1}
    refused(
        desk,
        wo,
        "quote",
        status=403,
        code="forbidden",
        seen_by=desk,
        lines=[{**line, "unit_price": "60.00"}],
    )
    quoted = ok(manager, wo, "quote", lines=[{**line, "unit_price": "60.00"}])
    assert quoted["quote"]["total"] == "60.00"
    assert quoted["quote"]["lines"][0]["standard_price"] == "80.00"


def test_the_fee_standards_own_price_needs_nobodys_approval(desk, bought, open_job):
    standard = FeeStandard.objects.create(code="company", name="公司收费标准")
    FeeItem.objects.create(
        standard=standard, kind="labor", code="L-SCREEN", description="换屏工时", price="80.00"
    )
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    line = {"kind": "labor", "code": "L-SCREEN", "qty": 2, "unit_price": "80.00"}
    assert ok(desk, wo, "quote", lines=[line])["quote"]["total"] == "160.00"


# --- scope --------------------------------------------------------------------------------------


def test_a_front_desk_of_another_center_does_not_see_the_job(api_as, desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    elsewhere = api_as("front_desk", "sz-desk", at_center=CenterFactory(code="sz"))
    assert elsewhere.get(f"/work-orders/{wo}").status_code == 404
    refused(elsewhere, wo, "cancel", status=404, code="not_found", seen_by=desk, reason="x")
    assert wo not in [j["number"] for j in elsewhere.get("/work-orders").json()["items"]]


def test_a_technician_sees_only_the_jobs_assigned_to_them(api_as, desk, bought, open_job, center):
    make_staff("tech2", "technician", center)
    _, mine = open_job(desk, bought(days_ago=400), technician="tech2")
    _, theirs = open_job(desk, bought(days_ago=400))
    technician = api_as("technician", "tech")
    ok(desk, theirs, "assign", technician="tech")
    assert technician.get(f"/work-orders/{mine}").status_code == 404
    refused(technician, mine, "receive", status=404, code="not_found", seen_by=desk)
    assert [j["number"] for j in technician.get("/work-orders").json()["items"]] == [theirs]


# --- payload ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_is_one_to_five(desk, bought, open_job, rating):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(desk, wo, "no_fault_found", findings="未复现")
    error = refused(
        desk, wo, "hand_over", status=422, code="validation_error", seen_by=desk, rating=rating
    )
    assert "rating" in error["details"]


def test_a_carry_in_hand_over_needs_the_signature_or_why_there_is_none(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(desk, wo, "no_fault_found", findings="未复现")
    error = refused(desk, wo, "hand_over", code="signature_required", seen_by=desk, rating=5)
    assert error["message"]
    refused(
        desk, wo, "hand_over", code="signature_required", seen_by=desk, no_signature_reason="  "
    )


def test_intake_needs_the_inspection(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    error = refused(
        desk,
        wo,
        "receive",
        status=422,
        code="validation_error",
        seen_by=desk,
        agreement_signed=True,
    )
    assert "inspection" in error["details"]


@pytest.mark.parametrize("amount", ["-5.00", "abc", "1.234"])
def test_a_payment_must_be_a_proper_amount(desk, bought, open_job, amount):
    _, wo = open_job(desk, bought(days_ago=400))
    to_ready_paid(desk, wo, price="280.00")
    error = refused(
        desk,
        wo,
        "hand_over",
        status=422,
        code="validation_error",
        seen_by=desk,
        rating=4,
        payment={"amount": amount, "method": "cash", "receipt_no": "R1"},
    )
    assert "payment.amount" in error["details"]


def test_moving_an_appointment_needs_a_reason(desk, bought, open_job, tech):
    _, wo = open_job(desk, bought(days_ago=400), mode="on_site", technician="tech")
    ok(desk, wo, "schedule", start=later(24), end=later(26))
    error = refused(
        desk,
        wo,
        "schedule",
        status=422,
        code="validation_error",
        seen_by=desk,
        start=later(48),
        end=later(50),
    )
    assert list(error["details"]) == ["reason"]
    moved = ok(desk, wo, "schedule", start=later(48), end=later(50), reason="customer_request")
    assert moved["appointment"]["start"] is not None


def test_a_body_that_is_not_json_is_a_bad_request(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    answer = desk.post(f"/work-orders/{wo}/actions", raw=b"{not json")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


# --- creating -----------------------------------------------------------------------------------


def test_the_same_idempotency_key_replays_the_first_work_order(desk, bought):
    unit = bought(days_ago=400)
    ticket = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "不开机",
        },
    ).json()["number"]
    path = f"/tickets/{ticket}/work-orders"
    first = desk.post(path, {"mode": "carry_in"}, headers={"Idempotency-Key": "wo-1"})
    again = desk.post(path, {"mode": "carry_in"}, headers={"Idempotency-Key": "wo-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert WorkOrder.objects.filter(ticket__number=ticket).count() == 1
    other = desk.post(path, {"mode": "mail_in"}, headers={"Idempotency-Key": "wo-1"})
    assert other.status_code == 409 and other.json()["error"]["code"] == "conflict"
    assert WorkOrder.objects.filter(ticket__number=ticket).count() == 1


def test_departure_and_arrival_are_recorded_once_per_visit(api_as, center, bought, open_job):
    make_technician("li", center)
    desk = api_as("admin", "boss")
    _ticket, wo = open_job(desk, bought(10), mode="on_site", technician="li")
    start = timezone.now() + timedelta(days=1)
    ok(desk, wo, "schedule", start=start.isoformat(), end=(start + timedelta(hours=2)).isoformat())
    li = api_as("technician", "li")
    ok(li, wo, "depart")
    assert act(li, wo, "depart").json()["error"]["code"] == "already_departed"
    ok(li, wo, "arrive")
    assert act(li, wo, "arrive").json()["error"]["code"] == "already_arrived"
    ok(li, wo, "visit_incomplete", reason="customer_absent", note="已留服务卡")
    assert act(li, wo, "arrive").json()["error"]["code"] == "not_departed"  # the next visit…
    ok(li, wo, "depart")
    visits = ok(li, wo, "arrive")["visits"]  # …sets off and arrives again
    assert [(v["number"], v["visit_incomplete"]) for v in visits] == [
        (1, "customer_absent"),
        (2, None),
    ]


def test_arriving_before_setting_off_is_refused_and_nothing_is_recorded(
    api_as, center, bought, open_job
):
    make_technician("li", center)
    desk = api_as("admin", "boss")
    _ticket, wo = open_job(desk, bought(10), mode="on_site", technician="li")
    start = timezone.now() + timedelta(days=1)
    ok(desk, wo, "schedule", start=start.isoformat(), end=(start + timedelta(hours=2)).isoformat())
    li = api_as("technician", "li")

    answer = act(li, wo, "arrive")

    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "not_departed" and error["message"] != "not_departed"
    job = ok(li, wo, "depart")
    assert job["arrived_at"] is None
    assert [e["action"] for e in job["events"]][-2:] == ["schedule", "depart"]
