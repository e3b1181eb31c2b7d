"""What the work-order stories share: a phone bought some days ago, a job opened on it at the
desk, and a way to walk a job through the table."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory, make_staff

INSPECTION = {
    "appearance": "背面轻微划痕",
    "accessories": ["充电器"],
    "liquid_indicator": "intact",
    "seal_intact": True,
    "serial_matches": True,
}


def act(client, number, action, **payload):  # type: ignore[no-untyped-def]
    return client.post(f"/work-orders/{number}/actions", {"action": action, **payload})


def ok(client, number, action, **payload):  # type: ignore[no-untyped-def]
    answer = act(client, number, action, **payload)
    assert answer.status_code == 200, (action, answer.json())
    return answer.json()


@pytest.fixture
def bought(db):  # type: ignore[no-untyped-def]
    """`bought(days_ago)` → a registered phone sold (and invoiced) that many days ago."""

    def make(days_ago: int, price: str = "2999.00", **fields):  # type: ignore[no-untyped-def]
        day = timezone.localdate() - timedelta(days=days_ago)
        model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
        return UnitFactory(
            model=model, purchase_date=day, invoice_date=day, price=Decimal(price), **fields
        )

    return make


@pytest.fixture
def tech(center):  # type: ignore[no-untyped-def]
    return make_staff("tech", "technician", center)


@pytest.fixture
def open_job():  # type: ignore[no-untyped-def]
    """`open_job(client, unit, mode="carry_in", **body)` → (request number, work order number)."""

    def open_(client, unit, mode: str = "carry_in", **body):  # type: ignore[no-untyped-def]
        ticket = client.post(
            "/tickets",
            {
                "kind": "repair",
                "channel": "walk_in",
                "customer_id": unit.customer_id,
                "serial": unit.serial,
                "summary": "不开机",
            },
        )
        assert ticket.status_code == 201, ticket.json()
        number = ticket.json()["number"]
        job = client.post(f"/tickets/{number}/work-orders", {"mode": mode, **body})
        assert job.status_code == 201, job.json()
        return number, job.json()["number"]

    return open_


def to_diagnosing(client, wo, *, remedy: str | None = None):  # type: ignore[no-untyped-def]
    """Receive a carry-in job (choosing `remedy` when several are open) and start diagnosis."""
    ok(client, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    if remedy:
        ok(client, wo, "choose_remedy", remedy=remedy)
    return ok(client, wo, "start_diagnosis")


def to_ready_paid(client, wo, price: str = "280.00"):  # type: ignore[no-untyped-def]
    """A paid repair quoted at `price`, approved, repaired and through QC."""
    to_diagnosing(client, wo)
    ok(client, wo, "diagnose", findings="屏幕排线断裂", fault_code="SCREEN", human_damage=False)
    ok(
        client,
        wo,
        "quote",
        lines=[{"kind": "labor", "description": "更换排线", "qty": 1, "unit_price": price}],
    )
    ok(client, wo, "approve_quote")
    ok(client, wo, "complete_repair", actions_taken="更换排线")
    return ok(client, wo, "qc_pass", checks=["开机", "屏幕", "触控"])
