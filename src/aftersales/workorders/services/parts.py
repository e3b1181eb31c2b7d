"""Parts and stock: `wait_parts` (reserve what the center holds, order the rest) and
`parts_arrived` — their checks and appliers — and `_consume`, which the repair's completion uses.

Every part comes from the parts catalogue of the unit's model (`catalogued`: another code is
refused on its field, 422 `parts.<i>.code` / `parts_used.<i>.code`), and every change of a stock
row writes a `StockMovement` (`move_stock`). Using a part takes it from the job's reservation,
then the technician's van (on site), then the center's free stock; what none of them held is a
`StockDiscrepancy` for the center's manager: the repair is done, the stock never goes negative
(docs/decisions.md, 46).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput
from aftersales.dispatch.models import ServiceCenter
from aftersales.workorders.models import (
    Part,
    PartRequest,
    PartStock,
    StockDiscrepancy,
    StockMovement,
    WorkOrder,
)
from aftersales.workorders.payloads import NoteIn, PartIn, WaitPartsIn
from aftersales.workorders.services.outcomes import Effect

HELD = ("reserved", "arrived")  # a job's parts set aside in the center's stock


@dataclass(frozen=True)
class PartLine:
    """A catalogue part and how many (lines naming the same part added up)."""

    part: Part
    qty: int


@dataclass(frozen=True)
class WaitPartsChecked:
    payload: WaitPartsIn
    lines: tuple[PartLine, ...]


def catalogued(wo: WorkOrder, lines: Sequence[PartIn], field: str) -> tuple[PartLine, ...]:
    """Each line's part, from the parts catalogue of the unit's model; a code not in it → 422
    naming `<field>.<i>.code` (every such line), before anything changed."""
    model = wo.unit.model if wo.unit is not None else None
    found: dict[str, Part] = {}
    if model is not None and lines:
        codes = {line.code.upper() for line in lines}
        rows = Part.objects.annotate(upper=Upper("code")).filter(model=model, upper__in=codes)
        found = {part.code.upper(): part for part in rows}
    errors: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        if line.code.upper() in found:
            continue
        message = (
            _("%(code)s is not in the parts catalogue of %(model)s.")
            % {"code": line.code, "model": model}
            if model is not None
            else _("This job has no registered unit, so it has no parts catalogue.")
        )
        errors[f"{field}.{i}.code"] = [message]
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], details=errors)
    totals: dict[int, PartLine] = {}
    for line in lines:
        part = found[line.code.upper()]
        before = totals[part.pk].qty if part.pk in totals else 0
        totals[part.pk] = PartLine(part, before + line.qty)
    return tuple(totals.values())


def move_stock(
    stock: PartStock,
    *,
    kind: str,
    on_hand: int = 0,
    reserved: int = 0,
    work_order: WorkOrder | None,
    by: User | None,
    at: datetime,
    note: str = "",
) -> StockMovement:
    """Change one (locked) stock row by `on_hand` and `reserved` and record the movement. Never
    below zero: callers take at most what the row holds."""
    if stock.on_hand + on_hand < 0 or stock.reserved + reserved < 0:
        raise ValueError(f"{stock}: stock cannot go negative")
    stock.on_hand += on_hand
    stock.reserved += reserved
    stock.save(update_fields=["on_hand", "reserved"])
    return StockMovement.objects.create(
        part_id=stock.part_id,
        center_id=stock.center_id,
        holder_id=stock.holder_id,
        kind=kind,
        qty=max(abs(on_hand), abs(reserved)),
        on_hand_change=on_hand,
        reserved_change=reserved,
        work_order=work_order,
        by=by,
        at=at,
        note=note,
    )


def _center_stock(
    center: ServiceCenter | None, part: Part, *, create: bool = False
) -> PartStock | None:
    """The center's own shelf of the part (not a van), locked."""
    if center is None:
        return None
    rows = PartStock.objects.select_for_update()
    if create:
        return rows.get_or_create(center=center, part=part, holder=None)[0]
    return rows.filter(center=center, part=part, holder=None).first()


def _van_stock(wo: WorkOrder, part: Part) -> PartStock | None:
    """The technician's van, for an on-site job (at the depot the shelf serves), locked."""
    if wo.mode != "on_site" or wo.technician_id is None:
        return None
    return (
        PartStock.objects.select_for_update().filter(holder_id=wo.technician_id, part=part).first()
    )


def _check_wait_parts(wo: WorkOrder, by: User, p: WaitPartsIn) -> WaitPartsChecked:
    if p.expected_date < timezone.localdate():
        raise InvalidInput.field("expected_date", _("The expected date cannot be in the past."))
    return WaitPartsChecked(payload=p, lines=catalogued(wo, p.parts, "parts"))


