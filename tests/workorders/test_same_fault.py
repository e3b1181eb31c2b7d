"""The fault found at diagnosis: a code of the unit's category's tree, chosen from a list on the
pages, or any text from the API (kept as it is). "The same fault" — for repeat repairs and failed
repairs — is the same symptom of the tree, or the same text."""

import importlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.rules import same_fault
from tests.factories import (
    CategoryFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
    on_site_job,
)
from tests.workorders.conftest import INSPECTION, ok, to_diagnosing

SHIPPED = importlib.import_module("aftersales.catalog.migrations.0008_shipped_fault_codes")
PHONE = {"NO_POWER": "NO_POWER", "NO_POWER.BOARD": "NO_POWER", "NO_POWER.BATTERY": "NO_POWER"}
PHONE |= {"CAMERA": "CAMERA", "CAMERA.MODULE": "CAMERA", "OTHER": "OTHER"}


@pytest.fixture(autouse=True)
def shipped(db):  # type: ignore[no-untyped-def]
    SHIPPED.ship(django_apps, None)


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


# --- the rule -----------------------------------------------------------------------------------


def test_two_causes_of_one_symptom_are_the_same_fault():
    assert same_fault("NO_POWER.BOARD", "NO_POWER.BATTERY", PHONE)
    assert same_fault("NO_POWER", "no_power.board", PHONE)  # the symptom, its cause not found


def test_causes_of_different_symptoms_are_different_faults():
    assert not same_fault("NO_POWER.BOARD", "CAMERA.MODULE", PHONE)
    assert not same_fault("NO_POWER", "CAMERA", PHONE)


def test_text_that_is_no_code_is_compared_as_text():
    assert same_fault("屏幕闪烁", "屏幕闪烁", PHONE)
    assert same_fault("screen", " SCREEN ", PHONE)
    assert not same_fault("屏幕闪烁", "OTHER", PHONE)  # text is not the "other" symptom's code
    assert not same_fault("屏幕闪烁", "NO_POWER", PHONE)
    assert not same_fault("SCREEN", "BATTERY", {})


def test_a_missing_fault_is_the_same_as_any():
    assert same_fault("", "NO_POWER.BOARD", PHONE) and same_fault("CAMERA", "", PHONE)


# --- through the API: repeat repairs and failed repairs ------------------------------------------


def repaired(desk, unit, open_job, fault_code: str, *, days_ago: int) -> str:  # type: ignore[no-untyped-def]
    """A free repair of `fault_code` on `unit`, handed over `days_ago` days ago."""
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="检修", fault_code=fault_code)
    ok(desk, wo, "start_repair")
    ok(desk, wo, "complete_repair", actions_taken="更换")
    ok(desk, wo, "qc_pass", checks=["开机"])
    ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户口头确认")
    handed_over = timezone.now() - timedelta(days=days_ago)
    WorkOrder.objects.filter(number=wo).update(handed_over_at=handed_over)
    return wo


def test_a_return_with_another_cause_of_the_same_symptom_stays_a_repeat_repair(
    desk, bought, open_job
):
    unit = bought(days_ago=200)
    first = repaired(desk, unit, open_job, "NO_POWER.BATTERY", days_ago=30)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)

    found = ok(desk, wo, "diagnose", findings="主板虚焊", fault_code="NO_POWER.BOARD")

    assert found["repeat_repair"] is True and found["repeat_of"] == first


def test_a_return_with_another_symptom_is_no_repeat_repair(desk, bought, open_job):
    unit = bought(days_ago=200)
    repaired(desk, unit, open_job, "NO_POWER.BATTERY", days_ago=30)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)

    found = ok(desk, wo, "diagnose", findings="摄像头模组损坏", fault_code="CAMERA.MODULE")

    assert found["repeat_repair"] is False and found["repeat_of"] is None


def test_two_failed_repairs_of_one_symptom_open_the_exchange(desk, bought, open_job):
    unit = bought(days_ago=200)  # inside the period, past the exchange window
    repaired(desk, unit, open_job, "NO_DISPLAY.LCD", days_ago=150)
    repaired(desk, unit, open_job, "NO_DISPLAY.CABLE", days_ago=120)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")  # no fault known yet: all count

    other = ok(desk, wo, "diagnose", findings="摄像头不对焦", fault_code="CAMERA.FOCUS")
    assert other["decision"]["remedies"] == ["free_repair"]

    same = ok(desk, wo, "diagnose", findings="触摸失灵", fault_code="NO_DISPLAY.TOUCH")
    assert "exchange" in same["decision"]["remedies"]
    assert "failed_repairs" in [r["code"] for r in same["decision"]["reasons"]]


