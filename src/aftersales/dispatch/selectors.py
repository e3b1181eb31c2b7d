"""Reads of the service network."""

import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import InvalidInput, NotFound
from aftersales.core.models import BusinessCalendar
from aftersales.core.presenters import display_name
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN, role_of
from aftersales.core.selectors import working_calendar
from aftersales.dispatch import rules
from aftersales.dispatch.models import (
    HandIn,
    Leave,
    ServiceCenter,
    StaffProfile,
    TechnicianProfile,
)


def centers() -> QuerySet[ServiceCenter]:
    return ServiceCenter.objects.filter(active=True).order_by("code")


def center_of(user: User | AnonymousUser) -> ServiceCenter | None:
    """The center a staff member works in, if any."""
    if not user.is_authenticated:
        return None
    profile = StaffProfile.objects.select_related("center").filter(user_id=user.pk).first()
    return profile.center if profile else None


def center_serving(region: str) -> ServiceCenter | None:
    """The active center whose regions match `region` most specifically."""
    best, best_len = None, 0
    for center in centers():
        length = rules.most_specific_match(center.regions, region)
        if length > best_len:
            best, best_len = center, length
    return best


def calendar_of(center: ServiceCenter | None) -> calendar_rules.WorkingCalendar:
    """The working calendar of a center (the default office week where it has none)."""
    return working_calendar(center.calendar if center else None)


# --- technicians and suggestions -------------------------------------------------------------

SUGGESTION_HORIZON = timedelta(days=14)
# Jobs whose technician goes to the customer are matched by region; the others by center.
FIELD_MODES = frozenset({"on_site", "pull_back"})


def _booked(ids: list[int], start: datetime, end: datetime) -> list[Any]:
    from aftersales.workorders.selectors import booked_windows  # workorders reads dispatch

    return booked_windows(ids, start, end)


def _technicians_of_unit(unit_id: int | None, *, before_id: int | None) -> set[str]:
    from aftersales.workorders.selectors import technicians_of_unit

    return technicians_of_unit(unit_id, before_id=before_id)


def weights() -> rules.Weights:
    return replace(rules.DEFAULT_WEIGHTS, **settings.DISPATCH_WEIGHTS)


def technicians(
    *, center: str | None = None, skill: str | None = None, active: bool | None = None
) -> list[User]:
    """Staff with the technician role, with their profiles (skills, area, capacity)."""
    found = (
        User.objects.filter(groups__name=TECHNICIAN)
        .select_related("staff_profile__center", "technician_profile__calendar")
        .order_by("username")
        .distinct()
    )
    if center:
        found = found.filter(staff_profile__center__code=center)
    if active is not None:
        dispatchable = Q(is_active=True) & (
            Q(technician_profile__isnull=True) | Q(technician_profile__dispatchable=True)
        )
        found = found.filter(dispatchable if active else ~dispatchable)
    users = list(found)
    if skill:
        users = [u for u in users if skill in profile_of(u).skills]
    return users


def technician_get(username: str) -> User:
    user = next(iter(technicians_named([username])), None)
    if user is None:
        raise NotFound(_("No technician %(username)s.") % {"username": username})
    return user


def technicians_named(usernames: list[str]) -> list[User]:
    return [
        u
        for u in User.objects.filter(username__in=usernames, groups__name=TECHNICIAN)
        .select_related("staff_profile__center", "technician_profile__calendar")
        .distinct()
    ]


def profile_of(user: User) -> TechnicianProfile:
    """The technician's dispatch profile (defaults where none was set up yet)."""
    try:
        return user.technician_profile
    except TechnicianProfile.DoesNotExist:
        return TechnicianProfile(user=user, calendar_key="")


def home_center(user: User) -> ServiceCenter | None:
    try:
        return user.staff_profile.center
    except StaffProfile.DoesNotExist:
        return None


def is_dispatchable(user: User) -> bool:
    return user.is_active and profile_of(user).dispatchable


def loads_on(users: list[User], day: date) -> dict[int, int]:
    """Appointments booked per technician on a local day."""
    tz = ZoneInfo(settings.TIME_ZONE)
    booked = _booked([u.pk for u in users], *calendar_rules.local_day_bounds(day, tz))
    counts: dict[int, int] = {}
    for tech_id, _number, begins, _ends in booked:
        if begins.astimezone(tz).date() == day:
            counts[tech_id] = counts.get(tech_id, 0) + 1
    return counts


