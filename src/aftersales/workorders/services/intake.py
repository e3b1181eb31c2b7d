"""Taking the unit in: `receive`'s parser and applier — the intake inspection, the signed repair
agreement, the voucher, the part, a mail-in's tracking number — which re-decide the 三包
entitlement and put the unit in service.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services.decision import _decide
from aftersales.workorders.services.outcomes import Effect
from aftersales.workorders.services.payload import Parsed, _choice, _png, _text

VOUCHERS = ("valid", "copy", "missing", "mismatch", "altered")


def _inspection(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput.field("inspection", _("Record the intake inspection."))
    accessories = value.get("accessories") or []
    if not isinstance(accessories, list) or not all(isinstance(a, str) for a in accessories):
        raise InvalidInput.field("inspection.accessories", _("List the accessories handed in."))
    liquid = value.get("liquid_indicator") or "intact"
    if liquid not in ("intact", "triggered"):
        raise InvalidInput.field(
            "inspection.liquid_indicator", _("Must be one of: intact, triggered.")
        )
    flags = {}
    for name in ("seal_intact", "serial_matches"):
        flag = value.get(name, True)
        if not isinstance(flag, bool):
            raise InvalidInput.field(f"inspection.{name}", _("Answer yes or no."))
        flags[name] = flag
    return {
        "appearance": str(value.get("appearance") or "").strip(),
        "accessories": [a.strip() for a in accessories if a.strip()],
        "liquid_indicator": liquid,
        **flags,
        "notes": str(value.get("notes") or "").strip(),
    }


def _parse_receive(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    parsed: Parsed = {
        "inspection": _inspection(payload.get("inspection")),
        "agreement_signed": payload.get("agreement_signed") is True,
        "signature": _png(payload.get("agreement_signature"), "agreement_signature"),
        "voucher": _choice(payload, "voucher", VOUCHERS, default="valid")
        if payload.get("voucher")
        else "",
        "part": _text(payload, "part", required=False),
        "tracking_no": _text(payload, "tracking_no", required=False),
    }
    if wo.mode == "mail_in" and not parsed["tracking_no"]:
        raise InvalidInput.field("tracking_no", _("A mail-in unit arrives with a tracking number."))
    return parsed


def _apply_receive(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.inspection = p["inspection"]
    wo.agreement_signed = True
    wo.received_at = now
    wo.voucher = p["voucher"] or wo.voucher
    wo.part = p["part"] or wo.part
    wo.tracking_in = p["tracking_no"] or wo.tracking_in
    changed = {"inspection", "agreement_signed", "received_at", "voucher", "part", "tracking_in"}
    if p["signature"]:
        wo.agreement_signature.save("agreement.png", ContentFile(p["signature"]), save=False)
        changed.add("agreement_signature")
    wo.decision = _decide(wo)
    changed.add("decision")
    effect = Effect(data={"inspection": wo.inspection}, changed=changed)
    if wo.unit is not None and wo.unit.status == "in_use":
        unit = wo.unit
        effect.after.append(
            lambda: catalog_services.unit_set_status(
                unit=unit, status="in_service", by=by, note=wo.number
            )
        )
    return effect
