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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.complaints import selectors as complaint_selectors
from aftersales.core import pagination
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


# How a request's first `resolve` kept its deadline (`_first_resolve_kept`).
RESOLVED_BY_DEADLINE, RESOLVED_LATE_OR_NO_DEADLINE, NEVER_RESOLVED = 1, 0, -1


def _first_resolve_kept() -> Coalesce:
    """Whether the request's first `resolve` came by its deadline (`RESOLVED_BY_DEADLINE`),
    after it or with none (`RESOLVED_LATE_OR_NO_DEADLINE`), or never (`NEVER_RESOLVED`): the
    KPIs group by it, so the database looks the timeline up once a request — a subquery named
    in each count's filter is run once per filter."""
    ticket_type = ContentType.objects.get_for_model(Ticket)
    kept = Case(
        When(at__lte=OuterRef("resolve_by"), then=Value(RESOLVED_BY_DEADLINE)),
        default=Value(RESOLVED_LATE_OR_NO_DEADLINE),
    )
    first = (
        Event.objects.filter(content_type=ticket_type, object_id=OuterRef("pk"), action="resolve")
        .order_by("at")
        .annotate(kept=kept)
        .values("kept")[:1]
    )
    return Coalesce(Subquery(first, output_field=IntegerField()), Value(NEVER_RESOLVED))


LIVE = ~Q(status="cancelled")
COMPLAINT = Q(kind="complaint")
RESPONDED_IN_TIME = Q(responded_at__lte=F("respond_by"))


def _responding(now: datetime) -> Q:
    """The requests whose response is counted: not cancelled, with a response deadline, and
    responded to or past the deadline `now`."""
    return (
        LIVE & Q(respond_by__isnull=False) & (Q(responded_at__isnull=False) | Q(respond_by__lt=now))
    )


def _resolving(now: datetime) -> Q:
    """The requests whose resolution is counted: not cancelled, with a resolution deadline, and
    resolved (their first `resolve`) or past the deadline `now`."""
    return (
        LIVE
        & Q(resolve_by__isnull=False)
        & (Q(first_resolve__isnull=False) | Q(resolve_by__lt=now))
    )


def _tickets(period: Period, where: ServiceCenter | None) -> QuerySet[Ticket]:
    """The requests created in the period (of the center: its own)."""
    tickets = Ticket.objects.filter(_in("created_at", period))
    return tickets.filter(center=where) if where is not None else tickets


def _scored_surveys(period: Period, where: ServiceCenter | None) -> QuerySet[FollowUp]:
    surveys = _surveys(period)
    return surveys.filter(ticket__center=where) if where is not None else surveys


