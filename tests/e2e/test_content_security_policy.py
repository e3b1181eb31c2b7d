"""Every page works under the Content-Security-Policy, in a real browser: the staff pages (as the
administrator, who sees them all), the admin, the import page, the technician's phone, the
customer's portal, the printed form and the API's docs page report no violation (no inline
script, no eval, no inline <style>), and what runs JS still runs: the print button, and the
conditions on htmx triggers that app.js raises as events."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.catalog.models import ImportJob
from aftersales.desk import services as desk_services
from aftersales.followups.services import followup_schedule
from aftersales.tickets.models import Ticket
from tests.factories import CenterFactory, CustomerFactory, make_staff, on_site_job, repair_request

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")

# What the page reports: each violation the browser saw (securitypolicyviolation events, which
# also cover what is refused before any script of the page runs, kept from the first moment).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") +
    " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


@pytest.fixture(autouse=True)
def shipped_policies(transactional_db):  # type: ignore[no-untyped-def]
    SHIPPED_POLICIES.ship(django_apps, None)


class Watched:
    """A page whose every CSP violation (event or console message) is collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "content-security-policy" in response.headers  # Playwright's names: lower case
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(path)

    def assert_clean(self, where: str) -> None:
        seen = self.page.evaluate("window.__cspViolations") + self.console
        assert seen == [], f"{where}: {seen}"


def test_every_staff_page_runs_under_the_policy(page: Page, log_in, transactional_db):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    hotline = make_staff("hotline", "hotline", center)
    li = make_staff("li", "technician", center)
    admin = make_staff("boss", "admin", center)
    job = on_site_job(hotline, technician=li, customer="张伟")
    ticket = job.ticket
    desk_services.request_create(
        by=hotline,
        kind="complaint",
        channel="hotline",
        summary="维修拖了一周",
        customer_id=CustomerFactory(name="赵敏").pk,
        wish="尽快修好",
    )
    followup_schedule(
        ticket=ticket,
        kind="consultation_callback",
        due_at=timezone.now() + timedelta(hours=1),
        owner=hotline,
    )
    imported = ImportJob.objects.create(
        created_by=admin, filename="units.csv", status="imported", total_rows=1
    )
    watched = Watched(page)
    log_in(admin)

    for path in (
        "/",
        "/requests/",
        "/requests/new/",
        f"/requests/{ticket.number}/",
        f"/work-orders/{job.number}/",
        "/dispatch/",
        "/dispatch/hand-ins/",
        "/complaints/",
        "/callbacks/",
        "/warranty/check/",
        f"/customers/{ticket.customer_id}/",
        "/admin/",
        "/admin/customers/customer/",
        f"/admin/customers/customer/{ticket.customer_id}/change/",
        "/admin/catalog/importjob/add/",
        f"/admin/catalog/importjob/{imported.pk}/change/",
        "/api/v1/docs",
    ):
        watched.visit(path)

    # What htmx once checked with eval (trigger filters) now comes from app.js, and still asks.
    watched.visit("/warranty/check/")
    with page.expect_request(lambda r: r.method == "POST" and "/warranty/check/" in r.url):
        page.locator("#id_repair_days").press_sequentially("3")  # typed, not yet changed
    watched.visit("/requests/new/")
    with page.expect_request(lambda r: "/requests/new/warranty/" in r.url):
        page.locator("input[name=kind][value=consultation]").check()  # a field that decides
    watched.visit(f"/requests/{ticket.number}/")
    with page.expect_request(lambda r: r.headers.get("hx-target") == "activity"):
        page.clock.run_for(31_000)  # the timeline polls every 30 s while the page is visible
    watched.assert_clean("htmx triggers")

    # The print button runs the app's script (window.print stubbed: no dialog in a test).
    page.add_init_script("window.print = function () { window.printed = true; };")
    watched.visit(f"/work-orders/{job.number}/sheet/")
    page.locator("[data-print]").click()
    assert page.evaluate("window.printed") is True
    watched.assert_clean("print button")


def test_the_phone_and_the_portal_run_under_the_policy(page: Page, log_in, transactional_db):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    hotline = make_staff("hotline", "hotline", center)
    li = make_staff("li", "technician", center)
    job = on_site_job(hotline, technician=li, customer="张伟")
    rated = repair_request(hotline, CustomerFactory(name="陈静", phone="+8613912345678"))
    Ticket.objects.filter(pk=rated.pk).update(status="resolved")
    watched = Watched(page)
    log_in(li)

    watched.visit("/field/")
    watched.visit(f"/field/{job.number}/")
    watched.visit(f"/portal/rate/{rated.number}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
