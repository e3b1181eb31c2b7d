"""Reads of service requests, scoped by the caller's role (outside the scope: not found)."""

from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.models import Unit
from aftersales.catalog.rules import normalize_serial
from aftersales.core.db import starts_with
from aftersales.core.errors import DomainError, Forbidden, NotFound
from aftersales.core.models import Event
from aftersales.core.reference import cached
from aftersales.core.roles import ADMIN, BRANCH_MANAGER, ROLES, role_of, with_groups
from aftersales.customers import rules as customer_rules
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_id, center_of
from aftersales.tickets import rules
from aftersales.tickets.models import SlaPolicy, Ticket, TicketJob
from aftersales.warranty.rules import is_human_damage

M = TypeVar("M", bound=Model)


def tickets_for(user: User) -> QuerySet[Ticket]:
    """The requests this user may see."""
    role = role_of(user)
    base = Ticket.objects.select_related("customer", "unit", "center", "owner", "created_by")
    if role in rules.ALL_CENTERS_ROLES:
        return base
    if role in rules.CENTER_ROLES:  # their center's, and those they own wherever they went
        center = center_of(user)
        return base.filter(Q(center=center) | Q(owner=user)) if center else base.filter(owner=user)
    if role == "technician":  # the requests of the jobs they hold (the request's record of them)
        return base.filter(pk__in=TicketJob.objects.filter(technician=user).values("ticket_id"))
    return base.none()


def on_visible_requests(found: QuerySet[M], user: User, via: str = "ticket") -> QuerySet[M]:
    """`found` (rows that belong to a request through `via`) narrowed to the requests `user` may
    see (`tickets_for`). A role that sees every request gets no filter at all: a filter saying
    "every request" made SQLite read each request and then its rows (the hotline's callback
    queue: 234 ms at 100,000 requests, against 3 ms without it; decision 73)."""
    if role_of(user) in rules.ALL_CENTERS_ROLES:
        return found
    return found.filter(**{f"{via}__in": tickets_for(user)})


def ticket_get_for(user: User, number: str) -> Ticket:
    ticket = tickets_for(user).filter(number=number.strip().upper()).first()
    if ticket is None:
        raise NotFound(_("No service request with this number."))
    return ticket


def sla_policy_for(kind: str, channel: str, priority: str) -> SlaPolicy | None:
    """The most specific SLA policy: exact kind, channel and priority beat the blanks (any)."""
    candidates = [
        p
        for p in sla_policies()
        if p.kind in (kind, "") and p.channel in (channel, "") and p.priority in (priority, "")
    ]
    return max(
        candidates, key=lambda p: (bool(p.kind), bool(p.channel), bool(p.priority)), default=None
    )


@cached("sla_policies")
def sla_policies() -> tuple[SlaPolicy, ...]:
    """Every SLA policy (kept per process: core.reference)."""
    return tuple(SlaPolicy.objects.order_by("pk"))


def ticket_search(queryset: QuerySet[Ticket], q: str) -> QuerySet[Ticket]:
    """`q` matches a request number, a phone in any spelling, a serial, or a customer's name."""
    q = q.strip()
    if not q:
        return queryset
    # Each way of matching answers from its own index; an OR across joins would read every row.
    ids = Ticket.objects.values("pk")
    branches = [
        ids.filter(unit__serial=normalize_serial(q)),
        ids.filter(starts_with("customer__name", q)),
    ]
    try:
        branches.append(ids.filter(customer__phone=customer_rules.normalize_phone(q)))
    except ValueError:
        pass
    return queryset.filter(pk__in=ids.filter(number=q.upper()).union(*branches))


def filtered(user: User, **filters: Any) -> QuerySet[Ticket]:
    """The API list and the console's queues: status, kind, owner, center, q, escalated, breaching.

    `breaching` is the console's "due soon" queue: open requests past their pending due time or
    within `rules.SOON` of it."""
    found = tickets_for(user)
    for field in ("status", "kind", "priority", "channel"):
        if filters.get(field):
            found = found.filter(**{field: filters[field]})
    # The owner's and the center's id first (not a join on the name), so that PostgreSQL can
    # take the order from the (owner, status, id) and (center, status, id) indexes.
    if filters.get("owner"):
        user_id = User.objects.filter(username=filters["owner"]).values("pk")[:1]
        found = found.filter(owner_id=Subquery(user_id))
    if filters.get("unassigned"):
        found = found.filter(owner=None)
    if filters.get("center"):  # a code that names no center: nothing (not "no center")
        center = center_id(filters["center"])
        found = found.filter(center_id=center) if center is not None else found.none()
    if filters.get("open"):
        found = found.filter(status__in=rules.OPEN_STATUSES)
    if filters.get("escalated") is not None:
        found = found.filter(escalated=filters["escalated"])
    if filters.get("breaching"):
        found = found.filter(_due_within(rules.SOON))
    if filters.get("q"):
        found = ticket_search(found, filters["q"])
    return found


