"""The reports' reads (CONTRACT.md "Reports"), scoped by the caller: each figure is one aggregate
query (COUNT/SUM/AVG with filters, GROUP BY) over the rows of the period — never the rows
themselves in Python —, so a report costs the same few statements however many rows it counts.

Where each figure comes from (docs/api.md "Reports"):
- a request's response: `Ticket.responded_at`, set by what stops the response clock (the first
  `start`, `resolve`, `cancel` or customer-visible step); its resolution: its first `resolve`
  event (a reopened request keeps its first);
- a work order's hand-over: `WorkOrder.handed_over_at` with its `outcome`, `paid` (payments are
  taken at the hand-over only), `rating` (the hand-over rating, 1–5), `qc_fail_count`; its
  arrivals: `Visit.arrived_at`; its waivers and window changes: its `waive` and `schedule` events;
- a satisfaction survey's answer, by phone or on the portal: a done `satisfaction_survey`
  follow-up's `score` at its `done_at`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.core.errors import Forbidden, InvalidInput, NotFound
from aftersales.core.models import Event
from aftersales.core.presenters import display_name
from aftersales.core.roles import TECHNICIAN, role_of
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.followups.models import FollowUp
from aftersales.reports import rules
from aftersales.reports.rules import Bucket, Period
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import Outcome, Visit, WorkOrder

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def report_period(first: date | None, last: date | None) -> Period:
    """The period asked for, in the business time zone (default: this month so far); 422 naming
    `to` when it ends before it begins or spans 366 days or more."""
    tz = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(timezone=tz)
    asked = rules.period(first, last, today, tz)
    refused = rules.period_refusal(asked.first, asked.last)
    if refused == "before":
        raise InvalidInput.field("to", _("The end of the period is before its start."))
    if refused == "too_long":
        raise InvalidInput.field(
            "to",
            _("A report covers at most %(days)d days: choose a shorter period.")
            % {"days": rules.LONGEST_PERIOD_DAYS},
        )
    return asked


def report_center(user: User, code: str | None) -> ServiceCenter | None:
    """The center a report is about (None: every center), as the caller may read it: 403 for a
    role that reads no report; a branch manager reads its own center (also its default), another
    one is not found (404); an unknown center is not found."""
    role = role_of(user)
    if not rules.may_read(role):
        raise Forbidden(_("Your role may not read reports."))
    if rules.sees_every_center(role):
        if not code:
            return None
        center = ServiceCenter.objects.filter(code=code).first()
        if center is None:
            raise NotFound(_("No such service center."))
        return center
    own = center_of(user)
    if own is None:
        raise Forbidden(_("Your account belongs to no service center."))
    if code and code != own.code:
        raise NotFound(_("No such service center."))
    return own


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _work_orders(center: ServiceCenter | None) -> QuerySet[WorkOrder]:
    """The work orders of the requests the center owns (every work order: None)."""
    found = WorkOrder.objects.all()
    return found.filter(ticket__center=center) if center is not None else found


def _arrivals() -> Coalesce:
    """How many times a technician arrived for the job (its visits that were reached)."""
    counted = (
        Visit.objects.filter(work_order=OuterRef("pk"), arrived_at__isnull=False)
        .order_by()
        .values("work_order")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# A job handed over repaired at the first try: no failed QC and, on site, a single arrival.
COMPLETED = Q(outcome=Outcome.REPAIRED)
FIRST_TIME = COMPLETED & Q(qc_fail_count=0) & (~Q(mode="on_site") | Q(arrivals__lte=1))
TURNAROUND = ExpressionWrapper(
    F("handed_over_at") - F("ticket__created_at"), output_field=DurationField()
)


# What the KPIs, their trends and each technician count of the jobs handed over: those repaired,
# those repaired at the first try, and the ratings given at the hand-over (how many, their sum).
HAND_OVER_FIGURES = {
    "completed": Count("pk", filter=COMPLETED),
    "first_time": Count("pk", filter=FIRST_TIME),
    "ratings": Count("rating"),
    "rating_total": Sum("rating"),
}


def _hand_overs(found: QuerySet[WorkOrder], period: Period) -> QuerySet[WorkOrder]:
    return found.filter(_in("handed_over_at", period)).alias(arrivals=_arrivals())


def _surveys(period: Period) -> QuerySet[FollowUp]:
    """The satisfaction surveys answered with a score in the period (by phone or the portal)."""
    return FollowUp.objects.filter(
        _in("done_at", period), kind=FollowUp.Kind.SATISFACTION_SURVEY, score__isnull=False
    )


def _first_resolve() -> Subquery:
    ticket_type = ContentType.objects.get_for_model(Ticket)
    first = (
        Event.objects.filter(content_type=ticket_type, object_id=OuterRef("pk"), action="resolve")
        .order_by("at")
        .values("at")[:1]
    )
    return Subquery(first)


LIVE = ~Q(status="cancelled")
COMPLAINT = Q(kind="complaint")
RESPONDED_IN_TIME = Q(responded_at__lte=F("respond_by"))


def _responding(now: datetime) -> Q:
    """The requests whose response is counted: not cancelled, with a response deadline, and
    responded to or past the deadline `now`."""
    return (
        LIVE & Q(respond_by__isnull=False) & (Q(responded_at__isnull=False) | Q(respond_by__lt=now))
    )


def _tickets(period: Period, where: ServiceCenter | None) -> QuerySet[Ticket]:
    """The requests created in the period (of the center: its own)."""
    tickets = Ticket.objects.filter(_in("created_at", period))
    return tickets.filter(center=where) if where is not None else tickets


def _scored_surveys(period: Period, where: ServiceCenter | None) -> QuerySet[FollowUp]:
    surveys = _surveys(period)
    return surveys.filter(ticket__center=where) if where is not None else surveys


def kpis(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """CONTRACT.md "Reports", `GET /reports/kpis`: six aggregate statements whatever the rows."""
    period = report_period(first, last)
    where = report_center(user, center)
    now = timezone.now()
    tickets = _tickets(period, where)
    responding = _responding(now)
    resolving = (
        LIVE
        & Q(resolve_by__isnull=False)
        & (Q(first_resolve__isnull=False) | Q(resolve_by__lt=now))
    )
    asked = tickets.alias(first_resolve=_first_resolve()).aggregate(
        created=Count("pk"),
        complaints=Count("pk", filter=COMPLAINT),
        responding=Count("pk", filter=responding),
        responded=Count("pk", filter=responding & RESPONDED_IN_TIME),
        resolving=Count("pk", filter=resolving),
        resolved=Count("pk", filter=resolving & Q(first_resolve__lte=F("resolve_by"))),
    )
    by_channel: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for row in tickets.order_by().values("channel", "kind").annotate(n=Count("pk")):
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["n"]
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]

    jobs = _work_orders(where)
    handed = _hand_overs(jobs, period).aggregate(
        **HAND_OVER_FIGURES,
        turnaround=Avg(TURNAROUND, filter=COMPLETED),
        paid=Sum("paid"),
    )
    opened = jobs.filter(_in("created_at", period)).aggregate(
        created=Count("pk"), repeats=Count("pk", filter=Q(repeat_repair=True))
    )
    scores = _scored_surveys(period, where).aggregate(n=Count("pk"), total=Sum("score"))
    waivers = Event.objects.filter(
        _in("at", period),
        content_type=ContentType.objects.get_for_model(WorkOrder),
        action="waive",
    )
    if where is not None:
        waivers = waivers.filter(object_id__in=jobs.values("pk"))
    waived = waivers.aggregate(total=Sum(Cast(KT("data__amount"), MONEY)))

    csat_count = handed["ratings"] + scores["n"]
    return {
        "from": period.first,
        "to": period.last,
        "center": where.code if where is not None else None,
        "tickets_created": asked["created"],
        "by_channel": dict(sorted(by_channel.items())),
        "by_kind": dict(sorted(by_kind.items())),
        "response_sla_met_rate": rules.rate(asked["responded"], asked["responding"]),
        "resolution_sla_met_rate": rules.rate(asked["resolved"], asked["resolving"]),
        "work_orders_completed": handed["completed"],
        "first_time_fix_rate": rules.rate(handed["first_time"], handed["completed"]),
        "repeat_repair_rate_90d": rules.rate(opened["repeats"], opened["created"]),
        "avg_turnaround_hours": rules.hours(handed["turnaround"]),
        "csat_avg": rules.mean(
            (handed["rating_total"] or 0) + (scores["total"] or 0), csat_count, 2
        ),
        "csat_count": csat_count,
        "complaint_rate": rules.rate(asked["complaints"], asked["created"]),
        "fees_collected": rules.money(handed["paid"]),
        "fees_waived": rules.money(waived["total"]),
    }


@dataclass
class Trends:
    """The dashboard's series over a period (CONTRACT.md "Reports" definitions, point by point):
    one value per point of `points` (a day, or a week of a long period); a share or a mean is
    None where its population is empty."""

    points: list[Bucket]
    created_by_channel: dict[str, list[int]] = field(default_factory=dict)
    created_by_kind: dict[str, list[int]] = field(default_factory=dict)
    response_sla_met: list[tuple[int, int]] = field(default_factory=list)  # (met, counted)
    first_time_fix: list[tuple[int, int]] = field(default_factory=list)  # (first time, completed)
    csat: list[tuple[int, int]] = field(default_factory=list)  # (sum of scores, scores)
    complaints: list[int] = field(default_factory=list)
    repeat_repairs: list[tuple[int, int]] = field(default_factory=list)  # (repeats, opened)
    fees_collected: list[Decimal] = field(default_factory=list)

    def rates(self, pairs: list[tuple[int, int]]) -> list[float | None]:
        return [rules.rate(part, whole) for part, whole in pairs]

    def means(self, pairs: list[tuple[int, int]]) -> list[float | None]:
        return [rules.mean(total, count, 2) for total, count in pairs]


def _local_day(name: str) -> TruncDate:
    """The local date (business time zone) of the moment `name`, computed by the database."""
    return TruncDate(name, tzinfo=ZoneInfo(settings.TIME_ZONE))


def trends(user: User, *, first: date | None, last: date | None, center: str | None) -> Trends:
    """The KPIs of `kpis` point by point (by day, by week for a long period): requests by
    channel and kind, complaints and the response SLA by the day each request was created;
    first-time fixes, fees and hand-over ratings by the day of the hand-over; repeat repairs by
    the day the job was opened; survey scores by the day answered. Four aggregate statements
    grouped by local day, whatever the rows; days fold into weeks here."""
    period = report_period(first, last)
    where = report_center(user, center)
    responding = _responding(timezone.now())
    points = rules.buckets(period.first, period.last)
    index = rules.day_index(points)
    found = Trends(points=points)
    size = len(points)
    met, completed, scores, repeats = ([[0, 0] for _ in points] for _ in range(4))
    complaints = [0] * size
    fees = [Decimal(0)] * size
    asked = (
        _tickets(period, where)
        .annotate(day=_local_day("created_at"))
        .order_by()
        .values("day", "channel", "kind")
        .annotate(
            created=Count("pk"),
            complaints=Count("pk", filter=COMPLAINT),
            responding=Count("pk", filter=responding),
            responded=Count("pk", filter=responding & RESPONDED_IN_TIME),
        )
    )
    for row in asked:
        n = index[row["day"]]
        found.created_by_channel.setdefault(row["channel"], [0] * size)[n] += row["created"]
        found.created_by_kind.setdefault(row["kind"], [0] * size)[n] += row["created"]
        complaints[n] += row["complaints"]
        met[n][0] += row["responded"]
        met[n][1] += row["responding"]
    handed = (
        _hand_overs(_work_orders(where), period)
        .annotate(day=_local_day("handed_over_at"))
        .order_by()
        .values("day")
        .annotate(**HAND_OVER_FIGURES, paid=Sum("paid"))
    )
    for row in handed:
        n = index[row["day"]]
        completed[n][0] += row["first_time"]
        completed[n][1] += row["completed"]
        scores[n][0] += row["rating_total"] or 0
        scores[n][1] += row["ratings"]
        fees[n] += row["paid"] or 0
    opened = (
        _work_orders(where)
        .filter(_in("created_at", period))
        .annotate(day=_local_day("created_at"))
        .order_by()
        .values("day")
        .annotate(created=Count("pk"), repeated=Count("pk", filter=Q(repeat_repair=True)))
    )
    for row in opened:
        n = index[row["day"]]
        repeats[n][0] += row["repeated"]
        repeats[n][1] += row["created"]
    answered = (
        _scored_surveys(period, where)
        .annotate(day=_local_day("done_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"), total=Sum("score"))
    )
    for row in answered:
        n = index[row["day"]]
        scores[n][0] += row["total"] or 0
        scores[n][1] += row["n"]
    found.created_by_channel = dict(sorted(found.created_by_channel.items()))
    found.created_by_kind = dict(sorted(found.created_by_kind.items()))
    found.repeat_repairs = [(a, b) for a, b in repeats]
    found.fees_collected = fees
    found.response_sla_met = [(a, b) for a, b in met]
    found.first_time_fix = [(a, b) for a, b in completed]
    found.csat = [(a, b) for a, b in scores]
    found.complaints = complaints
    return found


def dashboard(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """The dashboard's figures: the KPIs of the period and of the period of the same length just
    before it, and the period's trends."""
    period = report_period(first, last)
    before_first, before_last = rules.previous_period(period.first, period.last)
    return {
        "current": kpis(user, first=period.first, last=period.last, center=center),
        "previous": kpis(user, first=before_first, last=before_last, center=center),
        "trends": trends(user, first=period.first, last=period.last, center=center),
    }


