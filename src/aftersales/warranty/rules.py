"""The 三包 (repair, exchange, return) decision: one pure function of policy, facts and calendar.

The rules are data (``Terms``, one policy version as it applies to one product category);
this module is the only place that interprets them, so the API, the work order and the
printed voucher can never disagree. It does no I/O and never looks at "today": the report
date is part of the facts, so the same inputs always give the same ``Decision``, and a
stored decision can be re-derived and audited later. Every decision carries the dates it
computed and the policy version it used, because a later calendar or policy edit must not
silently rewrite an answer already given to a customer.

Message texts are English, marked with ``gettext_noop`` so ``makemessages`` extracts them;
callers translate at display time (``reason.message(gettext)``). The marker is a local identity
function: Django's reads settings on first call, and this module must import without Django.

Interpretations
---------------
Where DOMAIN.md ("三包 rules") is silent, the engine decides as follows:

* ``expired`` is listed *with* the exclusions when the period is also over ("all that apply
  are listed"); ``window`` is ``expired`` only when expiry is the sole reason, else
  ``excluded``. When the period cannot be computed (missing voucher, rule off) expiry is
  not judged at all.
* ``human_damage: true`` without a kind is listed with kind ``unspecified``; with
  ``damage_kind: force_majeure`` as well, both ``force_majeure`` and ``human_damage`` are
  listed (the inspector's flag is not second-guessed; both exclude anyway).
* The extension (repair + goodwill days) lengthens every period of the unit - the whole-unit
  period and the part's own period - since the unit was out of the customer's hands.
* The 7/15-day windows are the host's: they are ``None`` in an accessory's decision, and
  ``None`` with a missing voucher. A main part shows them (inside the whole-unit period it is
  decided like a host fault).
* ``warranty_ends`` of a main part is the later of the whole-unit end and its own end (it is
  covered until then); ``whole_unit_ends`` records the host end separately.
* A report before the period start (invoice issued after the sale, or a missing voucher
  counted from manufacture + grace) is inside the period: the unit is younger than assumed.
* With a missing voucher and the rule on, every covered part (accessories included) gets
  ``["free_repair"]`` only, reason ``no_voucher_free_repair``.
* Remedy adjustments are applied in this order: no same model (refund replaces exchange),
  no daily rate (refund removed), voucher copy (refund removed), then the fallback when
  nothing is left (accessory ``["exchange"]``, else ``["free_repair"]``). So a no-rate
  policy without the same model offers repair only, and the fallback rule is applied
  literally even when the same model is missing.
* ``no_same_model`` is listed only when an exchange was actually replaced; ``voucher_copy``
  whenever a covered decision rests on a copy.
* A refund with depreciation merged with a full-price refund (no same model) is at full
  price: the customer gets the better of the two.
* ``refund_deduction_rate`` is ``0.0000`` whenever refund is not among the remedies or is at
  full price; the depreciation days actually used are recorded in ``depreciation_days``.
* After the failed-repairs threshold a main part past the whole-unit period still gets
  ``["free_repair"]`` (DOMAIN gives no other remedy there).
* ``failed_repair_threshold`` may be ``None``: the rule is off and the period offers free
  repair only (DOMAIN: company policies have "a free-repair period only"). With a number but
  no daily rate, the threshold row offers exchange and free repair (no refund).
* Negative ``price`` is undecidable (field ``price``) like negative day counts.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from aftersales.core.rules import WorkingCalendar, roll_forward

__all__ = [
    "DAMAGE_KINDS",
    "REASON_MESSAGES",
    "Decision",
    "Facts",
    "PartKind",
    "PartTerms",
    "Period",
    "Reason",
    "Remedy",
    "Terms",
    "Undecidable",
    "VOUCHERS",
    "Voucher",
    "Window",
    "add_period",
    "decide",
]

Remedy = Literal["refund", "exchange", "free_repair", "paid_repair"]
Window = Literal["return", "exchange", "repair", "expired", "excluded"]
PartKind = Literal["host", "accessory", "main_part"]
Voucher = Literal["valid", "copy", "missing", "mismatch", "altered"]
PeriodUnit = Literal["days", "months", "years"]

DAMAGE_KINDS = ("liquid", "impact", "unauthorized_repair", "misuse", "force_majeure")
"""Inspection findings; ``force_majeure`` is its own exclusion, the others are human damage."""


def is_human_damage(damage_kind: str | None) -> bool:
    """Whether damage found at inspection is human damage: every kind but force majeure (its own
    exclusion); no kind, no damage."""
    return bool(damage_kind) and damage_kind != "force_majeure"


VOUCHERS: tuple[Voucher, ...] = get_args(Voucher)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction by ``makemessages`` (it knows this keyword).

    Django's own ``gettext_noop`` reads ``settings.USE_I18N`` on its first call, which would
    make merely importing this pure module require configured settings.
    """
    return message


