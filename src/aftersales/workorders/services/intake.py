"""Taking the unit in: `receive`'s check and applier — the intake inspection, the signed repair
agreement, whether the 三包凭证 and invoice were presented (the voucher: without them no refund is
offered, warranty.rules), who brought the unit (the end user or a named dealer), the part, a
mail-in's tracking number — which re-decide the 三包 entitlement and put the unit in service.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import ReceiveIn
from aftersales.workorders.services.decision import _decide
from aftersales.workorders.services.outcomes import Effect


def _check_receive(wo: WorkOrder, by: User, p: ReceiveIn) -> ReceiveIn:
    if wo.mode == "mail_in" and not p.tracking_no:
        raise InvalidInput.field("tracking_no", _("A mail-in unit arrives with a tracking number."))
    return p


def _apply_receive(wo: WorkOrder, by: User, p: ReceiveIn, now: datetime) -> Effect:
    wo.inspection = p.inspection.model_dump()
    wo.agreement_signed = True
    wo.received_at = now
    wo.voucher = p.voucher or wo.voucher
    wo.brought_by = p.brought_by or wo.brought_by
    wo.dealer_name = p.dealer_name if wo.brought_by == "dealer" else ""
    wo.part = p.part or wo.part
    wo.tracking_in = p.tracking_no or wo.tracking_in
    changed = {
        "inspection",
        "agreement_signed",
        "received_at",
        "voucher",
        "brought_by",
        "dealer_name",
        "part",
        "tracking_in",
    }
    if p.agreement_signature:
        wo.agreement_signature.save("agreement.png", ContentFile(p.agreement_signature), save=False)
        changed.add("agreement_signature")
    wo.decision = _decide(wo)
    changed.add("decision")
    data: dict[str, Any] = {
        "inspection": wo.inspection,
        "voucher": wo.voucher,
        "brought_by": wo.brought_by,
    }
    if wo.dealer_name:
        data["dealer_name"] = wo.dealer_name
    effect = Effect(data=data, changed=changed)
    if wo.unit is not None and wo.unit.status == "in_use":
        unit = wo.unit
        effect.after.append(
            lambda: catalog_services.unit_set_status(
                unit=unit, status="in_service", by=by, note=wo.number
            )
        )
    return effect
