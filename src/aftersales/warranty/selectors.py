"""Reads of the 三包 policies, and the decision for a unit or for facts typed at the desk."""

from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import repairs_since
from aftersales.core.errors import InvalidInput
from aftersales.core.reference import cached
from aftersales.core.selectors import working_calendar
from aftersales.warranty import rules
from aftersales.warranty.models import PerformanceFault, Policy, PolicyCategory, PolicyPart


def policies() -> QuerySet[Policy]:
    """Every policy with its categories, parts and listed faults (one query each)."""
    return Policy.objects.prefetch_related(
        Prefetch(
            "categories",
            queryset=PolicyCategory.objects.select_related("category").prefetch_related(
                Prefetch("parts", queryset=PolicyPart.objects.order_by("id"))
            ),
        ),
        Prefetch("faults", queryset=PerformanceFault.objects.order_by("part", "id")),
    )


def _terms(policy: Policy, covered: PolicyCategory) -> rules.Terms:
    return rules.Terms(
        policy_code=policy.code,
        policy_version=policy.version,
        category=covered.category.code,
        parts={
            p.code: rules.PartTerms(
                code=p.code,
                name=p.name,
                kind=p.kind,  # type: ignore[arg-type]
                period=rules.Period(p.period_amount, p.period_unit),  # type: ignore[arg-type]
            )
            for p in covered.parts.all()
        },
        return_days=policy.return_days,
        exchange_days=policy.exchange_days,
        daily_rate=covered.daily_rate,
        failed_repair_threshold=policy.failed_repair_threshold,
        accessory_exchange_threshold=policy.accessory_exchange_threshold,
        no_voucher_grace_days=policy.no_voucher_grace_days,
        roll_forward=policy.roll_forward,
        repair_delay_days=policy.repair_delay_days,
        parts_delay_days=policy.parts_delay_days,
    )


@cached("warranty_terms")
def terms_for_category(category_code: str) -> rules.Terms | None:
    """The policy terms covering a product category, or None when no policy covers it (kept per
    process: core.reference)."""
    covered = (
        PolicyCategory.objects.select_related("policy", "category")
        .prefetch_related(Prefetch("parts", queryset=PolicyPart.objects.order_by("id")))
        .filter(category__code=category_code)
        .first()
    )
    return _terms(covered.policy, covered) if covered else None


def faults_for(category_code: str, part: str = "host") -> list[PerformanceFault]:
    """The listed performance faults (性能故障) of a category's policy, for one part."""
    part_key = "" if part == "host" else part
    return list(
        PerformanceFault.objects.filter(
            policy__categories__category__code=category_code, part=part_key
        ).order_by("id")
    )


def _require_terms(category_code: str) -> rules.Terms:
    terms = terms_for_category(category_code)
    if terms is None:
        raise InvalidInput.field(
            "category", _("No 三包 policy covers the category %(code)s.") % {"code": category_code}
        )
    return terms


def failed_repairs_of(unit: Unit) -> int:
    """The unit's counter (history from before the system) plus its jobs handed over `repaired`
    since the invoice date (any fault: a check without a fault code counts them all)."""
    return unit.failed_repairs + repairs_since(unit, unit.invoice_date or unit.purchase_date)


def unit_facts(unit: Unit, report_date: date, part: str = "host") -> dict[str, Any]:
    """What a registered unit knows: its dates, price and its service history's counters.

    The unit's price is the whole unit's; an accessory is refunded at its own price, which the
    desk gives (so it is left out for any part other than the host)."""
    return {
        "purchase_date": unit.purchase_date,
        "invoice_date": unit.invoice_date,
        "manufacture_date": unit.manufacture_date,
        "activation_date": unit.activation_date,
        "price": unit.price if part == "host" else None,
        "repair_days": unit.repair_days,
        "goodwill_days": unit.goodwill_days,
        "failed_repairs": failed_repairs_of(unit),
        "report_date": report_date,
    }


def _undecidable_message(field: str) -> str:
    messages = {
        "part": _("This part is not one of the parts of the category's policy."),
        "report_date": _("The fault cannot be reported before the purchase date."),
        "damage_kind": _(
            "Damage kind must be liquid, impact, unauthorized_repair, misuse or force_majeure."
        ),
        "voucher": _("Voucher must be valid, copy, missing, mismatch or altered."),
        "price": _("The price must be a non-negative amount."),
    }
    return messages.get(field, _("This value must not be negative."))


def decide(*, category: str, facts: dict[str, Any]) -> rules.Decision:
    """The 三包 decision for facts (absent ones take the engine's defaults).

    Refusals name the offending field (InvalidInput → 422).
    """
    terms = _require_terms(category)
    given = {k: v for k, v in facts.items() if v is not None}
    if "purchase_date" not in given:
        raise InvalidInput.field("purchase_date", _("The purchase date is needed to decide."))
    given.setdefault("report_date", timezone.localdate())
    try:
        return rules.decide(terms, rules.Facts(**given), working_calendar(None))
    except rules.Undecidable as exc:
        raise InvalidInput.field(exc.field, _undecidable_message(exc.field)) from exc


def decide_for_unit(
    unit: Unit, *, report_date: date | None = None, **overrides: Any
) -> rules.Decision:
    """The decision for a registered unit; `overrides` are the facts the desk established now."""
    facts = unit_facts(unit, report_date or timezone.localdate(), overrides.get("part") or "host")
    facts.update({k: v for k, v in overrides.items() if v is not None})
    return decide(category=unit.model.category.code, facts=facts)


def entitlement_today(unit: Unit) -> rules.Decision | None:
    """Today's entitlement for a performance fault of the whole unit, or None when undecidable
    (no policy for the category, no purchase date)."""
    if unit.purchase_date is None or terms_for_category(unit.model.category.code) is None:
        return None
    try:
        return decide_for_unit(unit)
    except InvalidInput:
        return None
