"""The whole job by API, as a front desk lives it: the two flows of the work-order issue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.followups.models import FollowUp
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory, make_staff

# A 1×1 PNG as the signature pad sends it.
SIGNATURE = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

INSPECTION = {
    "appearance": "背面轻微划痕",
    "accessories": ["充电器"],
    "liquid_indicator": "intact",
    "seal_intact": True,
    "serial_matches": True,
}


@pytest.fixture
def phone_bought(db):  # type: ignore[no-untyped-def]
    def bought(days_ago: int, price: str = "2999.00"):  # type: ignore[no-untyped-def]
        day = timezone.localdate() - timedelta(days=days_ago)
        model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
        return UnitFactory(model=model, purchase_date=day, invoice_date=day, price=Decimal(price))

    return bought


def walk_in_repair(desk, unit):  # type: ignore[no-untyped-def]
    ticket = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "不开机",
        },
    ).json()
    job = desk.post(f"/tickets/{ticket['number']}/work-orders", {"mode": "carry_in"})
    assert job.status_code == 201, job.json()
    return ticket["number"], job.json()["number"]


def act(client, number, action, **payload):  # type: ignore[no-untyped-def]
    return client.post(f"/work-orders/{number}/actions", {"action": action, **payload})


def ok(client, number, action, **payload):  # type: ignore[no-untyped-def]
    answer = act(client, number, action, **payload)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_in_warranty_carry_in_from_choice_to_signed_hand_over(api_as, phone_bought, center):
    desk = api_as("front_desk", "desk")
    make_staff("tech", "technician", center)
    unit = phone_bought(days_ago=5)
    ticket, wo = walk_in_repair(desk, unit)

    ok(desk, wo, "assign", technician="tech")
    received = ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    assert received["status"] == "received"
    assert received["decision"]["remedies"] == ["refund", "exchange", "free_repair"]
    refused = act(desk, wo, "start_diagnosis")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "remedy_choice_required"

    ok(desk, wo, "choose_remedy", remedy="free_repair")
    ok(desk, wo, "start_diagnosis")
    ok(desk, wo, "diagnose", findings="主板供电虚焊", fault_code="NO_POWER", human_damage=False)
    ok(desk, wo, "start_repair")
    ok(desk, wo, "complete_repair", actions_taken="补焊供电", parts_used=[])
    failed = ok(desk, wo, "qc_fail", reason="充电口接触不良")
    assert failed["status"] == "repairing" and failed["qc_fail_count"] == 1
    ok(desk, wo, "complete_repair", actions_taken="更换尾插")
    ready = ok(desk, wo, "qc_pass", checks=["开机", "通话", "充电", "屏幕", "按键"])
    assert ready["status"] == "ready" and ready["outcome"] == "repaired"
    assert ready["amount_due"] == "0.00"

    ok(desk, wo, "notify_pickup", channel="phone", reached=False)
    ok(desk, wo, "notify_pickup", channel="phone", reached=False)
    calls = FollowUp.objects.filter(kind="pickup_reminder", work_order__number=wo)
    assert calls.filter(status="done").count() == 2 and calls.filter(status="open").count() == 1

    done = ok(desk, wo, "hand_over", rating=5, comment="很快", signature=SIGNATURE)
    assert done["status"] == "completed" and done["outcome"] == "repaired"
    assert not calls.filter(status="open").exists()
    assert FollowUp.objects.filter(kind="satisfaction_survey", work_order__number=wo).exists()

    request = desk.get(f"/tickets/{ticket}").json()
    assert request["status"] == "resolved" and request["resolution"] == "repaired"
    actions = [(e["action"], e["work_order"]) for e in request["events"]]
    assert ("qc_fail", wo) in actions and ("hand_over", wo) in actions
    assert [a for a, _ in actions].count("resolve") == 1
    assert request["work_orders"] == [
        {
            "number": wo,
            "mode": "carry_in",
            "status": "completed",
            "technician": "tech",
            "outcome": "repaired",
        }
    ]


def test_liquid_damage_found_quote_declined_returned_unrepaired(api_as, phone_bought):
    desk = api_as("front_desk", "desk")
    unit = phone_bought(days_ago=100)
    ticket, wo = walk_in_repair(desk, unit)
    ok(
        desk,
        wo,
        "receive",
        inspection={**INSPECTION, "liquid_indicator": "triggered"},
        agreement_signed=True,
    )
    ok(desk, wo, "start_diagnosis")

    found = ok(desk, wo, "diagnose", findings="主板腐蚀", human_damage=True, damage_kind="liquid")
    assert found["decision"]["covered"] is False
    assert found["decision"]["remedies"] == ["paid_repair"]
    refused = act(desk, wo, "start_repair")
    assert refused.json()["error"]["code"] == "quote_not_approved"

    quoted = ok(
        desk,
        wo,
        "quote",
        lines=[{"kind": "labor", "description": "主板维修", "qty": 1, "unit_price": "280.00"}],
    )
    assert quoted["status"] == "awaiting_approval" and quoted["quote"]["total"] == "280.00"
    assert quoted["quote"]["approved"] is False  # until the customer approves
    declined = ok(desk, wo, "decline_quote")
    assert declined["quote"]["approved"] is False
    assert declined["status"] == "ready" and declined["outcome"] == "returned_unrepaired"
    assert declined["amount_due"] == "0.00"  # no inspection fee in the fee standard
    ok(desk, wo, "hand_over", rating=3, no_signature_reason="客户口头确认")

    request = desk.get(f"/tickets/{ticket}").json()
    assert request["status"] == "resolved" and request["resolution"] == "declined"
