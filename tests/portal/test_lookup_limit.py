"""Guessing phones is limited (CONTRACT.md "Portal"): from one client, the 11th failed lookup
within 10 minutes and every lookup after it in that window → 429, on the API and on the page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from aftersales.core.clients import client_address
from aftersales.followups.models import FollowUp
from aftersales.portal.rules import blocked_until
from tests.conftest import ApiClient

TZ = ZoneInfo("Asia/Shanghai")
WRONG = [f"139 0000 00{n:02d}" for n in range(20)]  # nobody's phones
TOO_MANY = "单号或手机号输错次数过多，请于 10:10（10 分钟后）再试。"


@pytest.fixture
def ten_am() -> datetime:
    """Tomorrow 10:00 in the business time zone (after the fixtures' own times)."""
    tomorrow = timezone.localtime(timezone.now(), TZ).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, 0, tzinfo=TZ)


def from_address(address: str) -> ApiClient:
    client = ApiClient()
    client.headers["REMOTE_ADDR"] = address
    return client


def rate(client, done, phone=None, score=5):  # type: ignore[no-untyped-def]
    body = {"number": done.number, "phone": phone or done.phone, "score": score}
    return client.post("/portal/rating", body)


def survey_of(done):  # type: ignore[no-untyped-def]
    return FollowUp.objects.get(ticket__number=done.number, kind="satisfaction_survey")


def test_ten_wrong_phones_then_even_the_right_one_waits_ten_minutes(anonymous, repaired, ten_am):
    with time_machine.travel(ten_am, tick=False):
        unknown = anonymous.post(
            "/portal/rating", {"number": "NO-SUCH", "phone": repaired.phone, "score": 5}
        )
        assert unknown.status_code == 404
        for phone in WRONG[:9]:  # with the unknown number: ten failures
            wrong = rate(anonymous, repaired, phone)
            assert (wrong.status_code, wrong.json()) == (404, unknown.json())
        assert "Retry-After" not in wrong

        eleventh = rate(anonymous, repaired)  # the right phone, too late

        assert eleventh.status_code == 429
        assert eleventh["Retry-After"] == "600"
        error = eleventh.json()["error"]
        assert (error["code"], error["message"]) == ("rate_limited", TOO_MANY)
        assert error["details"]["retry_after"] == 600
        assert datetime.fromisoformat(error["details"]["retry_at"]) == ten_am + timedelta(
            minutes=10
        )
        assert survey_of(repaired).status == "open"

    with time_machine.travel(ten_am + timedelta(minutes=9, seconds=59), tick=False):
        still = rate(anonymous, repaired)
        assert (still.status_code, still["Retry-After"]) == (429, "1")

    with time_machine.travel(ten_am + timedelta(minutes=10), tick=False):
        assert rate(anonymous, repaired).status_code == 201
    assert survey_of(repaired).score == 5


def test_another_client_is_not_affected(anonymous, repaired, in_repair, ten_am):
    neighbour = from_address("203.0.113.7")
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:10]:
            assert rate(anonymous, repaired, phone).status_code == 404
        assert rate(anonymous, in_repair).status_code == 429

        assert rate(neighbour, in_repair).status_code == 409  # found: not finished yet
        assert rate(neighbour, repaired, WRONG[0]).status_code == 404
        assert rate(neighbour, repaired).status_code == 201


def test_found_lookups_do_not_count(anonymous, in_repair, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:9]:
            assert rate(anonymous, in_repair, phone).status_code == 404
        for _ in range(5):
            assert rate(anonymous, in_repair).status_code == 409  # found, so no failure
        assert rate(anonymous, in_repair, WRONG[9]).status_code == 404  # the tenth failure
        assert rate(anonymous, in_repair).status_code == 429


def test_the_window_slides_with_the_failures(anonymous, in_repair, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:5]:
            assert rate(anonymous, in_repair, phone).status_code == 404
    with time_machine.travel(ten_am + timedelta(minutes=6), tick=False):
        for phone in WRONG[5:10]:
            assert rate(anonymous, in_repair, phone).status_code == 404
        blocked = rate(anonymous, in_repair)
        assert (blocked.status_code, blocked["Retry-After"]) == (429, "240")
    with time_machine.travel(ten_am + timedelta(minutes=10), tick=False):
        # the first five left the window: five more tries before the next wait
        assert rate(anonymous, in_repair).status_code == 409
        for phone in WRONG[10:15]:
            assert rate(anonymous, in_repair, phone).status_code == 404
        assert rate(anonymous, in_repair).status_code == 429


def test_a_forwarded_for_header_of_the_clients_own_changes_nothing(anonymous, in_repair, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for n, phone in enumerate(WRONG[:10]):
            anonymous.headers["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n}"
            assert rate(anonymous, in_repair, phone).status_code == 404
        anonymous.headers["HTTP_X_FORWARDED_FOR"] = "198.51.100.99"
        assert rate(anonymous, in_repair).status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings, in_repair, ten_am):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = from_address("10.0.0.1")
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:10]:
            proxy.headers["HTTP_X_FORWARDED_FOR"] = "1.2.3.4, 203.0.113.7"
            assert rate(proxy, in_repair, phone).status_code == 404
        proxy.headers["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
        assert rate(proxy, in_repair).status_code == 429
        proxy.headers["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"  # someone else behind the proxy
        assert rate(proxy, in_repair).status_code == 409


def test_the_page_says_when_to_try_again_and_keeps_what_was_typed(client, repaired, ten_am):
    page = f"/portal/rate/{repaired.number}/"
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:10]:
            assert client.post(page, {"phone": phone, "score": "2"}).status_code == 404

        answer = client.post(page, {"phone": repaired.phone, "score": "4", "comment": "很好"})

        assert answer.status_code == 429 and answer["Retry-After"] == "600"
        html = answer.content.decode()
        assert TOO_MANY in html
        assert f'value="{repaired.phone}"' in html and "很好</textarea>" in html
        assert survey_of(repaired).status == "open"


def test_the_api_and_the_page_count_together(client, anonymous, repaired, ten_am):
    with time_machine.travel(ten_am, tick=False):
        for phone in WRONG[:5]:
            assert rate(anonymous, repaired, phone).status_code == 404
        for phone in WRONG[5:10]:
            page = f"/portal/rate/{repaired.number}/"
            assert client.post(page, {"phone": phone, "score": "2"}).status_code == 404
        assert rate(anonymous, repaired).status_code == 429


# --- the pure rules ------------------------------------------------------------------------------


def test_blocked_until_the_oldest_of_ten_recent_failures_leaves_the_window():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
    nine = [now - timedelta(minutes=m) for m in range(9)]
    assert blocked_until(nine, now) is None
    assert blocked_until([*nine, now - timedelta(minutes=10)], now) is None  # left the window
    assert blocked_until([*nine, now - timedelta(minutes=9)], now) == now + timedelta(minutes=1)


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "client"),
    [
        ("203.0.113.7", "", 0, "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", 0, "203.0.113.7"),  # not behind a proxy: the header is ignored
        ("10.0.0.1", "1.2.3.4, 203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.7, 10.0.0.1", 2, "203.0.113.7"),
        ("10.0.0.1", "203.0.113.7", 2, "203.0.113.7"),  # fewer hops than proxies
        ("10.0.0.1", "", 1, "10.0.0.1"),
        ("2001:db8:1:2:3:4:5:6", "", 0, "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "", 0, "203.0.113.7"),
        ("", "", 0, "unknown"),
    ],
)
def test_the_client_address(remote, forwarded, proxies, client):  # type: ignore[no-untyped-def]
    assert client_address(remote, forwarded, proxies) == client
