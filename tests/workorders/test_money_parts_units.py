"""What a job does beyond its status: prices from the fee standards, waivers and payment, parts
and stock, repair days that extend the warranty, repeat repairs, exchanges and refunds that retire
a serial, loaners, a leaver's handover, the follow-ups it sets, the request's timeline, and the
mail-in and on-site variations."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from aftersales.catalog import services as catalog_services
from aftersales.core import rules as calendar_rules
from aftersales.core.errors import DomainError
from aftersales.core.models import CalendarOverride, Event
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import calendar_of
from aftersales.followups.models import FollowUp
from aftersales.workorders.models import (
    FeeItem,
    FeeStandard,
    Loan,
    Loaner,
    Part,
    PartStock,
    Visit,
    WorkOrder,
)
from tests.factories import make_staff
from tests.workorders.conftest import INSPECTION, act, ok, to_diagnosing, to_ready_paid


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


@pytest.fixture
def manager(api_as):  # type: ignore[no-untyped-def]
    return api_as("branch_manager", "boss")


def event_at(job: dict, action: str) -> datetime:  # type: ignore[type-arg]
    at = [e["at"] for e in job["events"] if e["action"] == action][-1]
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


def diagnosed_paid(client, wo):  # type: ignore[no-untyped-def]
    to_diagnosing(client, wo)
    return ok(client, wo, "diagnose", findings="屏幕排线断裂", fault_code="SCREEN")


# --- fee standards ------------------------------------------------------------------------------


def standard(code: str, version: int = 1, center=None, **prices: str):  # type: ignore[no-untyped-def]
    row = FeeStandard.objects.create(code=code, version=version, name=code, center=center)
    for item, price in prices.items():
        kind, _, item_code = item.partition("__")
        FeeItem.objects.create(
            standard=row, kind=kind, code=item_code, description=item_code, price=price
        )
    return row


def test_where_two_fee_standards_disagree_the_quote_takes_the_lower(desk, bought, open_job, center):
    standard("company", labor__L1="120.00")
    standard("guangzhou", center=center, labor__L1="95.00")
    standard(
        "shenzhen", center=ServiceCenter.objects.create(code="sz", name="深圳"), labor__L1="50"
    )
    _, wo = open_job(desk, bought(days_ago=400))
    diagnosed_paid(desk, wo)

    quoted = ok(desk, wo, "quote", lines=[{"kind": "labor", "code": "L1", "qty": 2}])

    assert quoted["quote"]["lines"][0]["unit_price"] == "95.00"
    assert quoted["quote"]["lines"][0]["description"] == "L1"
    assert quoted["quote"]["total"] == "190.00"


def test_a_newer_version_of_a_fee_standard_replaces_the_older(desk, bought, open_job):
    standard("company", version=1, labor__L1="60.00")
    standard("company", version=2, labor__L1="80.00")
    _, wo = open_job(desk, bought(days_ago=400))
    diagnosed_paid(desk, wo)

    quoted = ok(desk, wo, "quote", lines=[{"kind": "labor", "code": "L1", "qty": 1}])

    assert quoted["quote"]["lines"][0]["unit_price"] == "80.00"


def test_the_visit_fee_follows_the_distance_band(desk, bought, open_job):
    row = standard("company")
    for code, low, high, price in [("near", 0, 10, "30.00"), ("far", 10, None, "80.00")]:
        FeeItem.objects.create(
            standard=row,
            kind="visit",
            code=code,
            description=f"上门费 {code}",
            price=price,
            min_km=low,
            max_km=high,
        )
    _, wo = open_job(desk, bought(days_ago=400))
    diagnosed_paid(desk, wo)

    quoted = ok(
        desk,
        wo,
        "quote",
        lines=[
            {"kind": "visit", "qty": 1, "distance_km": "9.5"},
            {"kind": "visit", "qty": 1, "distance_km": "10"},
        ],
    )

    prices = [(line["code"], line["unit_price"]) for line in quoted["quote"]["lines"]]
    assert prices == [("near", "30.00"), ("far", "80.00")]


def test_where_two_standards_bands_cover_a_distance_the_lower_visit_fee_applies(
    desk, bought, open_job, center
):
    company, local = standard("company"), standard("guangzhou", center=center)
    FeeItem.objects.create(
        standard=company,
        kind="visit",
        code="V-10",
        description="10 公里内",
        price="50.00",
        min_km=0,
        max_km=10,
    )
    FeeItem.objects.create(
        standard=local,
        kind="visit",
        code="GZ-5",
        description="5 公里内",
        price="30.00",
        min_km=0,
        max_km=5,
    )
    _, wo = open_job(desk, bought(days_ago=400))
    diagnosed_paid(desk, wo)

    quoted = ok(
        desk,
        wo,
        "quote",
        lines=[
            {"kind": "visit", "qty": 1, "distance_km": "3"},
            {"kind": "visit", "qty": 1, "distance_km": "7"},
        ],
    )

    prices = [(line["code"], line["unit_price"]) for line in quoted["quote"]["lines"]]
    assert prices == [("GZ-5", "30.00"), ("V-10", "50.00")]


# --- waivers and payment ----------------------------------------------------------------------


def test_a_branch_manager_waives_part_then_the_rest_and_the_unit_goes_home_unpaid(
    desk, manager, bought, open_job
):
    _, wo = open_job(desk, bought(days_ago=400))
    to_ready_paid(desk, wo, price="280.00")

    assert ok(manager, wo, "waive", amount="80.00", reason="老客户")["amount_due"] == "200.00"
    assert ok(manager, wo, "waive", reason="店长批准全免")["amount_due"] == "0.00"
    done = ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户口头确认")

    assert done["status"] == "completed" and done["waived"] == "280.00" and done["paid"] == "0.00"


def test_paying_the_amount_due_at_the_desk_allows_the_hand_over(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    to_ready_paid(desk, wo, price="280.00")
    assert act(desk, wo, "hand_over", rating=4).json()["error"]["code"] == "payment_due"

    done = ok(
        desk,
        wo,
        "hand_over",
        rating=4,
        payment={"amount": "280.00", "method": "wechat", "receipt_no": "R-0001"},
        no_signature_reason="客户口头确认",
    )

    assert done["status"] == "completed" and done["paid"] == "280.00"
    assert done["amount_due"] == "0.00"


def test_a_declined_quote_leaves_the_inspection_fee_due(desk, bought, open_job):
    standard("company", inspection__inspection="30.00")
    _, wo = open_job(desk, bought(days_ago=400))
    diagnosed_paid(desk, wo)
    ok(desk, wo, "quote", lines=[{"kind": "labor", "description": "换屏", "unit_price": "300.00"}])

    declined = ok(desk, wo, "decline_quote")

    assert declined["amount_due"] == "30.00" and declined["outcome"] == "returned_unrepaired"


# --- parts and stock --------------------------------------------------------------------------


def test_waiting_for_parts_reserves_stock_orders_the_rest_and_repair_uses_them(
    desk, bought, open_job, center
):
    unit = bought(days_ago=30)  # in warranty: a free repair, no quote
    screen = Part.objects.create(model=unit.model, code="SCR", name="屏幕", price="400.00")
    battery = Part.objects.create(model=unit.model, code="BAT", name="电池", price="90.00")
    PartStock.objects.create(center=center, part=battery, on_hand=3)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")
    expected = (timezone.localdate() + timedelta(days=3)).isoformat()

    waiting = ok(
        desk,
        wo,
        "wait_parts",
        parts=[{"code": "BAT", "qty": 1}, {"code": "SCR", "qty": 1}],
        expected_date=expected,
    )

    assert waiting["status"] == "awaiting_parts" and waiting["expected_parts_date"] == expected
    assert {(p["code"], p["state"]) for p in waiting["parts"]} == {
        ("BAT", "reserved"),
        ("SCR", "ordered"),
    }
    assert PartStock.objects.get(part=battery).reserved == 1

    back = ok(desk, wo, "parts_arrived")
    assert back["status"] == "repairing"  # where it waited
    assert PartStock.objects.get(part=screen).on_hand == 1

    ok(desk, wo, "complete_repair", actions_taken="换屏换电池", parts_used=waiting["parts"])
    stock = {s.part.code: (s.on_hand, s.reserved) for s in PartStock.objects.all()}
    assert stock == {"BAT": (2, 0), "SCR": (0, 0)}


def test_parts_arriving_during_diagnosis_return_the_job_to_diagnosis(desk, bought, open_job):
    unit = bought(days_ago=400)
    Part.objects.create(model=unit.model, code="SCR", name="屏幕", price="400.00")
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)
    ok(
        desk,
        wo,
        "wait_parts",
        parts=[{"code": "SCR", "qty": 1}],
        expected_date=timezone.localdate().isoformat(),
    )

    assert ok(desk, wo, "parts_arrived")["status"] == "diagnosing"


# --- repair days extend the warranty --------------------------------------------------------------


def test_days_waiting_for_parts_over_a_holiday_extend_the_warranty(desk, bought, open_job, center):
    unit = bought(days_ago=100)
    Part.objects.create(model=unit.model, code="SCR", name="屏幕", price="400.00")
    before = desk.get(f"/units/{unit.serial}").json()["warranty"]
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")
    ok(
        desk,
        wo,
        "wait_parts",
        parts=[{"code": "SCR", "qty": 1}],
        expected_date=timezone.localdate().isoformat(),
    )
    # Arranged: the unit came in 6 days and an hour ago, and a holiday fell in between.
    WorkOrder.objects.filter(number=wo).update(
        received_at=timezone.now() - timedelta(days=6, hours=1)
    )
    CalendarOverride.objects.create(
        date=timezone.localdate() - timedelta(days=3), is_working_day=False, name="假日"
    )
    ok(desk, wo, "parts_arrived")
    ok(desk, wo, "complete_repair", actions_taken="换屏")

    passed = ok(desk, wo, "qc_pass", checks=["开机", "屏幕"])

    assert passed["repair_days"] == 7  # six whole days and a remainder; the holiday counts
    unit.refresh_from_db()
    assert unit.repair_days == 7
    after = desk.get(f"/units/{unit.serial}").json()["warranty"]
    assert (before["extension_days"], after["extension_days"]) == (0, 7)
    check = desk.post(
        "/warranty/check",
        {
            "category": "mobile_phone",
            "purchase_date": unit.purchase_date.isoformat(),
            "repair_days": 7,
        },
    ).json()
    assert after["warranty_ends"] == check["warranty_ends"] != before["warranty_ends"]
    # Later — by seven days less whatever rest days the old end had rolled over (a Spring
    # Festival can take five): the exact day is the check's above.
    assert after["warranty_ends"] > before["warranty_ends"]


def test_an_on_site_job_counts_its_repair_days_from_the_arrival(
    desk, api_as, bought, open_job, tech
):
    technician = api_as("technician", "tech-1")
    unit = bought(days_ago=100)
    _, wo = open_job(desk, unit, mode="on_site", technician="tech-1")
    start = (timezone.now() + timedelta(hours=2)).isoformat()
    end = (timezone.now() + timedelta(hours=4)).isoformat()
    scheduled = ok(desk, wo, "schedule", start=start, end=end)
    assert scheduled["status"] == "scheduled" and scheduled["appointment"]["start"]
    assert ok(technician, wo, "depart")["status"] == "scheduled"
    assert ok(technician, wo, "arrive")["status"] == "scheduled"
    arrived = timezone.now() - timedelta(days=2, hours=1)  # as if two days ago (the visit's)
    WorkOrder.objects.filter(number=wo).update(arrived_at=arrived)
    Visit.objects.filter(work_order__number=wo).update(arrived_at=arrived)
    ok(technician, wo, "start_diagnosis")
    ok(technician, wo, "diagnose", findings="压缩机不启动", fault_code="NO_START")
    ok(technician, wo, "start_repair")
    ok(technician, wo, "complete_repair", actions_taken="更换启动电容")

    passed = ok(technician, wo, "qc_pass", checks=["制冷", "噪音"])

    assert passed["status"] == "ready" and passed["repair_days"] == 3
    unit.refresh_from_db()
    assert unit.repair_days == 3
    actions = [e["action"] for e in passed["events"]]
    assert actions[:5] == ["created", "schedule", "depart", "arrive", "start_diagnosis"]


# --- repeat repairs ------------------------------------------------------------------------------


def repaired_earlier(desk, unit, open_job, *, days_ago: int, fault_code="SCREEN"):  # type: ignore[no-untyped-def]
    """A job on `unit` handed over repaired `days_ago` days ago (arranged through the ORM)."""
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="排线", fault_code=fault_code)
    ok(desk, wo, "quote", lines=[{"kind": "labor", "description": "换排线", "unit_price": "0.00"}])
    assert ok(desk, wo, "approve_quote")["quote"]["approved"] is True
    ok(desk, wo, "complete_repair", actions_taken="换排线")
    ok(desk, wo, "qc_pass", checks=["屏幕"])
    ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户口头确认")
    WorkOrder.objects.filter(number=wo).update(
        handed_over_at=timezone.now() - timedelta(days=days_ago)
    )
    return wo


def test_a_return_on_day_90_is_a_free_repeat_repair_without_a_quote(desk, bought, open_job):
    unit = bought(days_ago=500)  # long out of warranty: only the repeat makes it free
    first = repaired_earlier(desk, unit, open_job, days_ago=90)
    _, wo = open_job(desk, unit)
    job = desk.get(f"/work-orders/{wo}").json()
    assert job["repeat_repair"] is True and job["repeat_of"] == first

    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="排线再次断裂", fault_code="SCREEN")
    ok(desk, wo, "start_repair")  # no quote needed
    ok(desk, wo, "complete_repair", actions_taken="换排线")
    ready = ok(desk, wo, "qc_pass", checks=["屏幕"])
    assert ready["amount_due"] == "0.00" and ready["repeat_of"] == first


def test_a_return_on_day_91_is_a_new_paid_job(desk, bought, open_job):
    unit = bought(days_ago=500)
    repaired_earlier(desk, unit, open_job, days_ago=91)
    _, wo = open_job(desk, unit)
    job = desk.get(f"/work-orders/{wo}").json()
    assert job["repeat_repair"] is False and job["repeat_of"] is None


def test_a_different_fault_found_in_diagnosis_clears_the_repeat_flag(desk, bought, open_job):
    unit = bought(days_ago=500)
    repaired_earlier(desk, unit, open_job, days_ago=30, fault_code="SCREEN")
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)

    found = ok(desk, wo, "diagnose", findings="电池鼓包", fault_code="BATTERY")

    assert found["repeat_repair"] is False and found["repeat_of"] is None
    assert act(desk, wo, "start_repair").json()["error"]["code"] == "quote_not_approved"


# --- exchange and refund retire the serial ------------------------------------------------------


def test_an_exchange_registers_the_new_unit_and_retires_the_old_serial(desk, bought, open_job):
    unit = bought(days_ago=10)  # inside the 15-day exchange window
    _, wo = open_job(desk, unit)
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    ok(desk, wo, "choose_remedy", remedy="exchange")

    done = ok(desk, wo, "exchange", new_serial="869999000000001")

    assert done["status"] == "ready" and done["outcome"] == "exchanged"
    assert done["amount_due"] == "0.00"
    old = desk.get(f"/units/{unit.serial}").json()
    new = desk.get("/units/869999000000001").json()
    assert old["status"] == "exchanged"
    assert (new["model"], new["customer_id"]) == (old["model"], old["customer_id"])
    assert new["invoice_date"] == timezone.localdate().isoformat()  # a fresh period from today
    assert new["warranty"]["warranty_ends"] > old["warranty"]["warranty_ends"]
    assert_retired(desk, unit)


def test_a_refund_returns_the_unit_as_faulty_for_good(desk, bought, open_job):
    unit = bought(days_ago=5, price="2999.00")
    _, wo = open_job(desk, unit)
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    ok(desk, wo, "choose_remedy", remedy="refund")

    done = ok(desk, wo, "refund")

    assert done["outcome"] == "refunded" and done["refund_amount"] == "2999.00"
    assert desk.get(f"/units/{unit.serial}").json()["status"] == "returned_faulty"
    assert_retired(desk, unit)
    ok(desk, wo, "hand_over", rating=4, no_signature_reason="客户口头确认")
    assert desk.get(f"/units/{unit.serial}").json()["status"] == "returned_faulty"


def assert_retired(desk, unit):  # type: ignore[no-untyped-def]
    again = desk.post(
        "/units",
        {
            "serial": unit.serial,
            "model": unit.model.code,
            "customer_id": unit.customer_id,
            "purchase_date": timezone.localdate().isoformat(),
        },
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    unit.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        catalog_services.unit_update(unit=unit, by=None, purchase_date=timezone.localdate())
    assert refused.value.code == "unit_retired" and refused.value.status == 409


# --- loaners ------------------------------------------------------------------------------------


def test_a_loaner_goes_to_one_customer_at_a_time_and_comes_back(desk, bought, open_job, center):
    Loaner.objects.create(serial="LOAN-1", description="备用机", center=center)
    _, first = open_job(desk, bought(days_ago=400))
    _, second = open_job(desk, bought(days_ago=400))

    lent = ok(desk, first, "loan_unit", serial="loan-1")
    assert lent["loaner"]["serial"] == "LOAN-1"
    taken = act(desk, second, "loan_unit", serial="LOAN-1")
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "conflict"
    assert desk.get(f"/work-orders/{second}").json()["loaner"] is None
    assert act(desk, first, "loan_unit", serial="LOAN-1").json()["error"]["code"] == "loaner_out"

    assert ok(desk, first, "return_loan", serial="LOAN-1")["loaner"] is None
    assert ok(desk, second, "loan_unit", serial="LOAN-1")["loaner"]["serial"] == "LOAN-1"


def test_a_loaner_still_out_comes_back_when_the_job_is_cancelled(desk, bought, open_job, center):
    Loaner.objects.create(serial="LOAN-1", description="备用机", center=center)
    _, wo = open_job(desk, bought(days_ago=400))
    _, next_job = open_job(desk, bought(days_ago=400))
    ok(desk, wo, "loan_unit", serial="LOAN-1")

    cancelled = ok(desk, wo, "cancel", reason="客户不修了")

    assert cancelled["allowed_actions"] == [] and cancelled["loaner"] is None
    assert ok(desk, next_job, "loan_unit", serial="LOAN-1")["loaner"]["serial"] == "LOAN-1"


def test_a_loaner_still_out_comes_back_at_the_hand_over(desk, bought, open_job, center):
    Loaner.objects.create(serial="LOAN-1", description="备用机", center=center)
    _, wo = open_job(desk, bought(days_ago=400))
    ok(desk, wo, "loan_unit", serial="LOAN-1")
    to_ready_paid(desk, wo)

    done = ok(
        desk,
        wo,
        "hand_over",
        rating=5,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
    )

    assert done["status"] == "completed" and done["loaner"] is None
    assert not Loan.objects.filter(returned_at=None).exists()


# --- people -------------------------------------------------------------------------------------


def test_a_leavers_open_jobs_move_to_a_colleague_each_with_an_assign_event(
    desk, manager, bought, open_job, center, tech
):
    make_staff("tech2", "technician", center)
    _, one = open_job(desk, bought(days_ago=400), technician="tech")
    _, two = open_job(desk, bought(days_ago=400), technician="tech")
    _, done = open_job(desk, bought(days_ago=400), technician="tech")
    ok(desk, done, "cancel", reason="客户取消")

    moved = manager.post("/users/tech/handover", {"to": "tech2"})

    assert moved.status_code == 200, moved.json()
    assert moved.json()["work_orders"] == 2
    for wo in (one, two):
        job = desk.get(f"/work-orders/{wo}").json()
        assert job["technician"] == "tech2"
        assert job["events"][-1]["action"] == "assign" and job["events"][-1]["actor"] == "boss"
    assert desk.get(f"/work-orders/{done}").json()["technician"] == "tech"


# --- follow-ups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("result", "hours"), [("uncertain", 3), ("untested", 2)])
def test_an_uncertain_or_untested_repair_is_called_back_in_working_hours(
    desk, bought, open_job, center, result, hours
):
    _, wo = open_job(desk, bought(days_ago=30))
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")

    ok(desk, wo, "complete_repair", actions_taken="重装系统", result=result)

    callback = FollowUp.objects.get(kind="repair_callback", work_order__number=wo)
    # The timeline's own moment (the API rounds it to milliseconds; the clock runs on).
    done_at = Event.objects.get(action="complete_repair").at
    assert callback.due_at == calendar_rules.add_business_hours(done_at, hours, calendar_of(center))


def test_a_sure_repair_sets_no_callback(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=30))
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")
    ok(desk, wo, "complete_repair", actions_taken="换电池")
    assert not FollowUp.objects.filter(kind="repair_callback").exists()


def test_the_hand_over_sets_the_survey_for_the_next_working_days_opening(
    desk, bought, open_job, center
):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(desk, wo, "no_fault_found", findings="未复现")

    done = ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户口头确认")

    survey = FollowUp.objects.get(kind="satisfaction_survey", work_order__number=wo)
    assert survey.due_at == calendar_rules.next_working_day_opening(
        event_at(done, "hand_over"), calendar_of(center)
    )


def test_a_customer_reached_once_who_does_not_come_is_called_again_on_the_ladder(
    desk, bought, open_job
):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(desk, wo, "no_fault_found", findings="未复现")
    ok(desk, wo, "notify_pickup", channel="phone", reached=True)
    assert not FollowUp.objects.filter(work_order__number=wo, status="open").exists()

    called = ok(desk, wo, "notify_pickup", channel="phone", reached=False)

    assert called["status"] == "ready"
    calls = FollowUp.objects.filter(kind="pickup_reminder", work_order__number=wo)
    assert calls.filter(status="open").count() == 1
    assert calls.filter(status="done", outcome="phone:not_reached").count() == 1


# --- the request --------------------------------------------------------------------------------


def test_the_first_job_starts_the_request_and_its_timeline_shows_the_jobs_events(
    desk, bought, open_job
):
    ticket, wo = open_job(desk, bought(days_ago=400))
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)

    request = desk.get(f"/tickets/{ticket}").json()

    assert request["status"] == "in_progress"
    events = [(e["action"], e["work_order"]) for e in request["events"]]
    assert events[0] == ("created", None)
    assert ("start", wo) in events or ("start", None) in events
    assert ("created", wo) in events and ("receive", wo) in events
    assert [a for a, _ in events].count("start") == 1


def test_a_second_job_does_not_start_the_request_again(desk, bought, open_job):
    unit = bought(days_ago=400)
    ticket, _ = open_job(desk, unit)
    desk.post(f"/tickets/{ticket}/work-orders", {"mode": "pull_back"})
    events = [e["action"] for e in desk.get(f"/tickets/{ticket}").json()["events"]]
    assert events.count("start") == 1


# --- mail-in ------------------------------------------------------------------------------------


def test_a_mail_in_unit_arrives_and_leaves_with_tracking_numbers_and_no_rating(
    desk, bought, open_job
):
    _, wo = open_job(desk, bought(days_ago=400), mode="mail_in")
    missing = act(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    assert missing.status_code == 422 and "tracking_no" in missing.json()["error"]["details"]
    received = ok(
        desk, wo, "receive", inspection=INSPECTION, agreement_signed=True, tracking_no="SF100"
    )
    assert received["tracking_in"] == "SF100"
    ok(desk, wo, "start_diagnosis")
    ok(desk, wo, "no_fault_found", findings="未复现")

    unsent = act(desk, wo, "hand_over")
    assert unsent.status_code == 422 and list(unsent.json()["error"]["details"]) == ["tracking_no"]
    done = ok(desk, wo, "hand_over", tracking_no="SF200")

    assert done["status"] == "completed" and done["tracking_out"] == "SF200"
    assert done["rating"] is None
