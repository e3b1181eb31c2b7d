"""Who can take a job: the dispatch view of the technicians (their skills, area, calendar,
booked windows and leave over the suggestion horizon), what a job asks of them, the ranked
suggestions and the automatic pick, and what an urgent job pushes aside. The scoring itself is
`dispatch.rules`; the technicians are read through `dispatch.selectors`."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, Q
from django.utils import timezone

from aftersales.core import rules as calendar_rules
from aftersales.core.models import BusinessCalendar
from aftersales.core.roles import TECHNICIAN
from aftersales.core.selectors import working_calendar
from aftersales.dispatch import rules
from aftersales.dispatch.models import Leave, ServiceCenter, TechnicianProfile
from aftersales.dispatch.selectors import (
    home_center,
    is_dispatchable,
    profile_of,
    technicians_named,
)
from aftersales.field.rules import Wish, wished_window
from aftersales.field.selectors import booked
from aftersales.workorders.selectors import jobs_numbered, technicians_of_unit

SUGGESTION_HORIZON = timedelta(days=14)
# Jobs whose technician goes to the customer are matched by region; the others by center.
FIELD_MODES = frozenset({"on_site", "pull_back"})


def _technicians_of_unit(unit_id: int | None, *, before_id: int | None) -> set[str]:
    return technicians_of_unit(unit_id, before_id=before_id)


def weights() -> rules.Weights:
    return replace(rules.DEFAULT_WEIGHTS, **settings.DISPATCH_WEIGHTS)


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
    for tech_id, _number, begins, ends in booked(ids, day_start, until) if ids else ():
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


def wish_of(work_order: Any) -> Wish | None:
    """The customer's wished time for the visit (the request's `preferred_time`, read as of when
    the request was made: "明天上午" then), if the words name one."""
    ticket = work_order.ticket
    said_at = timezone.localtime(ticket.created_at or timezone.now())
    return wished_window(ticket.preferred_time or "", said_at)


def _earliest(work_order: Any, now: datetime) -> datetime:
    """From when to look for a slot: now, or the start of the wished time still ahead."""
    wish = wish_of(work_order) if work_order.mode in FIELD_MODES else None
    return max(now, wish.start) if wish is not None and wish.end > now else now


def need_for(work_order: Any, *, after: datetime | None = None) -> rules.Need:
    """What a job asks of a technician (works for a job being opened, not yet saved). Slots
    are looked for from `after`, else from the customer's wished time when it lies ahead."""
    ticket, unit = work_order.ticket, work_order.unit
    by_center = work_order.mode not in FIELD_MODES and work_order.center is not None
    repeat_of = work_order.repeat_of
    return rules.Need(
        after=after or _earliest(work_order, timezone.now()),
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
    """The ranked technicians for a job (CONTRACT.md "Dispatch and people"). With a wished time
    ahead, those free inside it come first (each in score order), and each says whether its
    slot is in it (reason `preferred_time`)."""
    need = need_for(work_order)
    pool = active_candidates(after=need.after, center=need.center or None, need=need)
    found = rules.suggest(need, pool, weights())
    wish = wish_of(work_order) if work_order.mode in FIELD_MODES else None
    if wish is None or wish.end <= timezone.now():
        return found[:limit]
    marked = [
        replace(
            s,
            reasons=(
                *s.reasons,
                rules.Reason("preferred_time", (wish, wish.holds(s.earliest_slot))),
            ),
        )
        for s in found
    ]
    marked.sort(key=lambda s: not wish.holds(s.earliest_slot))  # stable: score order kept
    return marked[:limit]


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
    owner_user = technicians_named([technician])
    if not owner_user:
        return []
    clashing = [
        number
        for _tech, number, _s, _e in booked([owner_user[0].pk], start, end)
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
