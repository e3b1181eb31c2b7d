"""Parts and stock: `wait_parts` (reserve what the center holds, order the rest) and
`parts_arrived` — the check that needs the day and each action's applier — and `_consume`, which the repair's
completion uses to take a part from the job's reservation, the technician's van or free stock.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput
from aftersales.dispatch.models import ServiceCenter
from aftersales.workorders.models import Part, PartRequest, PartStock, WorkOrder
from aftersales.workorders.payloads import NoteIn, WaitPartsIn
from aftersales.workorders.services.outcomes import Effect


def _part(wo: WorkOrder, code: str) -> Part | None:
    if wo.unit is None:
        return None
    return Part.objects.filter(model_id=wo.unit.model_id, code=code).first()


def _stock(center: ServiceCenter | None, part: Part) -> PartStock | None:
    if center is None:
        return None
    stock, _created = PartStock.objects.select_for_update().get_or_create(
        center=center, part=part, holder=None
    )
    return stock


def _van_stock(wo: WorkOrder, part: Part, qty: int) -> PartStock | None:
    """The technician's van, for an on-site job, when it carries enough of the part."""
    if wo.mode != "on_site" or wo.technician_id is None:
        return None
    return (
        PartStock.objects.select_for_update()
        .filter(holder_id=wo.technician_id, part=part, on_hand__gte=qty)
        .first()
    )


def _check_wait_parts(wo: WorkOrder, by: User, p: WaitPartsIn) -> WaitPartsIn:
    if p.expected_date < timezone.localdate():
        raise InvalidInput.field("expected_date", _("The expected date cannot be in the past."))
    return p


def _apply_wait_parts(wo: WorkOrder, by: User, p: WaitPartsIn, now: datetime) -> Effect:
    """Reserve what the center has in stock, order the rest."""
    states = []
    for code, qty in ((line.code, line.qty) for line in p.parts):
        part = _part(wo, code)
        stock = _stock(wo.center, part) if part else None
        state = "ordered"
        if stock is not None and stock.available >= qty:
            stock.reserved += qty
            stock.save(update_fields=["reserved"])
            state = "reserved"
        PartRequest.objects.create(
            work_order=wo,
            part=part,
            code=code,
            qty=qty,
            state=state,
            expected_date=p.expected_date,
        )
        states.append({"code": code, "qty": qty, "state": state})
    wo.expected_parts_date = p.expected_date
    return Effect(
        note=_("Parts expected on %(day)s") % {"day": p.expected_date.isoformat()},
        data={"parts": states, "expected_date": p.expected_date.isoformat()},
        changed={"expected_parts_date"},
    )


def _apply_parts_arrived(wo: WorkOrder, by: User, p: NoteIn, now: datetime) -> Effect:
    """Ordered parts arrive into the center's stock, reserved for this job."""
    arrived = []
    for request in wo.parts.filter(state="ordered").select_related("part"):
        if request.part is not None and (stock := _stock(wo.center, request.part)) is not None:
            stock.on_hand += request.qty
            stock.reserved += request.qty
            stock.save(update_fields=["on_hand", "reserved"])
        request.state = "arrived"
        request.save(update_fields=["state"])
        arrived.append(request.code)
    wo.expected_parts_date = None
    return Effect(note=p.note, data={"arrived": arrived}, changed={"expected_parts_date"})


def _consume(wo: WorkOrder, code: str, qty: int) -> dict[str, Any]:
    """Use a part: from this job's reservation first, then from free stock. A part not in the
    catalog (or not in stock) is still recorded: the repair is done, the stock is reconciled."""
    part = _part(wo, code)
    held = sum(r.qty for r in wo.parts.filter(code=code, state__in=("reserved", "arrived")))
    van = _van_stock(wo, part, qty) if part and not held else None
    stock = van or (_stock(wo.center, part) if part else None)
    if stock is not None:
        from_reserved = min(held, qty, stock.reserved)
        stock.reserved -= from_reserved
        stock.on_hand -= min(qty, stock.on_hand)
        stock.save(update_fields=["on_hand", "reserved"])
    wo.parts.filter(code=code, state__in=("reserved", "arrived")).update(state="used")
    if held < qty:
        PartRequest.objects.create(
            work_order=wo, part=part, code=code, qty=qty - held, state="used"
        )
    used = {"code": code, "qty": qty, "in_catalog": part is not None}
    return used | ({"from_van": True} if van else {})
