"""Complaint stories: a handler, a complaint about a registered phone, and helpers to step it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def handler(api_as):  # type: ignore[no-untyped-def]
    return api_as("complaints", "sunm")


@pytest.fixture
def phone(db):  # type: ignore[no-untyped-def]
    """A phone bought two months ago: past the 7/15-day windows, inside its free-repair period."""
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    return UnitFactory(model=model, purchase_date=timezone.localdate() - timedelta(days=60))


@pytest.fixture
def file_complaint(handler, phone):  # type: ignore[no-untyped-def]
    """`file_complaint(**extra)` → the number of a new complaint about `phone` (center gz)."""

    def create(client=handler, **extra):  # type: ignore[no-untyped-def]
        body = {
            "kind": "complaint",
            "channel": "hotline",
            "customer_id": phone.customer_id,
            "serial": phone.serial,
            "summary": "维修超过一个月仍未取回手机",
            "center": "gz",
            **extra,
        }
        answer = client.post("/tickets", body)
        assert answer.status_code == 201, answer.json()
        return answer.json()["number"]

    return create


def act(client, number: str, action: str, **payload):  # type: ignore[no-untyped-def]
    return client.post(f"/tickets/{number}/actions", {"action": action, **payload})


def step_to(client, number: str, stage: str, compensation=None):  # type: ignore[no-untyped-def]
    """Walk a complaint to `stage` with plausible payloads, asserting each step succeeded."""
    steps = [
        ("acknowledged", "acknowledge", {"note": "已致电客户致歉"}),
        ("investigated", "investigate", {"findings": "备件延误", "responsibility": "ours"}),
        ("proposed", "propose", {"plan": "赔偿并延保", "compensation": compensation or []}),
    ]
    for reached, action, payload in steps:
        answer = act(client, number, action, **payload)
        assert answer.status_code == 200, answer.json()
        if reached == stage:
            return answer.json()
    raise AssertionError(stage)
