"""The 三包 decision, case by case: each row is a short story from DOMAIN.md "三包 rules".

The shipped policies are rebuilt here as plain `Terms`, and the state calendar comes from the
pinned `holidays` package, so these cases check the engine against the law, not the database.
"""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest

from aftersales.core.rules import WorkingCalendar, parse_day_hours, standard_week
from aftersales.warranty.rules import (
    DAMAGE_KINDS,
    REASON_MESSAGES,
    Facts,
    PartTerms,
    Period,
    Reason,
    Terms,
    Undecidable,
    add_period,
    decide,
)

_CHINA = holidays.China(years=range(2023, 2031))
CN = WorkingCalendar(
    tz=ZoneInfo("Asia/Shanghai"),
    weekly=standard_week(parse_day_hours([["09:00", "18:00"]])),
    days_off=frozenset(_CHINA),
    extra_workdays=frozenset(_CHINA.weekend_workdays),
)


def _terms(code: str, category: str, parts: dict[str, tuple[str, int]], **kw: Any) -> Terms:
    """A policy for one category; `parts` maps code → (kind, months)."""
    return Terms(
        policy_code=code,
        policy_version=1,
        category=category,
        parts={
            c: PartTerms(code=c, name=c, kind=kind, period=Period(months, "months"))  # type: ignore[arg-type]
            for c, (kind, months) in parts.items()
        },
        **kw,
    )