def timeline(ticket: Ticket) -> QuerySet[Event]:
    """The request's events and its jobs' events (the request's record of them), oldest first."""
    condition = Q(content_type=ContentType.objects.get_for_model(Ticket), object_id=ticket.pk)
    jobs: dict[int, list[int]] = {}
    for type_id, object_id in TicketJob.objects.filter(ticket_id=ticket.pk).values_list(
        "content_type_id", "object_id"
    ):
        jobs.setdefault(type_id, []).append(object_id)
    for type_id, object_ids in jobs.items():
        condition |= Q(content_type_id=type_id, object_id__in=object_ids)
    return Event.objects.filter(condition).select_related("actor").order_by("at", "id")


def missing_facts(ticket: Ticket) -> list[str]:
    """Customer and unit facts a repair needs that are not on file yet (flagged, never blocking)."""
    missing = [name for name in ("address", "region") if not getattr(ticket.customer, name)]
    if ticket.kind in ("repair", "installation", "booking"):
        if ticket.unit is None:
            missing.append("serial")
        else:
            missing += [
                name for name in ("purchase_date", "invoice_no") if not getattr(ticket.unit, name)
            ]
    return missing


# --- The console (staff pages) ---------------------------------------------------------------
# Added for the console, the intake screen and the request page; the functions above are the
# API's and stay as they are.

QUEUES = ("mine", "center", "unassigned", "breaching", "escalated", "all")
COUNT_CAP = 100  # queues are counted up to here; the console shows "99+" from there


def _due_within(within: timedelta) -> Q:
    """Open requests whose pending promise (respond or resolve) falls due within `within`, or is
    already past: "due soon" (`pending_due` is null for requests that owe nothing)."""
    return Q(pending_due__lt=timezone.now() + within)


def _queue_condition(
    user: User, queue: str, center: ServiceCenter | None, *, open_only: bool = True
) -> Q:
    """What puts a request in a queue. Queues hold open requests, unless `open_only` is off (a
    status was asked for); "breaching" is about open requests whatever is asked, "all" about all."""
    condition = Q(status__in=rules.OPEN_STATUSES) if open_only else Q()
    if queue == "mine":
        return condition & Q(owner=user)
    if queue == "center":
        return condition & Q(center=center) if center else Q(pk__in=[])
    if queue == "unassigned":
        return condition & Q(owner=None)
    if queue == "breaching":
        return _due_within(rules.SOON)
    if queue == "escalated":
        return condition & Q(escalated=True)
    return Q()


def queue_counts(user: User) -> dict[str, int]:
    """How many requests wait in each of the console's queues, each counted up to `COUNT_CAP`
    (a count of COUNT_CAP means that many or more). "center" only for people who work in a
    center; "all" is not counted. Each count stops at the cap and reads its own index
    (owner/center/escalated with status, the pending due time): on every page and every poll,
    a full count of a large queue would cost more than the page."""
    center = center_of(user)
    visible = tickets_for(user)
    counts: dict[str, int] = {}
    for name in QUEUES:
        if name == "all" or (name == "center" and center is None):
            continue
        waiting = visible.filter(_queue_condition(user, name, center))
        if name == "breaching":
            # In the index's order: else PostgreSQL may scan the table from its oldest rows for
            # the first 100 due, a long way when those are the newest.
            waiting = waiting.order_by("pending_due", "pk")
        counts[name] = waiting[:COUNT_CAP].count()
    return counts


@dataclass(frozen=True)
class Overdue:
    """The open requests past a deadline: how many (counted up to `COUNT_CAP`) and the first."""

    count: int
    first: list[Ticket]

    @property
    def capped(self) -> bool:  # that many or more: the console's "99+"
        return self.count >= COUNT_CAP


def overdue(user: User, *, limit: int = 5) -> Overdue:
    """The open requests `user` may see whose pending promise (to respond or to resolve) is
    already past — the console's "due soon" queue without its margin —, the longest overdue
    first, read in the order of the (pending due, id) index; counted as the queues are."""
    found = tickets_for(user).filter(_due_within(timedelta(0))).order_by("pending_due", "pk")
    first = list(found.select_related(None).select_related("customer")[:limit])
    return Overdue(count=found[:COUNT_CAP].count(), first=first)


