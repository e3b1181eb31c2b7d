"""Loaner units: `loan_unit` and `return_loan` — their check and appliers — and `_loaner_back`,
which brings a loaner still out back when the job ends (hand-over, cancellation).
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, InvalidInput
from aftersales.workorders import selectors
from aftersales.workorders.models import Loan, Loaner, WorkOrder
from aftersales.workorders.payloads import LoanerIn
from aftersales.workorders.services.outcomes import Effect


def _check_loaner(wo: WorkOrder, by: User, p: LoanerIn) -> Loaner:
    loaner = Loaner.objects.filter(serial=p.serial, active=True).first()
    if loaner is None:
        raise InvalidInput.field("serial", _("No loaner unit with this serial."))
    return loaner


def _apply_loan(wo: WorkOrder, by: User, loaner: Loaner, now: datetime) -> Effect:
    try:
        with transaction.atomic():
            Loan.objects.create(work_order=wo, loaner=loaner, lent_at=now)
    except IntegrityError as exc:
        raise DomainError(
            _("Loaner %(serial)s is already lent to another customer.") % {"serial": loaner.serial},
            code="conflict",
        ) from exc
    return Effect(data={"serial": loaner.serial})


def _loaner_back(wo: WorkOrder, now: datetime, effect: Effect) -> None:
    """The job ends (hand-over, cancellation): a loaner still out comes back with it, so none
    is left lent to a finished job."""
    loan = selectors.open_loan(wo)
    if loan is not None:
        Loan.objects.filter(pk=loan.pk).update(returned_at=now)
        effect.data["loaner_returned"] = loan.loaner.serial


def _apply_return_loan(wo: WorkOrder, by: User, loaner: Loaner, now: datetime) -> Effect:
    updated = Loan.objects.filter(work_order=wo, loaner=loaner, returned_at=None).update(
        returned_at=now
    )
    if not updated:
        raise InvalidInput.field("serial", _("This loaner is not out on this work order."))
    return Effect(data={"serial": loaner.serial})
