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
from tests.factories import PASSWORD, make_staff
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


# Each chart's series in GET /reports/trends (a chart of counts draws one series per code).
CHART_SERIES = {
    "created_by_channel": "created_by_channel",
    "created_by_kind": "created_by_kind",
    "response_sla_met": "response_sla_met_rate",
    "resolution_sla_met": "resolution_sla_met_rate",
    "first_time_fix": "first_time_fix_rate",
    "turnaround": "avg_turnaround_hours",
    "repeat_repairs": "repeat_repair_rate_90d",
    "csat": "csat_avg",
    "complaints": "complaints",
    "fees_collected": "fees_collected",
}


def test_each_chart_draws_what_the_api_gives_and_a_figure_opens_its_list(
    page: Page,
    log_in,
    base_url,
    transactional_db,
    december,  # noqa: F811
):
    manager = make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))
    log_in(manager)
    page.goto(f"{base_url}/reports/")

    token = page.request.post(
        f"{base_url}/api/v1/auth/token", data={"username": "boss-gz", "password": PASSWORD}
    ).json()["token"]
    answer = page.request.get(
        f"{base_url}/api/v1/reports/trends", headers={"Authorization": f"Bearer {token}"}
    )
    series = answer.json()["series"]
    expect(page.locator("[data-chart]")).to_have_count(len(CHART_SERIES))
    for chart, name in CHART_SERIES.items():
        values = series[name]
        lines = values.values() if isinstance(values, dict) else [values]
        points = sum(1 for line in lines for value in line if value is not None)
        expect(page.locator(f'[data-chart="{chart}"] circle.mark')).to_have_count(points)

    # The response SLA's 33.3 %: a click lists the two requests that missed it.
    page.locator('[data-kpi="response_sla_met_rate"] .kpi-value a').click()
    expect(page).to_have_url(re.compile(r"/reports/figures/response_sla_met_rate/\?from="))
    expect(page.get_by_role("heading", level=1)).to_contain_text("响应超过期限或未响应的请求")
    rows = page.locator("table.figure-list tbody tr")
    expect(rows).to_have_count(2)
    rows.first.get_by_role("link", name=december.tickets["T3"]).click()
    expect(page).to_have_url(re.compile(rf"/requests/{december.tickets['T3']}/$"))
