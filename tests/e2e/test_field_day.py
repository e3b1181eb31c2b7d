"""A technician's day on a phone-sized screen, in a real browser: today's job on the list, on my
way → arrived → started → findings → finished (repair and QC) → the customer signs on the pad
with a finger (the mouse here) and rates → the job is completed and leaves the day."""

import importlib
import re
from datetime import datetime, time

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.workorders.models import WorkOrder
from tests.factories import (
    CenterFactory,
    make_staff,
    on_site_job,
)

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


@pytest.fixture
def technician_and_job(settings, tmp_path):  # type: ignore[no-untyped-def]
    """李师傅 and an on-site job booked for him today at 9:00 (a free repair: bought 40 days ago)."""
    settings.MEDIA_ROOT = tmp_path
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    hotline = make_staff("hotline", "hotline", center)
    dispatcher = make_staff("diaodu", "dispatcher")
    li = make_staff("li", "technician", center)
    # Booked earlier for 9:00 today (the factory moves a window that has begun back to it).
    nine = datetime.combine(timezone.localdate(), time(9), tzinfo=timezone.get_current_timezone())
    wo = on_site_job(
        hotline,
        technician=li,
        booked_at=nine,
        booked_by=dispatcher,
        customer="张伟",
        phone="+8613800138000",
        address="广州市天河区天河路 385 号",
        model_name="星河 P50",
        summary="充电无反应",
    )
    return li, wo


def tap(page: Page, step: str) -> None:
    page.locator(f"[data-step={step}] button[type=submit]").click()


def sign(page: Page) -> None:
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 20, y + 50)
    page.mouse.down()
    for n in range(1, 12):
        page.mouse.move(x + 20 + n * 25, y + 50 + (20 if n % 2 else -20), steps=3)
    page.mouse.up()


def test_a_technicians_day_on_the_phone_from_on_my_way_to_the_signed_hand_over(
    page: Page, log_in, technician_and_job
):
    li, wo = technician_and_job
    page.set_viewport_size(PHONE)
    log_in(li)

    page.goto("/field/")
    card = page.locator(f"[data-job={wo.number}]")
    expect(card).to_contain_text("张伟")
    expect(card).to_contain_text("09:00")
    expect(card.locator("a[href^='tel:']")).to_have_attribute("href", "tel:+8613800138000")
    expect(card.locator("a[href^='https://uri.amap.com/search?keyword=']")).to_be_visible()
    card.locator("a.job-link").click()
    expect(page).to_have_url(re.compile(rf"/field/{wo.number}/$"))

    # One column, nothing wider than the phone, buttons a thumb can hit.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    depart = page.locator("[data-step=depart] button[type=submit]").bounding_box()
    assert depart is not None and depart["height"] >= 44

    for step, shown in (("depart", "depart"), ("arrive", "arrive"), ("start_diagnosis", "start")):
        tap(page, step)
        expect(page.locator(f"[data-time={shown}]")).to_have_class("done")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "diagnosing")

    page.locator("#diagnose-findings").fill("充电接口氧化")
    tap(page, "diagnose")
    tap(page, "start_repair")

    page.locator("#finish-actions_taken").fill("更换充电接口")
    page.locator("#finish-checks_0").check()
    page.locator("#finish-checks_2").check()
    tap(page, "finish")
    expect(page.locator("[data-time=finish]")).to_have_class("done")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "ready")

    sign(page)
    expect(page.locator("input[name=signature]")).to_have_value(
        re.compile(r"^data:image/png;base64,")
    )
    page.locator("label[for=hand_over-rating_4]").click()  # 5, the fifth big button
    tap(page, "hand_over")

    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "completed")
    expect(page.locator("[data-time=hand_over]")).to_have_class("done")
    done = WorkOrder.objects.get(pk=wo.pk)
    assert (done.status, done.rating, done.outcome) == ("completed", 5, "repaired")
    assert done.handover_signature.read().startswith(b"\x89PNG")

    page.goto("/field/")
    expect(page.locator(f"[data-job={wo.number}]")).to_have_count(0)
