"""Dispatch suggestions follow the customer's wished time ("明天上午": tomorrow morning first, not
today 09:00), and the board's panel reads as words: the customer's address, the category and
the region by their names, and the score as its parts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales.dispatch.models import TechnicianProfile
from aftersales.tickets.models import Ticket
from aftersales.workorders import services
from tests.clock import PLAIN_DAY
from tests.factories import make_staff, on_site_job

HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TOMORROW_MORNING = datetime(2026, 11, 19, 9, tzinfo=SHANGHAI)  # Thursday; today is PLAIN_DAY

pytestmark = pytest.mark.clock(PLAIN_DAY)  # Wednesday 18 November 2026, 10:00


def technician(username: str, center, name: str, **profile):  # type: ignore[no-untyped-def]
    user = make_staff(username, "technician", center)
    user.first_name = name
    user.save(update_fields=["first_name"])
    TechnicianProfile.objects.update_or_create(
        user=user, defaults={"skills": ["mobile_phone"], **profile}
    )
    return user


@pytest.fixture
def hotline(center):  # type: ignore[no-untyped-def]
    return make_staff("hotline", "hotline", center)


@pytest.fixture
def dispatcher(db):  # type: ignore[no-untyped-def]
    return make_staff("diaodu", "dispatcher")


@pytest.fixture
def wished(hotline):  # type: ignore[no-untyped-def]
    """`wished(words)` → an unassigned on-site job whose customer asked for `words`."""

    def make(words: str):  # type: ignore[no-untyped-def]
        wo = on_site_job(hotline, address="广州市天河区体育西路 101 号")
        Ticket.objects.filter(pk=wo.ticket_id).update(preferred_time=words)
        wo.ticket.refresh_from_db()
        return wo

    return make


def test_tomorrow_morning_is_offered_tomorrow_morning_not_today(api_as, center, wished):
    technician("li", center, "李师傅")
    wo = wished("明天上午")

    answer = api_as("dispatcher", "diaodu").get(f"/work-orders/{wo.number}/suggestions")

    [first] = answer.json()["items"]
    slot = datetime.fromisoformat(first["earliest_slot"].replace("Z", "+00:00"))
    assert slot.astimezone(SHANGHAI) == TOMORROW_MORNING
    assert "preferred_time" in [r["code"] for r in first["reasons"]]


def test_technicians_free_in_the_wished_time_come_first(
    api_as, center, hotline, dispatcher, wished
):
    # 李师傅 covers the customer's district (ranks higher) but is booked all tomorrow morning
    technician("li", center, "李师傅", regions=["440106"])
    technician("wang", center, "王师傅")
    busy = on_site_job(hotline)
    services.work_order_act(work_order=busy, by=dispatcher, action="assign", technician="li")
    services.work_order_act(
        work_order=busy,
        by=dispatcher,
        action="schedule",
        start=TOMORROW_MORNING,
        end=TOMORROW_MORNING + timedelta(hours=3),
    )
    wo = wished("明天上午")

    items = api_as("dispatcher", "diaodu").get(f"/work-orders/{wo.number}/suggestions").json()
    ranked = [(i["technician"], i["score"]) for i in items["items"]]

    assert [name for name, _score in ranked] == ["wang", "li"]  # in the wish first
    assert ranked[1][1] > ranked[0][1]  # although 李师傅 scores higher


def test_the_panel_shows_the_address_the_wish_and_the_score_in_words(
    client, dispatcher, center, wished
):
    technician("li", center, "李师傅", regions=["440106"])
    wo = wished("明天上午")
    client.force_login(dispatcher)

    html = client.get(f"/dispatch/jobs/{wo.number}/suggestions/", **HTMX).content.decode()

    assert "广州市天河区体育西路 101 号" in html  # the address
    assert "明天上午" in html and "11-19 08:00–12:00" in html  # the wish, read
    assert "data-in-wish" in html  # the slot is as the customer wished
    assert "手机" in html and "天河区" in html  # category and region by name…
    assert "mobile_phone" not in html and "440106" not in html  # …never their codes
    assert "+30" in html  # the district match's part of the score