def candidates(
    users: list[User], *, after: datetime, need: rules.Need | None = None
) -> list[rules.Candidate]:
    """The dispatch view of these technicians from `after` over the suggestion horizon.

    With `need`, only those who pass its hard filters (`rules.eligible`: active, skill, area or
    center) are returned, and only their booked windows and leave are read: with 500
    technicians, reading everyone's two weeks of visits cost most of a suggestion (docs/bench.md).
    """
    calendars: dict[int | None, calendar_rules.WorkingCalendar] = {}
    bare: list[tuple[int, rules.Candidate]] = []
    for user in users:
        profile, center = profile_of(user), home_center(user)
        calendar = profile.calendar or (center.calendar if center else None)
        key = calendar.pk if calendar else None
        if key not in calendars:
            calendars[key] = working_calendar(calendar)
        candidate = rules.Candidate(
            username=user.username,
            center=center.code if center else "",
            center_regions=tuple(center.regions if center else ()),
            regions=tuple(profile.regions),
            skills=frozenset(profile.skills),
            calendar=calendars[key],
            daily_capacity=profile.daily_capacity,
            active=is_dispatchable(user),
        )
        bare.append((user.pk, candidate))
    return _booked_in(bare, after=after, need=need)


def active_candidates(
    *, after: datetime, center: str | None = None, need: rules.Need | None = None
) -> list[rules.Candidate]:
    """`candidates(technicians(active=True, center=center), after=…, need=…)`, read as values.

    A suggestion asks about every active technician; building a user, staff profile, center,
    technician profile and calendar for each of 500 cost a third of it (docs/bench.md), so the
    columns the rules read come as one row per technician, and each distinct calendar once.
    """
    found = User.objects.filter(
        Q(technician_profile__isnull=True) | Q(technician_profile__dispatchable=True),
        groups__name=TECHNICIAN,  # unique: one row per user
        is_active=True,
    )
    if center:
        found = found.filter(staff_profile__center__code=center)
    rows = list(
        found.order_by("username").values(
            "pk",
            "username",
            center=F("staff_profile__center__code"),
            center_regions=F("staff_profile__center__regions"),
            center_calendar=F("staff_profile__center__calendar_id"),
            profile=F("technician_profile__pk"),
            regions=F("technician_profile__regions"),
            skills=F("technician_profile__skills"),
            capacity=F("technician_profile__daily_capacity"),
            own_calendar=F("technician_profile__calendar_id"),
        )
    )
    # Their own calendar, else their center's; neither: the default office week.
    keys = [row["own_calendar"] or row["center_calendar"] for row in rows]
    stored = BusinessCalendar.objects.in_bulk([key for key in set(keys) if key is not None])
    calendars = {key: working_calendar(stored[key] if key else None) for key in set(keys)}
    # No technician profile yet: the profile's defaults (as `profile_of`).
    default_capacity = TechnicianProfile._meta.get_field("daily_capacity").get_default()
    bare = [
        (
            row["pk"],
            rules.Candidate(
                username=row["username"],
                center=row["center"] or "",
                center_regions=tuple(row["center_regions"] or ()),
                regions=tuple(row["regions"] or ()),
                skills=frozenset(row["skills"] or ()),
                calendar=calendars[key],
                daily_capacity=row["capacity"] if row["profile"] else default_capacity,
                active=True,
            ),
        )
        for row, key in zip(rows, keys, strict=True)
    ]
    return _booked_in(bare, after=after, need=need)


def _booked_in(
    bare: list[tuple[int, rules.Candidate]], *, after: datetime, need: rules.Need | None
) -> list[rules.Candidate]:
    """The candidates (by user id) that pass `need`'s hard filters, with their booked windows,
    visits per day and leave over the suggestion horizon from `after`."""
    if need is not None:
        bare = [(pk, candidate) for pk, candidate in bare if rules.eligible(candidate, need)]
    ids = [pk for pk, _candidate in bare]
    until = after + SUGGESTION_HORIZON
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    per_day: dict[int, dict[date, int]] = {}
    tz = ZoneInfo(settings.TIME_ZONE)
    day_start, _end = calendar_rules.local_day_bounds(after.astimezone(tz).date(), tz)
    for tech_id, _number, begins, ends in _booked(ids, day_start, until) if ids else ():
        busy.setdefault(tech_id, []).append((begins, ends))
        day = begins.astimezone(tz).date()
        per_day.setdefault(tech_id, {})[day] = per_day.get(tech_id, {}).get(day, 0) + 1
    leave: dict[int, set[date]] = {}
    for leave_row in Leave.objects.filter(
        technician_id__in=ids, last_day__gte=day_start.date(), first_day__lte=until.date()
    ):
        days = (leave_row.last_day - leave_row.first_day).days + 1
        leave.setdefault(leave_row.technician_id, set()).update(
            leave_row.first_day + timedelta(d) for d in range(days)
        )
    return [
        replace(
            candidate,
            busy=tuple(busy.get(pk, ())),
            jobs_by_day=per_day.get(pk, {}),
            leave_days=frozenset(leave.get(pk, ())),
        )
        for pk, candidate in bare
    ]


