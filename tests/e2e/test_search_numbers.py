"""In a real browser: typing a work order's number (lower case, the start of it) into the search
box finds the job and Enter opens it; no page asks for something that is not there (the icon)."""

import re

from playwright.sync_api import Page, expect

from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff, repair_request


def test_the_front_desk_finds_a_job_by_the_start_of_its_number(page: Page, log_in):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    desk = make_staff("wangli", "front_desk", center)
    job = work_order_create(
        ticket=repair_request(make_staff("lixy", "hotline", center)), by=desk, mode="carry_in"
    )
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    log_in(desk)

    typed = job.number[:9].lower()
    page.locator("#global-search").press_sequentially(typed, delay=30)
    # the list that answers the whole text typed (an earlier one, for fewer letters, may show
    # the job too, but Enter then rightly opens the full search page)
    answered = page.locator(f'#search-results .results[data-q="{typed}"]')
    found = answered.get_by_role("link", name=re.compile(job.number))
    expect(found).to_be_visible()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/work-orders/{job.number}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(job.number)
    page.goto("/favicon.ico")
    assert missing == []
