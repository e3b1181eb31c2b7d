"""The hand-over at the front desk in a real browser: the customer declines to rate ("客户不愿评价"),
the desk tries to hand over without a signature and is told beside the pad, then the customer
signs on the pad with the mouse — or the desk writes why there is no signature instead."""

import importlib
import re
from datetime import timedelta
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
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


@pytest.fixture
def desk_and_ready_job(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A front desk and a carry-in phone out of warranty, found without a fault: nothing due,
    waiting for its customer at the counter."""
    settings.MEDIA_ROOT = tmp_path
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"], phone="020-12345678")
    desk = make_staff("wangf", "front_desk", center)
    customer = CustomerFactory(name="张伟", phone="+8613800138000", region="440106")
    bought = timezone.localdate() - timedelta(days=400)
    unit = UnitFactory(
        model=ProductModelFactory(category=CategoryFactory(code="mobile_phone")),
        customer=customer,
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )
    ticket = ticket_services.ticket_create(
        by=desk,
        kind="repair",
        channel="walk_in",
        customer_id=customer.pk,
        serial=unit.serial,
        summary="偶发死机",
    )
    job = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
    for action, payload in (
        ("receive", {"inspection": {}, "agreement_signed": True, "voucher": "valid"}),
        ("start_diagnosis", {}),
        ("no_fault_found", {"findings": "连续测试 2 小时未复现"}),
    ):
        job = services.work_order_act(work_order=job, by=desk, action=action, **payload)
    return desk, job


def open_hand_over(page: Page):  # type: ignore[no-untyped-def]
    action = page.locator("details[data-action=hand_over]")
    if action.get_attribute("open") is None:
        action.locator("summary").click()
    return action


def sign(page: Page, pad) -> None:  # type: ignore[no-untyped-def]
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 60)
    page.mouse.down()
    for step in range(1, 14):
        page.mouse.move(x + 30 + step * 18, y + 60 + (20 if step % 2 else -20), steps=3)
    page.mouse.up()


def test_a_customer_declines_to_rate_and_signs_on_the_pad(
    page: Page, log_in, zh, desk_and_ready_job
):
    desk, job = desk_and_ready_job
    log_in(desk)
    page.goto(f"/work-orders/{job.number}/")
    form = open_hand_over(page)
    form.get_by_label(zh("Customer prefers not to rate")).check()
    expect(form.locator("input[name=quality_score]")).to_have_count(5)
    expect(form.locator("input[name=attitude_score]")).to_have_count(5)

    form.locator("button[type=submit]").click()  # nothing signed, no reason written

    form = page.locator("details[data-action=hand_over]")
    expect(form.locator(".signature-field .field-error")).to_have_text(
        zh("Take the customer's signature, or write why they did not sign.")
    )
    expect(form.get_by_label(zh("Customer prefers not to rate"))).to_be_checked()
    assert WorkOrder.objects.get(pk=job.pk).status == "ready"

    sign(page, form.locator("canvas.signature-pad"))
    expect(form.locator("input[name=signature]")).to_have_value(
        re.compile(r"^data:image/png;base64,")
    )
    form.locator("button[type=submit]").click()

    expect(page.locator("[data-rating]")).to_have_text(zh("Customer did not rate"))
    done = WorkOrder.objects.get(pk=job.pk)
    assert (done.status, done.rating) == ("completed", None)
    assert done.handover_signature.read().startswith(b"\x89PNG")


def test_without_a_signature_the_desk_writes_why(page: Page, log_in, zh, desk_and_ready_job):
    desk, job = desk_and_ready_job
    log_in(desk)
    page.goto(f"/work-orders/{job.number}/")
    form = open_hand_over(page)
    form.locator("input[name=rating][value='4']").check()
    form.locator("input[name=quality_score][value='5']").check()
    form.get_by_label(zh("Not signed? Why")).fill("家属代取，客户本人未到")

    form.locator("button[type=submit]").click()

    expect(page.locator("[data-rating]")).to_have_text("4 / 5")
    expect(page.locator("[data-signed]")).to_contain_text("家属代取，客户本人未到")
    done = WorkOrder.objects.get(pk=job.pk)
    assert (done.rating, done.quality_score, done.no_signature_reason) == (
        4,
        5,
        "家属代取，客户本人未到",
    )
