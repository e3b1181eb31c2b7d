"""Reads of work orders, scoped by the caller's role (outside the scope: not found), and the
prices of the fee standards."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.core.errors import NotFound
from aftersales.core.models import Event
from aftersales.core.roles import role_of, with_groups
from aftersales.core.rules import local_day_bounds
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_id, center_of
from aftersales.workorders import rules
from aftersales.workorders.models import (
    FeeItem,
    FeeStandard,
    Loan,
    Part,
    PartRequest,
    PartStock,
    QuoteLine,
    StockDiscrepancy,
    Visit,
    WorkOrder,
)


def work_orders_for(user: User) -> QuerySet[WorkOrder]:
    """The work orders this user may see."""
    role = role_of(user)
    base = WorkOrder.objects.select_related(
        "ticket", "ticket__customer", "unit", "unit__model", "center", "technician", "repeat_of"
    )
    if role in rules.ALL_CENTERS_ROLES:
        return base
    if role in rules.CENTER_ROLES:
        center = center_of(user)
        return base.filter(center=center) if center else base.none()
    if role == "technician":
        return base.filter(technician=user)
    return base.none()


def unassigned_for(user: User) -> QuerySet[WorkOrder]:
    """The open jobs `user` may see that no technician holds (the dispatcher's to assign)."""
    return work_orders_for(user).filter(technician__isnull=True, status__in=rules.OPEN_STATUSES)


def work_order_get_for(user: User, number: str) -> WorkOrder:
    # One job: what dispatch reads of it too (the unit's category, whose repair it repeats).
    found = (
        work_orders_for(user)
        .select_related("unit__model__category", "repeat_of__technician")
        .filter(number=number.strip().upper())
        .first()
    )
    if found is None:
        raise NotFound(_("No work order with this number."))
    return found


def filtered(user: User, **filters: Any) -> QuerySet[WorkOrder]:
    """The API list: status, technician, center, mode (ids by subquery so the indexes serve)."""
    found = work_orders_for(user)
    for name in ("status", "mode"):
        if filters.get(name):
            found = found.filter(**{name: filters[name]})
    if filters.get("technician"):
        found = found.filter(
            technician_id=Subquery(
                User.objects.filter(username=filters["technician"]).values("id")[:1]
            )
        )
    if filters.get("center"):  # a code that names no center: nothing (not "no center")
        center = center_id(filters["center"])
        found = found.filter(center_id=center) if center is not None else found.none()
    if filters.get("open"):
        found = found.filter(status__in=rules.OPEN_STATUSES)
    return found


def answer_list(user: User, **filters: Any) -> QuerySet[WorkOrder]:
    """The API list (`filtered`) with what each job's answer reads (presenters.work_order_json):
    its request, unit, center and technician joined, the job it repeats and its details
    prefetched. Not the customer or the model the pages show: each relation joined more made
    PostgreSQL plan the statement longer than it ran (10 ms of planning at a million jobs)."""
    joined = ("ticket", "unit", "center", "technician")
    found = filtered(user, **filters).select_related(None).select_related(*joined)
    # The job it repeats is read by a query of its own (none when no job on the page repeats
    # one): joined, the table to itself doubled PostgreSQL's planning (+3.5 ms a page).
    return found.prefetch_related("repeat_of", *job_details())


def timeline(wo: WorkOrder) -> QuerySet[Event]:
    """The job's own events, oldest first (the request's timeline shows them too)."""
    return (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(WorkOrder), object_id=wo.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def job_details() -> tuple[Prefetch, ...]:
    """What a job's answer and its page list besides the job itself: its quote lines, parts,
    visits and open loan, in their order. Prefetched with a list, they cost one query each for
    the whole page instead of one each per job. Each lands in a plain list (`to_attr`, read by
    `quote_lines_of`, `parts_of`, `visits_of`, `open_loan`): Django's own prefetch cache builds
    a queryset per job and relation, which cost a page of 50 jobs more than its queries."""
    return (
        Prefetch("quote_lines", queryset=_quote_lines(), to_attr="quote_line_list"),
        Prefetch("parts", queryset=_parts(), to_attr="part_list"),
        Prefetch("visits", queryset=_visits(), to_attr="visit_list"),
        Prefetch(
            "loans",
            queryset=Loan.objects.filter(returned_at=None).select_related("loaner").order_by("id"),
            to_attr="open_loans",
        ),
    )


def _quote_lines() -> QuerySet[QuoteLine]:
    return QuoteLine.objects.order_by("id")


def _parts() -> QuerySet[PartRequest]:
    return PartRequest.objects.select_related("part").order_by("id")


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("technician").order_by("number")


def quote_lines_of(work_order: WorkOrder) -> list[QuoteLine]:
    """The job's quote lines: from `with_details` when loaded (a list, a page), else read now."""
    loaded: list[QuoteLine] | None = getattr(work_order, "quote_line_list", None)
    return loaded if loaded is not None else list(_quote_lines().filter(work_order=work_order))


def parts_of(work_order: WorkOrder) -> list[PartRequest]:
    """The parts asked for on the job, first first: loaded by `with_details`, else read now."""
    loaded: list[PartRequest] | None = getattr(work_order, "part_list", None)
    return loaded if loaded is not None else list(_parts().filter(work_order=work_order))


def with_details(jobs: Iterable[WorkOrder]) -> None:
    """Load `job_details` onto these jobs (nothing for jobs that have them already: a page's
    list loaded them, and each job's answer asks again, so asking must cost nothing)."""
    missing = [job for job in jobs if not hasattr(job, "open_loans")]  # the last one loaded
    if missing:
        prefetch_related_objects(missing, *job_details())


def jobs_prefetch() -> Prefetch:
    """What a list of requests prefetches for their jobs (read by `jobs_of`): each request's jobs
    with their technicians, first opened first, in a plain list (`to_attr`: Django's own prefetch
    cache would build a queryset per request)."""
    jobs = WorkOrder.objects.select_related("technician").order_by("id")
    return Prefetch("work_orders", queryset=jobs, to_attr="job_list")


def jobs_of(ticket: Any) -> list[WorkOrder]:
    """The request's jobs with their technicians, first opened first (its answer and its page
    list them): loaded by its list (`jobs_prefetch`), else read now (one query)."""
    if not hasattr(ticket, "job_list"):
        prefetch_related_objects([ticket], jobs_prefetch())
    jobs: list[WorkOrder] = ticket.job_list
    return jobs


def open_loan(work_order: WorkOrder) -> Loan | None:
    """The loaner out on this job: from `with_details` when loaded (a page), else read now (the
    services read it afresh on the row they lock)."""
    loaded: list[Loan] | None = getattr(work_order, "open_loans", None)
    if loaded is not None:
        return loaded[0] if loaded else None
    return (
        Loan.objects.filter(work_order=work_order, returned_at=None)
        .select_related("loaner")
        .order_by("id")
        .first()
    )


def job_facts(work_order: WorkOrder) -> rules.Job:
    """The job as its guards and its pages' offers read it (`rules.available_actions`)."""
    return work_order.as_job(loaner_out=open_loan(work_order) is not None)


def visits_of(work_order: WorkOrder) -> list[Visit]:
    """An on-site job's visits, first first (the last is the current one): loaded by
    `with_details`, else read now."""
    loaded: list[Visit] | None = getattr(work_order, "visit_list", None)
    return loaded if loaded is not None else list(_visits().filter(work_order=work_order))


def visit_number() -> Subquery:
    """A job's current visit's number (1, 2, …; None: no visit yet), to annotate a list."""
    visits = Visit.objects.filter(work_order=OuterRef("pk")).order_by("-number")
    return Subquery(visits.values("number")[:1])


def first_arrival(work_order: WorkOrder) -> datetime | None:
    """When the technician first got to the customer: the on-site "date in" (repair days)."""
    return (
        Visit.objects.filter(work_order=work_order, arrived_at__isnull=False)
        .order_by("number")
        .values_list("arrived_at", flat=True)
        .first()
    )


def loans_out() -> QuerySet[Loan]:
    """Loaner units in customers' hands, oldest loan first."""
    return (
        Loan.objects.filter(returned_at=None)
        .select_related("loaner", "loaner__center", "work_order", "work_order__ticket__customer")
        .order_by("lent_at")
    )


def unit_history(unit: Unit) -> QuerySet[WorkOrder]:
    """Every job on a unit, newest first: the unit page's service history (三包 repair record)."""
    return (
        WorkOrder.objects.filter(unit=unit)
        .select_related("ticket", "technician", "center", "repeat_of")
        .order_by("-created_at", "-id")
    )


def earlier_repairs(unit_id: int, *, before_id: int | None = None) -> QuerySet[WorkOrder]:
    """Jobs on the unit handed over as repaired, newest first."""
    found = WorkOrder.objects.filter(
        unit_id=unit_id, outcome="repaired", handed_over_at__isnull=False
    )
    if before_id is not None:
        found = found.exclude(pk=before_id)
    return found.order_by("-handed_over_at", "-id")


# --- fee standards (收费标准) --------------------------------------------------------------------


def _standards(center: ServiceCenter | None, category_id: int | None, on: date) -> list[int]:
    """Ids of the standards that apply: the newest valid version of each code, for this center
    (or every center) and this category (or every category)."""
    rows = (
        FeeStandard.objects.filter(active=True, valid_from__lte=on)
        .filter(Q(center=None) | Q(center=center))
        .filter(Q(category=None) | Q(category_id=category_id))
        .order_by("code", "-version")
        .values_list("id", "code")
    )
    newest: dict[str, int] = {}
    for pk, code in rows:
        newest.setdefault(code, pk)
    return list(newest.values())


def standard_price(
    work_order: WorkOrder, *, kind: str, code: str, distance_km: Decimal | None = None
) -> tuple[str, str, Decimal | None]:
    """(code, description, price) of a quote line from the applicable standards; the lower
    price where they disagree. A visit may be priced by distance band instead of code."""
    category_id = work_order.unit.model.category_id if work_order.unit else None
    standards = _standards(work_order.center, category_id, timezone.localdate())
    items = FeeItem.objects.filter(standard_id__in=standards, kind=kind)
    if kind == "visit" and not code and distance_km is not None:
        bands = [
            rules.Band(i.code, i.min_km or Decimal(0), i.max_km, i.price)
            for i in items
            if i.min_km is not None or i.max_km is not None
        ]
        band = rules.cheapest_band(distance_km, bands)
        if band is None:
            return "", "", None
        described = next(i.description for i in items if i.code == band.code)
        return band.code, described, band.price
    matching = list(items.filter(code=code)) if code else []
    prices: list[Decimal | None] = [i.price for i in matching]
    description = matching[0].description if matching else ""
    if kind == "part" and code and work_order.unit:
        part = Part.objects.filter(model_id=work_order.unit.model_id, code=code).first()
        if part is not None:
            prices.append(part.price)
            description = description or part.name
    return code, description, rules.lowest_price(prices)


def inspection_fee(work_order: WorkOrder) -> Decimal:
    """What a customer who declines a quote pays (0 unless a standard says otherwise)."""
    _code, _desc, price = standard_price(work_order, kind="inspection", code="inspection")
    return price if price is not None else Decimal("0.00")


def fee_items(work_order: WorkOrder) -> list[FeeItem]:
    """The items a quote can pick from, for the page's quote form."""
    category_id = work_order.unit.model.category_id if work_order.unit else None
    standards = _standards(work_order.center, category_id, timezone.localdate())
    return list(FeeItem.objects.filter(standard_id__in=standards).order_by("kind", "code"))


def parts_for(work_order: WorkOrder) -> list[Part]:
    if work_order.unit is None:
        return []
    return list(Part.objects.filter(model_id=work_order.unit.model_id).order_by("code"))


@dataclass(frozen=True)
class PartChoice:
    """A part of the catalogue of the job's model as the pages offer it, with the stock one
    chooses by: the technician's van (on-site jobs: the van serves first) and the center's
    shelf, on hand and free (not reserved for other jobs)."""

    code: str
    name: str
    price: Decimal
    van: int | None
    on_hand: int
    available: int


def parts_with_stock(work_order: WorkOrder) -> list[PartChoice]:
    parts = parts_for(work_order)
    shelf: dict[int, PartStock] = {}
    if work_order.center_id is not None:
        rows = PartStock.objects.filter(part__in=parts, center_id=work_order.center_id, holder=None)
        shelf = {row.part_id: row for row in rows}
    van: dict[int, int] | None = None
    if work_order.mode == "on_site" and work_order.technician_id is not None:
        rows = PartStock.objects.filter(part__in=parts, holder_id=work_order.technician_id)
        van = {row.part_id: row.available for row in rows}
    return [
        PartChoice(
            code=part.code,
            name=part.name,
            price=part.price,
            van=None if van is None else van.get(part.pk, 0),
            on_hand=shelf[part.pk].on_hand if part.pk in shelf else 0,
            available=shelf[part.pk].available if part.pk in shelf else 0,
        )
        for part in parts
    ]


def stock_discrepancies_for(user: User, *, open_only: bool = True) -> QuerySet[StockDiscrepancy]:
    """Parts used that no stock held, for whoever reconciles them: a branch manager their
    center's, an administrator every center's; nobody else's."""
    role = role_of(user)
    found = StockDiscrepancy.objects.select_related(
        "part", "part__model", "center", "work_order", "technician", "resolved_by"
    )
    if role == "branch_manager":
        center = center_of(user)
        found = found.filter(center=center) if center else found.none()
    elif role != "admin":
        found = found.none()
    return found.filter(resolved_at=None) if open_only else found


def stock_discrepancy_get_for(user: User, pk: int) -> StockDiscrepancy:
    found = stock_discrepancies_for(user, open_only=False).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such stock discrepancy."))
    return found


# --- the pages' reads -------------------------------------------------------------------------


def work_order_list(
    user: User, *, status: str = "", open_only: bool = False, technician: str = ""
) -> QuerySet[WorkOrder]:
    """The work order list page: the caller's scope, newest first (the newest opened has the
    highest id, so the list pages by id from the filters' indexes: a technician's jobs from
    (technician, id), with a status from (technician, status, id)). `technician`: a username,
    filtered as the API filters (`filtered`)."""
    found = filtered(user, status=status, open=open_only, technician=technician)
    return found.order_by("-id")


def list_technicians(user: User, *, asked: str = "") -> list[User]:
    """The technicians the work-order list offers `user` to filter by, by username, with their
    center: the active technicians of their center (of every center, for a role that sees every
    center's jobs), and the one the page's address asks for (`asked`, a username) wherever and
    though no longer active — the list shows the jobs of theirs in `user`'s scope. None for a
    technician (who sees only their own jobs) or a role that sees no job."""
    role = role_of(user)
    if role not in rules.CENTER_ROLES and role not in rules.ALL_CENTERS_ROLES:
        return []
    offered = Q(is_active=True)
    if role in rules.CENTER_ROLES:
        center = center_of(user)
        offered &= Q(staff_profile__center=center) if center else Q(pk__in=[])
    found = User.objects.filter(offered | Q(username=asked), groups__name="technician")
    return list(found.select_related("staff_profile__center").distinct().order_by("username"))


def technicians_at(center: ServiceCenter | None) -> QuerySet[User]:
    """Active technicians of a center (everyone's when the job has no center yet), with what
    a page names them by (their role and center: `person_label`) read along."""
    found = User.objects.filter(is_active=True, groups__name="technician")
    if center is not None:
        found = found.filter(staff_profile__center=center)
    found = found.select_related("staff_profile__center").prefetch_related(with_groups())
    return found.distinct().order_by("username")


def loans_out_for(user: User) -> QuerySet[Loan]:
    """Loaner units in customers' hands that this user may see (their jobs' or center's)."""
    return loans_out().filter(work_order__in=work_orders_for(user).values("pk"))


def booked_windows(
    technician_ids: list[int], start: datetime, end: datetime
) -> list[tuple[int, str, datetime, datetime]]:
    """Open jobs' appointment windows of these technicians that touch [start, end):
    (technician id, job number, from, to), for dispatch's free-time arithmetic."""
    rows = (
        WorkOrder.objects.filter(
            technician_id__in=technician_ids,
            status__in=rules.OPEN_STATUSES,
            appointment_start__lt=end,
            appointment_end__gt=start,
        )
        .order_by("appointment_start")
        .values_list("technician_id", "number", "appointment_start", "appointment_end")
    )
    return [(t, n, s, e) for t, n, s, e in rows if s is not None and e is not None]


def technicians_of_unit(unit_id: int | None, *, before_id: int | None = None) -> set[str]:
    """Usernames of technicians who worked on earlier jobs on this unit."""
    if unit_id is None:
        return set()
    earlier = WorkOrder.objects.filter(unit_id=unit_id, technician__isnull=False)
    if before_id is not None:
        earlier = earlier.exclude(pk=before_id)
    return set(earlier.values_list("technician__username", flat=True))


def jobs_numbered(numbers: list[str]) -> list[WorkOrder]:
    """Jobs by number with what dispatch reads of them (customer region, unit category)."""
    return list(
        WorkOrder.objects.filter(number__in=numbers)
        .select_related(
            "ticket__customer", "unit__model__category", "center", "repeat_of__technician"
        )
        .order_by("appointment_start", "id")
    )


def appointments_of(technician: User, *, since: datetime) -> list[WorkOrder]:
    """A technician's jobs with an appointment ending after `since` (the calendar feed)."""
    return list(
        WorkOrder.objects.filter(technician=technician, appointment_end__gt=since)
        .select_related("ticket__customer", "unit__model", "technician")
        .order_by("appointment_start", "id")
    )


def field_incidents(user: User) -> list[WorkOrder]:
    """Open jobs paused by a field incident that this user must act on (branch managers,
    dispatchers, admins), newest first."""
    if role_of(user) not in {"admin", "branch_manager", "dispatcher"}:
        return []
    return list(
        work_orders_for(user)
        .filter(paused=True, status__in=rules.OPEN_STATUSES)
        .select_related("technician", "ticket__customer")
        .order_by("-id")[:20]
    )


def unsigned_ratings(user: User, day: date) -> list[WorkOrder]:
    """Jobs handed over on `day` with a rating but no customer signature: a "satisfied" nobody
    signed is treated as possibly falsified (DOMAIN.md §4.10) and is checked by phone."""
    start, end = local_day_bounds(day, timezone.get_current_timezone())
    return list(
        work_orders_for(user)
        .filter(
            handed_over_at__gte=start,
            handed_over_at__lt=end,
            rating__isnull=False,
            handover_signature="",
        )
        .select_related("technician", "ticket__customer", "center")
        .order_by("handed_over_at", "id")
    )


def hand_over_ratings(tickets: QuerySet[Any], since: datetime, until: datetime) -> tuple[int, int]:
    """The sum and the count of the ratings customers gave at the hand-over in [since, until),
    on the jobs of these requests (a declined rating is no score)."""
    found = WorkOrder.objects.filter(
        ticket__in=tickets,
        handed_over_at__gte=since,
        handed_over_at__lt=until,
        rating__isnull=False,
    ).aggregate(total=Sum("rating"), count=Count("id"))
    return int(found["total"] or 0), int(found["count"])


def reschedule_counts(technician: User, *, since: datetime) -> dict[str, int]:
    """How often this technician's visits were moved since `since`, per reason code."""
    moved = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder),
        object_id__in=WorkOrder.objects.filter(technician=technician).values("pk"),
        action="schedule",
        at__gte=since,
    ).values_list("data", flat=True)
    counts: dict[str, int] = {}
    for data in moved:
        if data.get("previous") and data.get("reason"):
            counts[data["reason"]] = counts.get(data["reason"], 0) + 1
    return counts


def status_moves(wo: WorkOrder) -> list[tuple[datetime, str]]:
    """The job's statuses as it entered them, oldest first: (when, status), from its events."""
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder), object_id=wo.pk
    ).order_by("at", "id")
    moves = [(wo.created_at, "created")]
    for at, data in events.values_list("at", "data"):
        entered = (data or {}).get("to")
        if entered and entered != moves[-1][1]:
            moves.append((at, entered))
    return moves
