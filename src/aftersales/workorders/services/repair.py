"""The repair and its check: `complete_repair` (what was done, the parts used, the result),
`qc_pass` (the functions checked, the repair days counted on the unit inside its warranty) and
`qc_fail` — each action's parser and applier.
"""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.parts import _consume
from aftersales.workorders.services.payload import Parsed, _choice, _parts, _text


def _parse_complete(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {
        "actions_taken": _text(payload, "actions_taken"),
        "parts_used": _parts(payload.get("parts_used"), "parts_used"),
        "result": _choice(payload, "result", ("ok", "uncertain", "untested"), default="ok"),
    }


def _apply_complete(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    used = [_consume(wo, code, qty) for code, qty in p["parts_used"]]
    wo.actions_taken, wo.result = p["actions_taken"], p["result"]
    effect = Effect(
        note=wo.actions_taken,
        data={"parts_used": used, "result": wo.result},
        changed={"actions_taken", "result"},
    )
    return effect  # an uncertain or untested repair's callback: followups.reactions


def _parse_qc_pass(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    checks = payload.get("checks")
    if not isinstance(checks, list) or not [c for c in checks if str(c).strip()]:
        raise InvalidInput.field(
            "checks", _("List the functions checked (all of them, not only the fault).")
        )
    return {"checks": [str(c).strip() for c in checks if str(c).strip()]}


def _apply_qc_pass(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.qc_passed_at = now
    effect = Effect(data={"checks": p["checks"]}, changed={"qc_passed_at"})
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


def _parse_qc_fail(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"reason": _text(payload, "reason")}


def _apply_qc_fail(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.qc_fail_count += 1
    return Effect(
        note=p["reason"], data={"qc_fail_count": wo.qc_fail_count}, changed={"qc_fail_count"}
    )
