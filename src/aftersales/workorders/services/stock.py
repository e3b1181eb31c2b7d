"""Stock outside the jobs' actions: a counted stock row (the administrators' stock page) and a
stock discrepancy reconciled by the center's manager. Each writes its movement, if the count
changed, and one event (decision 46)."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.payloads import read_payload
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.workorders.models import Part, PartStock, StockDiscrepancy
from aftersales.workorders.payloads import ResolveDiscrepancyIn
from aftersales.workorders.services.parts import move_stock


def _counted(stock: PartStock, on_hand: int, *, by: User, note: str, **link: Any) -> int:
    """Set a locked stock row's on-hand to what was counted; the difference is a movement."""
    if on_hand < stock.reserved:
        raise InvalidInput.field(
            "counted",
            _("The count cannot be below what is reserved for jobs (%(reserved)s).")
            % {"reserved": stock.reserved},
        )
    change = on_hand - stock.on_hand
    if change:
        move_stock(
            stock, kind="counted", on_hand=change, by=by, at=timezone.now(), note=note, **link
        )
    return change


@transaction.atomic
def stock_count(
    *,
    center: ServiceCenter,
    part: Part,
    holder: User | None = None,
    on_hand: int,
    by: User,
    note: str = "",
) -> PartStock:
    """A center's shelf (or, with `holder`, a technician's van) counted: its on-hand becomes the
    count. Reservations come from the jobs only."""
    stock = (
        PartStock.objects.select_for_update()
        .filter(center=center, part=part, holder=holder)
        .first()
    ) or PartStock.objects.create(center=center, part=part, holder=holder)
    before = stock.on_hand
    change = _counted(stock, on_hand, by=by, note=note[:200], work_order=None)
    record_event(
        subject=stock,
        action="stock_count",
        actor=by,
        note=note,
        data={"part": part.code, "from": before, "to": stock.on_hand, "change": change},
    )
    return stock


def may_reconcile(user: User, center: ServiceCenter | None) -> bool:
    """The center's branch manager, or an administrator (every center)."""
    role = role_of(user)
    if role == "admin":
        return True
    return role == "branch_manager" and center is not None and center_of(user) == center


@transaction.atomic
def stock_discrepancy_resolve(
    *, discrepancy: StockDiscrepancy, by: User, fields: dict[str, Any]
) -> StockDiscrepancy:
    """The center's manager reconciles a part used that no stock held: what they found (`note`)
    and, when they counted the shelf, the count (`counted`), which corrects the center's stock
    of that part. Once only (409 `already_resolved`)."""
    found = StockDiscrepancy.objects.select_for_update(of=("self",)).select_related(
        "part", "center", "work_order"
    )
    gap = found.get(pk=discrepancy.pk)
    if not may_reconcile(by, gap.center):
        raise Forbidden(_("Only the center's branch manager reconciles its stock."))
    if gap.resolved_at is not None:
        raise DomainError(
            _("This discrepancy is already resolved."),
            code="already_resolved",
        )
    p = read_payload(ResolveDiscrepancyIn, fields)
    change = None
    if p.counted is not None and gap.center is not None:
        shelf = (
            PartStock.objects.select_for_update()
            .filter(center=gap.center, part=gap.part, holder=None)
            .first()
        ) or PartStock.objects.create(center=gap.center, part=gap.part)
        change = _counted(shelf, p.counted, by=by, note=p.note[:200], work_order=gap.work_order)
    gap.resolved_at, gap.resolved_by, gap.resolution = timezone.now(), by, p.note
    gap.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    record_event(
        subject=gap,
        action="reconcile",
        actor=by,
        note=p.note,
        data={
            "part": gap.part.code,
            "qty": gap.qty,
            "work_order": gap.work_order.number,
            "counted": p.counted,
            "change": change,
        },
    )
    return gap
