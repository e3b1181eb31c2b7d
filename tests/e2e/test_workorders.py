"""Reception at the front desk in a real browser: the intake inspection, the customer signing
the repair agreement on the pad with the mouse, and the receipt slip; and the refusal when the
pad was left empty, with everything typed still on the form."""

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
SHIPPED_CHECKLISTS = importlib.import_module("aftersales.catalog.migrations.0005_seed_checklists")


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)
    SHIPPED_CHECKLISTS.seed(django_apps, None)


@pytest.fixture
def desk_and_job(settings, tmp_path):  # type: ignore[no-untyped-def]
    """A front desk and a carry-in job opened through the services (the customer is at the desk)."""
    settings.MEDIA_ROOT = tmp_path
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"], phone="020-12345678")
    desk = make_staff("wangf", "front_desk", center)
    customer = CustomerFactory(name="张伟", phone="+8613800138000", region="440106")
    bought = timezone.localdate() - timedelta(days=40)
    unit = UnitFactory(
        serial="860000007654321",
        model=ProductModelFactory(
            code="XH-P50", name="星河 P50", category=CategoryFactory(code="mobile_phone")
        ),
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
        summary="充电无反应",
    )
    job = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
    return desk, job


def fill_inspection(page: Page, zh) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(zh("Appearance: damage, scratches, cracks")).fill("背面两处划痕，屏幕完好")
    page.get_by_label("充电器", exact=True).check()  # the phone category's accessories
    page.get_by_label("数据线", exact=True).check()
    page.get_by_label(zh("Other accessories")).fill("透明保护壳")
    page.locator("input[name=liquid_indicator][value=intact]").check()
    page.locator("input[name=seal_intact][value=yes]").check()
    page.locator("input[name=serial_matches][value=yes]").check()
    page.get_by_label(zh("Non-original parts")).fill("后壳非原装")
    page.get_by_label(zh("Yes: 三包 voucher and invoice")).check()


def sign(page: Page) -> None:
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 100)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + 30 + step * 18, y + 100 + (25 if step % 2 else -25), steps=3)
    page.mouse.up()


def test_the_front_desk_receives_a_unit_with_a_signed_agreement(
    page: Page, log_in, zh, desk_and_job
):
    desk, job = desk_and_job
    log_in(desk)
    page.goto(f"/work-orders/{job.number}/")
    page.locator("a.action-receive").click()
    expect(page).to_have_url(re.compile(rf"/work-orders/{job.number}/receive/$"))
    expect(page.locator(".backup-reminder")).to_be_visible()
    expect(page.locator(".agreement-text")).to_contain_text(
        zh("A unit found unrepairable may not be restorable to its state before the repair.")
    )

    fill_inspection(page, zh)
    signature = page.locator("input[name=agreement_signature]")
    expect(signature).to_have_value("")
    sign(page)
    expect(signature).to_have_value(re.compile(r"^data:image/png;base64,"))
    expect(page.locator("[data-signature-state]")).to_have_text(zh("Signed"))
    page.get_by_role("button", name=zh("Receive the unit and print the slip")).click()

    expect(page).to_have_url(re.compile(rf"/work-orders/{job.number}/receipt/$"))
    slip = page.locator("main")
    expect(slip.locator("h1")).to_have_text(zh("Receipt slip"))
    expect(slip).to_contain_text(job.number)
    expect(slip).to_contain_text("张伟")
    expect(slip).to_contain_text("背面两处划痕")
    expect(slip).to_contain_text("透明保护壳")
    expect(slip).to_contain_text("020-12345678")
    expect(slip.locator("[data-brought-by]")).to_have_text(zh("The end user"))
    expect(slip.locator("img")).to_have_count(1)  # the customer's signature
    received = WorkOrder.objects.get(pk=job.pk)
    assert received.status == "received" and received.agreement_signed
    assert received.agreement_signature.read().startswith(b"\x89PNG")


def test_reception_without_a_signature_is_refused_and_keeps_what_was_typed(
    page: Page, log_in, zh, desk_and_job
):
    desk, job = desk_and_job
    log_in(desk)
    page.goto(f"/work-orders/{job.number}/receive/")
    fill_inspection(page, zh)
    sign(page)
    page.get_by_role("button", name=zh("Clear signature")).click()
    expect(page.locator("input[name=agreement_signature]")).to_have_value("")
    page.get_by_role("button", name=zh("Receive the unit and print the slip")).click()

    expect(page).to_have_url(re.compile(rf"/work-orders/{job.number}/receive/$"))
    expect(page.locator(".alert.error")).to_have_text(
        zh("The customer must sign the repair agreement before the unit is taken in.")
    )
    expect(page.get_by_label(zh("Appearance: damage, scratches, cracks"))).to_have_value(
        "背面两处划痕，屏幕完好"
    )
    expect(page.get_by_label("充电器", exact=True)).to_be_checked()
    expect(page.get_by_label(zh("Other accessories"))).to_have_value("透明保护壳")
    expect(page.get_by_label(zh("Non-original parts"))).to_have_value("后壳非原装")
    assert WorkOrder.objects.get(pk=job.pk).status == "created"