def need_for(work_order: Any, *, after: datetime | None = None) -> rules.Need:
    """What a job asks of a technician (works for a job being opened, not yet saved)."""
    ticket, unit = work_order.ticket, work_order.unit
    by_center = work_order.mode not in FIELD_MODES and work_order.center is not None
    repeat_of = work_order.repeat_of
    return rules.Need(
        after=after or timezone.now(),
        region="" if by_center else (ticket.customer.region or ""),
        category=unit.model.category.code if unit is not None else "",
        center=work_order.center.code if by_center else "",
        worked_on_unit=frozenset(
            _technicians_of_unit(unit.pk if unit else None, before_id=work_order.pk)
        ),
        repeat_of_technician=(
            repeat_of.technician.username if repeat_of and repeat_of.technician else ""
        ),
    )


def suggestions_for(work_order: Any, *, limit: int = 10) -> list[rules.Suggestion]:
    """The ranked technicians for a job (CONTRACT.md "Dispatch and people")."""
    need = need_for(work_order)
    pool = active_candidates(after=need.after, center=need.center or None, need=need)
    return rules.suggest(need, pool, weights())[:limit]


def automatic_pick(work_order: Any) -> tuple[User, rules.Suggestion] | None:
    """The best suggestion whose home center assigns automatically, if any."""
    if not ServiceCenter.objects.filter(auto_assign=True, active=True).exists():
        return None
    for suggestion in suggestions_for(work_order):
        user = technicians_named([suggestion.technician])[0]
        center = home_center(user)
        if center is not None and center.auto_assign:
            return user, suggestion
    return None


