"""The 三包 remedies: `choose_remedy` (the customer's choice among those the decision opens) and
the two that end a job without a repair, `exchange` (a new unit registered, the old one marked
exchanged) and `refund` (the unit returned faulty) — the checks that need the job
(`_check_*`) and each action's applier.
"""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import ChooseRemedyIn, ExchangeIn, RefundIn
from aftersales.workorders.services.decision import _decide
from aftersales.workorders.services.outcomes import Effect


def _check_remedy(wo: WorkOrder, by: User, p: ChooseRemedyIn) -> ChooseRemedyIn:
    wo.decision = _decide(wo)  # recomputed from the facts so far; the guard reads it
    return p


def _apply_choose_remedy(wo: WorkOrder, by: User, p: ChooseRemedyIn, now: datetime) -> Effect:
    wo.chosen_remedy, wo.remedy_chosen_by, wo.remedy_chosen_at = p.remedy, by, now
    return Effect(
        data={"remedy": p.remedy, "offered": list(wo.remedies)},
        changed={"decision", "chosen_remedy", "remedy_chosen_by", "remedy_chosen_at"},
    )


def _check_exchange(wo: WorkOrder, by: User, p: ExchangeIn) -> ExchangeIn:
    if wo.unit is None:
        raise InvalidInput.field("new_serial", _("This job has no registered unit to exchange."))
    return p


def _apply_exchange(wo: WorkOrder, by: User, p: ExchangeIn, now: datetime) -> Effect:
    old = wo.unit
    assert old is not None
    # The new unit: same model and owner, sale date kept (the 7/15-day windows do not restart),
    # a fresh warranty period from the exchange date (a new 三包 voucher).
    new = catalog_services.unit_register(
        by=by,
        serial=p.new_serial,
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


def _check_refund(wo: WorkOrder, by: User, p: RefundIn) -> RefundIn:
    """The amount: the decision's refund amount unless another is given."""
    if wo.unit is None:
        raise InvalidInput.field("amount", _("This job has no registered unit to refund."))
    if p.amount is not None:
        return p
    default = (wo.decision or {}).get("refund_amount")
    if default is None:
        raise InvalidInput.field("amount", _("The unit's price is unknown: give the amount."))
    return p.model_copy(update={"amount": Decimal(default)})


def _apply_refund(wo: WorkOrder, by: User, p: RefundIn, now: datetime) -> Effect:
    assert wo.unit is not None and p.amount is not None  # _check_refund
    catalog_services.unit_set_status(unit=wo.unit, status="returned_faulty", by=by, note=wo.number)
    wo.refund_amount = p.amount
    return Effect(data={"amount": f"{p.amount:.2f}"}, changed={"refund_amount"})
