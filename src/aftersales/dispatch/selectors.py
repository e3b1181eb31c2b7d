"""Reads of the service network."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import NotFound
from aftersales.core.roles import TECHNICIAN
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
    start = datetime.combine(day, time.min, tzinfo=tz)
    booked = _booked([u.pk for u in users], start, start + timedelta(1))
    counts: dict[int, int] = {}
    for tech_id, _number, begins, _ends in booked:
        if begins.astimezone(tz).date() == day:
            counts[tech_id] = counts.get(tech_id, 0) + 1
    return counts


def candidates(users: list[User], *, after: datetime) -> list[rules.Candidate]:
    """The dispatch view of these technicians from `after` over the suggestion horizon."""
    ids = [u.pk for u in users]
    until = after + SUGGESTION_HORIZON
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    per_day: dict[int, dict[date, int]] = {}
    tz = ZoneInfo(settings.TIME_ZONE)
    day_start = datetime.combine(after.astimezone(tz).date(), time.min, tzinfo=tz)
    for tech_id, _number, begins, ends in _booked(ids, day_start, until):
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
    calendars: dict[int | None, calendar_rules.WorkingCalendar] = {}
    result = []
    for user in users:
        profile, center = profile_of(user), home_center(user)
        calendar = profile.calendar or (center.calendar if center else None)
        key = calendar.pk if calendar else None
        if key not in calendars:
            calendars[key] = working_calendar(calendar)
        result.append(
            rules.Candidate(
                username=user.username,
                center=center.code if center else "",
                center_regions=tuple(center.regions if center else ()),
                regions=tuple(profile.regions),
                skills=frozenset(profile.skills),
                calendar=calendars[key],
                daily_capacity=profile.daily_capacity,
                busy=tuple(busy.get(user.pk, ())),
                jobs_by_day=per_day.get(user.pk, {}),
                leave_days=frozenset(leave.get(user.pk, ())),
                active=is_dispatchable(user),
            )
        )
    return result


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
    users = technicians(active=True)
    if need.center:
        users = [u for u in users if (c := home_center(u)) and c.code == need.center]
    pool = candidates(users, after=need.after)
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
    unfinished: list[Any]  # of those, the ones still open (`visit_incomplete` is the reason)
    fees: Decimal  # money they took at hand-overs that day
    hand_in: HandIn | None
    status: str  # dispatch.rules.HAND_IN_STATUSES

    @property
    def sheets(self) -> int:
        return len(self.jobs)

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
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


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
    worked = (
        Q(appointment_start__gte=start, appointment_start__lt=end)
        | Q(arrived_at__gte=start, arrived_at__lt=end)
        | Q(handed_over_at__gte=start, handed_over_at__lt=end)
    )
    jobs: dict[int, list[Any]] = {}
    for wo in (
        WorkOrder.objects.filter(worked, technician_id__in=ids)
        .select_related("ticket__customer")
        .order_by("appointment_start", "id")
    ):
        jobs.setdefault(wo.technician_id or 0, []).append(wo)
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
        result.append(HandInDay(user, day, deadline, own, unfinished, fee, hand_in, status))
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
