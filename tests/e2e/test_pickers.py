"""Regions and people picked by name in a real browser: typing 天河 at intake offers
“广东省 广州市 天河区 (440106)”, choosing it and saving puts the customer in Tianhe — the customer
page reads 天河区, not 440106; a work order's technician is chosen by name on the request page."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from aftersales.customers.models import Customer
from aftersales.dispatch.services import staff_upsert
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from tests.factories import PASSWORD, CenterFactory, CustomerFactory

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


def named(username, role, center, name):  # type: ignore[no-untyped-def]
    return staff_upsert(
        username=username, role=role, center_code=center.code, name=name, password=PASSWORD
    )


def test_a_region_typed_by_name_is_picked_and_the_customer_page_shows_the_place(
    page: Page, log_in, zh
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    log_in(named("lixy", "hotline", center, "李晓燕"))

    page.goto("/requests/new/")
    page.keyboard.type("139 0013 9000")
    page.keyboard.press("Tab")
    page.get_by_label(zh("Name"), exact=True).fill("王芳")
    region = page.locator("#id_region")
    region.click()
    region.press_sequentially("天河", delay=50)
    option = page.get_by_role("option", name=re.compile("广东省 广州市 天河区"))
    expect(option).to_be_visible()
    expect(option).to_contain_text("440106")
    option.click()
    expect(region).to_have_value("广东省 广州市 天河区 (440106)")
    page.locator("input[name=kind][value=consultation]").check()
    page.get_by_label(zh("Summary")).fill("咨询保修期")
    page.locator("#create-request").click()
    page.wait_for_url(re.compile(r"/requests/SR\w+/$"))

    customer = Customer.objects.get(phone="+8613900139000")
    assert customer.region == "440106"
    page.goto(f"/customers/{customer.pk}/")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("天河区")
    expect(facts).not_to_contain_text("440106")


def test_the_keyboard_picks_a_region_too(page: Page, log_in):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    log_in(named("lixy", "hotline", center, "李晓燕"))

    page.goto("/requests/new/")
    page.keyboard.type("139 0013 9000")
    page.keyboard.press("Tab")
    region = page.locator("#id_region")
    region.click()
    region.press_sequentially("深圳 南山", delay=50)  # Hegang has a 南山区 too
    expect(page.locator("#id_region_options [role=option]").first).to_contain_text("深圳市 南山区")
    region.press("ArrowDown")
    region.press("Enter")

    expect(region).to_have_value("广东省 深圳市 南山区 (440305)")
    assert not Ticket.objects.exists()  # Enter chose; it did not submit the form


def test_a_technician_is_chosen_by_name_on_the_request_page(page: Page, log_in, zh):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = named("lixy", "hotline", center, "李晓燕")
    named("tech01", "technician", center, "赵强")
    customer = CustomerFactory(name="张伟", phone="+8613800138000", region="440106")
    from aftersales.tickets.services import ticket_create

    ticket = ticket_create(
        by=agent, kind="repair", channel="hotline", summary="屏幕闪烁", customer_id=customer.pk
    )
    log_in(agent)

    page.goto(f"/requests/{ticket.number}/")
    page.get_by_label(zh("Technician"), exact=True).select_option(
        label=f"赵强 · {zh('Technician')} · 广州维修中心"
    )
    page.get_by_role("button", name=zh("Open a work order")).click()
    page.wait_for_url(re.compile(r"/work-orders/WO\w+/$"))

    assert WorkOrder.objects.get().technician.username == "tech01"
    expect(page.locator("body")).to_contain_text("赵强")


def test_the_staff_a_complaint_concerns_are_picked_by_name(page: Page, log_in, zh):
    from aftersales.complaints.models import Complaint

    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    log_in(named("lixy", "hotline", center, "李晓燕"))
    named("zhangw", "technician", center, "张伟")
    named("zhaoq", "technician", center, "赵强")

    page.goto("/requests/new/")
    page.get_by_label(zh("Phone")).fill("139 0013 9000")
    page.keyboard.press("Tab")
    page.get_by_label(zh("Name"), exact=True).fill("王女士")
    page.locator("label.seg", has_text=zh("Complaint")).click()
    page.get_by_label(zh("Summary")).fill("工程师上门迟到两小时")
    staff = page.locator("#complaint-fields").get_by_label(zh("Staff concerned"))
    staff.click()
    staff.press_sequentially("张伟", delay=50)
    page.get_by_role("option", name=re.compile("张伟 · ")).click()
    staff.press_sequentially("zhaoq", delay=50)  # the exact username: nothing left to choose
    expect(page.get_by_role("option", name=re.compile("赵强"))).to_be_hidden()
    expect(staff).to_have_value("张伟 (zhangw)，zhaoq")
    page.get_by_role("button", name=zh("Create request")).click()

    expect(page).to_have_url(re.compile(r"/requests/SR\d{10}/$"))
    names = Complaint.objects.get().staff.order_by("username").values_list("username", flat=True)
    assert list(names) == ["zhangw", "zhaoq"]
