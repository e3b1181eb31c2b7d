"""Reads of the shell: what the search box finds, a customer's service history, and each role's
workbench — all through the callers' scoped selectors of the apps below."""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from aftersales.catalog.selectors import unit_search, units_of
from aftersales.complaints.selectors import ListedComplaint, complaint_list
from aftersales.core.db import starts_with
from aftersales.core.errors import DomainError
from aftersales.core.roles import ARCHIVE, DISPATCHER, FRONT_DESK, HOTLINE, TECH_CENTER, role_of
from aftersales.core.rules import local_day_bounds
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_search, customers_by_phone
from aftersales.followups.selectors import (
    callback_queue,
    reconciliation,
    verification_mismatches,
)
from aftersales.knowledge.models import EscalationCase
from aftersales.knowledge.selectors import escalations_for
from aftersales.reports.selectors import faults, month_against_last
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket
from aftersales.tickets.selectors import Overdue, overdue, tickets_for
from aftersales.workorders import rules as work_order_rules
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.selectors import unassigned_for, work_orders_for

# A request's or a job's number as it is being typed: its prefix and at least two more
# characters (SR26…, WO2611…), in any case, spaces ignored.
NUMBER_PREFIX = re.compile(r"(SR|WO)\d{2,}")


def _number(query: str) -> str:
    text = re.sub(r"\s+", "", query).upper()
    return text if NUMBER_PREFIX.fullmatch(text) else ""


def global_search(user: User, query: str, limit: int = 8) -> dict[str, list[Any]]:
    """What the search box finds: a request or a work order by its number (the whole number or
    its beginning, in any case; only those the caller may see), customers by name or phone (any
    spelling), units by serial."""
    empty: dict[str, list[Any]] = {"requests": [], "work_orders": [], "customers": [], "units": []}
    query = query.strip()
    if not query:
        return empty
    number = _number(query)
    if number.startswith("SR"):
        found = tickets_for(user).filter(starts_with("number", number))
        return {**empty, "requests": list(found.order_by("-number")[:limit])}
    if number.startswith("WO"):
        jobs = work_orders_for(user).filter(starts_with("number", number))
        return {**empty, "work_orders": list(jobs.order_by("-number")[:limit])}
    customers = list(customers_by_phone(query)) or list(
        customer_search(query).order_by("name")[:limit]
    )
    units = list(unit_search(query).order_by("serial")[:limit])
    return {**empty, "customers": customers, "units": units}


def exact_number_hit(results: dict[str, list[Any]], query: str) -> str:
    """The page of the request or job whose whole number was typed ("" when none is)."""
    number = _number(query)
    for ticket in results["requests"]:
        if ticket.number == number:
            return reverse("request_detail", args=[number])
    for job in results["work_orders"]:
        if job.number == number:
            return reverse("workorders:detail", args=[number])
    return ""


def customer_history(user: User, customer: Customer, limit: int = 50) -> list[Ticket]:
    """The customer's requests that `user` may see, newest first, each with its work orders
    (`ticket.work_orders.all()`, oldest first)."""
    jobs = WorkOrder.objects.order_by("id")
    return list(
        tickets_for(user)
        .filter(customer=customer)
        .prefetch_related(Prefetch("work_orders", queryset=jobs))
        .order_by("-created_at", "-id")[:limit]
    )


def units_with_jobs(customer: Customer) -> list[tuple[Any, int]]:
    """The customer's units, each with how many jobs it has had (the unit page lists them)."""
    units = list(units_of(customer))
    counts = dict(
        WorkOrder.objects.filter(unit__in=units)
        .values_list("unit_id")
        .annotate(jobs=Count("id"))
        .values_list("unit_id", "jobs")
    )
    return [(unit, counts.get(unit.pk, 0)) for unit in units]


# --- The workbench: each role's own work -------------------------------------------------------

WORKBENCH_LIMIT = 20
CALLS_AHEAD = timedelta(hours=2)  # as the callbacks page: due now or within two hours


@dataclass(frozen=True)
class Workbench:
    """What a role's home shows of its own work (empty lists: nothing of that kind for them)."""

    calls_due: list[Any] = dataclass_field(default_factory=list)  # FollowUp rows
    my_requests: list[Ticket] = dataclass_field(default_factory=list)
    ready_for_pickup: list[WorkOrder] = dataclass_field(default_factory=list)
    taken_today: list[Ticket] = dataclass_field(default_factory=list)
    unassigned_jobs: list[WorkOrder] = dataclass_field(default_factory=list)
    unassigned_count: int = 0


def _open_requests_of(user: User) -> QuerySet[Ticket]:
    return (
        tickets_for(user)
        .filter(owner=user, status__in=ticket_rules.OPEN_STATUSES)
        .order_by(F("pending_due").asc(nulls_last=True), "id")
    )


