"""The technicians' scorecards and the center comparison in a real browser: an administrator goes
from the dashboard to each by its tab and reads one bar per technician and per center — SVG
drawn on the server, under the Content-Security-Policy, fitting a phone's screen. The December
of tests/reports/conftest.py."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from tests.e2e.test_content_security_policy import Watched
from tests.reports.conftest import NOW, december  # noqa: F401  (the scenario, a fixture)

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    """The live server's tests empty the database after each one, the shipped 三包 policies
    included (the requests' decisions need them): put them back."""
    SHIPPED_POLICIES.ship(django_apps, None)


def test_the_admin_compares_the_technicians_and_the_centers(
    page: Page,
    log_in,
    transactional_db,
    december,  # noqa: F811
):
    watched = Watched(page)
    log_in(december.admin)
    page.goto("/reports/?from=2026-12-01&to=2026-12-15")
    tabs = page.get_by_role("navigation", name="报表页面")

    tabs.get_by_role("link", name="技师绩效").click()
    expect(page).to_have_url(re.compile(r"/reports/technicians/\?from=2026-12-01&to=2026-12-15$"))
    rows = page.locator("tr[data-technician]")
    expect(rows).to_have_count(4)  # 张师傅, 李师傅, 王师傅 in Guangzhou, zhao in Shenzhen
    expect(rows.first.locator(".name")).to_have_text("张师傅")
    completed = page.locator('[data-chart="work_orders_completed"]')
    expect(completed.locator("rect.bar")).to_have_count(4)  # one per technician
    assert completed.get_attribute("data-points") == "4"
    expect(completed.locator("rect.bar title").first).to_have_text("张师傅：3")
    fixed = page.locator('[data-chart="first_time_fix_rate"]')
    expect(fixed.locator("rect.bar")).to_have_count(2)  # who completed something has a rate
    watched.assert_clean("/reports/technicians/")

    page.get_by_role("navigation", name="报表页面").get_by_role("link", name="中心对比").click()
    expect(page).to_have_url(re.compile(r"/reports/centers/\?from=2026-12-01&to=2026-12-15$"))
    expect(page.locator("tr[data-center]")).to_have_count(2)  # Guangzhou, Shenzhen
    expect(page.locator("tr.every-center .name")).to_have_text("所有中心")
    sla = page.locator('[data-chart="response_sla_met_rate"]')
    expect(sla.locator("h2")).to_have_text("响应及时率")
    expect(sla.locator("rect.bar")).to_have_count(2)  # one per center
    expect(sla.locator("rect.bar").first).to_have_attribute("data-value", "0.3333")
    expect(sla.locator("line.reference title")).to_have_text("所有中心：25.0%")
    expect(sla.locator(".legend li")).to_have_text(["响应及时率", "所有中心：25.0%"])
    watched.assert_clean("/reports/centers/")

    # The longest bar stays inside its drawing, and on a phone the chart fits the screen.
    bar = sla.locator("rect.bar").first.bounding_box()
    drawing = sla.locator("svg").bounding_box()
    assert bar is not None and drawing is not None
    assert bar["x"] + bar["width"] <= drawing["x"] + drawing["width"]
    page.set_viewport_size({"width": 390, "height": 844})
    box = sla.locator("svg").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    page.locator("tr[data-center='gz'] .name a").click()
    expect(page).to_have_url(re.compile(r"/reports/\?from=2026-12-01&to=2026-12-15&center=gz$"))
    expect(page.locator('[data-kpi="tickets_created"] .kpi-value')).to_have_text("5")
