"""Reads of complaints: the complaint of a request, the handlers' list, whom to alert."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from aftersales.complaints import rules
from aftersales.complaints.models import Compensation, Complaint
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
    "complaint__capa_owner",
    "complaint__capa_done_by",
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
    """The complaint steps the table allows now (the API's `allowed_actions`, the page's forms):
    the corrective action's (`record_capa`, `complete_capa`) as its state allows."""
    stage = complaint.stage if complaint else "received"
    screen = complaint is not None and rules.needs_screening(
        ticket.channel, complaint.screening, complaint.stage
    )
    capa = None  # a cancelled request has no lesson to record
    if ticket.status != "cancelled":
        capa = complaint.capa_state if complaint else ""
    return rules.allowed_actions(stage, ticket.status in ticket_rules.OPEN_STATUSES, screen, capa)


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
    if "record_capa" in steps and not rules.may_work(role_of(user)):
        steps.remove("record_capa")
    owner = complaint is not None and complaint.capa_owner_id == user.pk
    if "complete_capa" in steps and not rules.may_complete_capa(role_of(user), owner):
        steps.remove("complete_capa")
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


def _awaiting_approval() -> Exists:
    """A compensation of the complaint waits for a branch manager's approval."""
    return Exists(
        Compensation.objects.filter(
            complaint=OuterRef("pk"), needs_approval=True, approved_at=None, applied_at=None
        )
    )


def _listed(user: User, view: str) -> QuerySet[Complaint]:
    """The open complaints of a list's tab (`view`) this person may see (their requests' scope)."""
    from aftersales.tickets.selectors import tickets_for

    found = Complaint.objects.filter(
        ticket__in=tickets_for(user).filter(kind="complaint", status__in=ticket_rules.OPEN_STATUSES)
    )
    if view == "to_screen":
        found = found.filter(
            ticket__channel__in=rules.SCREENED_CHANNELS, screening="", stage="received"
        )
    elif view == "approval":
        found = found.filter(_awaiting_approval())
    elif view == "escalated":
        found = found.filter(escalated=True)
    elif view == "manager":
        found = found.filter(Q(escalated=True) | _awaiting_approval())
    return found


def complaint_list_requests(user: User, *, view: str = "open") -> QuerySet[Ticket]:
    """The requests of the complaints a list's tab holds, unordered: the list's export (desk's
    "complaints"), every one of them."""
    return Ticket.objects.filter(pk__in=_listed(user, view).values("ticket_id"))


def complaint_list(user: User, *, view: str = "open", now: datetime) -> list[ListedComplaint]:
    """The open complaints this person may see (their requests' scope), the ones whose promise
    comes first on top and those without a promise (not yet acknowledged) before them."""
    found: QuerySet[Complaint] = (
        _listed(user, view)
        .select_related("ticket__customer", "ticket__owner", "ticket__center")
        .prefetch_related("staff")
        .annotate(awaiting=_awaiting_approval())
        .order_by(F("promised_by").asc(nulls_first=True), "ticket__created_at")
    )
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


# The lessons report's cells, per root cause × responsibility (complaint_causes).
CAUSE_FIGURES = ("count", "capa_open", "capa_overdue", "capa_done")


def complaint_causes(
    *, start: datetime, end: datetime, center_id: int | None, today: date
) -> dict[str, Any]:
    """The complaints resolved from `start` up to `end` (their request's `resolved_at`; a
    complaint reopened and not resolved again is not counted), of one center's requests or of
    every center's (None): counted by root cause × responsibility (null: not recorded), each with
    its corrective actions open (overdue ones included), overdue (open, due before `today`) and
    done; and the totals, with the complaints that have no lesson yet. One grouped statement."""
    found = Complaint.objects.filter(
        stage=Complaint.Stage.RESOLVED, ticket__resolved_at__gte=start, ticket__resolved_at__lt=end
    )
    if center_id is not None:
        found = found.filter(ticket__center_id=center_id)
    is_open = Q(capa_state=Complaint.CapaState.OPEN)
    rows = (
        found.order_by()
        .values("root_cause", "responsibility")
        .annotate(
            n=Count("pk"),
            opened=Count("pk", filter=is_open),
            late=Count("pk", filter=is_open & Q(capa_due__lt=today)),
            done=Count("pk", filter=Q(capa_state=Complaint.CapaState.DONE)),
        )
    )
    causes = {c: i for i, c in enumerate(rules.ROOT_CAUSES)}
    sides = {r: i for i, r in enumerate(rules.RESPONSIBILITIES)}
    items = sorted(
        (
            {
                "root_cause": row["root_cause"] or None,
                "responsibility": row["responsibility"] or None,
                "count": row["n"],
                "capa_open": row["opened"],
                "capa_overdue": row["late"],
                "capa_done": row["done"],
            }
            for row in rows
        ),
        key=lambda i: (
            -i["count"],
            causes.get(i["root_cause"], len(causes)),
            sides.get(i["responsibility"], len(sides)),
        ),
    )
    totals = {name: sum(i[name] for i in items) for name in CAUSE_FIGURES}
    unexplained = sum(i["count"] for i in items if i["root_cause"] is None)
    return {
        "resolved": totals["count"],
        "without_capa": unexplained,
        "capa_open": totals["capa_open"],
        "capa_overdue": totals["capa_overdue"],
        "capa_done": totals["capa_done"],
        "items": items,
    }
