"""报表 in a real browser: a branch manager opens the dashboard from the menu and reads the month's
KPI cards and the trend charts — server-drawn SVG, one mark per point, under the
Content-Security-Policy, fitting a phone's screen. The December of tests/reports/conftest.py."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from aftersales.dispatch.models import ServiceCenter
from tests.e2e.test_content_security_policy import Watched
from tests.factories import make_staff
from tests.reports.conftest import NOW, december  # noqa: F401  (the scenario, a fixture)

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    """The live server's tests empty the database after each one, the shipped 三包 policies
    included (the requests' decisions need them): put them back."""
    SHIPPED_POLICIES.ship(django_apps, None)


def test_the_branch_manager_reads_the_month_on_the_dashboard(
    page: Page,
    log_in,
    transactional_db,
    december,  # noqa: F811
):
    manager = make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))
    watched = Watched(page)
    log_in(manager)

    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="报表", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reports/$"))

    cards = page.locator("[data-kpi]")
    expect(cards).to_have_count(11)
    created = page.locator('[data-kpi="tickets_created"]')
    expect(created.locator(".kpi-label")).to_have_text("新建请求")
    expect(created.locator(".kpi-value")).to_have_text("5")
    expect(page.locator('[data-kpi="response_sla_met_rate"] .kpi-value')).to_have_text("33.3%")

    # One mark per point: the three days with a response due, 15 days × 3 channels.
    sla = page.locator('[data-chart="response_sla_met"]')
    expect(sla.locator("h2")).to_have_text("响应及时率")
    expect(sla.locator("circle.mark")).to_have_count(3)
    assert sla.get_attribute("data-points") == "3"
    expect(sla.locator("circle.mark").first).to_have_attribute("data-value", "1")
    expect(sla.locator("circle.mark title").first).to_have_text("2026-12-02 · 响应及时率：100.0%")
    by_channel = page.locator('[data-chart="created_by_channel"]')
    expect(by_channel.locator("circle.mark")).to_have_count(45)
    expect(by_channel.locator(".legend li")).to_have_text(["电话", "现场", "网站"])
    expect(by_channel.locator(".axis-x text").first).to_have_text("12-01")
    watched.assert_clean("/reports/")

    # On a phone the charts shrink to the screen instead of running off it.
    page.set_viewport_size({"width": 390, "height": 844})
    box = sla.locator("svg").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
