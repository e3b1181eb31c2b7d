"""State changes of field service: the technicians' daily hand-in."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import Duplicate, Forbidden, InvalidInput
from aftersales.core.payloads import Money, read_value
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.services import record_event
from aftersales.dispatch import rules
from aftersales.dispatch.models import HandIn
from aftersales.dispatch.selectors import center_of
from aftersales.field.hand_in import hand_in_day

# --- daily hand-in (交单) -------------------------------------------------------------------------


def _hand_in_amount(value: object, name: str) -> Decimal:
    amount: Decimal = read_value(Money, name, value)
    return amount


@transaction.atomic
def hand_in_submit(
    *,
    technician: User,
    day: date,
    by: User,
    sheets: int | None = None,
    fees: object = None,
    note: str = "",
    now: datetime | None = None,
) -> HandIn:
    """A technician hands in a day's task sheets, service cards and fees (DOMAIN.md §4 "On-site
    specifics"); `sheets` and `fees` default to what the system counted for that day.

    The technician themself, an administrator, or their branch manager on their behalf (else
    403). One hand-in per technician and day: a second submit before the deadline (noon of the
    next working day) corrects the first; after the deadline the hand-in stands and a second one
    is refused (409 `duplicate`). A first hand-in after the deadline is accepted, marked late.
    Writes one `hand_in` event on the hand-in with what was declared and what was counted.
    """
    from django.db import IntegrityError
    from django.utils import timezone

    now = now or timezone.now()
    role = role_of(by)
    if role_of(technician) != TECHNICIAN:
        if by.pk == technician.pk:
            raise Forbidden(_("Only technicians hand in a day's sheets and fees."))
        raise InvalidInput.field(
            "technician",
            _("%(username)s is not a technician.") % {"username": technician.username},
        )
    on_behalf = role == ADMIN or (
        role == BRANCH_MANAGER
        and center_of(by) is not None
        and center_of(by) == center_of(technician)
    )
    if by.pk != technician.pk and not on_behalf:
        raise Forbidden(
            _("A technician hands in their own day (or their branch manager for them).")
        )
    if day > timezone.localdate(now):
        raise InvalidInput.field("day", _("A day that has not come yet cannot be handed in."))
    if sheets is not None and (isinstance(sheets, bool) or not isinstance(sheets, int)):
        raise InvalidInput.field("sheets", _("Give the number of task sheets."))
    if sheets is not None and not 0 <= sheets <= 999:
        raise InvalidInput.field("sheets", _("Give a number of task sheets from 0 to 999."))
    declared_fees = None if fees is None else _hand_in_amount(fees, "fees")
    note = (note or "").strip()

    counted = hand_in_day(technician, day, now=now)
    values = {
        "sheets": counted.sheets if sheets is None else sheets,
        "fees": counted.fees if declared_fees is None else declared_fees,
        "note": note,
    }
    existing = HandIn.objects.select_for_update().filter(technician=technician, day=day).first()
    previous = None
    if existing is not None:
        if now > counted.deadline:
            raise Duplicate(
                _("The hand-in for %(day)s was made and its deadline has passed.")
                % {"day": day.isoformat()},
                details={"day": day.isoformat(), "handed_in_at": existing.handed_in_at.isoformat()},
            )
        previous = {"sheets": existing.sheets, "fees": f"{existing.fees:.2f}"}
        for name, value in values.items():
            setattr(existing, name, value)
        existing.handed_in_at = now
        existing.save(update_fields=["sheets", "fees", "note", "handed_in_at"])
        hand_in = existing
    else:
        try:
            with transaction.atomic():
                hand_in = HandIn.objects.create(
                    technician=technician, day=day, handed_in_at=now, **values
                )
        except IntegrityError:  # a concurrent first submit won
            raise Duplicate(
                _("The hand-in for %(day)s was just made; reload to see it.")
                % {"day": day.isoformat()}
            ) from None
    data = {
        "technician": technician.username,
        "day": day.isoformat(),
        "sheets": hand_in.sheets,
        "fees": f"{hand_in.fees:.2f}",
        "counted": {"sheets": counted.sheets, "fees": f"{counted.fees:.2f}"},
        "unfinished": [
            {"work_order": wo.number, "reason": reason or None}
            for wo, reason in counted.unfinished_reasons
        ],
        "deadline": counted.deadline.isoformat(),
        "status": rules.hand_in_status(deadline=counted.deadline, handed_in_at=now, now=now),
    }
    if previous is not None:
        data["correction_of"] = previous
    record_event(subject=hand_in, action="hand_in", actor=by, note=note, data=data, at=now)
    return hand_in
