"""Reads of follow-ups, scoped like the requests they belong to."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from aftersales.core.errors import NotFound
from aftersales.followups.models import FollowUp
from aftersales.tickets.selectors import on_visible_requests, tickets_for


def followups_for(user: User) -> QuerySet[FollowUp]:
    return on_visible_requests(
        FollowUp.objects.select_related("ticket", "owner", "work_order"), user
    )


def filtered(user: User, **filters: Any) -> QuerySet[FollowUp]:
    found = followups_for(user)
    if filters.get("status"):
        found = found.filter(status=filters["status"])
    if filters.get("kind"):
        found = found.filter(kind=filters["kind"])
    if filters.get("ticket"):
        found = found.filter(ticket__number=filters["ticket"].strip().upper())
    if filters.get("due_before"):
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
        found = found.filter(due_at__lt=filters["due_before"].astimezone(UTC))
    return found


def followup_get_for(user: User, followup_id: int) -> FollowUp:
    found = followups_for(user).filter(pk=followup_id).first()
    if found is None:
        raise NotFound(_("No follow-up %(id)s.") % {"id": followup_id})
    return found


def callback_queue(
    user: User, *, now: datetime, ahead: timedelta, limit: int = 100, own: bool = False
) -> list[Any]:
    """The agent's calls: open follow-ups due now or within `ahead`, overdue first (oldest due
    first), with what the page shows of each; `own`: only those given to them or to nobody yet
    (their home's list)."""
    found = followups_for(user).filter(status=FollowUp.Status.OPEN, due_at__lt=now + ahead)
    if own:
        found = found.filter(Q(owner=user) | Q(owner=None))
    return list(
        found
        # What each call's script names: the customer, the center, the unit's model. The units
        # and models come in queries of their own: joined too, the statement's eleven tables
        # took PostgreSQL ~9 ms to plan at a million requests, three times what it takes to run.
        .select_related("ticket__customer", "ticket__center", "work_order__center")
        .prefetch_related("ticket__unit__model", "work_order__unit__model")
        .order_by("due_at", "id")[:limit]
    )


def verification_mismatches(user: User, *, since: datetime) -> list[FollowUp]:
    """Verification calls where the customer contradicted the record: the branch manager's to
    look into (newest first)."""
    return list(
        followups_for(user)
        .filter(kind=FollowUp.Kind.VERIFICATION_CALL, outcome="mismatch", done_at__gte=since)
        .select_related("work_order__technician")
        .order_by("-done_at")[:20]
    )


def reconciliation(user: User, day: date) -> list[dict[str, Any]]:
    """The day's jobs rated without a signature, each with its verification call if made."""
    from aftersales.workorders.selectors import unsigned_ratings

    jobs = unsigned_ratings(user, day)
    calls = {
        f.work_order_id: f
        for f in FollowUp.objects.filter(kind=FollowUp.Kind.VERIFICATION_CALL, work_order__in=jobs)
    }
    return [{"job": job, "call": calls.get(job.pk)} for job in jobs]


@dataclass(frozen=True)
class Csat:
    """Customer satisfaction: the average score (1–5; None without any) and how many scores it
    averages."""

    average: float | None
    count: int


def csat(user: User, since: datetime, until: datetime) -> Csat:
    """Every satisfaction score given in [since, until) in the user's scope, each counted once
    (CONTRACT.md "Reports", `csat_avg`): the ratings given at the hand-over (a declined one is
    no score) and the satisfaction surveys answered with a score by phone or on the web. The
    callback console shows it."""
    from aftersales.workorders.selectors import hand_over_ratings

    surveys = (
        followups_for(user)
        .filter(
            kind=FollowUp.Kind.SATISFACTION_SURVEY,
            status=FollowUp.Status.DONE,
            score__isnull=False,
            done_at__gte=since,
            done_at__lt=until,
        )
        .aggregate(total=Sum("score"), count=Count("id"))
    )
    rated, ratings = hand_over_ratings(tickets_for(user), since, until)
    total, count = int(surveys["total"] or 0) + rated, int(surveys["count"]) + ratings
    return Csat(average=total / count if count else None, count=count)


def first_pickup_calls(work_order_ids: list[int]) -> set[int]:
    """The ids of the first pickup-reminder follow-up of each of these work orders."""
    if not work_order_ids:
        return set()
    return set(
        FollowUp.objects.filter(
            kind=FollowUp.Kind.PICKUP_REMINDER, work_order_id__in=work_order_ids
        )
        .values("work_order_id")
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )


def to_text(pks: list[int]) -> list[FollowUp]:
    """The claimed follow-ups the sweep texts about (`notifications.services.timers_sweep`), with
    only what their messages say: the request's number and customer, the job's number, its
    request's number, center, technician and appointment. One query, however many."""
    if not pks:
        return []
    return list(
        FollowUp.objects.filter(pk__in=pks)
        .select_related(
            "ticket__customer", "work_order__ticket", "work_order__center", "work_order__technician"
        )
        .only(
            "kind",
            "ticket__number",
            "ticket__customer__name",
            "ticket__customer__phone",
            "ticket__customer__email",
            "work_order__number",
            "work_order__appointment_start",
            "work_order__appointment_end",
            "work_order__ticket__number",
            "work_order__center__name",
            "work_order__technician__first_name",
            "work_order__technician__last_name",
            "work_order__technician__username",
        )
        .order_by("pk")
    )
