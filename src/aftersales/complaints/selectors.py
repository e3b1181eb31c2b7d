"""Reads of complaints: the complaint of a request, the handlers' list, whom to alert."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Exists, F, OuterRef, Q, QuerySet, prefetch_related_objects

from aftersales.complaints import rules
from aftersales.complaints.models import Complaint
from aftersales.core.roles import BRANCH_MANAGER, role_of
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket


def complaint_of(ticket: Ticket) -> Complaint | None:
    """The complaint a request of kind `complaint` carries (None for other kinds), with its
    compensations, staff and the request it is about: lists prefetch `COMPLAINT_PREFETCH` so
    that each row costs no query; one request alone reads them here, one query each."""
    if ticket.kind != "complaint":
        return None
    prefetch_related_objects([ticket], *COMPLAINT_PREFETCH)
    try:
        return ticket.complaint
    except Complaint.DoesNotExist:
        return None


def complaints_about(ticket: Ticket) -> list[Complaint]:
    """The complaints that name this request as what they are about."""
    return list(
        Complaint.objects.filter(about=ticket)
        .select_related("ticket")
        .order_by("ticket__created_at")
    )


# What a list of requests prefetches for its complaints (their compensations, staff, about).
COMPLAINT_PREFETCH = (
    "complaint__about",
    "complaint__compensations__approved_by",
    "complaint__staff",
)


def branch_managers_of(ticket: Ticket) -> list[str]:
    """Usernames of the active branch managers of the request's center (who a rejection alerts)."""
    if ticket.center_id is None:
        return []
    return sorted(
        User.objects.filter(
            is_active=True, groups__name=BRANCH_MANAGER, staff_profile__center=ticket.center_id
        ).values_list("username", flat=True)
    )


def complaint_steps(ticket: Ticket, complaint: Complaint | None) -> list[str]:
    """The complaint steps the table allows now (the API's `allowed_actions`, the page's forms)."""
    stage = complaint.stage if complaint else "received"
    screen = complaint is not None and rules.needs_screening(
        ticket.channel, complaint.screening, complaint.stage
    )
    return rules.allowed_actions(stage, ticket.status in ticket_rules.OPEN_STATUSES, screen)


def complaint_steps_for(user: User, ticket: Ticket, complaint: Complaint | None) -> list[str]:
    """The steps this person can take now (the page's buttons): the table's, without an
    approval nobody waits for or that their role may not give."""
    steps = complaint_steps(ticket, complaint)
    if "approve_compensation" in steps:
        waiting = complaint is not None and any(
            c.awaiting_approval and c.applied_at is None for c in complaint.compensations.all()
        )
        if not (waiting and rules.may_approve(role_of(user))):
            steps.remove("approve_compensation")
    return steps


# The handlers' list: which complaints each tab shows (`manager`: escalated or awaiting an
# approval — what the branch manager's workbench lists).
VIEWS = ("open", "to_screen", "approval", "escalated", "manager")


@dataclass(frozen=True)
class ListedComplaint:
    complaint: Complaint
    promise: str  # rules.promise_state
    to_screen: bool
    awaiting_approval: bool


def complaint_list(user: User, *, view: str = "open", now: datetime) -> list[ListedComplaint]:
    """The open complaints this person may see (their requests' scope), the ones whose promise
    comes first on top and those without a promise (not yet acknowledged) before them."""
    from aftersales.complaints.models import Compensation
    from aftersales.tickets.selectors import tickets_for

    waiting = Compensation.objects.filter(
        complaint=OuterRef("pk"), needs_approval=True, approved_at=None, applied_at=None
    )
    found: QuerySet[Complaint] = (
        Complaint.objects.filter(
            ticket__in=tickets_for(user).filter(
                kind="complaint", status__in=ticket_rules.OPEN_STATUSES
            )
        )
        .select_related("ticket__customer", "ticket__owner", "ticket__center")
        .prefetch_related("staff")
        .annotate(awaiting=Exists(waiting))
        .order_by(F("promised_by").asc(nulls_first=True), "ticket__created_at")
    )
    if view == "to_screen":
        found = found.filter(
            ticket__channel__in=rules.SCREENED_CHANNELS, screening="", stage="received"
        )
    elif view == "approval":
        found = found.filter(Exists(waiting))
    elif view == "escalated":
        found = found.filter(escalated=True)
    elif view == "manager":
        found = found.filter(Q(escalated=True) | Exists(waiting))
    soon = settings.COMPLAINT_ESCALATE_BEFORE_HOURS
    return [
        ListedComplaint(
            complaint=c,
            promise=rules.promise_state(c.promised_by, now, soon),
            to_screen=rules.needs_screening(c.ticket.channel, c.screening, c.stage),
            awaiting_approval=c.awaiting,  # type: ignore[attr-defined]
        )
        for c in found[:500]
    ]
