"""Guessing passwords is limited (decision 55): a username that failed 5 times from one client
within 15 minutes is refused there — even with the right password — until the window passes; a
client that failed 30 times, whatever the usernames, likewise. Another client is never refused
for it: a stranger cannot lock a colleague out. On the API, the login page and the admin's."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from aftersales.core.rules import blocked_until
from tests.conftest import ApiClient
from tests.factories import PASSWORD, make_staff
from tests.words import zh

TZ = ZoneInfo("Asia/Shanghai")
TOO_MANY = "登录失败次数过多，请于 10:15（15 分钟后）再试。"
WRONG = "not-the-password"


@pytest.fixture
def ten_am() -> datetime:
    """Tomorrow 10:00 in the business time zone (after the fixtures' own times)."""
    tomorrow = timezone.localtime(timezone.now(), TZ).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, 0, tzinfo=TZ)


@pytest.fixture
def lixy(db):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline")


def from_address(address: str) -> ApiClient:
    client = ApiClient()
    client.headers["REMOTE_ADDR"] = address
    return client


def log_in(api: ApiClient, password: str, username: str = "lixy"):  # type: ignore[no-untyped-def]
    return api.post("/auth/token", {"username": username, "password": password})


def form_log_in(client: Client, password: str, username: str = "lixy"):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_five_wrong_passwords_then_even_the_right_one_waits_fifteen_minutes(
    lixy, anonymous, ten_am
):
    with time_machine.travel(ten_am, tick=False):
        for _ in range(5):
            wrong = log_in(anonymous, WRONG)
            assert wrong.status_code == 401
        assert "Retry-After" not in wrong

        right = log_in(anonymous, PASSWORD)

        assert right.status_code == 429
        assert right["Retry-After"] == "900"
        error = right.json()["error"]
        assert (error["code"], error["message"]) == ("rate_limited", TOO_MANY)
        assert error["details"]["retry_after"] == 900
        assert datetime.fromisoformat(error["details"]["retry_at"]) == ten_am + timedelta(
            minutes=15
        )

    with time_machine.travel(ten_am + timedelta(minutes=14, seconds=59), tick=False):
        still = log_in(anonymous, PASSWORD)
        assert (still.status_code, still["Retry-After"]) == (429, "1")

    with time_machine.travel(ten_am + timedelta(minutes=15), tick=False):
        assert log_in(anonymous, PASSWORD).status_code == 200


def test_a_stranger_cannot_lock_a_colleague_out_from_another_client(lixy, anonymous, ten_am):
    make_staff("wang", "front_desk")
    colleague = from_address("203.0.113.7")
    with time_machine.travel(ten_am, tick=False):
        for _ in range(5):
            assert log_in(anonymous, WRONG).status_code == 401
        assert log_in(anonymous, PASSWORD).status_code == 429

        assert log_in(colleague, PASSWORD).status_code == 200  # lixy at her own desk
        assert log_in(anonymous, PASSWORD, "wang").status_code == 200  # another name from here


def test_a_client_failing_with_many_names_is_refused_for_every_name(lixy, anonymous, ten_am):
    elsewhere = from_address("203.0.113.7")
    with time_machine.travel(ten_am, tick=False):
        for n in range(30):
            assert log_in(anonymous, WRONG, f"guess{n}").status_code == 401

        assert log_in(anonymous, PASSWORD).status_code == 429
        assert log_in(elsewhere, PASSWORD).status_code == 200


def test_the_right_password_forgives_earlier_typos_of_its_name(lixy, anonymous, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for _round in range(2):
            for _ in range(4):
                assert log_in(anonymous, WRONG).status_code == 401
            assert log_in(anonymous, PASSWORD).status_code == 200


def test_a_name_counts_whatever_its_case(lixy, anonymous, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for name in ("lixy", "LIXY", "Lixy", "LiXy", "lixY"):
            assert log_in(anonymous, WRONG, name).status_code == 401
        assert log_in(anonymous, PASSWORD).status_code == 429


def test_the_limits_are_settings(settings, lixy, anonymous, ten_am):
    settings.LOGIN_FAILURES_PER_USER = 2
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 5
    with time_machine.travel(ten_am, tick=False):
        for _ in range(2):
            assert log_in(anonymous, WRONG).status_code == 401
        refused = log_in(anonymous, PASSWORD)
        assert (refused.status_code, refused["Retry-After"]) == (429, "300")


# --- the login page and the admin's --------------------------------------------------------------


def test_the_login_page_says_when_to_try_again(lixy, client, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for _ in range(5):
            wrong = form_log_in(client, WRONG)
            assert wrong.status_code == 200
            assert zh("Wrong username or password.") in wrong.text

        answer = client.post("/login/", {"username": "lixy", "password": PASSWORD, "next": "/"})

        assert answer.status_code == 429 and answer["Retry-After"] == "900"
        assert TOO_MANY in answer.text
        assert 'value="lixy"' in answer.text
        assert "_auth_user_id" not in client.session

    other_desk = Client(REMOTE_ADDR="203.0.113.7")
    with time_machine.travel(ten_am + timedelta(minutes=1), tick=False):
        assert form_log_in(other_desk, PASSWORD).status_code == 302
    with time_machine.travel(ten_am + timedelta(minutes=15), tick=False):
        assert form_log_in(client, PASSWORD).status_code == 302


def test_the_api_and_the_login_page_count_together(lixy, client, anonymous, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for _ in range(3):
            assert log_in(anonymous, WRONG).status_code == 401
        for _ in range(2):
            assert form_log_in(client, WRONG).status_code == 200
        assert log_in(anonymous, PASSWORD).status_code == 429
        assert form_log_in(client, PASSWORD).status_code == 429


def test_the_admin_login_is_limited_too(db, client, ten_am):
    make_staff("boss", "admin")
    with time_machine.travel(ten_am, tick=False):
        for _ in range(5):
            client.post("/admin/login/", {"username": "boss", "password": WRONG})

        answer = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})

        assert TOO_MANY in answer.text
        assert "_auth_user_id" not in client.session


# --- the pure rule -------------------------------------------------------------------------------


def test_blocked_until_the_oldest_of_the_allowed_failures_leaves_the_window():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    window = timedelta(minutes=15)
    four = [now - timedelta(minutes=m) for m in range(4)]
    assert blocked_until(four, now, allowed=5, window=window) is None
    fifth_gone = [*four, now - timedelta(minutes=15)]
    assert blocked_until(fifth_gone, now, allowed=5, window=window) is None
    five = [*four, now - timedelta(minutes=14)]
    assert blocked_until(five, now, allowed=5, window=window) == now + timedelta(minutes=1)
