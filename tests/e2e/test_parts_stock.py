"""Choosing the parts used on the work-order page in a real browser: the part is typed or picked
from the catalogue of the unit's model, its stock shows beside it as it is chosen, and the
repair takes it from the center's shelf; a code not in the catalogue reads so at once."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import Part, PartStock, StockMovement, WorkOrder
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
def desk_and_job():  # type: ignore[no-untyped-def]
    """A front desk and a carry-in phone in repair (a free repair: bought 40 days ago), its
    model's battery on the center's shelf: 5 on hand, 1 of them reserved for another job."""
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    desk = make_staff("wangf", "front_desk", center)
    bought = timezone.localdate() - timedelta(days=40)
    model = ProductModelFactory(
        code="XH-P50", name="星河 P50", category=CategoryFactory(code="mobile_phone")
    )
    unit = UnitFactory(
        model=model,
        customer=CustomerFactory(name="张伟"),
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )
    battery = Part.objects.create(model=model, code="BAT-P50", name="电池", price="120.00")
    Part.objects.create(model=model, code="SCR-P50", name="屏幕总成", price="600.00")
    PartStock.objects.create(center=center, part=battery, on_hand=5, reserved=1)
    ticket = ticket_services.ticket_create(
        by=desk,
        kind="repair",
        channel="walk_in",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="电池鼓包",
    )
    job = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
    services.work_order_act(
        work_order=job,
        by=desk,
        action="receive",
        inspection={"appearance": "后盖翘起"},
        agreement_signed=True,
    )
    for action in ("start_diagnosis", "start_repair"):
        services.work_order_act(work_order=job, by=desk, action=action)
    return desk, job


def test_a_part_is_chosen_with_its_stock_shown_and_the_repair_takes_it_from_the_shelf(
    page: Page, log_in, zh, desk_and_job
):
    desk, job = desk_and_job
    log_in(desk)
    page.goto(f"/work-orders/{job.number}/")

    page.locator("[data-action=complete_repair] > summary").click()
    form = page.locator("[data-action=complete_repair] form")
    form.locator("#complete_repair-actions_taken").fill("更换鼓包电池")
    catalogue = form.locator("datalist#complete_repair-catalogue option")
    expect(catalogue).to_have_count(2)
    expect(form.locator("datalist option[value=BAT-P50]")).to_contain_text("电池")

    code = form.locator("#complete_repair-parts_used_code_0")
    stock = form.locator("output[for=complete_repair-parts_used_code_0]")
    code.press_sequentially("XYZ")
    expect(stock).to_have_text(zh("Not in the parts catalogue of this model"))
    code.fill("")
    code.press_sequentially("BAT-P50")
    expect(stock).to_contain_text("电池")
    on_hand = zh("center %(on_hand)s on hand, %(available)s free") % {
        "on_hand": 5,
        "available": 4,
    }
    expect(stock).to_contain_text(on_hand)
    form.locator("#complete_repair-parts_used_qty_0").fill("2")
    form.locator("button[type=submit]").click()

    expect(page.locator("table.parts")).to_contain_text("BAT-P50")
    expect(page.locator("table.parts")).to_contain_text("电池")
    done = WorkOrder.objects.get(pk=job.pk)
    assert done.status == "qc"
    shelf = PartStock.objects.get(part__code="BAT-P50", holder=None)
    assert (shelf.on_hand, shelf.reserved) == (3, 1)
    assert StockMovement.objects.get().on_hand_change == -2