ACCESSORIES = ("battery", "charger", "headset", "terminal_card", "data_card")
POLICIES: dict[str, Terms] = {
    "phone": _terms(
        "cn-mobile-phone-2001",
        "mobile_phone",
        {
            "host": ("host", 12),
            "battery": ("accessory", 6),
            "charger": ("accessory", 12),
            "headset": ("accessory", 3),
            "terminal_card": ("accessory", 12),
            "data_card": ("accessory", 12),
        },
        daily_rate=Decimal("0.005"),
        no_voucher_grace_days=90,
    ),
    "tv": _terms(
        "cn-household-1995",
        "colour_tv",
        {
            "host": ("host", 12),
            **{
                p: ("main_part", 36) for p in ("picture_tube", "flyback_transformer", "tuner", "ic")
            },
        },
        daily_rate=Decimal("0.001"),
    ),
    "computer": _terms(
        "cn-computer-2002",
        "computer",
        {
            "host": ("host", 12),
            **{
                p: ("main_part", 24)
                for p in (
                    "motherboard",
                    "cpu",
                    "memory",
                    "display",
                    "hard_disk",
                    "keyboard",
                    "power_adapter",
                )
            },
        },
        daily_rate=Decimal("0.0025"),
    ),
    "air_compressor": _terms(
        "company-air-compressor",
        "air_compressor",
        {"host": ("host", 12)},
        return_days=None,
        exchange_days=None,
    ),
    "flooring": _terms(
        "company-flooring",
        "flooring",
        {"host": ("host", 24)},
        return_days=None,
        exchange_days=None,
    ),
}
POLICIES["phone_no_roll"] = dataclasses.replace(POLICIES["phone"], roll_forward=False)
POLICIES["air_compressor_repair_only"] = dataclasses.replace(
    POLICIES["air_compressor"], failed_repair_threshold=None
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def money(text: str) -> Decimal:
    return Decimal(text)


SOLD = "2026-03-02"  # a Monday: 7-day window ends Mon 03-09, 15-day Tue 03-17, year Tue 2027-03-02
RETURN = ("refund", "exchange", "free_repair")
EXCHANGE = ("exchange", "free_repair", "refund")
REPAIR = ("free_repair",)
PAID = ("paid_repair",)


def case(
    case_id: str,
    policy: str,
    report: str,
    expect: dict[str, Any],
    sold: str = SOLD,
    **facts: Any,
) -> Any:
    """One row: the policy, the facts (dates as ISO strings) and what the decision must say."""
    for key in ("invoice_date", "manufacture_date", "activation_date"):
        if key in facts:
            facts[key] = d(facts[key])
    if "price" in facts:
        facts["price"] = money(facts["price"])
    return pytest.param(
        policy, Facts(purchase_date=d(sold), report_date=d(report), **facts), expect, id=case_id
    )


def covered(window: str, remedies: tuple[str, ...], *reasons: str, **more: Any) -> dict[str, Any]:
    return {"covered": True, "window": window, "remedies": remedies, "reasons": reasons, **more}


def not_covered(*reasons: str, **more: Any) -> dict[str, Any]:
    window = "expired" if reasons == ("expired",) else "excluded"
    return {"covered": False, "window": window, "remedies": PAID, "reasons": reasons, **more}


CASES = [
    # --- the remedies table (phone, host) ---------------------------------------------
    case(
        "handbook-day5-refund-exchange-or-repair",
        "phone",
        "2026-03-07",
        covered(
            "return",
            RETURN,
            "within_return_window",
            rate="0.0000",
            amount="2999.00",
            return_ends="2026-03-09",
            exchange_ends="2026-03-17",
            warranty_ends="2027-03-02",
            period_start=SOLD,
            days=5,
        ),
        price="2999.00",
    ),
    case(
        "day7-is-still-return",
        "phone",
        "2026-03-09",
        covered("return", RETURN, "within_return_window"),
    ),
    case(
        "day8-exchange-with-depreciation",
        "phone",
        "2026-03-10",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0400", amount="960.00"),
        price="1000",
    ),
    case(
        "day15-is-still-exchange",
        "phone",
        "2026-03-17",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0750"),
        price="1000",
    ),
    case(
        "day16-free-repair-only",
        "phone",
        "2026-03-18",
        covered("repair", REPAIR, "within_warranty", rate="0.0000", amount=None),
        price="1000",
    ),
    case(
        "in-period-one-failed-repair-is-not-enough",
        "phone",
        "2026-07-02",
        covered("repair", REPAIR, "within_warranty"),
        failed_repairs=1,
    ),
    case(
        "two-failed-repairs-58-net-days",
        "phone",
        "2026-05-01",
        covered(
            "repair",
            EXCHANGE,
            "failed_repairs",
            rate="0.2900",
            amount="710.00",
            extension=2,
            warranty_ends="2027-03-04",
        ),
        failed_repairs=2,
        repair_days=2,
        price="1000",
    ),
    case(
        "failed-repairs-inside-exchange-window-is-the-window",
        "phone",
        "2026-03-12",
        covered("exchange", EXCHANGE, "within_exchange_window"),
        failed_repairs=2,
    ),
    case(
        "last-day-of-period-is-covered",
        "phone",
        "2027-03-02",
        covered("repair", REPAIR, "within_warranty"),
    ),
    case(
        "day-after-period-is-expired",
        "phone",
        "2027-03-03",
        not_covered("expired", warranty_ends="2027-03-02", rate="0.0000", amount=None),
        price="1000",
    ),
    # --- exclusions ---------------------------------------------------------------------
    case(
        "handbook-liquid-damage-paid-repair",
        "phone",
        "2026-06-01",
        not_covered("human_damage", params={"human_damage": {"kind": "liquid"}}),
        human_damage=True,
        damage_kind="liquid",
    ),
    case(
        "impact-is-human-damage",
        "phone",
        "2026-06-01",
        not_covered("human_damage", params={"human_damage": {"kind": "impact"}}),
        damage_kind="impact",
    ),
    case(
        "unauthorized-repair-is-human-damage",
        "phone",
        "2026-06-01",
        not_covered("human_damage", params={"human_damage": {"kind": "unauthorized_repair"}}),
        damage_kind="unauthorized_repair",
    ),
    case(
        "misuse-is-human-damage",
        "phone",
        "2026-06-01",
        not_covered("human_damage", params={"human_damage": {"kind": "misuse"}}),
        damage_kind="misuse",
    ),
    case(
        "human-damage-flag-without-kind",
        "phone",
        "2026-06-01",
        not_covered("human_damage", params={"human_damage": {"kind": "unspecified"}}),
        human_damage=True,
    ),
    case(
        "force-majeure-is-not-human-damage",
        "phone",
        "2026-06-01",
        not_covered("force_majeure"),
        damage_kind="force_majeure",
    ),
    case(
        "not-a-listed-performance-fault",
        "phone",
        "2026-06-01",
        not_covered("not_a_performance_fault"),
        performance_fault=False,
    ),
    case(
        "voucher-mismatch",
        "phone",
        "2026-03-05",
        not_covered("voucher_invalid", params={"voucher_invalid": {"voucher": "mismatch"}}),
        voucher="mismatch",
    ),
    case(
        "voucher-altered",
        "phone",
        "2026-03-05",
        not_covered("voucher_invalid", params={"voucher_invalid": {"voucher": "altered"}}),
        voucher="altered",
    ),
    case(
        "all-exclusions-in-order-then-expired",
        "phone",
        "2027-05-01",
        not_covered("voucher_invalid", "human_damage", "not_a_performance_fault", "expired"),
        voucher="altered",
        damage_kind="liquid",
        performance_fault=False,
    ),
    case(
        "force-majeure-before-human-damage",
        "phone",
        "2026-06-01",
        not_covered("voucher_invalid", "force_majeure", "human_damage"),
        voucher="mismatch",
        damage_kind="force_majeure",
        human_damage=True,
    ),
    case(
        "expired-and-damaged-is-excluded",
        "phone",
        "2027-06-01",
        not_covered("human_damage", "expired"),
        damage_kind="impact",
    ),
    # --- vouchers -----------------------------------------------------------------------
    case(
        "voucher-copy-day5-no-refund",
        "phone",
        "2026-03-07",
        covered(
            "return",
            ("exchange", "free_repair"),
            "within_return_window",
            "voucher_copy",
            amount=None,
        ),
        voucher="copy",
        price="1000",
    ),
    case(
        "voucher-copy-day10",
        "phone",
        "2026-03-12",
        covered(
            "exchange",
            ("exchange", "free_repair"),
            "within_exchange_window",
            "voucher_copy",
            rate="0.0000",
        ),
        voucher="copy",
    ),
    case(
        "voucher-copy-after-two-failed-repairs",
        "phone",
        "2026-06-01",
        covered("repair", ("exchange", "free_repair"), "failed_repairs", "voucher_copy"),
        voucher="copy",
        failed_repairs=2,
    ),
    case(
        "voucher-missing-policy-without-rule",
        "computer",
        "2026-03-05",
        not_covered(
            "no_voucher",
            warranty_ends=None,
            period_start=None,
            return_ends=None,
            exchange_ends=None,
        ),
        voucher="missing",
        manufacture_date="2026-01-10",
    ),
    case(
        "voucher-missing-phone-without-manufacture-date",
        "phone",
        "2026-03-05",
        not_covered("no_voucher", warranty_ends=None),
        voucher="missing",
    ),
    case(
        "voucher-missing-phone-manufacture-plus-90-free-repair-only",
        "phone",
        "2026-03-07",
        covered(
            "repair",
            REPAIR,
            "no_voucher_free_repair",
            period_start="2026-04-10",
            warranty_ends="2027-04-12",  # 04-10 is a Saturday
            return_ends=None,
            exchange_ends=None,
            params={
                "no_voucher_free_repair": {
                    "start": "2026-04-10",
                    "grace": "90",
                    "ends": "2027-04-12",
                }
            },
        ),
        voucher="missing",
        manufacture_date="2026-01-10",
        price="1000",
    ),
    case(
        "voucher-missing-phone-covered-on-rolled-end",
        "phone",
        "2027-04-12",
        covered("repair", REPAIR, "no_voucher_free_repair"),
        voucher="missing",
        manufacture_date="2026-01-10",
    ),
    case(
        "voucher-missing-phone-expired",
        "phone",
        "2027-04-13",
        not_covered("expired"),
        voucher="missing",
        manufacture_date="2026-01-10",
    ),
    case(
        "voucher-missing-phone-liquid",
        "phone",
        "2026-06-01",
        not_covered("human_damage"),
        voucher="missing",
        manufacture_date="2026-01-10",
        damage_kind="liquid",
    ),
    case(
        "voucher-missing-computer-liquid-lists-both",
        "computer",
        "2026-06-01",
        not_covered("human_damage", "no_voucher"),
        voucher="missing",
        damage_kind="liquid",
    ),
    # --- no same model ------------------------------------------------------------------
    case(
        "no-same-model-day3",
        "phone",
        "2026-03-05",
        covered(
            "return",
            ("refund", "free_repair"),
            "within_return_window",
            "no_same_model",
            amount="1000.00",
        ),
        same_model_available=False,
        price="1000",
    ),
    case(
        "no-same-model-day10-full-price-refund",
        "phone",
        "2026-03-12",
        covered(
            "exchange",
            ("refund", "free_repair"),
            "within_exchange_window",
            "no_same_model",
            rate="0.0000",
            amount="1000.00",
        ),
        same_model_available=False,
        price="1000",
    ),
    case(
        "no-same-model-after-two-failed-repairs",
        "phone",
        "2026-05-01",
        covered(
            "repair", ("refund", "free_repair"), "failed_repairs", "no_same_model", rate="0.0000"
        ),
        same_model_available=False,
        failed_repairs=2,
        price="1000",
    ),
    case(
        "no-same-model-nothing-to-replace",
        "phone",
        "2026-07-02",
        covered("repair", REPAIR, "within_warranty"),
        same_model_available=False,
    ),
    case(
        "no-same-model-and-voucher-copy",
        "phone",
        "2026-03-12",
        covered("exchange", REPAIR, "within_exchange_window", "no_same_model", "voucher_copy"),
        same_model_available=False,
        voucher="copy",
    ),
    # --- accessories (phone) --------------------------------------------------------------
    case(
        "battery-inside-its-6-months-exchange",
        "phone",
        "2026-06-01",
        covered(
            "repair",
            ("exchange",),
            "accessory_in_period",
            warranty_ends="2026-09-02",
            return_ends=None,
            exchange_ends=None,
        ),
        part="battery",
    ),
    case(
        "battery-day3-windows-are-the-hosts",
        "phone",
        "2026-03-05",
        covered("repair", ("exchange",), "accessory_in_period", return_ends=None),
        part="battery",
    ),
    case(
        "battery-last-day",
        "phone",
        "2026-09-02",
        covered("repair", ("exchange",), "accessory_in_period"),
        part="battery",
    ),
    case("battery-expired", "phone", "2026-09-03", not_covered("expired"), part="battery"),
    case(
        "battery-after-two-exchanges-full-refund",
        "phone",
        "2026-06-01",
        covered(
            "repair",
            ("refund",),
            "accessory_exchanged_twice",
            rate="0.0000",
            amount="99.00",
        ),
        part="battery",
        failed_repairs=2,
        price="99.00",
    ),
    case(
        "battery-after-two-exchanges-voucher-copy-falls-back-to-exchange",
        "phone",
        "2026-06-01",
        covered("repair", ("exchange",), "accessory_exchanged_twice", "voucher_copy", amount=None),
        part="battery",
        failed_repairs=2,
        voucher="copy",
        price="99.00",
    ),
    case("headset-3-months-expired", "phone", "2026-06-03", not_covered("expired"), part="headset"),
    case(
        "charger-month-11",
        "phone",
        "2027-02-01",
        covered("repair", ("exchange",), "accessory_in_period", warranty_ends="2027-03-02"),
        part="charger",
    ),
    case(
        "terminal-card-no-same-model-refund",
        "phone",
        "2026-06-01",
        covered("repair", ("refund",), "accessory_in_period", "no_same_model", rate="0.0000"),
        part="terminal_card",
        same_model_available=False,
    ),
    case(
        "battery-liquid",
        "phone",
        "2026-06-01",
        not_covered("human_damage"),
        part="battery",
        damage_kind="liquid",
    ),
    case(
        "battery-08-31-plus-6-months-ends-02-28-a-worked-saturday",
        "phone",
        "2026-02-28",
        covered("repair", ("exchange",), "accessory_in_period", warranty_ends="2026-02-28"),
        sold="2025-08-31",
        part="battery",
    ),
    case(
        "battery-08-31-plus-6-months-day-after",
        "phone",
        "2026-03-01",
        not_covered("expired"),
        sold="2025-08-31",
        part="battery",
    ),
    # --- main parts -------------------------------------------------------------------------
    case(
        "tv-tuner-day3-like-host",
        "tv",
        "2026-03-05",
        covered("return", RETURN, "within_return_window", amount="3000.00"),
        part="tuner",
        price="3000",
    ),
    case(
        "tv-tuner-inside-host-period",
        "tv",
        "2026-09-01",
        covered(
            "repair",
            REPAIR,
            "within_warranty",
            warranty_ends="2029-03-02",
            whole_unit_ends="2027-03-02",
        ),
        part="tuner",
    ),
    case(
        "tv-tuner-two-failed-repairs-inside-host-period",
        "tv",
        "2026-05-01",
        covered("repair", EXCHANGE, "failed_repairs", rate="0.0600"),
        part="tuner",
        failed_repairs=2,
    ),
    case(
        "tv-tuner-after-host-period-own-period",
        "tv",
        "2027-09-02",
        covered("repair", REPAIR, "main_part_in_period", warranty_ends="2029-03-02"),
        part="tuner",
    ),
    case(
        "tv-tuner-after-host-period-failed-repairs-still-free-repair",
        "tv",
        "2027-09-02",
        covered("repair", REPAIR, "main_part_in_period"),
        part="tuner",
        failed_repairs=3,
    ),
    case("tv-tuner-after-both-periods", "tv", "2029-03-03", not_covered("expired"), part="tuner"),
    case("tv-host-after-host-period", "tv", "2027-09-02", not_covered("expired")),
    case(
        "tv-host-day12-depreciation-0.1-percent",
        "tv",
        "2026-03-14",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0120"),
        price="2000",
    ),
    case(
        "computer-hard-disk-after-host-period",
        "computer",
        "2027-09-02",
        covered("repair", REPAIR, "main_part_in_period", warranty_ends="2028-03-02"),
        part="hard_disk",
    ),
    case(
        "computer-host-day12-depreciation-0.25-percent",
        "computer",
        "2026-03-14",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0300", amount="4850.00"),
        price="5000",
    ),
    # --- rest-day roll-forward ---------------------------------------------------------------
    case(
        "window-ends-on-saturday-rolls-to-monday",
        "phone",
        "2026-03-16",
        covered(
            "return",
            RETURN,
            "within_return_window",
            return_ends="2026-03-16",
            exchange_ends="2026-03-23",  # 03-22 is a Sunday
        ),
        sold="2026-03-07",
    ),
    case(
        "window-ends-on-sunday-rolls-to-monday",
        "phone",
        "2026-03-16",
        covered("return", RETURN, "within_return_window", return_ends="2026-03-16"),
        sold="2026-03-08",
    ),
    case(
        "national-day-return-window-rolls-to-10-08",
        "phone",
        "2026-10-08",
        covered(
            "return",
            RETURN,
            "within_return_window",
            return_ends="2026-10-08",
            exchange_ends="2026-10-09",
        ),
        sold="2026-09-24",
    ),
    case(
        "national-day-day-after-rolled-end-is-exchange",
        "phone",
        "2026-10-09",
        covered("exchange", EXCHANGE, "within_exchange_window"),
        sold="2026-09-24",
    ),
    case(
        "adjusted-working-saturday-does-not-roll",
        "phone",
        "2026-10-11",
        covered(
            "exchange",
            EXCHANGE,
            "within_exchange_window",
            return_ends="2026-10-10",
            exchange_ends="2026-10-19",  # 10-18 is a Sunday
        ),
        sold="2026-10-03",
    ),
    case(
        "labour-day-holiday-rolls",
        "phone",
        "2026-05-06",
        covered("return", RETURN, "within_return_window", return_ends="2026-05-06"),
        sold="2026-04-28",
    ),
    case(
        "labour-day-adjusted-saturday-05-09-does-not-roll",
        "phone",
        "2026-05-10",
        covered("exchange", EXCHANGE, "within_exchange_window", return_ends="2026-05-09"),
        sold="2026-05-02",
    ),
    case(
        "roll-forward-off",
        "phone_no_roll",
        "2026-10-08",
        covered("exchange", EXCHANGE, "within_exchange_window", return_ends="2026-10-01"),
        sold="2026-09-24",
    ),
    case(
        "period-ending-on-national-day-rolls",
        "phone",
        "2026-10-08",
        covered("repair", REPAIR, "within_warranty", warranty_ends="2026-10-08"),
        sold="2025-10-01",
    ),
    case(
        "period-ending-on-national-day-day-after-rolled-end",
        "phone",
        "2026-10-09",
        not_covered("expired"),
        sold="2025-10-01",
    ),
    # --- leap days ---------------------------------------------------------------------------
    case(
        "leap-day-plus-12-months-ends-02-28",
        "phone",
        "2025-02-28",
        covered("repair", REPAIR, "within_warranty", warranty_ends="2025-02-28"),
        sold="2024-02-29",
    ),
    case(
        "leap-day-plus-12-months-03-01-expired",
        "phone",
        "2025-03-01",
        not_covered("expired"),
        sold="2024-02-29",
    ),
    # --- extension -----------------------------------------------------------------------------
    case(
        "handbook-repair-03-23-to-05-25-extends-the-period",
        "phone",
        "2027-03-15",
        covered(
            "repair",
            REPAIR,
            "within_warranty",
            extension=63,
            warranty_ends="2027-03-15",  # 2027-01-10 + 63 = Sunday 03-14
        ),
        sold="2026-01-10",
        repair_days=63,
    ),
    case(
        "without-the-repair-days-it-would-have-expired",
        "phone",
        "2027-01-20",
        not_covered("expired", warranty_ends="2027-01-11"),
        sold="2026-01-10",
    ),
    case(
        "goodwill-on-top-of-repair-days",
        "phone",
        "2027-03-24",
        covered("repair", REPAIR, "within_warranty", extension=73, warranty_ends="2027-03-24"),
        sold="2026-01-10",
        repair_days=63,
        goodwill_days=10,
    ),
    case(
        "extension-does-not-extend-the-return-window",
        "phone",
        "2026-03-10",
        covered("exchange", EXCHANGE, "within_exchange_window", return_ends="2026-03-09"),
        repair_days=5,
        goodwill_days=5,
    ),
    # --- depreciation and money --------------------------------------------------------------
    case(
        "goodwill-days-not-subtracted-in-depreciation",
        "phone",
        "2026-05-01",
        covered("repair", EXCHANGE, "failed_repairs", rate="0.2900", extension=32),
        failed_repairs=2,
        repair_days=2,
        goodwill_days=30,
    ),
    case(
        "depreciation-capped-at-the-price",
        "phone",
        "2026-11-07",
        covered("repair", EXCHANGE, "failed_repairs", rate="1.0000", amount="0.00"),
        failed_repairs=2,
        price="1000",
    ),
    case(
        "refund-amount-rounds-half-up",
        "phone",
        "2026-03-12",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0150", amount="197.99"),
        repair_days=7,
        price="201.00",
    ),
    case(
        "more-repair-days-than-days-never-negative",
        "phone",
        "2026-03-12",
        covered("exchange", EXCHANGE, "within_exchange_window", rate="0.0000", amount="500.00"),
        repair_days=12,
        price="500",
    ),
    # --- company policies: no windows, no rate ---------------------------------------------------
    case(
        "air-compressor-day3-free-repair-only",
        "air_compressor",
        "2026-03-05",
        covered(
            "repair",
            REPAIR,
            "within_warranty",
            return_ends=None,
            exchange_ends=None,
            warranty_ends="2027-03-02",
            rate="0.0000",
            amount=None,
        ),
        price="38600.00",
    ),
    case(
        "air-compressor-two-failed-repairs-exchange-but-no-refund",
        "air_compressor",
        "2026-09-01",
        covered("repair", ("exchange", "free_repair"), "failed_repairs", amount=None),
        failed_repairs=2,
        price="38600.00",
    ),
    case(
        "air-compressor-repair-only-policy",
        "air_compressor_repair_only",
        "2026-09-01",
        covered("repair", REPAIR, "within_warranty"),
        failed_repairs=5,
    ),
    case(
        "air-compressor-no-same-model-no-rate-leaves-repair",
        "air_compressor",
        "2026-09-01",
        covered("repair", REPAIR, "failed_repairs", "no_same_model"),
        failed_repairs=2,
        same_model_available=False,
    ),
    case(
        "air-compressor-voucher-copy",
        "air_compressor",
        "2026-03-05",
        covered("repair", REPAIR, "within_warranty", "voucher_copy"),
        voucher="copy",
    ),
    case(
        "flooring-month-20",
        "flooring",
        "2027-11-02",
        covered("repair", REPAIR, "within_warranty", warranty_ends="2028-03-02"),
    ),
    case("flooring-after-24-months", "flooring", "2028-03-03", not_covered("expired")),
    # --- dates on the voucher and the handbook's warnings -----------------------------------------
    case(
        "handbook-activation-before-sale-invoice-date-rules",
        "phone",
        "2026-09-07",
        covered(
            "repair",
            REPAIR,
            "within_warranty",
            warranty_ends="2026-09-07",  # 2026-09-06 is a Sunday
            warnings=("activation_before_sale",),
        ),
        sold="2025-09-06",
        activation_date="2025-07-28",
    ),
    case(
        "invoice-later-than-sale-period-from-invoice-windows-from-sale",
        "phone",
        "2027-03-05",
        covered(
            "repair",
            REPAIR,
            "within_warranty",
            warranty_ends="2027-03-05",
            return_ends="2026-03-09",
            period_start="2026-03-05",
            warnings=("invoice_date_differs",),
        ),
        invoice_date="2026-03-05",
    ),
    case(
        "manufactured-after-sale-is-flagged",
        "phone",
        "2026-03-05",
        covered("return", RETURN, "within_return_window", warnings=("manufactured_after_sale",)),
        manufacture_date="2026-04-01",
    ),
    # --- a repair that lasts too long (the handbook: 30 days; 60/90 for want of parts) -------
    case(
        "repair-of-31-days-opens-an-exchange",
        "phone",
        "2026-06-01",
        covered("repair", ("free_repair", "exchange"), "within_warranty", "repair_delay"),
        repairer_days=31,
    ),
    case(
        "repair-of-30-days-is-within-the-limit",
        "phone",
        "2026-06-01",
        covered("repair", REPAIR, "within_warranty"),
        repairer_days=30,
    ),
    case(
        "parts-awaited-91-days-open-an-exchange",
        "phone",
        "2026-06-01",
        covered("repair", ("free_repair", "exchange"), "within_warranty", "parts_delay"),
        repairer_days=10,
        parts_wait_days=91,
    ),
    case(
        "a-late-accessory-gains-nothing-more",
        "phone",
        "2026-06-01",
        covered("repair", ("exchange",), "accessory_in_period"),
        part="charger",
        repairer_days=40,
    ),
    case(
        "a-late-paid-repair-stays-paid",
        "phone",
        "2027-06-01",
        not_covered("expired"),
        repairer_days=40,
    ),
]

_DATE_KEYS = {
    "warranty_ends": "warranty_ends",
    "return_ends": "return_ends",
    "exchange_ends": "exchange_ends",
    "period_start": "period_start",
    "whole_unit_ends": "whole_unit_ends",
}


@pytest.mark.parametrize(("policy", "facts", "expect"), CASES)
def test_decision_table(policy: str, facts: Facts, expect: dict[str, Any]) -> None:
    decision = decide(POLICIES[policy], facts, CN)

    assert decision.covered is expect["covered"]
    assert decision.window == expect["window"]
    assert decision.remedies == expect["remedies"]
    assert tuple(r.code for r in decision.reasons) == expect["reasons"]
    assert tuple(w.code for w in decision.warnings) == expect.get("warnings", ())
    for key, attr in _DATE_KEYS.items():
        if key in expect:
            want = expect[key]
            assert getattr(decision, attr) == (d(want) if want else None), key
    if "rate" in expect:
        assert str(decision.refund_deduction_rate) == expect["rate"]
    if "amount" in expect:
        want_amount = expect["amount"]
        assert decision.refund_amount == (money(want_amount) if want_amount else None)
        if want_amount:
            assert str(decision.refund_amount) == want_amount
    if "extension" in expect:
        assert decision.extension_days == expect["extension"]
    if "days" in expect:
        assert decision.days_since_purchase == expect["days"]
    for code, params in expect.get("params", {}).items():
        assert next(r for r in decision.reasons if r.code == code).params == params
    assert decision.policy_code == POLICIES[policy].policy_code
    assert decision.policy_version == 1


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 45


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "facts"),
    [
        pytest.param("part", {"part": "antenna"}, id="unknown-part"),
        pytest.param("part", {"part": "tuner"}, id="part-of-another-category"),
        pytest.param("report_date", {"report_date": d("2026-03-01")}, id="report-before-purchase"),
        pytest.param("damage_kind", {"damage_kind": "dropped"}, id="unknown-damage-kind"),
        pytest.param("voucher", {"voucher": "lost"}, id="unknown-voucher"),
        pytest.param("repair_days", {"repair_days": -1}, id="negative-repair-days"),
        pytest.param("goodwill_days", {"goodwill_days": -3}, id="negative-goodwill-days"),
        pytest.param("failed_repairs", {"failed_repairs": -1}, id="negative-failed-repairs"),
        pytest.param("price", {"price": Decimal("-1")}, id="negative-price"),
    ],
)
def test_undecidable_facts_name_the_field(field: str, facts: dict[str, Any]) -> None:
    given = {"purchase_date": d(SOLD), "report_date": d("2026-03-05"), **facts}
    with pytest.raises(Undecidable) as caught:
        decide(POLICIES["phone"], Facts(**given), CN)
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_a_report_on_the_purchase_day_is_day_zero_of_the_return_window() -> None:
    decision = decide(POLICIES["phone"], Facts(purchase_date=d(SOLD), report_date=d(SOLD)), CN)
    assert (decision.days_since_purchase, decision.window) == (0, "return")


