"""Only what can be done now, in a real browser: the technician's phone offers the next step of
the visit alone (出发, then 已到达, then 开始检测), and the desk's action bar shows a step that
waits for the customer disabled with why, the next step highlighted."""

import importlib
import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
    on_site_job,
)

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")
PHONE = {"width": 390, "height": 844}
INSPECTION = {
    "appearance": "完好",
    "accessories": [],
    "liquid_indicator": "intact",
    "seal_intact": True,
    "serial_matches": True,
}


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


@pytest.fixture
def center(transactional_db):  # type: ignore[no-untyped-def]
    return CenterFactory(code="gz", name="广州维修中心", regions=["440100"])


def test_the_phone_offers_on_my_way_then_arrived_then_diagnosis(page: Page, log_in, center, zh):
    hotline = make_staff("hotline", "hotline", center)
    li = make_staff("li", "technician", center)
    nine = datetime.combine(timezone.localdate(), time(9), tzinfo=timezone.get_current_timezone())
    wo = on_site_job(
        hotline, technician=li, booked_at=nine, booked_by=make_staff("diaodu", "dispatcher")
    )
    page.set_viewport_size(PHONE)
    log_in(li)
    page.goto(f"/field/{wo.number}/")
    steps = page.locator(".steps [data-step]")

    # Before setting off: 出发 alone — no 已到达, no 开始检测
    expect(steps.first).to_have_attribute("data-step", "depart")
    expect(page.locator("[data-step=arrive]")).to_have_count(0)
    expect(page.locator("[data-step=start_diagnosis]")).to_have_count(0)

    page.get_by_role("button", name=zh("On my way"), exact=True).click()
    expect(page.locator("[data-time=depart]")).to_have_class("done")
    expect(steps.first).to_have_attribute("data-step", "arrive")
    expect(page.locator("[data-step=depart]")).to_have_count(0)
    expect(page.locator("[data-step=start_diagnosis]")).to_have_count(0)

    page.get_by_role("button", name=zh("Arrived"), exact=True).click()
    expect(page.locator("[data-time=arrive]")).to_have_class("done")
    expect(steps.first).to_have_attribute("data-step", "start_diagnosis")
    expect(page.locator("[data-step=arrive]")).to_have_count(0)

    job = WorkOrder.objects.get(pk=wo.pk)
    assert job.departed_at is not None and job.arrived_at is not None
    assert job.departed_at <= job.arrived_at


def test_the_action_bar_shows_diagnosis_waiting_for_the_choice_then_highlights_it(
    page: Page, log_in, center, zh
):
    desk = make_staff("wangf", "front_desk", center)
    bought = timezone.localdate() - timedelta(days=5)  # refund, exchange or free repair
    unit = UnitFactory(
        model=ProductModelFactory(category=CategoryFactory(code="mobile_phone")),
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )
    ticket = ticket_services.ticket_create(
        by=desk,
        kind="repair",
        channel="walk_in",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="充电无反应",
    )
    wo = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
    services.work_order_act(
        work_order=wo, by=desk, action="receive", inspection=INSPECTION, agreement_signed=True
    )
    log_in(desk)
    page.goto(f"/work-orders/{wo.number}/")

    # 开始检测 is there but cannot be pressed, and says why; the customer's choice is the step
    waiting = page.locator("[data-action=start_diagnosis][data-blocked]")
    expect(waiting.get_by_role("button")).to_be_disabled()
    expect(waiting).to_contain_text(zh("Waiting for the customer's choice of remedy"))
    choose = page.locator("details[data-action=choose_remedy][data-primary]")
    expect(choose.locator("summary")).to_have_class(re.compile(r"\bprimary\b"))
    expect(page.locator("[data-action=return_loan]")).to_have_count(0)  # no loaner out

    choose.locator("summary").click()
    choose.get_by_label(zh("Free repair")).check()
    choose.locator("button[type=submit]").click()

    start = page.locator("details[data-action=start_diagnosis][data-primary]")
    expect(start.locator("summary")).to_have_class(re.compile(r"\bprimary\b"))
    expect(page.locator("[data-action=start_diagnosis][data-blocked]")).to_have_count(0)
    # an exchange or refund the customer did not choose is no longer offered
    expect(page.locator("[data-action=exchange]")).to_have_count(0)
    expect(page.locator("[data-action=refund]")).to_have_count(0)
