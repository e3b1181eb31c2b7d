"""The dispatcher board's reads (/dispatch/): one day's time grid by technician, the jobs
nobody has yet and the jobs at risk, and for one job its suggestions, schedule and conflicts.
Dispatchers and administrators see every center, a branch manager theirs."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import Forbidden
from aftersales.core.presenters import display_name
from aftersales.core.roles import BRANCH_MANAGER, role_of
from aftersales.dispatch import rules
from aftersales.dispatch.models import Leave, ServiceCenter
from aftersales.dispatch.selectors import (
    center_of,
    centers,
    home_center,
    profile_of,
    technicians,
    technicians_named,
)
from aftersales.field.presenters import category_names, reason_parts, wish_label
from aftersales.field.selectors import loads_on
from aftersales.field.suggestions import (
    candidates,
    need_for,
    preemption_for,
    suggestions_for,
    wish_of,
)
from aftersales.tickets import rules as ticket_rules
from aftersales.workorders.rules import OPEN_STATUSES, REVISIT_STATUSES, allowed_actions
from aftersales.workorders.selectors import visit_number, work_order_get_for, work_orders_for

BOARD_ROLES = frozenset({"admin", "dispatcher", "branch_manager"})
BOARD_DAYS = 7  # today and the next six
BOARD_HOURS = (8, 20)  # the grid runs from 8:00 to 20:00 local time
BOARD_LIST_LIMIT = 50


def board_centers(user: User) -> list[ServiceCenter]:
    """The centers this user may pick on the board (a branch manager: their own); roles that
    do not dispatch are refused (403)."""
    role = role_of(user)
    if role not in BOARD_ROLES:
        raise Forbidden(_("The dispatch board is for dispatchers, branch managers and admins."))
    if role == BRANCH_MANAGER:
        own = center_of(user)
        return [own] if own else []
    return list(centers())


def board_days(today: date | None = None) -> list[date]:
    """The days the board offers: today and the next six."""
    first = today or timezone.localdate()
    return [first + timedelta(days=n) for n in range(BOARD_DAYS)]


def board_job(user: User, number: str) -> Any:
    """One job as the board may act on it (403 outside the board's roles, 404 outside scope)."""
    board_centers(user)
    return work_order_get_for(user, number)


def _technician_name(wo: Any) -> str:
    return display_name(wo.technician) if wo.technician else ""


def _area_of(user: User) -> list[str]:
    center = home_center(user)
    return list(profile_of(user).regions or (center.regions if center else []))


def _areas_meet(codes: list[str], region: str) -> bool:
    """Whether an area (region codes) and the filter's region overlap at all."""
    wanted = rules.region_prefix(region)
    return any(
        (p := rules.region_prefix(c)).startswith(wanted) or wanted.startswith(p) for c in codes
    )


def _in_area(jobs: Any, center: ServiceCenter | None, region: str) -> Any:
    """Jobs of a center (or with no center yet, for a customer it serves) and in a region."""
    if center is not None:
        served = Q()
        for code in center.regions:
            served |= Q(ticket__customer__region__startswith=rules.region_prefix(code))
        nowhere = Q(center__isnull=True) & served if center.regions else Q(pk__in=[])
        jobs = jobs.filter(Q(center=center) | nowhere)
    if region:
        jobs = jobs.filter(ticket__customer__region__startswith=rules.region_prefix(region))
    return jobs


def late(now: datetime) -> Q:
    """`rules.late_for_visit` as a filter: the window began, no arrival for this visit (none at
    all, or only one before the window at a visit that ended unfinished); and a next visit of a
    job left unfinished (`_late_again`) whose window began without an arrival. The jobs need
    their `visit_no` (`visit_number()`)."""
    earlier_visit = ~Q(visit_incomplete="") & Q(arrived_at__lt=F("appointment_start"))
    first = Q(status__in=rules.AWAITING_VISIT, appointment_start__lte=now) & (
        Q(arrived_at=None) | earlier_visit
    )
    again = Q(
        status__in=REVISIT_STATUSES, visit_no__gt=1, appointment_start__lte=now, arrived_at=None
    )
    return first | again


def _late_again(wo: Any, now: datetime) -> bool:
    """A next visit (the second, third…) of a job left unfinished while diagnosing, awaiting
    parts or repairing: its window began and the technician has not arrived for it."""
    start = wo.appointment_start
    return (
        wo.status in REVISIT_STATUSES
        and (getattr(wo, "visit_no", None) or 1) > 1
        and start is not None
        and start <= now
        and wo.arrived_at is None
    )


def _risks(wo: Any, now: datetime) -> list[str]:
    """Why a job is at risk: `incident` (paused), `late` (the window began, nobody arrived),
    `sla_breached` / `sla_soon` (the request's promise is broken or due within 2 hours)."""
    risks = ["incident"] if wo.paused else []
    if rules.late_for_visit(
        status=wo.status,
        appointment_start=wo.appointment_start,
        arrived_at=wo.arrived_at,
        visit_incomplete=wo.visit_incomplete,
        now=now,
    ) or _late_again(wo, now):
        risks.append("late")
    state = ticket_rules.sla_due(wo.ticket, now).state
    if state in ("breached", "soon"):
        risks.append(f"sla_{state}")
    return risks


def _board_job(wo: Any, now: datetime, grid: tuple[datetime, datetime] | None = None) -> dict:
    """A job as the board draws it; with `grid`, placed on it (percent from the left, width)."""
    job = {
        "wo": wo,
        "risks": _risks(wo, now),
        "urgent": wo.ticket.priority == "urgent",
        "technician_name": _technician_name(wo),
    }
    if grid is not None and wo.appointment_start and wo.appointment_end:
        span = (grid[1] - grid[0]).total_seconds()
        start, end = max(wo.appointment_start, grid[0]), min(wo.appointment_end, grid[1])
        left = min(max(0.0, (start - grid[0]).total_seconds() / span * 100), 97.0)
        width = max((end - start).total_seconds() / span * 100, 3.0)
        job.update(left=round(left, 2), width=round(min(width, 100 - left), 2))
    return job


def _stack(jobs: list[dict[str, Any]]) -> None:
    """Overlapping windows (double bookings) go on separate tracks of the row, first fit."""
    ends: list[datetime] = []
    for job in jobs:
        start = job["wo"].appointment_start
        track = next((i for i, end in enumerate(ends) if end <= start), len(ends))
        if track == len(ends):
            ends.append(job["wo"].appointment_end)
        else:
            ends[track] = job["wo"].appointment_end
        job["track"] = track


def board(
    user: User, *, day: date, center: str = "", region: str = "", now: datetime | None = None
) -> dict[str, Any]:
    """Everything the board draws for `day`: a row per active technician (load x/capacity, on
    leave, that day's booked windows placed on the grid, assigned jobs still without a window),
    the open jobs nobody has (oldest first) and the open jobs at risk, filtered by center and
    region (a 6-digit code: the area it names)."""
    now = now or timezone.now()
    allowed = board_centers(user)
    chosen = next((c for c in allowed if c.code == center), None)
    if role_of(user) == BRANCH_MANAGER:
        chosen = allowed[0] if allowed else None
    day_start, _end = calendar_rules.local_day_bounds(day, ZoneInfo(settings.TIME_ZONE))
    grid = (
        day_start + timedelta(hours=BOARD_HOURS[0]),
        day_start + timedelta(hours=BOARD_HOURS[1]),
    )
    techs = [u for u in technicians(center=chosen.code if chosen else None) if u.is_active]
    if region:
        techs = [u for u in techs if _areas_meet(_area_of(u), region)]
    if not allowed:
        techs = []  # a branch manager with no center sees nobody
    ids = [u.pk for u in techs]
    jobs = work_orders_for(user).filter(status__in=OPEN_STATUSES).annotate(visit_no=visit_number())
    booked: dict[int | None, list[dict[str, Any]]] = {}
    for wo in jobs.filter(
        technician_id__in=ids,
        appointment_start__lt=day_start + timedelta(days=1),
        appointment_end__gt=day_start,
    ).order_by("appointment_start", "id"):
        booked.setdefault(wo.technician_id, []).append(_board_job(wo, now, grid))
    for row_jobs in booked.values():
        _stack(row_jobs)
    waiting: dict[int | None, list[Any]] = {}
    for wo in jobs.filter(
        technician_id__in=ids, status="assigned", appointment_start__isnull=True
    ).order_by("created_at", "id"):
        waiting.setdefault(wo.technician_id, []).append(wo)
    away = set(
        Leave.objects.filter(
            technician_id__in=ids, first_day__lte=day, last_day__gte=day
        ).values_list("technician_id", flat=True)
    )
    loads = loads_on(techs, day)
    rows = [
        {
            "technician": u,
            "name": display_name(u),
            "center": home_center(u),
            "load": loads.get(u.pk, 0),
            "capacity": profile_of(u).daily_capacity,
            "on_leave": u.pk in away,
            "dispatchable": profile_of(u).dispatchable,
            "jobs": booked.get(u.pk, []),
            "tracks": max((j["track"] for j in booked.get(u.pk, [])), default=0) + 1,
            "waiting": waiting.get(u.pk, []),
        }
        for u in techs
    ]
    area = _in_area(jobs, chosen, region) if allowed else jobs.none()
    nobodys = area.filter(technician__isnull=True)
    risky = Q(ticket__pending_due__lte=now + ticket_rules.SOON) | Q(paused=True) | late(now)
    at_risk = area.filter(risky).order_by(
        F("ticket__pending_due").asc(nulls_last=True), F("appointment_start").asc(nulls_last=True)
    )
    span = BOARD_HOURS[1] - BOARD_HOURS[0]
    now_left = (now - grid[0]).total_seconds() / (span * 36) if grid[0] <= now < grid[1] else None
    return {
        "day": day,
        "days": board_days(),
        "hours": [(h, round((h - BOARD_HOURS[0]) * 100 / span, 2)) for h in range(*BOARD_HOURS)],
        "centers": allowed,
        "center": chosen,
        "region": region,
        "rows": rows,
        "unassigned": [
            _board_job(wo, now) for wo in nobodys.order_by("created_at", "id")[:BOARD_LIST_LIMIT]
        ],
        "unassigned_count": nobodys.count(),
        "at_risk": [_board_job(wo, now) for wo in at_risk[:BOARD_LIST_LIMIT]],
        "now_left": round(now_left, 2) if now_left is not None else None,
    }


def board_suggestions(user: User, number: str) -> dict[str, Any]:
    """The ranked technicians for one job as the board lists them: who, the center the job
    moves to with them (their home center), score, earliest slot and the end of a visit there,
    and the reasons in words. A branch manager is offered their own center's technicians."""
    wo = board_job(user, number)
    found = suggestions_for(wo)
    users = {u.username: u for u in technicians_named([s.technician for s in found])}
    own = center_of(user) if role_of(user) == BRANCH_MANAGER else None
    duration = need_for(wo).duration
    names = category_names()
    items = []
    for s in found:
        tech = users.get(s.technician)
        where = home_center(tech) if tech else None
        if tech is None or (own is not None and where != own):
            continue
        items.append(
            {
                "technician": tech,
                "name": display_name(tech),
                "center": where,
                "score": s.score,
                "start": s.earliest_slot,
                "end": s.earliest_slot + duration,
                # The score explained: each reason in words, with what it adds.
                "reasons": [reason_parts(r, names) for r in s.reasons],
                "in_wish": any(r.code == "preferred_time" and r.value[1] for r in s.reasons),
            }
        )
    wish = wish_of(wo)
    return {
        "wo": wo,
        "technician_name": _technician_name(wo),
        "wish": wish_label(wish) if wish else "",
        "suggestions": items,
        "may_assign": "assign" in allowed_actions(wo.status, wo.mode),
        # Booking the slot with the assignment: on-site jobs that have no window yet.
        "may_book": wo.mode == "on_site" and wo.appointment_start is None,
    }


def board_schedule(user: User, number: str) -> dict[str, Any]:
    """A job's schedule form: its window, or its technician's earliest free slot to start from
    (a job whose visit took place: its next visit's)."""
    wo = board_job(user, number)
    # The current visit took place (arrived, or ended unfinished): the form books the next one.
    next_visit = wo.arrived_at is not None or bool(wo.visit_incomplete)
    start, end = (None, None) if next_visit else (wo.appointment_start, wo.appointment_end)
    if start is None and wo.technician is not None:
        need = need_for(wo)
        pool = candidates(technicians_named([wo.technician.username]), after=need.after)
        slot = rules.earliest_slot(pool[0], need.after, need.duration) if pool else None
        start, end = slot, slot + need.duration if slot else None
    return {
        "wo": wo,
        "technician_name": _technician_name(wo),
        "start": start,
        "end": end,
        "may_schedule": "schedule" in allowed_actions(wo.status, wo.mode),
        "next_visit": next_visit,
    }


def board_conflicts(user: User, number: str) -> dict[str, Any]:
    """An urgent job's window against its technician's other booked jobs: each conflicting job
    with the ways out (`preemption_for`: reassign to a free colleague at the same time, or the
    same technician later with reason `preempted`)."""
    wo = board_job(user, number)
    urgent = wo.ticket.priority == "urgent"
    if not (urgent and wo.technician and wo.appointment_start and wo.appointment_end):
        return {
            "wo": wo,
            "technician_name": _technician_name(wo),
            "conflicts": [],
            "urgent": urgent,
        }
    found = preemption_for(wo, wo.technician.username, wo.appointment_start, wo.appointment_end)
    named = {p["technician"] for c in found for p in c["proposals"]}
    users = {u.username: u for u in technicians_named(sorted(named))}
    own = center_of(user) if role_of(user) == BRANCH_MANAGER else None
    conflicts = []
    for conflict in found:
        proposals = []
        for p in conflict["proposals"]:
            tech = users.get(p["technician"])
            where = home_center(tech) if tech else None
            if tech is not None and (own is None or where == own):
                proposals.append(
                    {**p, "technician": tech, "name": display_name(tech), "center": where}
                )
        conflicts.append({"wo": conflict["job"], "proposals": proposals})
    return {
        "wo": wo,
        "technician_name": _technician_name(wo),
        "conflicts": conflicts,
        "urgent": urgent,
    }