def test_a_policy_without_a_host_part_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="host"):
        _terms("broken", "x", {"battery": ("accessory", 6)})


def test_the_decision_records_the_dates_it_used() -> None:
    facts = Facts(
        purchase_date=d(SOLD),
        invoice_date=d("2026-03-03"),
        report_date=d("2026-06-01"),
        part="battery",
        repair_days=4,
    )
    decision = decide(POLICIES["phone"], facts, CN)
    assert decision.purchase_date == d(SOLD)
    assert decision.invoice_date == d("2026-03-03")
    assert decision.report_date == d("2026-06-01")
    assert decision.part == "battery"
    assert decision.period_start == d("2026-03-03")
    assert decision.whole_unit_ends == d("2027-03-08")  # 03-03 + 1 year + 4 days = Sunday 03-07
    assert decision.depreciation_days == 91 - 4


# --- add_period -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        pytest.param("2026-03-01", Period(7, "days"), "2026-03-08", id="7-days"),
        pytest.param("2026-03-01", Period(15, "days"), "2026-03-16", id="15-days"),
        pytest.param("2024-03-01", Period(1, "years"), "2025-03-01", id="one-year"),
        pytest.param("2024-02-29", Period(1, "years"), "2025-02-28", id="leap-day-plus-year"),
        pytest.param("2024-02-29", Period(12, "months"), "2025-02-28", id="leap-day-plus-12m"),
        pytest.param("2024-02-29", Period(4, "years"), "2028-02-29", id="leap-to-leap"),
        pytest.param("2025-08-31", Period(6, "months"), "2026-02-28", id="08-31-plus-6m"),
        pytest.param("2023-08-31", Period(6, "months"), "2024-02-29", id="08-31-plus-6m-leap"),
        pytest.param("2026-01-31", Period(3, "months"), "2026-04-30", id="01-31-plus-3m"),
        pytest.param("2026-11-15", Period(3, "months"), "2027-02-15", id="across-new-year"),
        pytest.param("2026-03-02", Period(0, "months"), "2026-03-02", id="zero"),
    ],
)
def test_add_period(start: str, period: Period, end: str) -> None:
    assert add_period(d(start), period) == d(end)


