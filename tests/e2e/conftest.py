"""Browser tests: Debian's Chromium, driven by Playwright, against a live server over real HTTP.

Run on their own (`python -m pytest -q tests/e2e`, as `make test` does): the rest of the suite
runs with `-p no:playwright`. Without /usr/bin/chromium the tests are skipped on a laptop and
fail in CI (`CI=true`), so a missing browser can never pass CI silently.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from
# such a thread unless told it is fine. Only the browser tests need (and get) this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = "browser tests skipped: /usr/bin/chromium not installed (apt-get install chromium)"
CI_FAILURE = (
    "chromium is required for the browser tests in CI (CI=true), but /usr/bin/chromium is "
    "missing: apt-get install -y chromium (never `playwright install`)"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


def require_chromium() -> None:
    """Skip locally, fail in CI, when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(CI_FAILURE, pytrace=False)
    pytest.skip(SKIP_REASON)


@pytest.fixture(scope="session", autouse=True)
def _chromium_required() -> None:
    # Autouse fixtures come first in their scope: every browser test is collected and then
    # skipped (exit 0, not "no tests ran") or failed before a browser or live server starts.
    require_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        "headless": True,
        **browser_type_launch_args,  # --headed still wins, for a person debugging with a display
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:  # type: ignore[no-untyped-def]
    """Pages open relative to the live server: `page.goto("/login/")`."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A Chinese user's browser: Accept-Language zh-CN, which Django's LocaleMiddleware maps to
    # zh-hans (also the server's LANGUAGE_CODE).
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def new_context(new_context):  # type: ignore[no-untyped-def]
    """Every browser lives on the server's clock: the page's `Date` starts at the moment the server
    reads — moved by TEST_NOW or a test's clock mark — and runs on from there (Playwright's
    clock), so the page and the server agree on today."""

    def on_the_suites_clock(**kwargs: Any):  # type: ignore[no-untyped-def]
        context = new_context(**kwargs)
        context.clock.install(time=timezone.now())
        return context

    return on_the_suites_clock


@pytest.fixture
def zh() -> Callable[[str], str]:
    """What a Chinese user reads for an English msgid (the source text until it is translated)."""

    def translate(msgid: str) -> str:
        with translation.override("zh-hans"):
            return translation.gettext(msgid)

    return translate


@pytest.fixture
def log_in(page, base_url):  # type: ignore[no-untyped-def]
    """`log_in(user)` → the browser (or `page=` another one) is signed in, on the workbench
    (a technician's workbench is their day, /field/)."""

    def sign_in(user, page=page) -> None:  # type: ignore[no-untyped-def]
        page.goto("/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form.login button[type=submit]").click()
        page.wait_for_url(re.compile(rf"^{re.escape(base_url)}/(field/)?$"))

    return sign_in
