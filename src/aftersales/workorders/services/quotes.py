"""Quote and money: `quote` (its lines priced by the fee standard, another price only by a branch
manager), `approve_quote`, `decline_quote` and `waive` (part or all of the amount due) — each
action's parser and applier.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftersales.core.errors import Forbidden, InvalidInput
from aftersales.core.roles import role_of
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import QuoteLine, WorkOrder
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.payload import Parsed, _choice, _count, _money, _text

LINE_KINDS = ("labor", "part", "visit")


def _parse_quote(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput.field("lines", _("A quote needs at least one line."))
    parsed = []
    may_set_price = role_of(by) in rules.APPROVING_ROLES
    for i, line in enumerate(lines):
        where = f"lines.{i}"
        if not isinstance(line, dict):
            raise InvalidInput.field(where, _("Each line needs kind, description, qty."))
        kind = _choice(line, "kind", LINE_KINDS)
        distance = line.get("distance_km")
        code, description, standard = selectors.standard_price(
            wo,
            kind=kind,
            code=str(line.get("code") or "").strip().upper()
            if kind == "part"
            else str(line.get("code") or "").strip(),
            distance_km=_money(distance, f"{where}.distance_km") if distance is not None else None,
        )
        given = line.get("unit_price")
        price = _money(given, f"{where}.unit_price") if given is not None else standard
        if price is None:
            raise InvalidInput.field(
                f"{where}.unit_price", _("No fee standard prices this line: give the price.")
            )
        if standard is not None and price != standard and not may_set_price:
            raise Forbidden(
                _(
                    "Line %(n)d: the fee standard says %(price)s; another price needs a branch manager."
                )
                % {"n": i + 1, "price": standard}
            )
        text = str(line.get("description") or description).strip()
        if not text:
            raise InvalidInput.field(f"{where}.description", _("Describe the line."))
        parsed.append(
            {
                "kind": kind,
                "code": code,
                "description": text,
                "qty": _count(line.get("qty", 1), f"{where}.qty"),
                "unit_price": price,
                "standard_price": standard,
            }
        )
    return {"lines": parsed}


def _apply_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_lines.all().delete()
    lines = [QuoteLine(work_order=wo, **line) for line in p["lines"]]
    QuoteLine.objects.bulk_create(lines)
    wo.quote_total = sum((line.total for line in lines), Decimal("0.00"))
    wo.quote_approved = None
    wo.inspection_fee = selectors.inspection_fee(wo)
    return Effect(
        data={"total": f"{wo.quote_total:.2f}", "lines": len(lines)},
        changed={"quote_total", "quote_approved", "inspection_fee"},
    )


def _apply_approve_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_approved = True
    return Effect(
        note=p["note"], data={"total": f"{wo.quote_total:.2f}"}, changed={"quote_approved"}
    )


def _apply_decline_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_approved = False
    return Effect(note=p["note"], changed={"quote_approved"})


def _parse_waive(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    due = wo.amount_due
    amount = _money(payload["amount"], "amount") if payload.get("amount") is not None else due
    if amount > due:
        raise InvalidInput.field(
            "amount", _("Only %(due)s is due: waive at most that.") % {"due": f"{due:.2f}"}
        )
    return {"amount": amount, "reason": _text(payload, "reason")}


def _apply_waive(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.waived += p["amount"]
    return Effect(note=p["reason"], data={"amount": f"{p['amount']:.2f}"}, changed={"waived"})