def test_a_period_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        Period(-1, "months")


# --- messages ---------------------------------------------------------------------------------------

DOMAIN_CODES = {
    "voucher_invalid",
    "force_majeure",
    "human_damage",
    "not_a_performance_fault",
    "no_voucher",
    "expired",
    "within_return_window",
    "within_exchange_window",
    "failed_repairs",
    "within_warranty",
    "accessory_in_period",
    "accessory_exchanged_twice",
    "main_part_in_period",
    "no_voucher_free_repair",
    "no_same_model",
    "voucher_copy",
    "activation_before_sale",
}


def test_every_domain_reason_code_has_a_message() -> None:
    assert DOMAIN_CODES <= set(REASON_MESSAGES)


@pytest.mark.parametrize(("policy", "facts", "expect"), CASES)
def test_every_reason_renders_its_message(policy: str, facts: Facts, expect: object) -> None:
    decision = decide(POLICIES[policy], facts, CN)
    for reason in (*decision.reasons, *decision.warnings):
        text = reason.message()
        assert "%(" not in text and text


def test_messages_are_translated_before_they_are_filled_in() -> None:
    reason = Reason("expired", {"ends": "2027-03-02"})
    assert reason.message(lambda text: "过期：%(ends)s") == "过期：2027-03-02"
    assert reason.message() == "The warranty period ended on 2027-03-02."


def test_damage_kinds_are_the_documented_five() -> None:
    assert DAMAGE_KINDS == ("liquid", "impact", "unauthorized_repair", "misuse", "force_majeure")