def preemption_for(
    work_order: Any, technician: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """What an urgent job in [start, end) pushes aside in `technician`'s day: each booked job it
    overlaps, with the ways out (a colleague free at that very window, or the same technician's
    next free time after the urgent visit)."""
    from aftersales.workorders.selectors import jobs_numbered

    owner_user = technicians_named([technician])
    if not owner_user:
        return []
    clashing = [
        number
        for _tech, number, _s, _e in _booked([owner_user[0].pk], start, end)
        if number != work_order.number
    ]
    if not clashing:
        return []
    pool = active_candidates(after=start)
    result = []
    for job in jobs_numbered(clashing):
        assert job.appointment_start and job.appointment_end  # booked: it has a window
        window = (job.appointment_start, job.appointment_end)
        owner = next(c for c in candidates(owner_user, after=start))
        # The urgent visit takes the window; this job's own booking is what moves.
        owner = replace(owner, busy=(*[w for w in owner.busy if w != window], (start, end)))
        need = need_for(job, after=window[0])
        proposals = rules.proposals_for_conflict(window, need, owner, pool, weights())
        result.append(
            {
                "work_order": job.number,
                "start": window[0],
                "end": window[1],
                "job": job,
                "proposals": [
                    {"kind": p.kind, "technician": p.technician, "start": p.start, "end": p.end}
                    for p in proposals
                ],
            }
        )
    return result


def reschedule_counts(technician: User, *, days: int) -> dict[str, int]:
    """Visits of this technician moved in the last `days` days, per reason (customer_request,
    technician_late, parts_missing, preempted)."""
    from aftersales.workorders.selectors import reschedule_counts as counts

    return counts(technician, since=timezone.now() - timedelta(days=days))


def may_see_calendar_key(viewer: User, technician: User) -> bool:
    """The feed's secret is shown to the technician, their branch manager and admins."""
    role = role_of(viewer)
    if viewer.pk == technician.pk or role == ADMIN:
        return True
    return role == BRANCH_MANAGER and center_of(viewer) == home_center(technician) is not None


def profile_key(technician: User) -> str:
    return profile_of(technician).calendar_key


def technician_by_key(username: str, key: str) -> User:
    """The technician whose feed this is; 404 for a wrong or missing key, as for a stranger."""
    found = TechnicianProfile.objects.select_related("user").filter(user__username=username).first()
    if found is None or not key or not secrets.compare_digest(found.calendar_key, key):
        raise NotFound(_("No such calendar."))
    return found.user


def feed_jobs(technician: User, *, since: datetime) -> list[Any]:
    from aftersales.workorders.selectors import appointments_of

    return appointments_of(technician, since=since)


# --- board -----------------------------------------------------------------------------------
# The dispatcher board (/dispatch/): one day's time grid by technician, the jobs nobody has yet
# and the jobs at risk. Dispatchers and administrators see every center, a branch manager theirs.

BOARD_ROLES = frozenset({"admin", "dispatcher", "branch_manager"})
BOARD_DAYS = 7  # today and the next six
BOARD_HOURS = (8, 20)  # the grid runs from 8:00 to 20:00 local time
BOARD_LIST_LIMIT = 50


def board_centers(user: User) -> list[ServiceCenter]:
    """The centers this user may pick on the board (a branch manager: their own); roles that
    do not dispatch are refused (403)."""
    from aftersales.core.errors import Forbidden
    from aftersales.core.roles import BRANCH_MANAGER, role_of

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
    from aftersales.workorders.selectors import work_order_get_for

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
    all, or only one before the window at a visit that ended unfinished)."""
    earlier_visit = ~Q(visit_incomplete="") & Q(arrived_at__lt=F("appointment_start"))
    return Q(status__in=rules.AWAITING_VISIT, appointment_start__lte=now) & (
        Q(arrived_at=None) | earlier_visit
    )


def _risks(wo: Any, now: datetime) -> list[str]:
    """Why a job is at risk: `incident` (paused), `late` (the window began, nobody arrived),
    `sla_breached` / `sla_soon` (the request's promise is broken or due within 2 hours)."""
    from aftersales.tickets import rules as ticket_rules

    risks = ["incident"] if wo.paused else []
    if rules.late_for_visit(
        status=wo.status,
        appointment_start=wo.appointment_start,
        arrived_at=wo.arrived_at,
        visit_incomplete=wo.visit_incomplete,
        now=now,
    ):
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
    from aftersales.core.roles import BRANCH_MANAGER, role_of
    from aftersales.tickets import rules as ticket_rules
    from aftersales.workorders.rules import OPEN_STATUSES
    from aftersales.workorders.selectors import work_orders_for

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
    jobs = work_orders_for(user).filter(status__in=OPEN_STATUSES)
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
    from aftersales.core.roles import BRANCH_MANAGER, role_of
    from aftersales.dispatch.presenters import reason_message
    from aftersales.workorders.rules import allowed_actions

    wo = board_job(user, number)
    found = suggestions_for(wo)
    users = {u.username: u for u in technicians_named([s.technician for s in found])}
    own = center_of(user) if role_of(user) == BRANCH_MANAGER else None
    duration = need_for(wo).duration
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
                "reasons": [reason_message(r) for r in s.reasons],
            }
        )
    return {
        "wo": wo,
        "technician_name": _technician_name(wo),
        "suggestions": items,
        "may_assign": "assign" in allowed_actions(wo.status, wo.mode),
        # Booking the slot with the assignment: on-site jobs that have no window yet.
        "may_book": wo.mode == "on_site" and wo.appointment_start is None,
    }


def board_schedule(user: User, number: str) -> dict[str, Any]:
    """A job's schedule form: its window, or its technician's earliest free slot to start from."""
    from aftersales.workorders.rules import allowed_actions

    wo = board_job(user, number)
    start, end = wo.appointment_start, wo.appointment_end
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
    }


def board_conflicts(user: User, number: str) -> dict[str, Any]:
    """An urgent job's window against its technician's other booked jobs: each conflicting job
    with the ways out (`preemption_for`: reassign to a free colleague at the same time, or the
    same technician later with reason `preempted`)."""
    from aftersales.core.roles import BRANCH_MANAGER, role_of

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


# --- hand-in ---------------------------------------------------------------------------------
# The daily hand-in (交单, DOMAIN.md §4 "On-site specifics"): what each technician should hand in
# for a day (the jobs they worked, the unfinished ones with their reasons, the fees they took),
# and the branch manager's report of who has (not) handed in. Deadline: dispatch.rules.

HAND_IN_REPORT_ROLES = frozenset({"admin", "dispatcher", "archive", "branch_manager"})


