"""The unit back to its customer: `notify_pickup` (a pickup call) and `hand_over` (the
customer's rating and scores — or that they declined to rate —, payment, the return parcel, the
signature or why there is none; a loaner still out comes back), whose follow-up puts the unit
back in use and lets the last job resolve its request — the check that needs the job and each
action's applier. (A leaver's jobs handed to a colleague: `people`.)
"""

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import InvalidInput
from aftersales.tickets import rules as ticket_rules
from aftersales.workorders import rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.payloads import HandOverIn, NotifyPickupIn
from aftersales.workorders.services.loaners import _loaner_back
from aftersales.workorders.services.outcomes import Effect


def _apply_notify(wo: WorkOrder, by: User, p: NotifyPickupIn, now: datetime) -> Effect:
    """The call is logged, and the next rung of the ladder set, by followups.reactions."""
    return Effect(data={"channel": p.channel, "reached": p.reached})


def _check_hand_over(wo: WorkOrder, by: User, p: HandOverIn) -> HandOverIn:
    """A mail-in's return parcel is tracked. The rating is never required: the customer may
    decline (recorded as such); the signature is a guard (`signature_required`)."""
    if wo.mode == "mail_in" and not p.tracking_no and not wo.tracking_out:
        raise InvalidInput.field("tracking_no", _("Give the tracking number of the return parcel."))
    return p


def _apply_hand_over(wo: WorkOrder, by: User, p: HandOverIn, now: datetime) -> Effect:
    wo.handed_over_at, wo.rating, wo.comment = now, p.rating, p.comment
    wo.quality_score, wo.attitude_score = p.quality_score, p.attitude_score
    wo.no_signature_reason = "" if p.signature else p.no_signature_reason
    changed = {
        "handed_over_at",
        "rating",
        "comment",
        "quality_score",
        "attitude_score",
        "no_signature_reason",
    }
    data: dict[str, Any] = {
        "outcome": wo.outcome,
        "rating": p.rating,
        "rating_declined": p.rating is None,
        "quality_score": p.quality_score,
        "attitude_score": p.attitude_score,
        "signed": bool(p.signature),
    }
    if wo.no_signature_reason:
        data["no_signature_reason"] = wo.no_signature_reason
    if p.payment:
        wo.paid += p.payment.amount
        wo.payment_method, wo.receipt_no = p.payment.method, p.payment.receipt_no
        changed |= {"paid", "payment_method", "receipt_no"}
        data["payment"] = {
            "amount": f"{p.payment.amount:.2f}",
            "method": p.payment.method,
            "receipt_no": p.payment.receipt_no,
        }
    if p.tracking_no:
        wo.tracking_out = p.tracking_no
        changed.add("tracking_out")
    if p.signature:
        wo.handover_signature.save("handover.png", ContentFile(p.signature), save=False)
        changed.add("handover_signature")
    effect = Effect(note=p.comment, data=data, changed=changed)
    _loaner_back(wo, now, effect)
    effect.after.append(lambda: _after_hand_over(wo, by, now))
    return effect


def _after_hand_over(wo: WorkOrder, by: User, now: datetime) -> None:
    """The unit goes back into use; the last job resolves its request — not a complaint's, which
    its handler resolves when the customer accepts (CONTRACT.md "Complaints"). (The survey and
    the end of the pickup calls: followups.reactions.)"""
    from aftersales.tickets.services import ticket_act_on_behalf

    unit = wo.unit
    if unit is not None and unit.status == "in_service":
        catalog_services.unit_set_status(unit=unit, status="in_use", by=by, note=wo.number)
    if unit is not None and wo.outcome == "repaired":
        catalog_services.unit_repaired(
            unit=unit, by=by, work_order=wo.number, fault_code=wo.fault_code, at=now
        )
    ticket = wo.ticket
    others_open = ticket.work_orders.exclude(pk=wo.pk).exclude(status__in=rules.CLOSED_STATUSES)
    if ticket_rules.resolved_by_last_job(ticket.kind, ticket.status) and not others_open.exists():
        ticket_act_on_behalf(
            ticket=ticket,
            by=by,
            action="resolve",
            resolution=rules.RESOLUTION_OF[wo.outcome],
            note=wo.number,
            data={"work_order": wo.number},
        )