def month_against_last(user: User) -> dict[str, Any]:
    """The KPIs of this month so far and of the same stretch of last month (`rules.month_so_far`)
    of the caller's center (every center: a role that reads them all), as `kpis` reads them:
    what a manager's home shows. Refused as `kpis` refuses (a role that reads no report, a
    branch manager of no center)."""
    today = timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))
    first, last, before_first, before_last = rules.month_so_far(today)
    return {
        "current": kpis(user, first=first, last=last, center=None),
        "previous": kpis(user, first=before_first, last=before_last, center=None),
    }


def technicians(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> list[dict[str, Any]]:
    """CONTRACT.md "Reports", `GET /reports/technicians`: one row per technician whose home
    center it is (every technician: no center), by username; each column one grouped
    statement over the period's rows."""
    period = report_period(first, last)
    where = report_center(user, center)
    people = User.objects.filter(groups__name=TECHNICIAN).order_by("username").distinct()
    if where is not None:
        people = people.filter(staff_profile__center=where)
    staff = list(people.values("pk", "username", "first_name", "last_name"))
    ids = [p["pk"] for p in staff]

    handed = {
        row["technician"]: row
        for row in _hand_overs(WorkOrder.objects.filter(technician__in=ids), period)
        .order_by()
        .values("technician")
        .annotate(**HAND_OVER_FIGURES)
    }
    repeats = dict(
        WorkOrder.objects.filter(_in("created_at", period), repeat_of__technician__in=ids)
        .order_by()
        .values_list("repeat_of__technician")
        .annotate(n=Count("pk"))
    )
    scores = {
        row["work_order__technician"]: row
        for row in _surveys(period)
        .filter(work_order__technician__in=ids)
        .order_by()
        .values("work_order__technician")
        .annotate(n=Count("pk"), total=Sum("score"))
    }
    arrivals = {
        row["technician"]: row
        for row in Visit.objects.filter(_in("arrived_at", period), technician__in=ids)
        .order_by()
        .values("technician")
        .annotate(
            n=Count("pk"),
            on_time=Count(
                "pk", filter=Q(window_end__isnull=False, arrived_at__lte=F("window_end"))
            ),
        )
    }
    job_technician = WorkOrder.objects.filter(pk=OuterRef("object_id")).values("technician")[:1]
    reschedules = dict(
        Event.objects.filter(
            _in("at", period),
            content_type=ContentType.objects.get_for_model(WorkOrder),
            action="schedule",
            data__has_key="previous",
        )
        .annotate(technician=Subquery(job_technician))
        .filter(technician__in=ids)
        .order_by()
        .values_list("technician")
        .annotate(n=Count("pk"))
    )

    items = []
    for person in staff:
        pk = person["pk"]
        done = handed.get(pk, {})
        survey = scores.get(pk, {})
        visits = arrivals.get(pk, {})
        score_count = done.get("ratings", 0) + survey.get("n", 0)
        items.append(
            {
                "technician": person["username"],
                "name": display_name(User(**person)),
                "work_orders_completed": done.get("completed", 0),
                "first_time_fix_rate": rules.rate(done.get("first_time"), done.get("completed")),
                "repeat_repairs": repeats.get(pk, 0),
                "csat_avg": rules.mean(
                    (done.get("rating_total") or 0) + (survey.get("total") or 0), score_count, 2
                ),
                "on_time_arrival_rate": rules.rate(visits.get("on_time"), visits.get("n")),
                "reschedules": reschedules.get(pk, 0),
            }
        )
    return items


def faults(
    user: User,
    *,
    first: date | None,
    last: date | None,
    model: str | None,
    category: str | None,
) -> list[dict[str, Any]]:
    """CONTRACT.md "Reports", `GET /reports/faults`: the work orders whose last diagnosis falls
    in the period, counted by model, fault code (their last diagnosis's) and each part used on
    the job (`None`: none), once per work order and part, most frequent first; one statement."""
    period = report_period(first, last)
    where = report_center(user, None)
    job_type = ContentType.objects.get_for_model(WorkOrder)
    diagnoses = Event.objects.filter(content_type=job_type, action="diagnose")
    jobs = (
        _work_orders(where)
        .filter(pk__in=diagnoses.filter(_in("at", period)).values("object_id"))
        .exclude(pk__in=diagnoses.filter(at__gte=period.end).values("object_id"))
    )
    if model:
        jobs = jobs.filter(unit__model__code=model)
    if category:
        jobs = jobs.filter(unit__model__category__code=category)
    registered = (
        Unit.objects.filter(model=OuterRef("unit__model"))
        .order_by()
        .values("model")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        jobs.annotate(used=FilteredRelation("parts", condition=Q(parts__state="used")))
        .order_by()
        .values("unit__model__code", "fault_code", "used__code")
        .annotate(
            count=Count("pk", distinct=True),
            units=Coalesce(Subquery(registered, output_field=IntegerField()), 0),
        )
    )
    items = [
        {
            "model": row["unit__model__code"],
            "part": row["used__code"],
            "fault_code": row["fault_code"] or None,
            "count": row["count"],
            "units_registered": row["units"],
            "rate": rules.rate(row["count"], row["units"]),
        }
        for row in rows
    ]
    items.sort(
        key=lambda i: (-i["count"], i["model"] or "", i["fault_code"] or "", i["part"] or "")
    )
    return items
