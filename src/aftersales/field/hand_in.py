"""The daily hand-in (交单, DOMAIN.md §4 "On-site specifics"): what each technician should hand
in for a day (the jobs they worked, the unfinished ones with their reasons, the fees they took),
and the branch manager's report of who has (not) handed in. Deadline: dispatch.rules."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import Forbidden, InvalidInput, NotFound
from aftersales.core.models import Event
from aftersales.core.payloads import Day, read_value
from aftersales.core.roles import BRANCH_MANAGER, role_of
from aftersales.core.selectors import working_calendar
from aftersales.dispatch import rules
from aftersales.dispatch.models import HandIn, ServiceCenter
from aftersales.dispatch.selectors import (
    calendar_of,
    center_of,
    home_center,
    profile_of,
    technicians,
)
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.rules import CLOSED_STATUSES

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
    read_value(Day, "day", day)  # 422 naming the day outside the years a date may take
    return calendar_rules.local_day_bounds(day, ZoneInfo(settings.TIME_ZONE))


def technician_calendar(user: User) -> calendar_rules.WorkingCalendar:
    """The technician's working calendar: their own, else their center's (the default week)."""
    center = home_center(user)
    calendar = profile_of(user).calendar or (center.calendar if center else None)
    return working_calendar(calendar)


def _days_of(users: list[User], day: date, now: datetime) -> list[HandInDay]:
    """The hand-in days of these technicians, in a fixed number of queries."""
    from django.contrib.contenttypes.models import ContentType

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
