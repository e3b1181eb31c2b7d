"""The technician's findings: `diagnose` (findings, fault code, human damage, which re-decide the
entitlement and the repeat repair and may void the remedy chosen) and `no_fault_found` — each
action's applier.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from aftersales.warranty.rules import is_human_damage
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import DiagnoseIn, NoFaultIn
from aftersales.workorders.services.decision import _decide, _mark_repeat
from aftersales.workorders.services.outcomes import Effect


def _apply_diagnose(wo: WorkOrder, by: User, p: DiagnoseIn, now: datetime) -> Effect:
    before = wo.decision or {}
    wo.findings, wo.fault_code = p.findings, p.fault_code
    wo.human_damage = p.human_damage or is_human_damage(p.damage_kind)
    wo.damage_kind = p.damage_kind
    wo.decision = _decide(wo)
    was_repeat = wo.repeat_of.number if wo.repeat_of else None
    _mark_repeat(wo)
    after = wo.decision or {}
    data: dict[str, Any] = {"fault_code": wo.fault_code, "human_damage": wo.human_damage}
    if before.get("covered") != after.get("covered"):
        # Why the entitlement changed stays on the record (e.g. liquid damage found).
        data["decision_changed"] = {
            "covered": after.get("covered"),
            "reasons": [r["code"] for r in after.get("reasons", [])],
        }
    if was_repeat != (wo.repeat_of.number if wo.repeat_of else None):
        data["repeat_of"] = wo.repeat_of.number if wo.repeat_of else None
    if wo.chosen_remedy and wo.chosen_remedy not in wo.remedies:
        wo.chosen_remedy = ""  # the choice no longer stands (e.g. now a paid repair)
    return Effect(
        note=wo.findings,
        data=data,
        changed={
            "findings",
            "fault_code",
            "human_damage",
            "damage_kind",
            "decision",
            "repeat_repair",
            "repeat_of",
            "chosen_remedy",
        },
    )


def _apply_no_fault(wo: WorkOrder, by: User, p: NoFaultIn, now: datetime) -> Effect:
    wo.findings = p.findings
    return Effect(note=wo.findings, changed={"findings"})
