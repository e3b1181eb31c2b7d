"""The 三包 decision and repeat repairs as a job knows them: `_decide` runs the warranty check for
the job's unit and facts (at creation, intake, the remedy's choice, the diagnosis, and daily for
a repair that may have lasted too long: `work_orders_check_delays`), and `_mark_repeat` links
the job to the repair it repeats (within 90 days, same fault: the same symptom of the category's
fault-code tree, or the same text, workorders.rules.same_fault).
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aftersales.catalog.selectors import symptoms_of
from aftersales.core.errors import InvalidInput
from aftersales.core.services import record_event
from aftersales.warranty.models import Policy
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import WorkOrder


def _symptoms(wo: WorkOrder) -> dict[str, str]:
    """The unit's category's fault codes → their symptoms ("the same fault" compares symptoms);
    not read when the job has no code (then every earlier repair counts as the same fault)."""
    if not wo.fault_code or wo.unit is None:
        return {}
    return symptoms_of(wo.unit.model.category_id)


def _failed_repairs(wo: WorkOrder) -> int:
    """Earlier jobs on the unit inside its period, completed repaired, of the same fault."""
    unit = wo.unit
    if unit is None:
        return 0
    since = unit.invoice_date or unit.purchase_date
    earlier = selectors.earlier_repairs(unit.pk, before_id=wo.pk)
    symptoms = _symptoms(wo)
    count = sum(
        1
        for job in earlier.only("fault_code", "handed_over_at")
        if rules.same_fault(job.fault_code, wo.fault_code, symptoms)
        and (since is None or timezone.localdate(job.handed_over_at) >= since)
    )
    return unit.failed_repairs + count  # the counter holds history from before this system


def _decide(wo: WorkOrder, now: datetime | None = None) -> dict[str, Any] | None:
    """The 三包 check for the unit as the job knows it, dated the request's creation day, with
    the days its repair has lasted until `now`."""
    from aftersales.warranty.presenters import decision_as_json
    from aftersales.warranty.selectors import decide_for_unit

    unit = wo.unit
    if unit is None or unit.purchase_date is None:
        return None
    repairer_days, parts_wait_days = rules.delay_days(
        selectors.status_moves(wo), now or timezone.now()
    )
    facts: dict[str, Any] = {
        "part": wo.part or "host",
        "failed_repairs": _failed_repairs(wo),
        "human_damage": wo.human_damage,
        "damage_kind": wo.damage_kind or None,
        "repairer_days": repairer_days,
        "parts_wait_days": parts_wait_days,
    }
    if wo.voucher:
        facts["voucher"] = wo.voucher
    try:
        decision = decide_for_unit(
            unit, report_date=timezone.localdate(wo.ticket.created_at), **facts
        )
    except InvalidInput as exc:
        if "part" in exc.details:
            raise InvalidInput.field("part", exc.message) from exc
        return None  # no policy for the category: nothing to decide
    return decision_as_json(decision)


def _find_repeat(wo: WorkOrder) -> WorkOrder | None:
    """The job this one repeats: handed over repaired within 90 days before this job's
    creation (day 90 included), same fault code or either missing."""
    if wo.unit_id is None:
        return None
    created = timezone.localdate(wo.created_at)
    symptoms = _symptoms(wo)
    for job in selectors.earlier_repairs(wo.unit_id, before_id=wo.pk):
        if not rules.within_repeat_window(created, timezone.localdate(job.handed_over_at)):
            break  # newest first: the rest are older still
        if rules.same_fault(job.fault_code, wo.fault_code, symptoms):
            return job
    return None


def _mark_repeat(wo: WorkOrder) -> None:
    earlier = _find_repeat(wo)
    wo.repeat_repair = earlier is not None
    wo.repeat_of = earlier


def work_orders_check_delays(*, now: datetime | None = None, limit: int = 2000) -> list[str]:
    """The daily pass: an open job whose repair has lasted past its policy's limit (days not
    caused by the customer) gets the exchange among its remedies, with the reason, once: its
    decision is re-run and a `repair_delay` event written (the customer may now choose an
    exchange). The numbers of the jobs it changed."""
    now = now or timezone.now()
    limits = Policy.objects.values_list("repair_delay_days", "parts_delay_days")
    shortest = min((days for pair in limits for days in pair if days is not None), default=0)
    cutoff = now - timedelta(days=shortest)
    candidates = (
        WorkOrder.objects.filter(status__in=rules.DELAY_CHECKED_STATUSES, unit__isnull=False)
        .filter(Q(received_at__lte=cutoff) | Q(arrived_at__lte=cutoff))
        .order_by("-pk")  # the newest first, should there be more than `limit`
        .values_list("pk", flat=True)[:limit]
    )
    changed = []
    for pk in list(candidates):
        number = _check_delay(pk, now)
        if number:
            changed.append(number)
    return changed


@transaction.atomic
def _check_delay(pk: int, now: datetime) -> str | None:
    wo = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("ticket", "unit")
        .get(pk=pk)
    )
    if wo.past_delay_limit:
        return None
    decision = _decide(wo, now)
    reason = rules.delay_reason(decision)
    if reason is None:
        return None
    wo.decision = decision
    wo.save(update_fields=["decision"])
    record_event(
        subject=wo,
        action="repair_delay",
        actor=None,
        note=reason["message"],
        customer_visible=True,
        data={"work_order": wo.number, "reason": reason["code"], **reason["params"]},
        at=now,
    )
    return wo.number
