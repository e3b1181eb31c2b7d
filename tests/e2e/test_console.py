"""The service console in a real browser: a hotline call from the phone number to the request,
its escalation, and the technical center's answer coming back to the request's timeline.

The browser asks for Chinese (zh-CN); `zh(msgid)` is what a Chinese user reads. Dates are
relative to today, as the decision's own report date is.
"""

import importlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.tickets.models import Ticket
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
    """The live server's tests empty the database after each test, the shipped 三包 policies
    included: put them back (the migration's own function, idempotent)."""
    SHIPPED_POLICIES.ship(django_apps, None)


def tab_to(page: Page, name: str, limit: int = 40) -> None:
    """Press Tab until the field named `name` has the focus."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the field {name!r}")


def test_a_hotline_call_becomes_an_escalated_repair_answered_by_the_technical_center(
    page: Page, new_context, log_in, zh
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = make_staff("lixy", "hotline", center)
    engineer = make_staff("chenj", "tech_center")
    customer = CustomerFactory(name="张伟", phone="+8613800138000", region="440106")
    bought = timezone.localdate() - timedelta(days=5)
    phone_model = ProductModelFactory(
        code="XH-P50", name="星河 P50", category=CategoryFactory(code="mobile_phone")
    )
    unit = UnitFactory(
        serial="860000001234567",
        model=phone_model,
        customer=customer,
        purchase_date=bought,
        invoice_date=bought,
        invoice_no="FP-20261118",
        price=Decimal("2999.00"),
    )
    log_in(agent)

    # The call comes in: the number, typed as the customer says it, finds the customer.
    page.goto("/requests/new/")
    expect(page.get_by_label(zh("Phone"))).to_be_focused()
    page.keyboard.type("138 0013 8000")
    page.keyboard.press("Tab")
    expect(page.locator("#customer-panel")).to_contain_text("张伟")
    expect(page.locator("#unit-picks")).to_contain_text(unit.serial)
    kind = page.locator("input[name=kind]:checked")
    expect(kind).to_be_focused()  # Tab waited for the customer, then went on
    expect(kind).to_have_value("repair")

    # The customer's phone, picked from the keyboard: the 三包 decision shows before submitting.
    tab_to(page, "unit")
    page.keyboard.press("Space")
    expect(page.locator(f"input[name=unit][value='{unit.serial}']")).to_be_checked()
    decision = page.locator("#decision")
    expect(decision.locator(".remedy-label")).to_have_text(
        [zh("Refund"), zh("Exchange"), zh("Free repair")]
    )
    expect(decision.locator(".verdict")).to_contain_text(zh("Covered by 三包"))

    tab_to(page, "summary")
    page.keyboard.type("开机后反复重启")
    page.keyboard.press("Enter")  # Enter never submits half a form
    expect(page).to_have_url(re.compile(r"/requests/new/$"))
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/requests/SR\d{10}/$"))
    ticket = Ticket.objects.get()
    assert ticket.owner == agent and ticket.unit == unit
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text(ticket.number)
    expect(main.locator(".warranty-card .remedy-label")).to_have_text(
        [zh("Refund"), zh("Exchange"), zh("Free repair")]
    )

    # A hard problem: escalate it from the request page.
    escalate = page.locator("details.action-escalate > summary")
    escalate.focus()
    page.keyboard.press("Enter")
    question = page.locator("#escalate-note")
    expect(question).to_be_focused()
    page.keyboard.type("刷机后仍反复重启，是否主板故障？")
    page.keyboard.press("Control+Enter")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(zh("Escalated to the technical center"))
    expect(page.locator(".request-head")).to_contain_text(zh("Escalated"))

    # The technical center, in its own browser, answers from its queue.
    other = new_context()
    tech_page = other.new_page()
    log_in(engineer, page=tech_page)
    tech_page.goto("/escalations/")
    case = tech_page.locator("article.case", has_text=ticket.number)
    expect(case).to_contain_text("刷机后仍反复重启")
    expect(case).to_contain_text("张伟")
    case.get_by_label(zh("Answer")).fill("更换主板排线后复测；如仍重启，按三包换货。")
    case.get_by_label(zh("Answer")).press("Control+Enter")
    expect(tech_page.locator("article.case", has_text=ticket.number)).to_contain_text(
        zh("Answer sent: it is on the request's timeline.")
    )

    # Back at the hotline: the answer is on the request's timeline.
    page.reload()
    answered = page.locator(".event-escalation_answered")
    expect(answered).to_contain_text(zh("Technical center answered"))
    expect(answered).to_contain_text("更换主板排线后复测")
    expect(page.locator(".case-answer")).to_contain_text("chenj")


def test_the_console_lists_my_queue_and_filters_without_a_reload(page: Page, log_in, zh):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = make_staff("lixy", "hotline", center)
    colleague = make_staff("wangf", "hotline", center)
    from aftersales.tickets import services

    mine = services.ticket_create(
        by=agent,
        kind="consultation",
        channel="hotline",
        summary="怎么设置铃声",
        customer={"name": "张伟", "phone": "13800138000"},
    )
    theirs = services.ticket_create(
        by=colleague,
        kind="repair",
        channel="walk_in",
        summary="屏幕碎了",
        customer={"name": "王芳", "phone": "13900139000"},
    )
    log_in(agent)

    page.goto("/requests/")
    rows = page.locator("#ticket-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(mine.number)
    expect(rows.first).to_contain_text("138 0013 8000")
    page.evaluate("window.stillTheSamePage = true")

    page.locator(".queue", has_text=zh("My center")).click()
    expect(rows).to_have_count(2)
    page.get_by_label(zh("Kind"), exact=True).select_option("repair")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(theirs.number)
    expect(page).to_have_url(re.compile(r"queue=center.*kind=repair"))
    assert page.evaluate("window.stillTheSamePage") is True, "the list changed without a reload"
