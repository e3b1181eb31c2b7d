"""A work order as the API shows it (CONTRACT.md "Work orders"), and what its events read as
on every page that shows them."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core import xlsx
from aftersales.core.presenters import UNWORDED_EVENT, display_name, event_json
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import Photo, StockDiscrepancy, WorkOrder

# What a job's timeline says each of its events was: the work order page, the technician's
# phone and the request's timeline all read this, never the event's code. Every action of the
# transition table has its words here (tests/workorders/test_event_words.py), and so must any
# other event written on a job.
EVENT_LABELS = {
    "created": _("Work order opened"),
    "assign": _("Technician assigned"),
    "schedule": _("Visit scheduled"),
    "depart": _("Technician on the way"),
    "arrive": _("Technician arrived"),
    "receive": _("Unit received"),
    "choose_remedy": _("Customer chose a remedy"),
    "start_diagnosis": _("Diagnosis started"),
    "diagnose": _("Findings recorded"),
    "quote": _("Quoted"),
    "waive": _("Fees waived"),
    "no_fault_found": _("No fault found"),
    "exchange": _("Exchanged"),
    "refund": _("Refunded"),
    "approve_quote": _("Quote approved"),
    "decline_quote": _("Quote declined"),
    "wait_parts": _("Waiting for parts"),
    "parts_arrived": _("Parts arrived"),
    "start_repair": _("Repair started"),
    "complete_repair": _("Repair done"),
    "qc_pass": _("Quality check passed"),
    "qc_fail": _("Quality check failed"),
    "notify_pickup": _("Pickup call"),
    "hand_over": _("Handed over"),
    "loan_unit": _("Loaner lent"),
    "return_loan": _("Loaner returned"),
    "incident": _("Incident"),
    "visit_incomplete": _("Visit ended unfinished"),
    "resume": _("Pause lifted"),
    "change_mode": _("Service mode changed"),
    "escalate": _("Escalated to the technical center"),
    "cancel": _("Work order cancelled"),
    "close": _("Work order closed"),
    "photo": _("Photo added"),
    "repair_delay": _("Repair delay: exchange entitled"),
}


def event_label(action: str) -> str:
    """The words for one of a job's events; never its code."""
    return str(EVENT_LABELS.get(action, UNWORDED_EVENT))


def _money(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def promised_ready(wo: WorkOrder) -> date | None:
    """When the unit is promised ready (rules.promised_ready): the request's SLA resolution
    deadline, or the expected parts date when later."""
    resolve_by = wo.ticket.resolve_by
    return rules.promised_ready(
        timezone.localdate(resolve_by) if resolve_by else None, wo.expected_parts_date
    )


def work_order_json(wo: WorkOrder, *, with_events: bool = False) -> dict[str, Any]:
    selectors.with_details([wo])  # a list has loaded them for its whole page already
    loan = selectors.open_loan(wo)
    lines = selectors.quote_lines_of(wo)
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
            "approved": wo.quote_approved is True,  # false until the customer approves
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
        "voucher": wo.voucher or None,
        "brought_by": wo.brought_by or None,
        "dealer_name": wo.dealer_name,
        "agreement_signed": wo.agreement_signed,
        "findings": wo.findings,
        "fault_code": wo.fault_code,
        "parts": [
            {
                "code": p.code,
                "name": p.part.name if p.part else None,
                "in_catalog": p.in_catalog,
                "qty": p.qty,
                "state": p.state,
                "expected_date": p.expected_date.isoformat() if p.expected_date else None,
            }
            for p in selectors.parts_of(wo)
        ],
        "expected_parts_date": wo.expected_parts_date.isoformat()
        if wo.expected_parts_date
        else None,
        "repair_days": wo.repair_days,
        "rating": wo.rating,
        "rating_declined": wo.rating_declined,
        "quality_score": wo.quality_score,
        "attitude_score": wo.attitude_score,
        "handover_signed": bool(wo.handover_signature),
        "no_signature_reason": wo.no_signature_reason,
        "promised_ready": _day(promised_ready(wo)),
        "tracking_in": wo.tracking_in,
        "tracking_out": wo.tracking_out,
        "paused": wo.paused,
        "departed_at": wo.departed_at,
        "arrived_at": wo.arrived_at,
        "visit_incomplete": wo.visit_incomplete or None,
        # An on-site job's visits, first first (the last is the one the fields above describe).
        "visits": [
            {
                "number": v.number,
                "technician": v.technician.username if v.technician else None,
                "start": v.window_start,
                "end": v.window_end,
                "departed_at": v.departed_at,
                "arrived_at": v.arrived_at,
                "visit_incomplete": v.visit_incomplete or None,
            }
            for v in selectors.visits_of(wo)
        ],
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


def discrepancy_json(gap: StockDiscrepancy) -> dict[str, Any]:
    """A part used that no stock held, as `GET /stock/discrepancies` answers it."""
    return {
        "id": gap.pk,
        "center": gap.center.code if gap.center else None,
        "part": {"code": gap.part.code, "name": gap.part.name, "model": gap.part.model.code},
        "qty": gap.qty,
        "work_order": gap.work_order.number,
        "technician": gap.technician.username if gap.technician else None,
        "created_at": gap.created_at,
        "resolved": gap.resolved_at is not None,
        "resolved_at": gap.resolved_at,
        "resolved_by": gap.resolved_by.username if gap.resolved_by else None,
        "resolution": gap.resolution,
    }


def ticket_work_orders_json(ticket: Any) -> list[dict[str, Any]]:
    """The request's jobs as its API shows them: number, mode, status (and who does it).
    Reads `selectors.jobs_of`, so a list can prefetch them (`selectors.jobs_prefetch`)."""
    return [
        {
            "number": wo.number,
            "mode": wo.mode,
            "status": wo.status,
            "technician": wo.technician.username if wo.technician else None,
            "outcome": wo.outcome or None,
        }
        for wo in selectors.jobs_of(ticket)
    ]


def work_order_sheet(jobs: Iterable[WorkOrder]) -> xlsx.Sheet:
    """The work-order list as a sheet (its XLSX export): a header in the reader's language and
    one row per job, its mode, status and outcome in words, money as numbers."""
    header = [
        _("Number"),
        _("Request"),
        _("Serial number"),
        _("Service mode"),
        _("Status"),
        _("Service center"),
        _("Technician"),
        _("Appointment"),
        _("Repeat repair"),
        _("Fault code"),
        _("Outcome"),
        _("Amount due"),
        _("Paid"),
        _("Waived"),
        _("Created"),
        _("Handed over"),
    ]
    return xlsx.Sheet(
        title=str(_("Work orders")),
        header=[str(name) for name in header],
        rows=(_work_order_row(wo) for wo in jobs),
    )


def _work_order_row(wo: WorkOrder) -> list[Any]:
    return [
        wo.number,
        wo.ticket.number,
        wo.unit.serial if wo.unit else None,
        wo.get_mode_display(),
        wo.get_status_display(),
        wo.center.name if wo.center else None,
        display_name(wo.technician) if wo.technician else None,
        wo.appointment_start,
        xlsx.yes_no(wo.repeat_repair),
        wo.fault_code or None,
        wo.get_outcome_display() or None,
        xlsx.Formatted(wo.amount_due, xlsx.MONEY),
        xlsx.Formatted(wo.paid, xlsx.MONEY),
        xlsx.Formatted(wo.waived, xlsx.MONEY),
        wo.created_at,
        wo.handed_over_at,
    ]