@dataclass(frozen=True)
class ConsoleRow:
    ticket: Ticket
    sla: rules.SlaDue


@dataclass(frozen=True)
class Console:
    queue: str
    counts: dict[str, int]
    rows: list[ConsoleRow]
    next_cursor: str | None


def console_found(user: User, *, queue: str = "mine", **filters: Any) -> QuerySet[Ticket]:
    """Every request of a console queue that the filters select, unordered: the console reads it
    a page at a time, its export (desk's "requests") every row."""
    queue = queue if queue in QUEUES else "mine"
    condition = _queue_condition(user, queue, center_of(user), open_only=not filters.get("status"))
    return filtered(user, **{k: v for k, v in filters.items() if v}).filter(condition)


def console(
    user: User,
    *,
    queue: str = "mine",
    cursor: str | None = None,
    limit: int = 50,
    **filters: Any,
) -> Console:
    """One page of a console queue, newest first (the "due soon" queue: soonest due first),
    with every queue's count (capped: `queue_counts`).

    The filters are `filtered`'s (status, kind, channel, q). A queue holds open requests unless
    a status is asked for."""
    from aftersales.core.pagination import keyset_page

    queue = queue if queue in QUEUES else "mine"
    found = console_found(user, queue=queue, **filters)
    # What a row shows: its customer and center joined, its owner by a query of its own (one
    # join fewer to plan for PostgreSQL, which cost more than that query takes).
    found = found.select_related(None).select_related("customer", "center")
    found = found.prefetch_related("owner")
    order = "pending_due" if queue == "breaching" else None
    page = keyset_page(found, limit=limit, cursor=cursor, order=order)
    now = timezone.now()
    return Console(
        queue=queue,
        counts=queue_counts(user),
        rows=[ConsoleRow(t, rules.sla_due(t, now)) for t in page["items"]],
        next_cursor=page["next_cursor"],
    )


# --- Intake: what the screen shows as the clerk types ----------------------------------------


def customer_missing_facts(customer: Customer) -> list[str]:
    """The customer's facts a visit or a repair needs that are not on file (flagged only)."""
    return [name for name in ("address", "region") if not getattr(customer, name)]


def unit_missing_facts(unit: Unit) -> list[str]:
    """The unit's facts the 三包 decision and the paperwork need that are not on file."""
    return [name for name in ("purchase_date", "invoice_no") if not getattr(unit, name)]


@dataclass(frozen=True)
class IntakeCustomer:
    """Who is calling, as far as the number typed so far tells."""

    phone_ok: bool  # the text is a number we can dial (else: still being typed, or a typo)
    customer: Customer | None = None  # on file with this number
    units: list["IntakeUnit"] = dataclass_field(default_factory=list)
    open_tickets: list[Ticket] = dataclass_field(default_factory=list)
    missing: list[str] = dataclass_field(default_factory=list)
    # A returning complainant (seed: better reception): how often they complained, anywhere,
    # and their last complaint (`last_complaint_visible`: whether this user may open it).
    complaints: int = 0
    last_complaint: Ticket | None = None
    last_complaint_visible: bool = False


def intake_customer(user: User, phone: str) -> IntakeCustomer:
    """The caller by phone number (any spelling), their units and their open requests."""
    from aftersales.catalog.selectors import units_of
    from aftersales.customers.selectors import customers_by_phone

    try:
        customer_rules.normalize_phone(phone)
    except ValueError:
        return IntakeCustomer(phone_ok=False)
    customer = customers_by_phone(phone).first()
    if customer is None:
        return IntakeCustomer(phone_ok=True)
    open_tickets = (
        tickets_for(user)
        .filter(customer=customer, status__in=rules.OPEN_STATUSES)
        .order_by("-pk")[:10]
    )
    complaints = Ticket.objects.filter(customer=customer, kind="complaint").order_by("-pk")
    last_complaint = complaints.first()
    return IntakeCustomer(
        phone_ok=True,
        customer=customer,
        units=[
            IntakeUnit(serial=u.serial, unit=u, missing=unit_missing_facts(u))
            for u in units_of(customer)
        ],
        open_tickets=list(open_tickets),
        missing=customer_missing_facts(customer),
        complaints=complaints.count(),
        last_complaint=last_complaint,
        last_complaint_visible=last_complaint is not None
        and tickets_for(user).filter(pk=last_complaint.pk).exists(),
    )