_RATE_PLACES = Decimal("0.0001")
_CENTS = Decimal("0.01")
_ZERO_RATE = Decimal("0.0000")


@dataclass(frozen=True)
class Period:
    """A warranty length as the regulation states it ("1 year", "6 months", "15 days")."""

    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"period amount must not be negative, got {self.amount}")
        if self.unit not in get_args(PeriodUnit):
            raise ValueError(f"period unit must be days, months or years, got {self.unit!r}")


@dataclass(frozen=True)
class PartTerms:
    """One part of a category's policy: its own period and which rules it follows."""

    code: str
    name: str
    kind: PartKind
    period: Period


@dataclass(frozen=True)
class Terms:
    """A policy version as it applies to one product category (what the engine needs)."""

    policy_code: str
    policy_version: int
    category: str
    parts: Mapping[str, PartTerms]  # must contain "host"
    return_days: int | None = 7  # None: no return window (company policies)
    exchange_days: int | None = 15
    daily_rate: Decimal | None = None  # Decimal("0.005") = 0.5 %/day; None: no refund ever
    failed_repair_threshold: int | None = 2  # 修理两次仍不能正常使用; None: rule off
    accessory_exchange_threshold: int = 2
    no_voucher_grace_days: int | None = None  # phones: 90 (manufacture date + 90 days)
    roll_forward: bool = True  # rest-day roll-forward of every end date
    # A repair that lasts longer (days not caused by the customer) opens an exchange: through
    # the repairer, and for want of parts (phones 60, household goods 90). None: rule off.
    repair_delay_days: int | None = 30
    parts_delay_days: int | None = 90

    def __post_init__(self) -> None:
        # A misconfigured policy is a server-side error, not the customer's: fail loudly.
        if "host" not in self.parts:
            raise ValueError(f"policy {self.policy_code} ({self.category}) has no 'host' part")
        for name in ("return_days", "exchange_days", "no_voucher_grace_days"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")
        if self.daily_rate is not None and self.daily_rate < 0:
            raise ValueError(f"daily_rate must not be negative, got {self.daily_rate}")


@dataclass(frozen=True)
class Facts:
    """What is known about the unit and the reported fault, as of ``report_date``."""

    purchase_date: date  # sale date
    report_date: date
    part: str = "host"
    invoice_date: date | None = None  # defaults to purchase_date
    manufacture_date: date | None = None
    activation_date: date | None = None
    performance_fault: bool = True
    human_damage: bool = False
    damage_kind: str | None = None  # one of DAMAGE_KINDS; force_majeure is not human damage
    voucher: Voucher = "valid"
    repair_days: int = 0  # extends the period AND is subtracted in depreciation
    goodwill_days: int = 0  # complaint settlements: extend the period only
    failed_repairs: int = 0  # host/main part: failed repairs; accessory: failed exchanges
    same_model_available: bool = True
    price: Decimal | None = None
    # The repair under way: whole days in the repairer's hands and waiting for parts (days
    # waiting for the customer's approval or pickup do not count).
    repairer_days: int = 0
    parts_wait_days: int = 0


@dataclass(frozen=True)
class Reason:
    """A machine code plus the values its message needs; the text is looked up, not stored."""

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def message(self, translate: Callable[[str], str] = str) -> str:
        """The message, translated by ``translate`` (e.g. ``gettext``) before filling in."""
        return translate(REASON_MESSAGES[self.code]) % dict(self.params)


@dataclass(frozen=True)
class Decision:
    """The answer given to the customer, with every date and number it was derived from."""

    covered: bool
    window: Window
    remedies: tuple[Remedy, ...]  # never empty; ("paid_repair",) when not covered
    days_since_purchase: int
    warranty_ends: date | None  # last covered day of this part, inclusive
    return_ends: date | None
    exchange_ends: date | None
    extension_days: int  # repair_days + goodwill_days
    refund_deduction_rate: Decimal  # 4 places
    refund_amount: Decimal | None
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    policy_code: str
    policy_version: int
    period_start: date | None  # invoice date, or manufacture + grace with a missing voucher
    # Audit trail: the inputs the dates were computed from.
    part: str = "host"
    purchase_date: date | None = None
    invoice_date: date | None = None  # the effective one (defaulted to the sale date)
    report_date: date | None = None
    whole_unit_ends: date | None = None  # the host period's end, after extension/roll-forward
    depreciation_days: int = 0  # days since purchase − repair days, never negative


class Undecidable(ValueError):
    """The facts cannot be decided; `field` names the offending input (→ API 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


REASON_MESSAGES: Mapping[str, str] = {
    # Not covered, in checking order.
    "voucher_invalid": gettext_noop(
        "The warranty voucher does not match the unit or was altered (%(voucher)s)."
    ),
    "force_majeure": gettext_noop("Damage by force majeure is not covered."),
    "human_damage": gettext_noop("Human damage (%(kind)s) is not covered."),
    "not_a_performance_fault": gettext_noop(
        "The fault is not one of the performance faults listed by the policy."
    ),
    "no_voucher": gettext_noop(
        "Neither a warranty voucher nor an invoice was presented, and the policy gives no "
        "other way to date the unit."
    ),
    "expired": gettext_noop("The warranty period ended on %(ends)s."),
    # Covered.
    "within_return_window": gettext_noop(
        "Performance fault reported within the return window, which ends on %(ends)s."
    ),
    "within_exchange_window": gettext_noop(
        "Performance fault reported within the exchange window, which ends on %(ends)s."
    ),
    "failed_repairs": gettext_noop(
        "The fault was repaired %(count)s times and the unit still does not work properly."
    ),
    "within_warranty": gettext_noop(
        "Performance fault within the warranty period, which ends on %(ends)s."
    ),
    "accessory_in_period": gettext_noop(
        "The accessory (%(part)s) is within its own warranty period, which ends on %(ends)s."
    ),
    "accessory_exchanged_twice": gettext_noop(
        "The accessory (%(part)s) still fails after %(count)s exchanges."
    ),
    "main_part_in_period": gettext_noop(
        "The whole-unit period has ended, but the main part (%(part)s) is within its own "
        "period, which ends on %(ends)s."
    ),
    "no_voucher_free_repair": gettext_noop(
        "No warranty voucher: the period is counted from %(start)s (manufacture date plus "
        "%(grace)s days) and ends on %(ends)s; only free repair is open."
    ),
    "no_same_model": gettext_noop(
        "The same model is not available: a refund at the full invoice price replaces the exchange."
    ),
    "voucher_copy": gettext_noop("Only a copy of the invoice was presented: no refund."),
    "repair_delay": gettext_noop(
        "The repair has lasted %(days)s days not caused by the customer, past the limit of "
        "%(limit)s days: the customer may have the unit exchanged."
    ),
    "parts_delay": gettext_noop(
        "The repair has waited %(days)s days for parts, past the limit of %(limit)s days: the "
        "customer may have the unit exchanged."
    ),
    # Warnings.
    "activation_before_sale": gettext_noop(
        "The unit was activated on %(activation_date)s, before its sale on "
        "%(purchase_date)s: check the store's stock handling."
    ),
    "invoice_date_differs": gettext_noop(
        "The invoice date %(invoice_date)s differs from the sale date %(purchase_date)s: "
        "the warranty runs from the invoice date, the return and exchange windows from the "
        "sale date."
    ),
    "manufactured_after_sale": gettext_noop(
        "The manufacture date %(manufacture_date)s is after the sale date %(purchase_date)s: "
        "check the unit's data."
    ),
}


def add_period(start: date, period: Period) -> date:
    """The last day of a period starting on ``start``; the start day is not counted.

    民法典 art. 201-203: N days end on start + N; months and years end on the same day of
    the final month, or on its last day when it has no such day (02-29 + 1 year → 02-28).
    """
    if period.unit == "days":
        return start + timedelta(days=period.amount)
    months = period.amount * (12 if period.unit == "years" else 1)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def _validate(terms: Terms, facts: Facts) -> PartTerms:
    """Reject facts that no decision can be based on, naming the field for the API's 422."""
    part = terms.parts.get(facts.part)
    if part is None:
        known = ", ".join(sorted(terms.parts))
        raise Undecidable("part", f"unknown part {facts.part!r} for {terms.category} ({known})")
    if facts.report_date < facts.purchase_date:
        raise Undecidable("report_date", "the fault cannot be reported before the purchase")
    if facts.damage_kind is not None and facts.damage_kind not in DAMAGE_KINDS:
        raise Undecidable("damage_kind", f"unknown damage kind {facts.damage_kind!r}")
    if facts.voucher not in VOUCHERS:
        raise Undecidable("voucher", f"unknown voucher state {facts.voucher!r}")
    for name in ("repair_days", "goodwill_days", "failed_repairs"):
        if getattr(facts, name) < 0:
            raise Undecidable(name, "must not be negative")
    if facts.price is not None and (not facts.price.is_finite() or facts.price < 0):
        raise Undecidable("price", "must be a non-negative amount")
    return part


def _warnings(facts: Facts, invoice_date: date) -> list[Reason]:
    """Data the store should look at; they never change the remedies."""
    sold = facts.purchase_date.isoformat()
    found: list[Reason] = []
    if facts.activation_date is not None and facts.activation_date < facts.purchase_date:
        params = {"activation_date": facts.activation_date.isoformat(), "purchase_date": sold}
        found.append(Reason("activation_before_sale", params))
    if invoice_date != facts.purchase_date:
        params = {"invoice_date": invoice_date.isoformat(), "purchase_date": sold}
        found.append(Reason("invoice_date_differs", params))
    if facts.manufacture_date is not None and facts.manufacture_date > facts.purchase_date:
        params = {"manufacture_date": facts.manufacture_date.isoformat(), "purchase_date": sold}
        found.append(Reason("manufactured_after_sale", params))
    return found


def _exclusions(facts: Facts, no_voucher: bool) -> list[Reason]:
    """The not-covered reasons other than expiry, in DOMAIN's checking order."""
    found: list[Reason] = []
    if facts.voucher in ("mismatch", "altered"):
        found.append(Reason("voucher_invalid", {"voucher": facts.voucher}))
    if facts.damage_kind == "force_majeure":
        found.append(Reason("force_majeure"))
    human_kind = facts.damage_kind if is_human_damage(facts.damage_kind) else None
    if facts.human_damage or human_kind is not None:
        found.append(Reason("human_damage", {"kind": human_kind or "unspecified"}))
    if not facts.performance_fault:
        found.append(Reason("not_a_performance_fault"))
    if no_voucher:
        found.append(Reason("no_voucher"))
    return found


def _dedupe(remedies: list[Remedy]) -> list[Remedy]:
    return list(dict.fromkeys(remedies))


@dataclass(frozen=True)
class _Dates:
    """Every date a decision rests on, computed once, before any rule is applied."""

    invoice_date: date
    period_start: date | None
    return_ends: date | None
    exchange_ends: date | None
    whole_unit_ends: date | None
    part_ends: date | None
    warranty_ends: date | None


def _dates(terms: Terms, facts: Facts, part: PartTerms, calendar: WorkingCalendar) -> _Dates:
    """Windows from the sale date, the period from the invoice date (or manufacture + grace).

    The extension lengthens the periods, never the windows; roll-forward comes last.
    """

    def last_day(day: date) -> date:
        return roll_forward(day, calendar) if terms.roll_forward else day

    invoice_date = facts.invoice_date or facts.purchase_date
    missing = facts.voucher == "missing"
    period_start: date | None = None
    if not missing:
        period_start = invoice_date
    elif terms.no_voucher_grace_days is not None and facts.manufacture_date is not None:
        period_start = facts.manufacture_date + timedelta(days=terms.no_voucher_grace_days)

    return_ends = exchange_ends = None
    if not missing and part.kind != "accessory":
        if terms.return_days is not None:
            return_ends = last_day(facts.purchase_date + timedelta(days=terms.return_days))
        if terms.exchange_days is not None:
            exchange_ends = last_day(facts.purchase_date + timedelta(days=terms.exchange_days))

    whole_unit_ends = part_ends = warranty_ends = None
    if period_start is not None:
        extension = timedelta(days=facts.repair_days + facts.goodwill_days)
        whole_unit_ends = last_day(add_period(period_start, terms.parts["host"].period) + extension)
        part_ends = last_day(add_period(period_start, part.period) + extension)
        warranty_ends = part_ends if part.kind == "accessory" else max(whole_unit_ends, part_ends)
    return _Dates(
        invoice_date,
        period_start,
        return_ends,
        exchange_ends,
        whole_unit_ends,
        part_ends,
        warranty_ends,
    )


@dataclass
class _Row:
    """The covered row picked from DOMAIN's tables, before the adjustments."""

    window: Window
    remedies: list[Remedy]
    reason: Reason
    full_price: bool = False  # whether its refund (if any) is at the full invoice price


def _covered_row(
    terms: Terms, facts: Facts, part: PartTerms, dates: _Dates, ends: date, whole_unit_ends: date
) -> _Row:
    """The row of the remedies table (or the accessory / main-part / no-voucher rule) that applies."""
    report = facts.report_date
    if facts.voucher == "missing":
        params = {
            "start": str(dates.period_start),
            "grace": str(terms.no_voucher_grace_days),
            "ends": str(ends),
        }
        return _Row("repair", ["free_repair"], Reason("no_voucher_free_repair", params))
    if part.kind == "accessory":
        if facts.failed_repairs >= terms.accessory_exchange_threshold:
            params = {"part": part.code, "count": str(facts.failed_repairs)}
            return _Row("repair", ["refund"], Reason("accessory_exchanged_twice", params), True)
        params = {"part": part.code, "ends": str(ends)}
        return _Row("repair", ["exchange"], Reason("accessory_in_period", params))
    if report > whole_unit_ends:
        params = {"part": part.code, "ends": str(dates.part_ends)}
        return _Row("repair", ["free_repair"], Reason("main_part_in_period", params))
    if dates.return_ends is not None and report <= dates.return_ends:
        reason = Reason("within_return_window", {"ends": str(dates.return_ends)})
        return _Row("return", ["refund", "exchange", "free_repair"], reason, True)
    if dates.exchange_ends is not None and report <= dates.exchange_ends:
        reason = Reason("within_exchange_window", {"ends": str(dates.exchange_ends)})
        return _Row("exchange", ["exchange", "free_repair", "refund"], reason)
    threshold = terms.failed_repair_threshold
    if threshold is not None and facts.failed_repairs >= threshold:
        reason = Reason("failed_repairs", {"count": str(facts.failed_repairs)})
        return _Row("repair", ["exchange", "free_repair", "refund"], reason)
    return _Row("repair", ["free_repair"], Reason("within_warranty", {"ends": str(ends)}))


def _repair_delay(terms: Terms, facts: Facts, part: PartTerms) -> Reason | None:
    """A repair of the unit (not of an accessory) past a delay limit opens an exchange: the
    handbook's 30 days through the repairer, 60/90 days for want of parts."""
    if part.kind == "accessory":
        return None
    limit = terms.repair_delay_days
    if limit is not None and facts.repairer_days > limit:
        return Reason("repair_delay", {"days": str(facts.repairer_days), "limit": str(limit)})
    limit = terms.parts_delay_days
    if limit is not None and facts.parts_wait_days > limit:
        return Reason("parts_delay", {"days": str(facts.parts_wait_days), "limit": str(limit)})
    return None


def _adjust(terms: Terms, facts: Facts, part: PartTerms, row: _Row) -> list[Reason]:
    """Apply stock, policy and voucher to the row in place; return the reasons they add."""
    added: list[Reason] = []
    if not facts.same_model_available and "exchange" in row.remedies:
        row.remedies = _dedupe(["refund" if r == "exchange" else r for r in row.remedies])
        row.full_price = True
        added.append(Reason("no_same_model"))
    if terms.daily_rate is None:
        row.remedies = [r for r in row.remedies if r != "refund"]
    if facts.voucher == "copy":
        row.remedies = [r for r in row.remedies if r != "refund"]
        added.append(Reason("voucher_copy"))
    if not row.remedies:
        row.remedies = ["exchange"] if part.kind == "accessory" else ["free_repair"]
    return added


def decide(terms: Terms, facts: Facts, calendar: WorkingCalendar) -> Decision:
    """Decide what the customer is entitled to for one part's fault, and why.

    Raises ``Undecidable`` for facts no decision can rest on. ``calendar`` is the official
    (state) calendar used for the rest-day roll-forward of every end date.
    """
    part = _validate(terms, facts)
    dates = _dates(terms, facts, part, calendar)
    days = (facts.report_date - facts.purchase_date).days
    depreciation_days = max(0, days - facts.repair_days)

    def decision(
        covered: bool,
        window: Window,
        remedies: list[Remedy],
        rate: Decimal,
        amount: Decimal | None,
        reasons: list[Reason],
    ) -> Decision:
        return Decision(
            covered=covered,
            window=window,
            remedies=tuple(remedies),
            days_since_purchase=days,
            warranty_ends=dates.warranty_ends,
            return_ends=dates.return_ends,
            exchange_ends=dates.exchange_ends,
            extension_days=facts.repair_days + facts.goodwill_days,
            refund_deduction_rate=rate,
            refund_amount=amount,
            reasons=tuple(reasons),
            warnings=tuple(_warnings(facts, dates.invoice_date)),
            policy_code=terms.policy_code,
            policy_version=terms.policy_version,
            period_start=dates.period_start,
            part=facts.part,
            purchase_date=facts.purchase_date,
            invoice_date=dates.invoice_date,
            report_date=facts.report_date,
            whole_unit_ends=dates.whole_unit_ends,
            depreciation_days=depreciation_days,
        )

    ends, whole_unit_ends = dates.warranty_ends, dates.whole_unit_ends
    reasons = _exclusions(facts, no_voucher=ends is None)
    expired = ends is not None and facts.report_date > ends
    if expired:
        reasons.append(Reason("expired", {"ends": str(ends)}))
    if reasons or ends is None or whole_unit_ends is None:
        window: Window = "expired" if expired and len(reasons) == 1 else "excluded"
        return decision(False, window, ["paid_repair"], _ZERO_RATE, None, reasons)

    row = _covered_row(terms, facts, part, dates, ends, whole_unit_ends)
    delay = _repair_delay(terms, facts, part)
    if delay is not None and "exchange" not in row.remedies:
        row.remedies.append("exchange")
    reasons = [row.reason, *([delay] if delay else []), *_adjust(terms, facts, part, row)]

    rate = _ZERO_RATE
    if "refund" in row.remedies and not row.full_price and terms.daily_rate is not None:
        share = min(Decimal(1), terms.daily_rate * depreciation_days)
        rate = share.quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)
    amount = None
    if facts.price is not None and "refund" in row.remedies:
        amount = (facts.price * (1 - rate)).quantize(_CENTS, rounding=ROUND_HALF_UP)
    return decision(True, row.window, row.remedies, rate, amount, reasons)
