"""The dispatcher board in a real browser, by keyboard only: open an unassigned job, read who can
take it and why, assign the top suggestion, and see the job land in that technician's row."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from aftersales.workorders.models import WorkOrder
from tests.factories import CenterFactory, make_staff, on_site_job
from tests.field.test_board_pages import technician

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


def tab_to(page: Page, button, limit: int = 8) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until `button` has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        if button.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(button).to_be_focused()


def test_a_dispatcher_assigns_the_top_suggestion_with_the_keyboard(page: Page, log_in, zh):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    hotline = make_staff("hotline", "hotline", center)
    li = technician("li", center, "李师傅")
    technician("wang", center, "王师傅", daily_capacity=0)  # fully booked: not suggested
    job = on_site_job(hotline, customer="张伟")
    log_in(make_staff("diaodu", "dispatcher"))

    page.goto("/dispatch/")
    link = page.locator(".unassigned .job-link", has_text=job.number)
    expect(link).to_be_visible()
    link.focus()
    page.keyboard.press("Enter")

    panel = page.locator("#job-panel")
    expect(panel).to_be_focused()
    expect(panel).to_contain_text(job.number)
    top = panel.locator(".suggestion").first
    expect(top).to_contain_text("李师傅")
    expect(top.locator(".reasons li").first).to_be_visible()
    assign = top.get_by_role("button", name=zh("Assign to %(name)s") % {"name": "李师傅"})
    tab_to(page, assign)
    page.keyboard.press("Enter")

    row = page.locator("#tech-li")
    expect(row).to_contain_text(job.number)
    expect(page.locator(".board-notice")).to_be_visible()
    expect(page.locator(".unassigned")).to_have_count(0)  # nothing left unassigned
    assert WorkOrder.objects.get(pk=job.pk).technician == li