@dataclass
class Tally:
    """What the KPIs of a center, a day or a period are made of — the counts and sums before
    the shares and means —, so that tallies add up (the centers' to every center's, the days'
    to the period's) and one `kpis()` turns any of them into the figures."""

    created: int = 0
    complaints: int = 0
    responding: int = 0
    responded: int = 0
    resolving: int = 0
    resolved: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    first_time: int = 0
    ratings: int = 0
    rating_total: int = 0
    turnaround: timedelta = timedelta(0)  # summed over the jobs completed
    paid: Decimal = Decimal(0)
    opened: int = 0
    repeats: int = 0
    surveys: int = 0
    survey_total: int = 0
    waived: Decimal = Decimal(0)

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if isinstance(value, dict):
                mine = getattr(self, name)
                for code, n in value.items():
                    mine[code] = mine.get(code, 0) + n
            else:
                setattr(self, name, getattr(self, name) + value)

    def kpis(self) -> dict[str, Any]:
        """The figures as `kpis` answers them (without the period and the center)."""
        scores = self.ratings + self.surveys
        turnaround = self.turnaround / self.completed if self.completed else None
        return {
            "tickets_created": self.created,
            "by_channel": dict(sorted(self.by_channel.items())),
            "by_kind": dict(sorted(self.by_kind.items())),
            "response_sla_met_rate": rules.rate(self.responded, self.responding),
            "resolution_sla_met_rate": rules.rate(self.resolved, self.resolving),
            "work_orders_completed": self.completed,
            "first_time_fix_rate": rules.rate(self.first_time, self.completed),
            "repeat_repair_rate_90d": rules.rate(self.repeats, self.opened),
            "avg_turnaround_hours": rules.hours(turnaround),
            "csat_avg": rules.mean(self.rating_total + self.survey_total, scores, 2),
            "csat_count": scores,
            "complaint_rate": rules.rate(self.complaints, self.created),
            "fees_collected": rules.money(self.paid),
            "fees_waived": rules.money(self.waived),
        }


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def _local_day(name: str, period: Period) -> Func:
    """The local date (business time zone) of the moment `name`, computed by the database. On
    SQLite `TruncDate` with a zone calls Python for every row; when the zone keeps one UTC
    offset through the period (Asia/Shanghai always does) SQLite's own `date()` shifted by that
    offset is the same day, with no Python call per row (decision 84)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if connection.vendor == "sqlite":
        days = (period.last - period.first).days + 2
        midnights = (
            datetime.combine(period.first + timedelta(days=n), time.min) for n in range(days)
        )
        offsets = {tz.utcoffset(midnight) for midnight in midnights}
        offset = offsets.pop() if len(offsets) == 1 else None
        if offset is not None:
            shift = Value(f"{int(offset.total_seconds()):+d} seconds")
            return Func(F(name), shift, function="date", output_field=DateField())
    return TruncDate(name, tzinfo=tz)


def _tallies(
    period: Period, where: ServiceCenter | None, *, by: str, now: datetime
) -> dict[Any, Tally]:
    """The tallies of the period (of the center's requests and their jobs; None: every center)
    grouped `by` "center" — the center that owns the request (None: no center) — or by "day",
    each row on the local day of its own moment: a request its creation, a job its hand-over
    (or its opening, for repeat repairs), a survey its answer, a waiver its event. One grouped
    statement per source: the requests, the hand-overs, the jobs opened, the surveys answered,
    the waivers."""
    tallies: dict[Any, Tally] = {}

    def group(found: QuerySet[Any], center: str, moment: str) -> QuerySet[Any]:
        key = F(center) if by == "center" else _local_day(moment, period)
        return found.annotate(key=key).order_by().values("key")

    def of(row: dict[str, Any]) -> Tally:
        return tallies.setdefault(row["key"], Tally())

    responding = _responding(now)
    due = LIVE & Q(resolve_by__isnull=False)
    asked = (
        group(_tickets(period, where), "center", "created_at")
        .values("key", "channel", "kind", resolution=_first_resolve_kept())
        .annotate(
            created=Count("pk"),
            complaints=Count("pk", filter=COMPLAINT),
            responding=Count("pk", filter=responding),
            responded=Count("pk", filter=responding & RESPONDED_IN_TIME),
            due=Count("pk", filter=due),
            overdue=Count("pk", filter=due & Q(resolve_by__lt=now)),
        )
    )
    for row in asked:
        tally = of(row)
        for name in ("created", "complaints", "responding", "responded"):
            setattr(tally, name, getattr(tally, name) + row[name])
        # counted (`_resolving`): resolved, or never and past the deadline; met: resolved by it.
        resolved = row["resolution"] != NEVER_RESOLVED
        tally.resolving += row["due"] if resolved else row["overdue"]
        tally.resolved += row["due"] if row["resolution"] == RESOLVED_BY_DEADLINE else 0
        tally.by_channel[row["channel"]] = tally.by_channel.get(row["channel"], 0) + row["created"]
        tally.by_kind[row["kind"]] = tally.by_kind.get(row["kind"], 0) + row["created"]
    jobs = _work_orders(where)
    handed = group(_hand_overs(jobs, period), "ticket__center", "handed_over_at").annotate(
        **HAND_OVER_FIGURES, turnaround=Sum(TURNAROUND, filter=COMPLETED), paid=Sum("paid")
    )
    for row in handed:
        tally = of(row)
        tally.completed, tally.first_time = row["completed"], row["first_time"]
        tally.ratings, tally.rating_total = row["ratings"], row["rating_total"] or 0
        tally.turnaround = row["turnaround"] or timedelta(0)
        tally.paid = row["paid"] or Decimal(0)
    opened = group(jobs.filter(_in("created_at", period)), "ticket__center", "created_at").annotate(
        created=Count("pk"), repeated=Count("pk", filter=Q(repeat_repair=True))
    )
    for row in opened:
        tally = of(row)
        tally.opened, tally.repeats = row["created"], row["repeated"]
    answered = group(_scored_surveys(period, where), "ticket__center", "done_at").annotate(
        n=Count("pk"), total=Sum("score")
    )
    for row in answered:
        tally = of(row)
        tally.surveys, tally.survey_total = row["n"], row["total"] or 0
    waivers = Event.objects.filter(
        _in("at", period), content_type=ContentType.objects.get_for_model(WorkOrder), action="waive"
    )
    job_center = WorkOrder.objects.filter(pk=OuterRef("object_id")).values("ticket__center")[:1]
    waivers = waivers.alias(center=Subquery(job_center))
    if where is not None:  # each waiver's own job's center (not `IN` every job of the center)
        waivers = waivers.filter(center=where.pk)
    waived = group(waivers, "center", "at").annotate(total=Sum(Cast(KT("data__amount"), MONEY)))
    for row in waived:
        of(row).waived = row["total"] or Decimal(0)
    return tallies


def kpis(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """CONTRACT.md "Reports", `GET /reports/kpis`: five grouped statements whatever the rows."""
    period = report_period(first, last)
    where = report_center(user, center)
    tallies = _tallies(period, where, by="center", now=timezone.now())
    return {
        "from": period.first,
        "to": period.last,
        "center": where.code if where is not None else None,
        **_sum(tallies.values()).kpis(),
    }


# The complements of the SLA figures, written out: a deadline missed is answered (resolved)
# after it, or not at all (the population's own condition says the deadline has passed).
RESPONDED_LATE = Q(responded_at__isnull=True) | Q(responded_at__gt=F("respond_by"))
RESOLVED_LATE = Q(first_resolve__isnull=True) | Q(first_resolve__gt=F("resolve_by"))
NOT_FIRST_TIME = COMPLETED & (Q(qc_fail_count__gt=0) | Q(mode="on_site", arrivals__gt=1))


@dataclass
class FigureList:
    """The rows behind one KPI of a period and a center (`rules.FIGURE_SUBJECTS`): at most
    `rules.FIGURE_LIST_ROWS` of them, and how many there are in all."""

    key: str
    subject: str  # requests, jobs or scores
    period: Period
    center: ServiceCenter | None
    rows: list[Any]
    total: int
    # What the rows are read from: the requests or the work orders; for the low scores, the
    # jobs rated at their hand-over and the surveys answered.
    sources: tuple[QuerySet[Any], ...] = ()

    def every_row(self) -> Iterator[Any]:
        """Every row of the figure, not only the first `rules.FIGURE_LIST_ROWS` (its export), a
        batch at a time (`core.pagination.every`: newest first by id, as the lists' exports);
        the low scores: the hand-over ratings, then the surveys' answers."""
        if self.subject != "scores":
            yield from pagination.every(self.sources[0])
            return
        rated, answered = self.sources
        yield from map(_rated_row, pagination.every(rated))
        yield from map(_answered_row, pagination.every(answered))


def _request_rows(key: str, period: Period, where: ServiceCenter | None) -> QuerySet[Ticket]:
    tickets = _tickets(period, where).select_related("center").order_by("-created_at", "-pk")
    now = timezone.now()
    if key == "response_sla_met_rate":
        return tickets.filter(_responding(now) & RESPONDED_LATE)
    if key == "resolution_sla_met_rate":
        resolving = tickets.alias(first_resolve=_first_resolve())
        return resolving.filter(_resolving(now) & RESOLVED_LATE)
    if key == "complaint_rate":
        return tickets.filter(COMPLAINT)
    return tickets


def _job_rows(key: str, period: Period, where: ServiceCenter | None) -> QuerySet[WorkOrder]:
    jobs = _work_orders(where).select_related("ticket", "technician")
    if key == "repeat_repair_rate_90d":
        opened = jobs.filter(_in("created_at", period), repeat_repair=True)
        return opened.order_by("-created_at", "-pk")
    if key == "fees_waived":
        waivers = Event.objects.filter(
            _in("at", period),
            content_type=ContentType.objects.get_for_model(WorkOrder),
            action="waive",
        )
        return jobs.filter(pk__in=waivers.values("object_id")).order_by("-pk")
    handed = _hand_overs(jobs, period).annotate(turnaround=TURNAROUND)
    if key == "first_time_fix_rate":
        return handed.filter(NOT_FIRST_TIME).order_by("-handed_over_at", "-pk")
    if key == "fees_collected":
        return handed.filter(paid__gt=0).order_by("-handed_over_at", "-pk")
    completed = handed.filter(COMPLETED)
    if key == "avg_turnaround_hours":
        return completed.order_by("-turnaround", "-pk")
    return completed.order_by("-handed_over_at", "-pk")


def _low_score_sources(
    period: Period, where: ServiceCenter | None
) -> tuple[QuerySet[WorkOrder], QuerySet[FollowUp]]:
    """The low scores of the period (`rules.LOW_SCORE` or lower), newest first: the ratings
    given at a hand-over and the surveys' answers — the two sources of `csat_avg`."""
    rated = (
        _hand_overs(_work_orders(where), period)
        .filter(rating__lte=rules.LOW_SCORE)
        .select_related("ticket")
        .order_by("-handed_over_at", "-pk")
    )
    answered = (
        _scored_surveys(period, where)
        .filter(score__lte=rules.LOW_SCORE)
        .select_related("ticket", "work_order")
        .order_by("-done_at", "-pk")
    )
    return rated, answered


def _rated_row(job: WorkOrder) -> dict[str, Any]:
    return {
        "at": job.handed_over_at,
        "score": job.rating,
        "source": "hand_over",
        "ticket": job.ticket,
        "job": job,
    }


def _answered_row(survey: FollowUp) -> dict[str, Any]:
    return {
        "at": survey.done_at,
        "score": survey.score,
        "source": "survey",
        "ticket": survey.ticket,
        "job": survey.work_order,
    }


def _low_scores(
    rated: QuerySet[WorkOrder], answered: QuerySet[FollowUp]
) -> tuple[list[dict[str, Any]], int]:
    """The newest low scores of both sources together, and how many there are."""
    most = rules.FIGURE_LIST_ROWS
    rows = [_rated_row(job) for job in rated[:most]]
    rows += [_answered_row(survey) for survey in answered[:most]]
    rows.sort(key=lambda row: cast(datetime, row["at"]), reverse=True)
    return rows[:most], rated.count() + answered.count()


def figure_list(
    user: User, key: str, *, first: date | None, last: date | None, center: str | None
) -> FigureList:
    """The rows behind the KPI `key` (decision 85): the requests or work orders it counts — or,
    for a rate, those it misses —, or the low scores of `csat_avg`; read with the figure's own
    conditions, so their number is the figure's (for a rate: its population less its part).
    Scoped and refused as `kpis` is; an unknown figure is not found."""
    subject = rules.FIGURE_SUBJECTS.get(key)
    if subject is None:
        raise NotFound(_("No such figure."))
    period = report_period(first, last)
    where = report_center(user, center)
    rows: list[Any]
    sources: tuple[QuerySet[Any], ...]
    if subject == "scores":
        sources = _low_score_sources(period, where)
        rows, total = _low_scores(*sources)
    else:
        found = (_request_rows if subject == "requests" else _job_rows)(key, period, where)
        sources = (found,)
        rows, total = list(found[: rules.FIGURE_LIST_ROWS]), found.count()
    return FigureList(
        key=key,
        subject=subject,
        period=period,
        center=where,
        rows=rows,
        total=total,
        sources=sources,
    )


@dataclass
class Trends:
    """The dashboard's series over a period (CONTRACT.md "Reports" definitions, point by point):
    a tally per point of `points` (a day, or a week of a long period), whose `kpis()` are the
    point's figures — a share or a mean None where its population is empty."""

    points: list[Bucket]
    tallies: list[Tally]
    center: str | None = None  # the center's code (None: every center)

    @cached_property
    def figures(self) -> list[dict[str, Any]]:
        """Each point's KPIs, worked out once for every series drawn from them."""
        return [tally.kpis() for tally in self.tallies]

    def series(self, kpi: str) -> list[Any]:
        """One KPI (a key of `kpis`), point by point."""
        return [figures[kpi] for figures in self.figures]

    def counted(self, name: str) -> list[int]:
        """One count of the tallies (`complaints`…), point by point."""
        return [getattr(tally, name) for tally in self.tallies]

    def by(self, name: str) -> dict[str, list[int]]:
        """Requests created by channel or by kind (`by_channel`, `by_kind`), point by point, for
        the codes present, in code order."""
        codes = sorted({code for tally in self.tallies for code in getattr(tally, name)})
        return {code: [getattr(t, name).get(code, 0) for t in self.tallies] for code in codes}


def trends(user: User, *, first: date | None, last: date | None, center: str | None) -> Trends:
    """The KPIs of `kpis` point by point (by day, by week for a long period): each row on the
    local day of its own moment (`_tallies` by day), days folded into the weeks here; summed
    over the points they are the period's KPIs."""
    period = report_period(first, last)
    where = report_center(user, center)
    points = rules.buckets(period.first, period.last)
    index = rules.day_index(points)
    per_point = [Tally() for _ in points]
    for day, tally in _tallies(period, where, by="day", now=timezone.now()).items():
        per_point[index[day]].add(tally)
    return Trends(points=points, tallies=per_point, center=where.code if where else None)


def dashboard(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """The dashboard's figures: the KPIs of the period and of the period of the same length just
    before it, and the period's trends — whose points add up to the period's KPIs, so those are
    not read twice."""
    period = report_period(first, last)
    before_first, before_last = rules.previous_period(period.first, period.last)
    found = trends(user, first=period.first, last=period.last, center=center)
    current = {"from": period.first, "to": period.last, "center": found.center}
    return {
        "current": current | _sum(found.tallies).kpis(),
        "previous": kpis(user, first=before_first, last=before_last, center=center),
        "trends": found,
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


def comparing_centers(user: User) -> None:
    """Refuse (403) a caller who may not compare the centers: only the roles that read every
    center's reports do; a branch manager reads its own center's."""
    role = role_of(user)
    if not rules.may_read(role):
        raise Forbidden(_("Your role may not read reports."))
    if not rules.sees_every_center(role):
        raise Forbidden(_("Only those who read every center's reports compare the centers."))


def centers_compared(user: User, *, first: date | None, last: date | None) -> dict[str, Any]:
    """The KPIs of every center side by side for a period, each as `kpis` answers it for that
    center, and of every center together (`kpis` without a center): the active centers and any
    other with figures in the period, by code, then the requests of no center (`center` None)
    when there are any. Six statements however many centers (grouped by center, never `kpis`
    once per center); refused as `comparing_centers` refuses."""
    comparing_centers(user)
    period = report_period(first, last)
    tallies = _tallies(period, None, by="center", now=timezone.now())
    shown = ServiceCenter.objects.filter(
        Q(active=True) | Q(pk__in=[pk for pk in tallies if pk is not None])
    ).order_by("code")
    rows = [{"center": c.code, "name": c.name, **tallies.get(c.pk, Tally()).kpis()} for c in shown]
    if None in tallies:
        rows.append({"center": None, "name": None, **tallies[None].kpis()})
    every = _sum(tallies.values())
    return {
        "from": period.first,
        "to": period.last,
        "centers": rows,
        "all": {"center": None, "name": None, **every.kpis()},
    }


def scorecards(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """The technicians' page: `technicians` with the period as read (its defaults too) and the
    center (its code; None: every center), scoped and refused as `technicians` is."""
    period = report_period(first, last)
    where = report_center(user, center)
    code = where.code if where is not None else None
    return {
        "from": period.first,
        "to": period.last,
        "center": code,
        "items": technicians(user, first=period.first, last=period.last, center=code),
    }


def complaint_causes(
    user: User, *, first: date | None, last: date | None, center: str | None
) -> dict[str, Any]:
    """`GET /reports/complaints` (docs/api.md "Reports"): the lessons of the complaints resolved
    in the period, by root cause × responsibility, with their corrective actions open, overdue
    (today in the business time zone) and done — scoped and refused as the other reports."""
    period = report_period(first, last)
    where = report_center(user, center)
    today = timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))
    return {
        "from": period.first,
        "to": period.last,
        "center": where.code if where is not None else None,
        **complaint_selectors.complaint_causes(
            start=period.start,
            end=period.end,
            center_id=where.pk if where is not None else None,
            today=today,
        ),
    }