@dataclass
class HandInDay:
    """One technician's day as the hand-in sees it."""

    technician: User
    day: date
    deadline: datetime
    jobs: list[Any]  # work orders they worked that day (visited, arrived, handed over)
    unfinished: list[Any]  # of those, the ones still open (each one's reason: `reasons`)
    fees: Decimal  # money they took at hand-overs that day
    hand_in: HandIn | None
    status: str  # dispatch.rules.HAND_IN_STATUSES
    # Why each unfinished job (by id) was left that day: the day's last `visit_incomplete` event,
    # as the job's own field is cleared by its next arrival ("" where none was given).
    reasons: dict[int, str] = field(default_factory=dict)

    @property
    def sheets(self) -> int:
        return len(self.jobs)

    def reason(self, wo: Any) -> str:
        return self.reasons.get(wo.pk, "")

    @property
    def unfinished_reasons(self) -> list[tuple[Any, str]]:
        """The unfinished jobs, each with the day's reason."""
        return [(wo, self.reason(wo)) for wo in self.unfinished]

    @property
    def jobs_reasons(self) -> list[tuple[Any, str | None]]:
        """The day's jobs, each with the day's reason if unfinished (None if not)."""
        return [(wo, self.reason(wo) if wo in self.unfinished else None) for wo in self.jobs]

    @property
    def center(self) -> ServiceCenter | None:
        return home_center(self.technician)


@dataclass
class HandInReport:
    day: date
    deadline: datetime  # of the chosen center's calendar (each row carries its own)
    rows: list[HandInDay]

    @property
    def missing(self) -> list[HandInDay]:
        return [r for r in self.rows if r.status == "missing"]


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    if not rules.plausible_day(day):
        raise InvalidInput.field("day", _("Give a day between 2000 and 2099."))
    return calendar_rules.local_day_bounds(day, ZoneInfo(settings.TIME_ZONE))


def technician_calendar(user: User) -> calendar_rules.WorkingCalendar:
    """The technician's working calendar: their own, else their center's (the default week)."""
    center = home_center(user)
    calendar = profile_of(user).calendar or (center.calendar if center else None)
    return working_calendar(calendar)


def _days_of(users: list[User], day: date, now: datetime) -> list[HandInDay]:
    """The hand-in days of these technicians, in a fixed number of queries."""
    from django.contrib.contenttypes.models import ContentType

    from aftersales.core.models import Event
    from aftersales.workorders.models import WorkOrder
    from aftersales.workorders.rules import CLOSED_STATUSES

    start, end = _day_bounds(day)
    ids = [u.pk for u in users]
    work_orders = ContentType.objects.get_for_model(WorkOrder)
    # A day's jobs are the ones visited that day, read from the timeline: a job's own arrival,
    # booking and technician move on with its next visit (left unfinished, rebooked, given to a
    # colleague), its `arrive` events stay with the day and the technician who went.
    arrivals = Event.objects.filter(
        content_type=work_orders, action="arrive", at__gte=start, at__lt=end
    )
    visitors: dict[int, set[int]] = {}
    for actor_id, object_id in (
        arrivals.filter(actor_id__in=ids).order_by().values_list("actor_id", "object_id")
    ):
        visitors.setdefault(object_id, set()).add(actor_id)
    # Besides, a technician's own jobs booked or handed over that day, and the ones whose arrival
    # that day is on the job but not on the timeline (recorded before it was kept).
    still_theirs = Q(technician_id__in=ids) & (
        Q(appointment_start__gte=start, appointment_start__lt=end)
        | Q(handed_over_at__gte=start, handed_over_at__lt=end)
        | (
            Q(arrived_at__gte=start, arrived_at__lt=end)
            & ~Exists(arrivals.filter(object_id=OuterRef("pk")))
        )
    )
    jobs: dict[int, list[Any]] = {}
    for wo in (
        WorkOrder.objects.filter(still_theirs | Q(pk__in=list(visitors)))
        .annotate(
            theirs=Case(When(still_theirs, then=True), default=False, output_field=BooleanField())
        )
        .select_related("ticket__customer")
        .order_by("appointment_start", "id")
    ):
        owners = set(visitors.get(wo.pk, ()))
        if wo.theirs and wo.technician_id is not None:
            owners.add(wo.technician_id)
        for owner in owners:
            jobs.setdefault(owner, []).append(wo)
    handed_over = [wo.pk for found in jobs.values() for wo in found if wo.handed_over_at]
    fees: dict[int, Decimal] = {}
    for actor_id, data in Event.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder),
        object_id__in=handed_over,
        action="hand_over",
        at__gte=start,
        at__lt=end,
        actor_id__in=ids,
    ).values_list("actor_id", "data"):
        amount = ((data or {}).get("payment") or {}).get("amount")
        if amount:
            fees[actor_id] = fees.get(actor_id, Decimal("0.00")) + Decimal(str(amount))
    # The reason an unfinished job was left that day: the day's last `visit_incomplete` event
    # (a later arrival clears the job's field), else the field.
    open_ids = [
        wo.pk
        for found in jobs.values()
        for wo in found
        if wo.status not in CLOSED_STATUSES and not wo.handed_over_at
    ]
    reasons = {wo.pk: wo.visit_incomplete for found in jobs.values() for wo in found}
    for object_id, data in (
        Event.objects.filter(
            content_type=work_orders,
            object_id__in=open_ids,
            action="visit_incomplete",
            at__gte=start,
            at__lt=end,
        )
        .order_by("at", "id")
        .values_list("object_id", "data")
    ):
        reasons[object_id] = (data or {}).get("reason") or ""
    hand_ins = {h.technician_id: h for h in HandIn.objects.filter(technician_id__in=ids, day=day)}
    calendars: dict[int | None, calendar_rules.WorkingCalendar] = {}
    result = []
    for user in users:
        center = home_center(user)
        calendar = profile_of(user).calendar or (center.calendar if center else None)
        key = calendar.pk if calendar else None
        if key not in calendars:
            calendars[key] = working_calendar(calendar)
        deadline = rules.hand_in_deadline(day, calendars[key])
        own = jobs.get(user.pk, [])
        unfinished = [
            wo for wo in own if wo.status not in CLOSED_STATUSES and not wo.handed_over_at
        ]
        fee = fees.get(user.pk, Decimal("0.00"))
        hand_in = hand_ins.get(user.pk)
        status = rules.hand_in_status(
            deadline=deadline,
            handed_in_at=hand_in.handed_in_at if hand_in else None,
            now=now,
            expected=bool(own) or fee > 0,
        )
        result.append(
            HandInDay(
                user,
                day,
                deadline,
                own,
                unfinished,
                fee,
                hand_in,
                status,
                {wo.pk: reasons[wo.pk] for wo in unfinished},
            )
        )
    return result


