"""The repair and its check: `complete_repair` (what was done, the parts used, the result),
`qc_pass` (the functions checked, the repair days counted on the unit inside its warranty) and
`qc_fail` — each action's applier.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.catalog import services as catalog_services
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import CompleteRepairIn, QcPassIn, ReasonIn
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.parts import PartLine, _consume, catalogued


@dataclass(frozen=True)
class RepairChecked:
    payload: CompleteRepairIn
    parts: tuple[PartLine, ...]


def _check_complete(wo: WorkOrder, by: User, p: CompleteRepairIn) -> RepairChecked:
    """The parts used come from the catalogue of the unit's model (422 `parts_used.<i>.code`)."""
    return RepairChecked(payload=p, parts=catalogued(wo, p.parts_used, "parts_used"))


def _apply_complete(wo: WorkOrder, by: User, c: RepairChecked, now: datetime) -> Effect:
    """What was done and the result; each part used drawn from stock (parts._consume)."""
    p = c.payload
    used = [_consume(wo, line, by, now) for line in c.parts]
    wo.actions_taken, wo.result = p.actions_taken, p.result
    effect = Effect(
        note=wo.actions_taken,
        data={"parts_used": used, "result": wo.result},
        changed={"actions_taken", "result"},
    )
    return effect  # an uncertain or untested repair's callback: followups.reactions


def _apply_qc_pass(wo: WorkOrder, by: User, p: QcPassIn, now: datetime) -> Effect:
    wo.qc_passed_at = now
    effect = Effect(data={"checks": p.checks}, changed={"qc_passed_at"})
    start = wo.received_at or selectors.first_arrival(wo)  # on-site: the first visit's arrival
    ends = (wo.decision or {}).get("warranty_ends")
    if start is None:
        return effect
    wo.repair_days = rules.repair_days(start, now)
    effect.changed.add("repair_days")
    effect.data["repair_days"] = wo.repair_days
    inside = ends is not None and timezone.localdate(start) <= date.fromisoformat(str(ends))
    if inside and wo.repair_days and wo.unit is not None:
        unit, days = wo.unit, wo.repair_days
        effect.after.append(
            lambda: catalog_services.unit_add_repair_days(
                unit=unit, days=days, by=by, note=wo.number
            )
        )
    return effect


def _apply_qc_fail(wo: WorkOrder, by: User, p: ReasonIn, now: datetime) -> Effect:
    wo.qc_fail_count += 1
    return Effect(
        note=p.reason, data={"qc_fail_count": wo.qc_fail_count}, changed={"qc_fail_count"}
    )
