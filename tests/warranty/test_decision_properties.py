"""Properties every 三包 decision keeps, whatever the policy, part, voucher and dates."""

import calendar
import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.warranty.rules import (
    DAMAGE_KINDS,
    VOUCHERS,
    Decision,
    Facts,
    Period,
    add_period,
    decide,
)
from tests.warranty.test_decision_table import CN, POLICIES

PROPERTY = settings(max_examples=300, deadline=None)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 6, 30))


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, Facts]:
    """A policy name and any decidable facts for one of its parts."""
    policy = draw(st.sampled_from(sorted(POLICIES)))
    sold = draw(DAYS)
    facts = Facts(
        purchase_date=sold,
        report_date=sold + timedelta(days=draw(st.integers(0, 1500))),
        part=draw(st.sampled_from(sorted(POLICIES[policy].parts))),
        invoice_date=draw(st.none() | st.just(sold + timedelta(days=draw(st.integers(-5, 30))))),
        manufacture_date=draw(
            st.none() | st.just(sold - timedelta(days=draw(st.integers(0, 400))))
        ),
        activation_date=draw(st.none() | DAYS),
        performance_fault=draw(st.booleans()),
        human_damage=draw(st.booleans()),
        damage_kind=draw(st.none() | st.sampled_from(DAMAGE_KINDS)),
        voucher=draw(st.sampled_from(VOUCHERS)),
        repair_days=draw(st.integers(0, 200)),
        goodwill_days=draw(st.integers(0, 100)),
        failed_repairs=draw(st.integers(0, 4)),
        same_model_available=draw(st.booleans()),
        price=draw(st.none() | st.decimals(0, 50_000, places=2)),
    )
    return policy, facts


def covered_cases() -> Any:
    """Cases biased towards coverage, so the remedy rules are exercised, not just exclusions."""
    return cases().map(
        lambda c: (
            c[0],
            dataclasses.replace(c[1], performance_fault=True, human_damage=False, damage_kind=None),
        )
    )


def run(policy: str, facts: Facts) -> Decision:
    return decide(POLICIES[policy], facts, CN)


@PROPERTY
@given(case=cases() | covered_cases(), later=st.integers(1, 800))
def test_a_later_report_never_adds_a_remedy(case: tuple[str, Facts], later: int) -> None:
    policy, facts = case
    now = run(policy, facts)
    then = run(policy, dataclasses.replace(facts, report_date=facts.report_date + timedelta(later)))
    assert set(then.remedies) - {"paid_repair"} <= set(now.remedies)
    assert now.covered or not then.covered


@PROPERTY
@given(case=cases() | covered_cases(), more=st.integers(1, 300))
def test_more_repair_days_never_shorten_the_period(case: tuple[str, Facts], more: int) -> None:
    policy, facts = case
    before = run(policy, facts)
    after = run(policy, dataclasses.replace(facts, repair_days=facts.repair_days + more))
    if before.warranty_ends is not None:
        assert after.warranty_ends is not None
        assert after.warranty_ends >= before.warranty_ends
    assert (after.return_ends, after.exchange_ends) == (before.return_ends, before.exchange_ends)


@PROPERTY
@given(case=cases() | covered_cases())
def test_remedies_are_never_empty_nor_repeated(case: tuple[str, Facts]) -> None:
    decision = run(*case)
    assert decision.remedies
    assert len(set(decision.remedies)) == len(decision.remedies)
    assert ("paid_repair" in decision.remedies) is (not decision.covered)
    if not decision.covered:
        assert decision.remedies == ("paid_repair",)
        assert decision.window in ("expired", "excluded")
    assert decision.reasons


@PROPERTY
@given(case=cases() | covered_cases())
def test_money_stays_within_the_price(case: tuple[str, Facts]) -> None:
    policy, facts = case
    decision = run(policy, facts)
    rate = decision.refund_deduction_rate
    assert Decimal(0) <= rate <= Decimal(1)
    assert rate.as_tuple().exponent == -4
    if decision.refund_amount is not None:
        assert facts.price is not None and "refund" in decision.remedies
        assert Decimal(0) <= decision.refund_amount <= facts.price
    if "refund" not in decision.remedies:
        assert decision.refund_amount is None and rate == 0


@PROPERTY
@given(case=cases() | covered_cases())
def test_the_window_agrees_with_the_dates(case: tuple[str, Facts]) -> None:
    policy, facts = case
    decision = run(policy, facts)
    if decision.window == "return":
        assert decision.return_ends is not None and facts.report_date <= decision.return_ends
    if decision.window == "exchange":
        assert decision.exchange_ends is not None and facts.report_date <= decision.exchange_ends
    if decision.covered:
        assert decision.warranty_ends is not None and facts.report_date <= decision.warranty_ends
    assert decision.extension_days == facts.repair_days + facts.goodwill_days
    assert decision.days_since_purchase == (facts.report_date - facts.purchase_date).days


@PROPERTY
@given(case=cases())
def test_the_decision_is_deterministic(case: tuple[str, Facts]) -> None:
    assert run(*case) == run(*case)


# --- add_period --------------------------------------------------------------------------------

PERIODS = st.builds(Period, st.integers(0, 120), st.sampled_from(("days", "months", "years")))


@PROPERTY
@given(a=DAYS, b=DAYS, period=PERIODS)
def test_add_period_is_monotonic_in_the_start(a: date, b: date, period: Period) -> None:
    early, late = sorted((a, b))
    assert add_period(early, period) <= add_period(late, period)
    assert add_period(early, period) >= early


@PROPERTY
@given(start=DAYS, months=st.integers(0, 120))
def test_months_end_on_the_same_day_or_the_months_last_day(start: date, months: int) -> None:
    end = add_period(start, Period(months, "months"))
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == start.day or (end.day == last and start.day > last)


@PROPERTY
@given(start=DAYS, years=st.integers(0, 10))
def test_years_are_twelve_months(start: date, years: int) -> None:
    assert add_period(start, Period(years, "years")) == add_period(
        start, Period(12 * years, "months")
    )
