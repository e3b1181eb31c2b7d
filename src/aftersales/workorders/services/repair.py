"""The repair and its check: `complete_repair` (what was done, the parts used, the result),
`qc_pass` (the functions checked, the repair days counted on the unit inside its warranty) and
`qc_fail` — each action's applier.
"""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.catalog import services as catalog_services
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import CompleteRepairIn, QcPassIn, ReasonIn
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.parts import _consume


def _apply_complete(wo: WorkOrder, by: User, p: CompleteRepairIn, now: datetime) -> Effect:
    used = [_consume(wo, line.code, line.qty) for line in p.parts_used]
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
    start = wo.received_at or wo.arrived_at
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
