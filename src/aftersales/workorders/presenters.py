"""A work order as the API shows it (CONTRACT.md "Work orders")."""

from decimal import Decimal
from typing import Any

from django.urls import reverse

from aftersales.core.presenters import event_json
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import Photo, WorkOrder


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def work_order_json(wo: WorkOrder, *, with_events: bool = False) -> dict[str, Any]:
    loan = selectors.open_loan(wo)
    lines = list(wo.quote_lines.order_by("id"))
    body: dict[str, Any] = {
        "number": wo.number,
        "ticket": wo.ticket.number,
        "serial": wo.unit.serial if wo.unit else None,
        "mode": wo.mode,
        "status": wo.status,
        "allowed_actions": rules.allowed_actions(wo.status, wo.mode),
        "center": wo.center.code if wo.center else None,
        "technician": wo.technician.username if wo.technician else None,
        "appointment": {"start": wo.appointment_start, "end": wo.appointment_end}
        if wo.appointment_start
        else None,
        "decision": wo.decision,
        "chosen_remedy": wo.chosen_remedy or None,
        "repeat_repair": wo.repeat_repair,
        "repeat_of": wo.repeat_of.number if wo.repeat_of else None,
        "qc_fail_count": wo.qc_fail_count,
        "quote": {
            "lines": [
                {
                    "kind": line.kind,
                    "code": line.code,
                    "description": line.description,
                    "qty": line.qty,
                    "unit_price": _money(line.unit_price),
                    "standard_price": _money(line.standard_price),
                    "total": _money(line.total),
                }
                for line in lines
            ],
            "total": _money(wo.quote_total),
            "approved": wo.quote_approved,
        },
        "amount_due": _money(wo.amount_due),
        "waived": _money(wo.waived),
        "paid": _money(wo.paid),
        "refund_amount": _money(wo.refund_amount),
        "loaner": {
            "serial": loan.loaner.serial,
            "description": loan.loaner.description,
            "lent_at": loan.lent_at,
        }
        if loan
        else None,
        "outcome": wo.outcome or None,
        "inspection": wo.inspection,
        "agreement_signed": wo.agreement_signed,
        "findings": wo.findings,
        "fault_code": wo.fault_code,
        "parts": [
            {
                "code": p.code,
                "qty": p.qty,
                "state": p.state,
                "expected_date": p.expected_date.isoformat() if p.expected_date else None,
            }
            for p in wo.parts.order_by("id")
        ],
        "expected_parts_date": wo.expected_parts_date.isoformat()
        if wo.expected_parts_date
        else None,
        "repair_days": wo.repair_days,
        "rating": wo.rating,
        "tracking_in": wo.tracking_in,
        "tracking_out": wo.tracking_out,
        "paused": wo.paused,
        "departed_at": wo.departed_at,
        "arrived_at": wo.arrived_at,
        "visit_incomplete": wo.visit_incomplete or None,
        "escalated": wo.escalated,
        "created_at": wo.created_at,
        "handed_over_at": wo.handed_over_at,
    }
    if with_events:
        events = list(selectors.timeline(wo))
        body["events"] = [event_json(e) for e in events]
        body["reschedules"] = [
            {
                "at": e.at,
                "actor": e.actor.username if e.actor else None,
                "reason": e.data.get("reason"),
                "previous_start": e.data.get("previous"),
                "start": e.data.get("start"),
            }
            for e in events
            if e.action == "schedule" and e.data.get("previous")
        ]
    return body


def photo_json(photo: Photo) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "caption": photo.caption,
        "url": reverse("workorders:photo", args=[photo.work_order.number, photo.pk]),
    }


def ticket_work_orders_json(ticket: Any) -> list[dict[str, Any]]:
    """The request's jobs as its API shows them: number, mode, status (and who does it).
    Reads `ticket.work_orders.all()`, so a list can prefetch them."""
    jobs = sorted(ticket.work_orders.all(), key=lambda wo: wo.pk)
    return [
        {
            "number": wo.number,
            "mode": wo.mode,
            "status": wo.status,
            "technician": wo.technician.username if wo.technician else None,
            "outcome": wo.outcome or None,
        }
        for wo in jobs
    ]