def hand_in_day(technician: User, day: date, *, now: datetime | None = None) -> HandInDay:
    """What `technician` should hand in for `day`: the prefill of their hand-in form."""
    return _days_of([technician], day, now or timezone.now())[0]


def hand_in_report_centers(by: User, center: str | None = None) -> list[ServiceCenter] | None:
    """The centers whose report `by` may read (None: every center). 403 for other roles; a
    branch manager reads their own center (another center's code: 404, as outside the scope)."""
    from aftersales.core.errors import Forbidden, InvalidInput
    from aftersales.core.roles import BRANCH_MANAGER, role_of

    role = role_of(by)
    if role not in HAND_IN_REPORT_ROLES:
        raise Forbidden(
            _("The hand-in report is for branch managers, dispatchers, archive and admins.")
        )
    chosen = None
    if center:
        chosen = ServiceCenter.objects.filter(code=center).first()
        if chosen is None:
            raise InvalidInput.field(
                "center", _("No service center with code %(code)s.") % {"code": center}
            )
    if role == BRANCH_MANAGER:
        own = center_of(by)
        if chosen is not None and chosen != own:
            raise NotFound(_("No hand-in report for this center."))
        return [own] if own else []
    return [chosen] if chosen else None


def hand_in_report(
    day: date, center: str | None = None, *, by: User, now: datetime | None = None
) -> HandInReport:
    """Every technician of the center(s) in `by`'s scope for `day`: handed in or not, when,
    late or not, their unfinished jobs with reasons and their fees. Missing ones first."""
    scope = hand_in_report_centers(by, center)
    users = [
        u
        for u in technicians()
        if scope is None or (home_center(u) is not None and home_center(u) in scope)
    ]
    handed_in = set(HandIn.objects.filter(day=day).values_list("technician_id", flat=True))
    # People who left still owe (or made) a hand-in for a day they worked; others are not listed.
    rows = [
        r
        for r in _days_of(users, day, now or timezone.now())
        if r.technician.is_active or r.jobs or r.technician.pk in handed_in
    ]
    order = {"missing": 0, "late": 1, "not_yet_due": 2, "handed_in": 3, "nothing_due": 4}
    rows.sort(key=lambda r: (order[r.status], r.technician.username))
    calendar = calendar_of(scope[0] if scope and len(scope) == 1 else None)
    return HandInReport(day, rules.hand_in_deadline(day, calendar), rows)
