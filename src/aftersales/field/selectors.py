"""Reads of field service: the technicians' booked visits (their load, their calendar feed, how
often their visits moved) and the technician's day and van on the phone pages. The work orders
are read through `workorders.selectors` (on the caller's scope where a person asks)."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from aftersales.core import rules as calendar_rules
from aftersales.core.rules import local_day_bounds
from aftersales.workorders import rules
from aftersales.workorders.models import PartStock, WorkOrder
from aftersales.workorders.selectors import (
    appointments_of,
    booked_windows,
    visit_number,
    work_orders_for,
)
from aftersales.workorders.selectors import reschedule_counts as reschedules_since

# The technicians' booked visits ------------------------------------------------------------------


def booked(ids: list[int], start: datetime, end: datetime) -> list[Any]:
    return booked_windows(ids, start, end)


def loads_on(users: list[User], day: date) -> dict[int, int]:
    """Appointments booked per technician on a local day."""
    tz = ZoneInfo(settings.TIME_ZONE)
    windows = booked([u.pk for u in users], *calendar_rules.local_day_bounds(day, tz))
    counts: dict[int, int] = {}
    for tech_id, _number, begins, _ends in windows:
        if begins.astimezone(tz).date() == day:
            counts[tech_id] = counts.get(tech_id, 0) + 1
    return counts


def reschedule_counts(technician: User, *, days: int) -> dict[str, int]:
    """Visits of this technician moved in the last `days` days, per reason (customer_request,
    technician_late, parts_missing, preempted)."""
    return reschedules_since(technician, since=timezone.now() - timedelta(days=days))


def feed_jobs(technician: User, *, since: datetime) -> list[Any]:
    return appointments_of(technician, since=since)


# The technician's phone pages (on the caller's scope: `work_orders_for`) -------------------------

MAX_DAY_JOBS = 200


def field_day(user: User, now: datetime) -> dict[str, list[WorkOrder]]:
    """The day's on-site jobs still open: overdue ones (booked before today) first, then
    today's in appointment order, then those with no time agreed yet."""
    start, end = local_day_bounds(timezone.localdate(now), timezone.get_current_timezone())
    jobs = list(
        work_orders_for(user)
        .filter(mode="on_site", technician__isnull=False)
        .exclude(status__in=rules.CLOSED_STATUSES)
        .filter(Q(appointment_start__lt=end) | Q(appointment_start=None))
        .annotate(visit_no=visit_number())  # the current visit: the second, third…
        .order_by("appointment_start", "created_at", "id")[:MAX_DAY_JOBS]
    )
    day: dict[str, list[WorkOrder]] = {"overdue": [], "today": [], "unbooked": []}
    for wo in jobs:
        when = wo.appointment_start
        day["unbooked" if when is None else "overdue" if when < start else "today"].append(wo)
    return day


def van_stock(wo: WorkOrder) -> list[PartStock]:
    """What the job's technician carries in the van, of the parts of this job's model."""
    if wo.technician_id is None or wo.unit is None:
        return []
    return list(
        PartStock.objects.filter(
            holder_id=wo.technician_id, part__model_id=wo.unit.model_id, on_hand__gt=0
        )
        .select_related("part")
        .order_by("part__code")
    )
