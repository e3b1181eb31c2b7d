"""The 三包 remedies: `choose_remedy` (the customer's choice among those the decision opens) and
the two that end a job without a repair, `exchange` (a new unit registered, the old one marked
exchanged) and `refund` (the unit returned faulty) — each action's parser and applier.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.decision import _decide
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.payload import Parsed, _money, _text


def _parse_remedy(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    wo.decision = _decide(wo)  # recomputed from the facts so far; the guard reads it
    return {"remedy": _text(payload, "remedy")}


def _apply_choose_remedy(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.chosen_remedy, wo.remedy_chosen_by, wo.remedy_chosen_at = p["remedy"], by, now
    return Effect(
        data={"remedy": p["remedy"], "offered": list(wo.remedies)},
        changed={"decision", "chosen_remedy", "remedy_chosen_by", "remedy_chosen_at"},
    )


def _parse_exchange(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    if wo.unit is None:
        raise InvalidInput.field("new_serial", _("This job has no registered unit to exchange."))
    return {"new_serial": _text(payload, "new_serial")}


def _apply_exchange(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    old = wo.unit
    assert old is not None
    # The new unit: same model and owner, sale date kept (the 7/15-day windows do not restart),
    # a fresh warranty period from the exchange date (a new 三包 voucher).
    new = catalog_services.unit_register(
        by=by,
        serial=p["new_serial"],
        model=old.model.code,
        customer_id=old.customer_id,
        purchase_date=old.purchase_date,
        invoice_date=timezone.localdate(now),
        price=old.price,
        seller=old.seller,
        invoice_no=old.invoice_no,
    )
    catalog_services.unit_set_status(unit=old, status="exchanged", by=by, note=wo.number)
    wo.new_unit = new
    return Effect(data={"old_serial": old.serial, "new_serial": new.serial}, changed={"new_unit"})


def _parse_refund(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    if wo.unit is None:
        raise InvalidInput.field("amount", _("This job has no registered unit to refund."))
    if payload.get("amount") is not None:
        return {"amount": _money(payload["amount"], "amount")}
    default = (wo.decision or {}).get("refund_amount")
    if default is None:
        raise InvalidInput.field("amount", _("The unit's price is unknown: give the amount."))
    return {"amount": Decimal(default)}


def _apply_refund(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    assert wo.unit is not None
    catalog_services.unit_set_status(unit=wo.unit, status="returned_faulty", by=by, note=wo.number)
    wo.refund_amount = p["amount"]
    return Effect(data={"amount": f"{p['amount']:.2f}"}, changed={"refund_amount"})
