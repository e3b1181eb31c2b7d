"""A decision as people and integrators read it (CONTRACT.md "Warranty (三包) decision")."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from aftersales.warranty.rules import Decision, Reason


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _reason(reason: Reason) -> dict[str, Any]:
    return {"code": reason.code, "message": reason.message(gettext), "params": dict(reason.params)}


def decision_as_json(decision: Decision) -> dict[str, Any]:
    """The contract's fields, plus the dates the decision used (for the audit trail)."""
    return {
        "covered": decision.covered,
        "window": decision.window,
        "remedies": list(decision.remedies),
        "days_since_purchase": decision.days_since_purchase,
        "warranty_ends": decision.warranty_ends,
        "return_ends": decision.return_ends,
        "exchange_ends": decision.exchange_ends,
        "extension_days": decision.extension_days,
        "refund_deduction_rate": f"{decision.refund_deduction_rate:.4f}",
        "refund_amount": _money(decision.refund_amount),
        "reasons": [_reason(r) for r in decision.reasons],
        "warnings": [_reason(r) for r in decision.warnings],
        "policy": {"code": decision.policy_code, "version": decision.policy_version},
        "part": decision.part,
        "purchase_date": decision.purchase_date,
        "invoice_date": decision.invoice_date,
        "report_date": decision.report_date,
        "period_start": decision.period_start,
    }