@dataclass(frozen=True)
class IntakeWarranty:
    """The 三包 decision for the unit named at intake, with what the screen needs around it."""

    unit: Unit | None
    category: str = ""  # the unit's category code: its policy lists the performance faults
    faults: list[tuple[str, str]] = dataclass_field(default_factory=list)  # (code, name)
    decision: dict[str, Any] | None = None  # as `decision_as_json`, i.e. as the request keeps it
    problem: str = ""  # why there is no decision: no purchase date, no policy, …
    missing: list[str] = dataclass_field(default_factory=list)


def intake_warranty(
    serial: str,
    *,
    performance_fault: bool = True,
    damage_kind: str | None = None,
) -> IntakeWarranty:
    """The decision a repair or booking for this unit gets today, with the fault as reported
    and the damage as seen (none: the engine's defaults, as `ticket_create` decides)."""
    from aftersales.catalog.selectors import unit_get
    from aftersales.warranty.presenters import decision_as_json
    from aftersales.warranty.selectors import decide_for_unit, faults_for

    unit = unit_get(serial) if serial.strip() else None
    if unit is None:
        return IntakeWarranty(unit=None)
    category = unit.model.category.code
    faults = [(f.code, f.name) for f in faults_for(category, "host")]
    found = IntakeWarranty(
        unit=unit, category=category, faults=faults, missing=unit_missing_facts(unit)
    )
    if unit.purchase_date is None:
        return replace(found, problem=_("No purchase date is on file for this unit."))
    try:
        decision = decide_for_unit(
            unit,
            performance_fault=performance_fault,
            human_damage=is_human_damage(damage_kind),
            damage_kind=damage_kind,
        )
    except DomainError as exc:
        return replace(found, problem=exc.message)
    return replace(found, decision=decision_as_json(decision))


# --- The request page ------------------------------------------------------------------------


def owner_choices(ticket: Ticket) -> QuerySet[User]:
    """Active staff who may own this request (those whose role may act on its kind)."""
    roles = [r for r in ROLES if rules.may_act(r, ticket.kind)]
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=roles))
        .select_related("staff_profile__center")  # named with role and center on the page
        .prefetch_related(with_groups())
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class TicketPage:
    """The request's own part of its page (desk.selectors.TicketPage adds its complaint and its
    escalations)."""

    ticket: Ticket
    events: list[Event]
    actions: list[str]
    missing: list[str]
    owners: list[User]
    respond_breached: bool
    resolve_breached: bool
    sla: rules.SlaDue


def ticket_page(user: User, number: str) -> TicketPage:
    """The request's own part of its page, for someone who may see the request (else NotFound):
    the request page is desk.selectors.ticket_page."""
    ticket = ticket_get_for(user, number)
    now = timezone.now()
    return TicketPage(
        ticket=ticket,
        events=list(timeline(ticket)),
        actions=rules.allowed_actions(ticket.status),
        missing=missing_facts(ticket),
        owners=list(owner_choices(ticket)),
        respond_breached=rules.is_breached(ticket.respond_by, ticket.responded_at, now),
        resolve_breached=rules.is_breached(ticket.resolve_by, ticket.resolved_at, now),
        sla=rules.sla_due(ticket, now),
    )


# --- Handover --------------------------------------------------------------------------------


def handover_candidates(by: User) -> list[tuple[User, int]]:
    """The people whose work `by` may hand over (administrators: everyone's; branch managers:
    their center's), each with how many open requests they own, and Forbidden for others."""
    role = role_of(by)
    if role not in (ADMIN, BRANCH_MANAGER):
        raise Forbidden(_("Only an administrator or a branch manager hands over a person's work."))
    staff = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name__in=ROLES)
    )
    people = User.objects.filter(pk__in=staff.values("pk"))
    if role == BRANCH_MANAGER:
        center = center_of(by)
        people = people.filter(staff_profile__center=center) if center else people.none()
    open_owned = Count("owned_tickets", filter=Q(owned_tickets__status__in=rules.OPEN_STATUSES))
    return [
        (person, person.open_count)
        for person in people.annotate(open_count=open_owned).order_by("username")
    ]


@dataclass(frozen=True)
class IntakeUnit:
    serial: str
    unit: Unit | None
    missing: list[str] = dataclass_field(default_factory=list)


def intake_unit(serial: str) -> IntakeUnit:
    """The unit with the serial typed or scanned, and the facts it still lacks."""
    from aftersales.catalog.selectors import unit_get

    unit = unit_get(serial) if serial.strip() else None
    return IntakeUnit(
        serial=serial.strip(), unit=unit, missing=unit_missing_facts(unit) if unit else []
    )