def test_free_text_from_the_api_is_kept_as_it_is_and_compared_as_text(desk, bought, open_job):
    unit = bought(days_ago=200)
    first = repaired(desk, unit, open_job, "屏幕闪烁", days_ago=20)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)

    found = ok(desk, wo, "diagnose", findings="屏幕闪烁", fault_code="屏幕闪烁")
    assert found["fault_code"] == "屏幕闪烁"
    assert found["repeat_repair"] is True and found["repeat_of"] == first

    moved = ok(desk, wo, "diagnose", findings="其实是不开机", fault_code="NO_POWER")
    assert moved["repeat_repair"] is False


# --- the pages offer the tree only ----------------------------------------------------------------


@pytest.fixture
def diagnosing(center):  # type: ignore[no-untyped-def]
    """A carry-in job on an out-of-warranty phone, in diagnosis, and the desk clerk on it."""
    clerk = make_staff("desk", "front_desk", center)
    bought = timezone.localdate() - timedelta(days=400)
    unit = UnitFactory(
        model=ProductModelFactory(category=CategoryFactory(code="mobile_phone")),
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )
    ticket = ticket_services.ticket_create(
        by=clerk,
        kind="repair",
        channel="walk_in",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="不开机",
    )
    wo = services.work_order_create(ticket=ticket, by=clerk, mode="carry_in")
    services.work_order_act(
        work_order=wo, by=clerk, action="receive", inspection=INSPECTION, agreement_signed=True
    )
    wo = services.work_order_act(work_order=wo, by=clerk, action="start_diagnosis")
    return clerk, wo


def diagnose_form(page: str) -> str:
    found = re.search(r'<select name="fault_code".*?</select>', page, re.S)
    assert found, "no list of fault codes"
    return found.group(0)


def test_the_job_page_offers_the_categorys_tree_grouped_by_symptom(client, diagnosing):
    clerk, wo = diagnosing
    client.force_login(clerk)

    page = client.get(f"/work-orders/{wo.number}/").content.decode()

    listed = diagnose_form(page)
    assert '<optgroup label="不开机 / 无法开机">' in listed
    assert '<option value="NO_POWER.BOARD">主板故障（短路、虚焊）</option>' in listed
    assert '<option value="OTHER">其他</option>' in listed
    assert 'value="ARCHING"' not in listed  # flooring's
    assert not re.search(r'<input[^>]*name="fault_code"', page)


def test_a_code_from_the_list_is_recorded_and_typed_text_is_refused(client, diagnosing):
    clerk, wo = diagnosing
    client.force_login(clerk)
    url = f"/work-orders/{wo.number}/act/"
    body = {"action": "diagnose", "findings": "主板短路"}

    refused = client.post(url, {**body, "fault_code": "主板坏了"})
    wo.refresh_from_db()
    assert refused.status_code == 422 and wo.fault_code == ""

    chosen = client.post(url, {**body, "fault_code": "NO_POWER.BOARD"})
    wo.refresh_from_db()
    assert chosen.status_code == 302 and wo.fault_code == "NO_POWER.BOARD"
    page = client.get(f"/work-orders/{wo.number}/").content.decode()
    assert "不开机 / 无法开机 · 主板故障（短路、虚焊）" in page  # read by its names


def test_the_technicians_phone_offers_the_same_list(client, center):
    hotline = make_staff("hotline", "hotline", center)
    li = make_staff("li", "technician", center)
    dispatcher = make_staff("diaodu", "dispatcher")
    wo = on_site_job(
        hotline, technician=li, booked_at=timezone.now(), booked_by=dispatcher, days_ago=40
    )
    for action in ("depart", "arrive", "start_diagnosis"):
        wo = services.work_order_act(work_order=wo, by=li, action=action)
    client.force_login(li)

    page = client.get(f"/field/{wo.number}/").content.decode()

    assert '<option value="CAMERA.MODULE">摄像头模组损坏</option>' in diagnose_form(page)


# --- the codes written as text before the trees ------------------------------------------------

MATCH = importlib.import_module("aftersales.workorders.migrations.0011_fault_codes_from_text")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("不开机", "NO_POWER"),  # one of the names "不开机 / 无法开机" gives
        ("摄像头故障", "CAMERA"),
        ("主板故障", "主板故障"),  # the name of three causes: left as text
        ("SCREEN", "SCREEN"),
        ("NO_POWER.BOARD", "NO_POWER.BOARD"),
    ],
)
def test_migrating_turns_a_text_naming_one_node_into_its_code_and_keeps_the_rest(
    diagnosing, before, after
):
    _clerk, wo = diagnosing
    WorkOrder.objects.filter(pk=wo.pk).update(fault_code=before)

    MATCH.match_free_text(django_apps, None)

    assert WorkOrder.objects.get(pk=wo.pk).fault_code == after
