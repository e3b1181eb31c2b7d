"""Shared fixtures: an API client that speaks bearer tokens, and one persona per role; and the
suite's clock, which `TEST_NOW` moves."""

import json
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from aftersales.core import reference
from aftersales.core.services import issue_token
from tests.clock import suite_moment
from tests.factories import PASSWORD, CenterFactory, make_staff


def pytest_configure(config: pytest.Config) -> None:
    """`TEST_NOW=2027-02-08T09:30:00+08:00 make test`: the whole run, the live server of the
    browser tests included, lives at that moment, and time goes on from it. A test that needs a
    particular day still sets its own (time_machine.travel), which wins while it lasts."""
    moment = suite_moment()
    if moment is not None:
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """`@pytest.mark.clock(moment)`: the test lives at that moment, the clock standing still."""
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(marker.args[0]), tick=False):
        yield


def pytest_sessionstart(session: pytest.Session) -> None:
    """The run's first line says which clock it lives by (shown under -q too)."""
    moment = suite_moment()
    line = (
        "clock: the real one (TEST_NOW=<ISO datetime with offset> moves it)"
        if moment is None
        else f"clock: moved to TEST_NOW={moment.isoformat()}"
    )
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)


class ApiClient:
    """Calls /api/v1 through Django's full request stack, as a logged-in caller (or anonymous)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ):  # type: ignore[no-untyped-def]
        extra = dict(self.headers)
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(f"/api/v1{path}", data, content_type="application/json", **extra)


@pytest.fixture
def center(db):  # type: ignore[no-untyped-def]
    return CenterFactory(code="gz", name="广州维修中心", regions=["440100"])


@pytest.fixture
def api_as(db, center):  # type: ignore[no-untyped-def]
    """`api_as("hotline")` → an ApiClient logged in as a fresh user with that role."""

    def login(role: str, username: str | None = None, at_center=center) -> ApiClient:  # type: ignore[no-untyped-def]
        user = make_staff(username or f"{role}-user", role, at_center)
        token, _ = issue_token(username=user.username, password=PASSWORD)
        return ApiClient(token)

    return login


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


@pytest.fixture(autouse=True)
def _fresh_reference_data():  # type: ignore[no-untyped-def]
    """Each test starts as a fresh process would, holding no reference data (core.reference): a
    previous test's rolled-back data can never be served from what it left."""
    reference.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is right for production and slow on purpose; tests need not wait for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
