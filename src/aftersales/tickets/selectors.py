"""Reads of service requests, scoped by the caller's role (outside the scope: not found)."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.rules import normalize_serial
from aftersales.core.errors import NotFound
from aftersales.core.models import Event
from aftersales.core.roles import role_of
from aftersales.customers import rules as customer_rules
from aftersales.dispatch.selectors import center_of
from aftersales.tickets import rules
from aftersales.tickets.models import SlaPolicy, Ticket


def tickets_for(user: User) -> QuerySet[Ticket]:
    """The requests this user may see."""
    role = role_of(user)
    base = Ticket.objects.select_related("customer", "unit", "center", "owner")
    if role in rules.ALL_CENTERS_ROLES:
        return base
    if role in rules.CENTER_ROLES:
        center = center_of(user)
        return base.filter(center=center) if center else base.none()
    # Technicians: the requests of their work orders (the work-order issue adds them).
    return base.none()


def ticket_get_for(user: User, number: str) -> Ticket:
    ticket = tickets_for(user).filter(number=number.strip().upper()).first()
    if ticket is None:
        raise NotFound(_("No service request with this number."))
    return ticket


def sla_policy_for(kind: str, channel: str, priority: str) -> SlaPolicy | None:
    """The most specific SLA policy: exact kind, channel and priority beat the blanks (any)."""
    candidates = SlaPolicy.objects.filter(
        Q(kind=kind) | Q(kind=""),
        Q(channel=channel) | Q(channel=""),
        Q(priority=priority) | Q(priority=""),
    )
    return max(
        candidates, key=lambda p: (bool(p.kind), bool(p.channel), bool(p.priority)), default=None
    )


def ticket_search(queryset: QuerySet[Ticket], q: str) -> QuerySet[Ticket]:
    """`q` matches a request number, a phone in any spelling, a serial, or a customer's name."""
    q = q.strip()
    if not q:
        return queryset
    condition = (
        Q(number=q.upper()) | Q(unit__serial=normalize_serial(q)) | Q(customer__name__startswith=q)
    )
    try:
        condition |= Q(customer__phone=customer_rules.normalize_phone(q))
    except ValueError:
        pass
    return queryset.filter(condition)


def filtered(user: User, **filters: Any) -> QuerySet[Ticket]:
    """The API list and the console's queues: status, kind, owner, center, q, escalated, breaching."""
    found = tickets_for(user)
    for field in ("status", "kind", "priority", "channel"):
        if filters.get(field):
            found = found.filter(**{field: filters[field]})
    if filters.get("owner"):
        found = found.filter(owner__username=filters["owner"])
    if filters.get("unassigned"):
        found = found.filter(owner=None)
    if filters.get("center"):
        found = found.filter(center__code=filters["center"])
    if filters.get("open"):
        found = found.filter(status__in=rules.OPEN_STATUSES)
    if filters.get("escalated") is not None:
        found = found.filter(escalated=filters["escalated"])
    if filters.get("breaching"):
        now = timezone.now()
        found = found.filter(
            Q(responded_at=None, respond_by__lt=now) | Q(resolved_at=None, resolve_by__lt=now),
            status__in=rules.OPEN_STATUSES,
        )
    if filters.get("q"):
        found = ticket_search(found, filters["q"])
    return found


def timeline(ticket: Ticket) -> QuerySet[Event]:
    """The request's events, oldest first (work-order events join here with their issue)."""
    from django.contrib.contenttypes.models import ContentType

    return (
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Ticket), object_id=ticket.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )


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
