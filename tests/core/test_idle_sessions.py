"""A staff session ends after 30 minutes without activity at a desk, and lasts the working day
(12 hours) on a technician's phone (decision 56). The login page then says why, and leads back
to where the person was. A page's background poll is not activity."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from aftersales.core.sessions import SEEN_AT
from tests.factories import PASSWORD, make_staff
from tests.words import zh

DESK_EXPIRED = "您已 30 分钟 无操作，系统已自动退出登录。请重新登录，将回到刚才的页面。"
FIELD_EXPIRED = "您已 12 小时 无操作，系统已自动退出登录。请重新登录，将回到刚才的页面。"
POLL = {"HTTP_HX_REQUEST": "true", "HTTP_X_POLL": "1"}


@pytest.fixture
def nine_am() -> datetime:
    """Tomorrow 09:00 (after the fixtures' own times)."""
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def logged_in(username: str, role: str, at: datetime) -> Client:
    make_staff(username, role)
    client = Client()
    with time_machine.travel(at, tick=False):
        assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code
    return client


def at(moment: datetime, client: Client, path: str, **headers: str):  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        return client.get(path, **headers)


def test_thirty_idle_minutes_at_a_desk_end_the_session(db, nine_am):
    desk = logged_in("lixy", "hotline", nine_am)
    assert at(nine_am + timedelta(minutes=29), desk, "/password/").status_code == 200

    # active at 09:29, so idle until 09:59
    assert at(nine_am + timedelta(minutes=58), desk, "/password/").status_code == 200
    expired = at(nine_am + timedelta(minutes=89), desk, "/password/?from=menu")

    assert expired.status_code == 302
    assert expired["Location"] == "/login/?next=/password/%3Ffrom%3Dmenu"
    login_page = at(nine_am + timedelta(minutes=89), desk, expired["Location"])
    assert DESK_EXPIRED in login_page.text
    assert 'name="next" value="/password/?from=menu"' in login_page.text
    with time_machine.travel(nine_am + timedelta(minutes=90), tick=False):
        back = desk.post(
            "/login/",
            {"username": "lixy", "password": PASSWORD, "next": "/password/?from=menu"},
        )
    assert back["Location"] == "/password/?from=menu"


def test_a_technicians_phone_session_lasts_the_working_day(db, nine_am):
    phone = logged_in("tech", "technician", nine_am)

    assert at(nine_am + timedelta(hours=3), phone, "/field/").status_code == 200
    assert at(nine_am + timedelta(hours=14, minutes=59), phone, "/field/").status_code == 200
    expired = at(nine_am + timedelta(hours=27), phone, "/field/")

    assert expired.status_code == 302 and expired["Location"].startswith("/login/")
    assert FIELD_EXPIRED in at(nine_am + timedelta(hours=27), phone, expired["Location"]).text


def test_the_idle_limits_are_settings(settings, db, nine_am):
    settings.SESSION_IDLE_MINUTES = 5
    desk = logged_in("lixy", "hotline", nine_am)

    assert at(nine_am + timedelta(minutes=6), desk, "/password/").status_code == 302


def test_a_background_poll_is_not_activity(db, nine_am):
    desk = logged_in("lixy", "hotline", nine_am)
    for minutes in (10, 20, 29):
        assert at(nine_am + timedelta(minutes=minutes), desk, "/", **POLL).status_code == 200

    poll = at(
        nine_am + timedelta(minutes=31), desk, "/", HTTP_HX_CURRENT_URL="http://testserver/", **POLL
    )

    # htmx takes the whole page to the login page, which returns to the page afterwards
    assert poll.status_code == 200
    assert poll["HX-Redirect"] == "/login/?next=/"


def test_activity_within_a_minute_writes_nothing(db, nine_am):
    desk = logged_in("lixy", "hotline", nine_am)
    stamped = desk.session[SEEN_AT]

    at(nine_am + timedelta(seconds=50), desk, "/password/")
    assert desk.session[SEEN_AT] == stamped

    at(nine_am + timedelta(seconds=70), desk, "/password/")
    assert desk.session[SEEN_AT] == stamped + 70


def test_logging_in_again_starts_afresh(db, nine_am):
    desk = logged_in("lixy", "hotline", nine_am)
    assert at(nine_am + timedelta(minutes=45), desk, "/password/").status_code == 302

    with time_machine.travel(nine_am + timedelta(minutes=46), tick=False):
        desk.post("/login/", {"username": "lixy", "password": PASSWORD})
    page = at(nine_am + timedelta(minutes=60), desk, "/password/")

    assert page.status_code == 200
    assert zh("Change my password") in page.text


def test_the_idle_rule():
    from aftersales.core.rules import session_idle_state

    seen = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.get_fixed_timezone(480))
    limit = timedelta(minutes=30)
    assert session_idle_state(seen, seen + timedelta(seconds=59), limit) == "fresh"
    assert session_idle_state(seen, seen + timedelta(minutes=1), limit) == "restamp"
    assert session_idle_state(seen, seen + timedelta(minutes=29, seconds=59), limit) == "restamp"
    assert session_idle_state(seen, seen + timedelta(minutes=30), limit) == "expired"
    # the clock set back: stamped again, never expired
    assert session_idle_state(seen, seen - timedelta(minutes=5), limit) == "restamp"