def _apply_wait_parts(wo: WorkOrder, by: User, c: WaitPartsChecked, now: datetime) -> Effect:
    """Reserve what the center has free in stock, order the rest."""
    states = []
    for line in c.lines:
        stock = _center_stock(wo.center, line.part)
        state = "ordered"
        if stock is not None and stock.available >= line.qty:
            move_stock(stock, kind="reserved", reserved=line.qty, work_order=wo, by=by, at=now)
            state = "reserved"
        PartRequest.objects.create(
            work_order=wo,
            part=line.part,
            code=line.part.code,
            qty=line.qty,
            state=state,
            expected_date=c.payload.expected_date,
        )
        states.append({"code": line.part.code, "qty": line.qty, "state": state})
    wo.expected_parts_date = c.payload.expected_date
    return Effect(
        note=_("Parts expected on %(day)s") % {"day": c.payload.expected_date.isoformat()},
        data={"parts": states, "expected_date": c.payload.expected_date.isoformat()},
        changed={"expected_parts_date"},
    )


def _apply_parts_arrived(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    """Ordered parts arrive into the center's stock, reserved for this job."""
    arrived = []
    for request in wo.parts.filter(state="ordered").select_related("part"):
        stock = _center_stock(wo.center, request.part, create=True) if request.part else None
        if stock is not None:
            move_stock(
                stock,
                kind="arrived",
                on_hand=request.qty,
                reserved=request.qty,
                work_order=wo,
                by=by,
                at=now,
            )
        request.state = "arrived"
        request.save(update_fields=["state"])
        arrived.append(request.code)
    wo.expected_parts_date = None
    return Effect(note=p.note, data={"arrived": arrived}, changed={"expected_parts_date"})


def release_reservations(wo: WorkOrder, by: User, now: datetime) -> list[str]:
    """A cancelled job gives back what was set aside for it: the parts stay on the shelf, free
    for other jobs (parts still on order are left to arrive as ordinary stock)."""
    released = []
    for request in wo.parts.filter(state__in=HELD, part__isnull=False).select_related("part"):
        stock = _center_stock(wo.center, request.part) if request.part else None
        qty = min(request.qty, stock.reserved) if stock is not None else 0
        if stock is not None and qty:
            move_stock(stock, kind="released", reserved=-qty, work_order=wo, by=by, at=now)
        request.state = "released"
        request.save(update_fields=["state"])
        released.append(request.code)
    return released


def _consume(wo: WorkOrder, line: PartLine, by: User, now: datetime) -> dict[str, Any]:
    """Use a part: from this job's reservation, then the technician's van (on site), then the
    center's free stock, each a movement; what none of them held is a discrepancy for the
    center's manager (the repair is done; the stock is not made negative)."""
    part, need = line.part, line.qty
    held = list(wo.parts.filter(part=part, state__in=HELD))
    center = _center_stock(wo.center, part)
    taken = {"reserved": 0, "van": 0, "center": 0}
    if held and center is not None:
        reserved = sum(r.qty for r in held)
        taken["reserved"] = min(reserved, need, center.reserved, center.on_hand)
        if taken["reserved"]:
            n = taken["reserved"]
            move_stock(center, kind="used", on_hand=-n, reserved=-n, work_order=wo, by=by, at=now)
        if left := min(reserved - taken["reserved"], center.reserved):
            # Set aside for this job and not needed after all: free for the next one.
            move_stock(center, kind="released", reserved=-left, work_order=wo, by=by, at=now)
        need -= taken["reserved"]
    for where, stock in (("van", _van_stock(wo, part) if need else None), ("center", center)):
        if stock is None or not need or not (n := min(need, stock.available)):
            continue
        move_stock(stock, kind="used", on_hand=-n, work_order=wo, by=by, at=now)
        taken[where], need = n, need - n
    if need:
        StockDiscrepancy.objects.create(
            center=wo.center,
            part=part,
            qty=need,
            work_order=wo,
            technician_id=wo.technician_id,
            created_at=now,
        )
    _mark_used(wo, held, line)
    return {"code": part.code, "qty": line.qty, **taken, "missing": need}


def _mark_used(wo: WorkOrder, held: list[PartRequest], line: PartLine) -> None:
    """The job's requests of the part: used as far as the repair used them, the rest released;
    a use beyond them is a request of its own, used."""
    left = line.qty
    for request in held:
        if left <= 0:
            request.state = "released"
        elif request.qty > left:
            PartRequest.objects.create(
                work_order=wo,
                part=line.part,
                code=request.code,
                qty=request.qty - left,
                state="released",
                expected_date=request.expected_date,
            )
            request.qty, request.state = left, "used"
        else:
            request.state = "used"
        left -= request.qty if request.state == "used" else 0
        request.save(update_fields=["qty", "state"])
    if left > 0:
        PartRequest.objects.create(
            work_order=wo, part=line.part, code=line.part.code, qty=left, state="used"
        )
