"""The browser and the server read one clock: under TEST_NOW the page's `Date` starts where the
server's does, so a page script and the server agree on what today is."""

from django.utils import timezone
from playwright.sync_api import Page

SHANGHAI_DAY = "new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Shanghai'})"  # YYYY-MM-DD


def test_the_page_and_the_server_agree_on_today(page: Page) -> None:
    before = timezone.localdate().isoformat()
    page.goto("/login/")

    in_the_browser = page.evaluate(SHANGHAI_DAY)

    assert in_the_browser in {before, timezone.localdate().isoformat()}  # midnight may pass