def workbench(user: User, now: datetime | None = None) -> Workbench:
    """A hotline agent: the callbacks due to them (or to nobody yet) and the open requests they
    own; a front desk: the units of their center waiting for pickup and the requests taken today;
    a dispatcher: the open jobs nobody holds, oldest first. (A technician's workbench is their
    day, field.views; branch managers and admins keep their alerts, shell.views.)"""
    now = now or timezone.now()
    role = role_of(user)
    if role == HOTLINE:
        return Workbench(
            calls_due=callback_queue(
                user, now=now, ahead=CALLS_AHEAD, limit=WORKBENCH_LIMIT, own=True
            ),
            my_requests=list(_open_requests_of(user)[:WORKBENCH_LIMIT]),
        )
    if role == FRONT_DESK:
        start, end = local_day_bounds(timezone.localdate(now), timezone.get_current_timezone())
        ready = (
            work_orders_for(user)
            .filter(status="ready", mode__in=work_order_rules.PICKUP_MODES)
            .order_by("id")
        )
        today = tickets_for(user).filter(created_at__gte=start, created_at__lt=end)
        return Workbench(
            ready_for_pickup=list(ready[:WORKBENCH_LIMIT]),
            taken_today=list(today.order_by("-created_at", "-id")[:WORKBENCH_LIMIT]),
            my_requests=list(_open_requests_of(user)[:WORKBENCH_LIMIT]),
        )
    if role == DISPATCHER:
        nobodys = unassigned_for(user)
        return Workbench(
            unassigned_jobs=list(nobodys.order_by("created_at", "id")[:WORKBENCH_LIMIT]),
            unassigned_count=nobodys.count(),
        )
    return Workbench()


# --- A manager's home: their center's figures beside their alerts ------------------------------

MISMATCHES_SINCE = timedelta(days=30)
OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class ManagerHome:
    """A branch manager's home (an administrator's: every center's): this month's KPIs and the
    same stretch of last month's (None: the account reads no report, e.g. a manager of no
    center), the requests past a deadline now, the open jobs nobody holds, and what waits for
    them — complaints escalated or with a compensation to approve, verification calls that
    contradict the record."""

    figures: dict[str, Any] | None
    overdue: Overdue
    unassigned_count: int
    complaints: list[ListedComplaint]
    mismatches: list[Any]  # FollowUp rows

    @property
    def approvals(self) -> int:
        return sum(1 for row in self.complaints if row.awaiting_approval)


def manager_home(user: User, now: datetime | None = None) -> ManagerHome:
    """What a branch manager's or an administrator's home shows, each part read through the
    owning app's scoped selector: the same few statements however many rows there are."""
    now = now or timezone.now()
    try:
        figures: dict[str, Any] | None = month_against_last(user)
    except DomainError:
        figures = None
    return ManagerHome(
        figures=figures,
        overdue=overdue(user, limit=OVERDUE_SHOWN),
        unassigned_count=unassigned_for(user).count(),
        complaints=complaint_list(user, view="manager", now=now),
        mismatches=verification_mismatches(user, since=now - MISMATCHES_SINCE),
    )


# --- The homes of the roles that read every center's reports and keep no queue of requests ----

FAULTS_SHOWN = 5
CASES_SHOWN = 5


@dataclass(frozen=True)
class ReaderHome:
    """Finance's, the archive's and the technical center's home: this month's figures against
    the same days of last month (the cards of their trade, reports.presenters.HOME_CARDS) and
    what their own work waits on — the archive: yesterday's jobs rated without a signature and
    no verification call yet; the technical center: the escalated cases still open (the
    oldest first) and this month's most frequent faults."""

    figures: dict[str, Any]
    unverified: list[dict[str, Any]] = dataclass_field(default_factory=list)
    open_cases: list[EscalationCase] = dataclass_field(default_factory=list)
    open_case_count: int = 0
    faults: list[dict[str, Any]] = dataclass_field(default_factory=list)


def reader_home(user: User, now: datetime | None = None) -> ReaderHome:
    """What the home of finance, the archive or the technical center shows: constant statements."""
    now = now or timezone.now()
    role = role_of(user)
    home = ReaderHome(figures=month_against_last(user))
    if role == ARCHIVE:
        yesterday = timezone.localdate(now) - timedelta(days=1)
        rows = reconciliation(user, yesterday)
        return ReaderHome(figures=home.figures, unverified=[r for r in rows if r["call"] is None])
    if role == TECH_CENTER:
        month = home.figures["current"]
        cases = escalations_for(user).filter(status=EscalationCase.Status.OPEN)
        return ReaderHome(
            figures=home.figures,
            open_cases=list(cases.order_by("raised_at", "pk")[:CASES_SHOWN]),
            open_case_count=cases.count(),
            faults=faults(user, first=month["from"], last=month["to"], model=None, category=None)[
                :FAULTS_SHOWN
            ],
        )
    return home
