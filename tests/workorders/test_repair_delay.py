"""A repair that lasts too long: past the policy's 30 days in the repairer's hands (or its
60/90 days waiting for parts) the customer may have the unit exchanged. Days spent waiting for
the customer — the quote's approval, the pickup — do not count."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.core.services import issue_token
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_orders_check_delays
from tests.clock import PLAIN_DAY
from tests.conftest import ApiClient
from tests.factories import PASSWORD
from tests.workorders.conftest import INSPECTION, ok, to_diagnosing

CN = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=CN)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def test_only_the_repairers_days_count_and_the_parts_days_apart():
    moves = [
        (at(0), "created"),
        (at(1), "received"),  # in the repairer's hands: 1 → 5
        (at(5), "awaiting_approval"),  # the customer thinks it over: not counted
        (at(15), "repairing"),  # 15 → 20
        (at(20), "awaiting_parts"),  # waiting for parts: 20 → 50
        (at(50), "repairing"),  # 50 → 52.5
        (at(52.5), "ready"),  # waiting for the pickup: not counted
    ]
    assert rules.delay_days(moves, at(80)) == (11, 30)


def test_a_part_day_is_not_counted():
    assert rules.delay_days([(at(0), "received")], at(30.9)) == (30, 0)


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


def desk_again() -> ApiClient:
    """The desk logged in anew (a token does not last a month)."""
    return ApiClient(issue_token(username="desk", password=PASSWORD)[0])


@pytest.mark.clock(PLAIN_DAY)
def test_a_repair_past_30_days_opens_an_exchange_once(desk, bought, open_job, client):
    unit = bought(days_ago=60)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)
    day_31 = timezone.now() + timedelta(days=31, hours=1)

    assert work_orders_check_delays(now=timezone.now() + timedelta(days=29)) == []
    with time_machine.travel(day_31, tick=False):
        assert work_orders_check_delays() == [wo]
        desk = desk_again()
        job = desk.get(f"/work-orders/{wo}").json()
        assert job["decision"]["remedies"] == ["free_repair", "exchange"]
        assert [r["code"] for r in job["decision"]["reasons"]][-1] == "repair_delay"
        assert work_orders_check_delays() == []  # once
        ok(desk, wo, "choose_remedy", remedy="exchange")  # the customer may take it now

    # The unit's page flags the job.
    client.force_login(User.objects.get(username="desk"))
    page = client.get(f"/warranty/units/{unit.serial}/").content.decode()
    assert "维修超期：可换货" in page

    events = Event.objects.filter(
        action="repair_delay", object_id=WorkOrder.objects.get(number=wo).pk
    )
    assert events.count() == 1 and events.get().customer_visible


@pytest.mark.clock(PLAIN_DAY)
def test_waiting_for_the_customers_approval_does_not_count(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=60))
    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="屏幕排线断裂", human_damage=True, damage_kind="impact")
    ok(desk, wo, "quote", lines=[{"kind": "labor", "description": "更换排线", "unit_price": "80"}])

    # A paid repair, and the customer took 40 days to answer: nothing opens.
    assert work_orders_check_delays(now=timezone.now() + timedelta(days=40)) == []
    assert "exchange" not in desk.get(f"/work-orders/{wo}").json()["decision"]["remedies"]


@pytest.mark.clock(PLAIN_DAY)
def test_an_intake_past_the_limit_decides_with_the_delay(desk, bought, open_job):
    """The decision re-run at any step (here: the remedy's choice) counts the days so far."""
    _, wo = open_job(desk, bought(days_ago=60))
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    with time_machine.travel(timezone.now() + timedelta(days=32), tick=False):
        job = ok(desk_again(), wo, "choose_remedy", remedy="exchange")
    assert job["chosen_remedy"] == "exchange"
