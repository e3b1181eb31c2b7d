"""The 三包 decision and the policies through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.clock import PLAIN_DAY
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory

DAY_5_PHONE = {
    "category": "mobile_phone",
    "purchase_date": "2026-11-02",
    "report_date": "2026-11-07",
    "price": "2999.00",
}


def test_a_day_5_phone_fault_may_be_refunded_exchanged_or_repaired(api_as):
    answer = api_as("hotline").post("/warranty/check", DAY_5_PHONE)

    assert answer.status_code == 200
    decision = answer.json()
    assert decision["covered"] is True
    assert decision["window"] == "return"
    assert decision["remedies"] == ["refund", "exchange", "free_repair"]
    assert decision["days_since_purchase"] == 5
    assert (decision["return_ends"], decision["exchange_ends"], decision["warranty_ends"]) == (
        "2026-11-09",
        "2026-11-17",
        "2027-11-02",
    )
    assert decision["refund_deduction_rate"] == "0.0000"
    assert decision["refund_amount"] == "2999.00"
    assert [r["code"] for r in decision["reasons"]] == ["within_return_window"]
    assert decision["policy"] == {"code": "cn-mobile-phone-2001", "version": 1}


def test_reasons_speak_chinese_by_default_and_english_on_request(api_as):
    hotline = api_as("hotline")

    chinese = hotline.post("/warranty/check", DAY_5_PHONE).json()["reasons"][0]["message"]
    hotline.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = hotline.post("/warranty/check", DAY_5_PHONE).json()["reasons"][0]["message"]

    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert english.isascii() and english != chinese


def test_day_20_with_58_net_days_depreciates_the_refund(api_as):
    # Bought 2026-01-01, reported 2026-03-10 (68 days) after 10 days in repair: 58 net days × 0.5 %.
    answer = api_as("hotline").post(
        "/warranty/check",
        {
            "category": "mobile_phone",
            "purchase_date": "2026-01-01",
            "report_date": "2026-03-10",
            "repair_days": 10,
            "failed_repairs": 2,
            "price": "1000.00",
        },
    )

    decision = answer.json()
    assert decision["window"] == "repair"
    assert decision["remedies"] == ["exchange", "free_repair", "refund"]
    assert decision["refund_deduction_rate"] == "0.2900"
    assert decision["refund_amount"] == "710.00"


def test_a_registered_serial_supplies_its_own_dates_and_history(api_as):
    CategoryFactory(code="mobile_phone")
    today = timezone.localdate()
    unit = UnitFactory(
        serial="861234567890123",
        purchase_date=today - timedelta(days=3),
        invoice_date=today - timedelta(days=3),
        price=Decimal("1999.00"),
        repair_days=0,
    )

    decision = api_as("front_desk").post("/warranty/check", {"serial": unit.serial}).json()

    assert decision["window"] == "return"
    assert decision["days_since_purchase"] == 3
    assert decision["refund_amount"] == "1999.00"
    assert decision["purchase_date"] == str(today - timedelta(days=3))


def test_liquid_damage_leaves_only_paid_repair(api_as):
    answer = api_as("hotline").post(
        "/warranty/check", {**DAY_5_PHONE, "human_damage": True, "damage_kind": "liquid"}
    )

    decision = answer.json()
    assert decision["covered"] is False
    assert decision["window"] == "excluded"
    assert decision["remedies"] == ["paid_repair"]
    assert [r["code"] for r in decision["reasons"]] == ["human_damage"]


def test_what_cannot_be_decided_is_422_naming_the_field(api_as):
    hotline = api_as("hotline")
    cases = {
        "serial": {"serial": "NOT-REGISTERED"},
        "category": {"purchase_date": "2026-11-02"},
        "purchase_date": {"category": "mobile_phone", "purchase_date": "2026/11/02"},
        "report_date": {**DAY_5_PHONE, "report_date": "2026-11-01"},
        "part": {**DAY_5_PHONE, "part": "antenna"},
        "damage_kind": {**DAY_5_PHONE, "damage_kind": "meteor"},
    }
    for field, body in cases.items():
        answer = hotline.post("/warranty/check", body)
        assert answer.status_code == 422, (field, answer.json())
        assert field in answer.json()["error"]["details"], (field, answer.json())

    unknown = hotline.post("/warranty/check", {**DAY_5_PHONE, "category": "spaceship"})
    assert unknown.status_code == 422 and "category" in unknown.json()["error"]["details"]


def test_the_policies_list_their_categories_parts_and_periods(api_as):
    policies = {p["code"]: p for p in api_as("archive").get("/warranty/policies").json()}

    assert set(policies) == {
        "cn-mobile-phone-2001",
        "cn-household-1995",
        "cn-computer-2002",
        "company-air-compressor",
        "company-flooring",
    }
    phone = policies["cn-mobile-phone-2001"]
    parts = {
        p["code"]: (p["kind"], p["period_amount"], p["period_unit"])
        for p in phone["categories"][0]["parts"]
    }
    assert parts["host"] == ("host", 12, "months")
    assert parts["battery"] == ("accessory", 6, "months")
    assert parts["headset"] == ("accessory", 3, "months")
    assert (
        phone["return_days"] == 7
        and phone["exchange_days"] == 15
        and phone["no_voucher_grace_days"] == 90
    )
    assert policies["company-flooring"]["return_days"] is None
    tv = next(
        c for c in policies["cn-household-1995"]["categories"] if c["category"] == "colour_tv"
    )
    assert {p["code"] for p in tv["parts"]} == {
        "host",
        "picture_tube",
        "flyback_transformer",
        "tuner",
        "ic",
    }


@pytest.mark.clock(PLAIN_DAY)  # the 15-day window ends on a working day, not rolled past a holiday
def test_a_units_page_in_the_api_shows_todays_entitlement(api_as):
    today = timezone.localdate()
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    UnitFactory(
        serial="861234567890123",
        model=model,
        purchase_date=today - timedelta(days=10),
        invoice_date=None,
    )

    warranty = api_as("technician").get("/units/861234567890123").json()["warranty"]

    assert warranty["policy"] == "cn-mobile-phone-2001"
    assert warranty["remedies"] == ["exchange", "free_repair", "refund"]
    assert warranty["exchange_ends"] is not None
