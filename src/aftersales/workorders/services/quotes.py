"""Quote and money: `quote` (its lines priced by the fee standard, another price only by a branch
manager), `approve_quote`, `decline_quote` and `waive` (part or all of the amount due) — the
checks that need the job (`_check_*`) and each action's applier.
"""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftersales.core.columns import check_text_fits
from aftersales.core.errors import Forbidden, InvalidInput
from aftersales.core.payloads import MONEY_MAX
from aftersales.core.roles import role_of
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import QuoteLine, WorkOrder
from aftersales.workorders.payloads import NoteIn, QuoteIn, WaiveIn
from aftersales.workorders.services.outcomes import Effect


def _check_quote(wo: WorkOrder, by: User, p: QuoteIn) -> list[QuoteLine]:
    """The lines priced: the fee standard's price unless another is given (by a branch
    manager or an administrator only)."""
    priced = []
    may_set_price = role_of(by) in rules.APPROVING_ROLES
    for i, line in enumerate(p.lines):
        where = f"lines.{i}"
        code, description, standard = selectors.standard_price(
            wo,
            kind=line.kind,
            code=line.code.upper() if line.kind == "part" else line.code,
            distance_km=line.distance_km,
        )
        price = line.unit_price if line.unit_price is not None else standard
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
        text = line.description or description.strip()
        if not text:
            raise InvalidInput.field(f"{where}.description", _("Describe the line."))
        priced.append(
            QuoteLine(
                kind=line.kind,
                code=code,
                description=text,
                qty=line.qty,
                unit_price=price,
                standard_price=standard,
            )
        )
        check_text_fits(priced[-1], prefix=f"{where}.")  # bulk-created: no save to check it
    if sum((line.total for line in priced), Decimal(0)) > MONEY_MAX:
        raise InvalidInput.field(
            "lines", _("The quote comes to more than %(most)s.") % {"most": f"{MONEY_MAX:,}"}
        )
    return priced


def _apply_quote(wo: WorkOrder, by: User, lines: list[QuoteLine], now: datetime) -> Effect:
    wo.quote_lines.all().delete()
    for line in lines:
        line.work_order = wo
    QuoteLine.objects.bulk_create(lines)
    wo.quote_total = sum((line.total for line in lines), Decimal("0.00"))
    wo.quote_approved = None
    wo.inspection_fee = selectors.inspection_fee(wo)
    return Effect(
        data={"total": f"{wo.quote_total:.2f}", "lines": len(lines)},
        changed={"quote_total", "quote_approved", "inspection_fee"},
    )


def _apply_approve_quote(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.quote_approved = True
    return Effect(note=p.note, data={"total": f"{wo.quote_total:.2f}"}, changed={"quote_approved"})


def _apply_decline_quote(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    wo.quote_approved = False
    return Effect(note=p.note, changed={"quote_approved"})


def _check_waive(wo: WorkOrder, by: User, p: WaiveIn) -> WaiveIn:
    """The amount: all that is due unless less is given; more is refused."""
    due = wo.amount_due
    if p.amount is None:
        return p.model_copy(update={"amount": due})
    if p.amount > due:
        raise InvalidInput.field(
            "amount", _("Only %(due)s is due: waive at most that.") % {"due": f"{due:.2f}"}
        )
    return p


def _apply_waive(wo: WorkOrder, by: User, p: WaiveIn, now: datetime) -> Effect:
    assert p.amount is not None  # _check_waive
    wo.waived += p.amount
    return Effect(note=p.reason, data={"amount": f"{p.amount:.2f}"}, changed={"waived"})
