"""Loaner units: `loan_unit` and `return_loan` — their parser and appliers — and `_loaner_back`,
which brings a loaner still out back when the job ends (hand-over, cancellation).
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.workorders import selectors
from aftersales.workorders.models import Loan, Loaner, WorkOrder
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.payload import Parsed, _text


def _parse_loaner(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    serial = _text(payload, "serial").upper()
    loaner = Loaner.objects.filter(serial=serial, active=True).first()
    if loaner is None:
        raise InvalidInput.field("serial", _("No loaner unit with this serial."))
    return {"loaner": loaner}


def _apply_loan(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    try:
        with transaction.atomic():
            Loan.objects.create(work_order=wo, loaner=p["loaner"], lent_at=now)
    except IntegrityError as exc:
        raise DomainError(
            _("Loaner %(serial)s is already lent to another customer.")
            % {"serial": p["loaner"].serial},
            code="conflict",
        ) from exc
    return Effect(data={"serial": p["loaner"].serial})


def _loaner_back(wo: WorkOrder, now: datetime, effect: Effect) -> None:
    """The job ends (hand-over, cancellation): a loaner still out comes back with it, so none
    is left lent to a finished job."""
    loan = selectors.open_loan(wo)
    if loan is not None:
        Loan.objects.filter(pk=loan.pk).update(returned_at=now)
        effect.data["loaner_returned"] = loan.loaner.serial


def _apply_return_loan(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    updated = Loan.objects.filter(work_order=wo, loaner=p["loaner"], returned_at=None).update(
        returned_at=now
    )
    if not updated:
        raise InvalidInput.field("serial", _("This loaner is not out on this work order."))
    return Effect(data={"serial": p["loaner"].serial})
