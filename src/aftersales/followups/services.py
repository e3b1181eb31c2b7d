"""The only code that changes follow-ups, including the claim of due ones that the worker's
timer sweep (`notifications.services.timers_sweep`) makes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.models import Event
from aftersales.core.redaction import Redactor, rewrite_person
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.followups import rules
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket

if TYPE_CHECKING:
    from aftersales.workorders.models import WorkOrder


def followup_schedule(
    *,
    ticket: Ticket,
    kind: str,
    due_at: datetime,
    owner: User | None,
    work_order: "WorkOrder | None" = None,
    reason: dict[str, Any] | None = None,
    note: str = "",
) -> FollowUp:
    """Put a call on the owner's list, due at `due_at` (already in the center's working hours);
    `reason` tells the agent why the call is made, as data the page words in the agent's
    language (`{"code": "web_rating", "score": 2}`), and `note` what the customer said (kept in
    `note` until the call is recorded)."""
    followup = FollowUp.objects.create(
        ticket=ticket,
        kind=kind,
        due_at=due_at,
        owner=owner,
        work_order=work_order,
        note=note,
        reason=reason or {},
    )
    record_event(
        subject=followup,
        action="scheduled",
        actor=None,
        note=note,
        data={"due_at": due_at.isoformat(), **({"reason": reason} if reason else {})},
    )
    return followup


def _open_pickup_calls(work_order: "WorkOrder"):  # type: ignore[no-untyped-def]
    return FollowUp.objects.filter(
        work_order=work_order, kind=FollowUp.Kind.PICKUP_REMINDER, status=FollowUp.Status.OPEN
    )


def pickup_call_logged(
    *, work_order: "WorkOrder", channel: str, reached: bool, at: datetime
) -> None:
    """A pickup call or SMS was made: the open rung of the ladder is done, with its outcome."""
    outcome = f"{channel}:{'reached' if reached else 'not_reached'}"
    calls = list(_open_pickup_calls(work_order))
    if not calls:  # a call off the ladder (reached before, still not collected) counts too
        calls = [
            followup_schedule(
                ticket=work_order.ticket,
                kind=FollowUp.Kind.PICKUP_REMINDER,
                due_at=at,
                owner=work_order.ticket.owner,
                work_order=work_order,
            )
        ]
    for followup in calls:
        followup.attempts += 1
        _finish(followup, outcome=outcome, at=at, action="attempt", note=outcome)


def pickup_attempts(work_order: "WorkOrder") -> list[datetime]:
    """When the unanswered pickup calls were made, oldest first (the ladder counts them)."""
    times = (
        FollowUp.objects.filter(
            work_order=work_order,
            kind=FollowUp.Kind.PICKUP_REMINDER,
            status=FollowUp.Status.DONE,
            outcome__endswith=":not_reached",
        )
        .order_by("done_at")
        .values_list("done_at", flat=True)
    )
    return [t for t in times if t is not None]


def pickup_closed(*, work_order: "WorkOrder") -> None:
    """The unit was collected (or the job ended): no more pickup calls."""
    now = timezone.now()
    for followup in _open_pickup_calls(work_order):
        _finish(followup, outcome="closed", at=now, action="closed")


def _finish(
    followup: FollowUp,
    *,
    outcome: str,
    at: datetime,
    action: str,
    note: str = "",
    by: User | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Mark a follow-up done with its outcome, and write the event that says how."""
    followup.status = FollowUp.Status.DONE
    followup.outcome = outcome
    followup.done_at = at
    followup.save(
        update_fields=[
            "status",
            "attempts",
            "outcome",
            "done_at",
            "satisfied",
            "score",
            "note",
            "done_by",
        ]
    )
    data: dict[str, Any] = {"outcome": outcome, **(extra or {})}
    if followup.score is not None:
        data["score"] = followup.score
    record_event(subject=followup, action=action, actor=by, note=note, data=data)


@transaction.atomic
def followup_complete(
    *,
    followup: FollowUp,
    by: User,
    reached: Any,
    satisfied: Any = None,
    score: Any = None,
    note: str = "",
) -> FollowUp:
    """Record a follow-up call (CONTRACT.md "Follow-ups"): not reached → the next try is put on
    the list; not satisfied → the request is reopened and, for a job, a revisit job waits for
    dispatch ("until satisfied", DOMAIN.md §4.9)."""
    from aftersales.dispatch.selectors import calendar_of
    from aftersales.tickets.services import ticket_reopen_unsatisfied
    from aftersales.workorders.services import work_order_create

    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.status == FollowUp.Status.DONE:
        raise DomainError(
            _("This follow-up is already done."),
            code="invalid_transition",
            details={"allowed": [], "status": followup.status},
        )
    if not rules.may_complete(role_of(by), followup.kind):
        raise Forbidden(_("Your role may not record this follow-up."))
    reached, satisfied, score = _answers(reached, satisfied, score)
    now = timezone.now()
    followup.attempts += 1
    followup.satisfied, followup.score, followup.note, followup.done_by = (
        satisfied,
        score,
        note.strip(),
        by,
    )
    outcome = rules.outcome_of(reached=reached, satisfied=satisfied)
    if followup.kind == FollowUp.Kind.PICKUP_REMINDER and not reached:
        outcome = "phone:not_reached"  # the pickup ladder counts these (pickup_attempts)
    job = followup.work_order
    if followup.kind == FollowUp.Kind.VERIFICATION_CALL and reached and job is not None:
        # Flagged for the branch manager: the record and the customer disagree.
        if rules.verification_mismatch(job.rating, score, satisfied):
            outcome = "mismatch"
    _finish(followup, outcome=outcome, at=now, action="completed", note=note.strip(), by=by)
    if not reached:
        tries = _unanswered_tries(followup)
        due = rules.next_try(followup.kind, tries, calendar_of(followup.ticket.center))
        again = followup_schedule(
            ticket=followup.ticket,
            kind=followup.kind,
            due_at=due,
            owner=followup.owner,
            work_order=followup.work_order,
        )
        FollowUp.objects.filter(pk=again.pk).update(attempts=followup.attempts)
    elif satisfied is False:
        reopened = ticket_reopen_unsatisfied(
            ticket=followup.ticket,
            by=by,
            note=note.strip() or _("The customer is not satisfied."),
            data={"followup": followup.pk},
        )
        if followup.work_order is not None:
            job = followup.work_order
            work_order_create(
                ticket=reopened,
                by=by,
                mode=job.mode,
                center=job.center.code if job.center else None,
                revisit_of=job,
            )
    return followup


def _answers(reached: Any, satisfied: Any, score: Any) -> tuple[bool, bool | None, int | None]:
    if not isinstance(reached, bool):
        raise InvalidInput.field("reached", _("Say whether the customer was reached (true/false)."))
    if satisfied is not None and not isinstance(satisfied, bool):
        raise InvalidInput.field("satisfied", _("Satisfied is true or false."))
    if score is not None and (isinstance(score, bool) or score not in (1, 2, 3, 4, 5)):
        raise InvalidInput.field("score", _("The score is 1 to 5."))
    if not reached and (satisfied is not None or score is not None):
        raise InvalidInput.field(
            "reached", _("A customer who was not reached gives no answer: leave the rest empty.")
        )
    return reached, satisfied, score


def _unanswered_tries(followup: FollowUp) -> list[datetime]:
    """The unanswered tries of this call so far, oldest first (the next try depends on them)."""
    if followup.kind == FollowUp.Kind.PICKUP_REMINDER and followup.work_order is not None:
        return pickup_attempts(followup.work_order)
    times = (
        FollowUp.objects.filter(
            ticket_id=followup.ticket_id,
            work_order_id=followup.work_order_id,
            kind=followup.kind,
            outcome="not_reached",
        )
        .order_by("done_at")
        .values_list("done_at", flat=True)
    )
    return [t for t in times if t is not None]


@transaction.atomic
def followup_rate_from_web(*, ticket: Ticket, score: Any, comment: Any = "") -> FollowUp:
    """The customer rated `ticket` on the portal (CONTRACT.md "Portal"; decisions.md 30): the answer
    to the request's satisfaction survey. It completes the open `satisfaction_survey` (reached,
    the score, `satisfied` from the score, the comment as note, no agent), or, when none is
    open, records a done one. A low score (below SATISFIED_FROM_SCORE) reopens nothing by itself:
    it puts a callback on the agent's list, and the agent's call decides (followup_complete's
    dissatisfied rule). Refused: before the request is resolved (409 `not_ready`), and a second
    rating of the same survey round (409 `already_rated`)."""
    from aftersales.dispatch.selectors import calendar_of

    if not rules.is_score(score):
        raise InvalidInput.field("score", _("The score is 1 to 5."))
    if not isinstance(comment, str) and comment is not None:
        raise InvalidInput.field("comment", _("The comment is text."))
    comment = (comment or "").strip()
    if len(comment) > rules.COMMENT_MAX:
        raise InvalidInput.field(
            "comment",
            _("Please keep the comment under %(n)d characters.") % {"n": rules.COMMENT_MAX},
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)  # one rating at a time
    surveys = FollowUp.objects.filter(ticket=ticket, kind=FollowUp.Kind.SATISFACTION_SURVEY)
    survey = (
        surveys.filter(status=FollowUp.Status.OPEN).select_for_update().order_by("due_at").first()
    )
    answered = surveys.filter(status=FollowUp.Status.DONE).exclude(
        score__isnull=True, satisfied__isnull=True
    )
    refused = rules.web_rating_refusal(
        ticket_status=ticket.status, survey_open=survey is not None, answered=answered.exists()
    )
    if refused == "not_ready":
        raise DomainError(
            _("This request is not finished yet: you can rate it once it is resolved."),
            code="not_ready",
        )
    if refused == "already_rated":
        raise DomainError(
            _("This request has been rated already. Thank you!"), code="already_rated"
        )
    now = timezone.now()
    satisfied = rules.satisfied_by_score(score)
    outcome = rules.outcome_of(reached=True, satisfied=satisfied)
    if survey is None:
        survey = FollowUp.objects.create(
            ticket=ticket,
            kind=FollowUp.Kind.SATISFACTION_SURVEY,
            work_order=ticket.work_orders.order_by("-pk").first(),
            owner=ticket.owner,
            due_at=now,
            status=FollowUp.Status.DONE,
            outcome=outcome,
            satisfied=satisfied,
            score=score,
            note=comment,
            done_at=now,
        )
        record_event(
            subject=survey,
            action="completed",
            actor=None,
            note=comment,
            data={"outcome": outcome, "score": score, "channel": "web"},
            at=now,
        )
    else:
        survey.satisfied, survey.score, survey.note, survey.done_by = (
            satisfied,
            score,
            comment,
            None,
        )
        _finish(
            survey,
            outcome=outcome,
            at=now,
            action="completed",
            note=comment,
            extra={"channel": "web"},
        )
    if rules.web_rating_needs_call(score):
        followup_schedule(
            ticket=ticket,
            kind=rules.callback_kind_after_low_rating(
                has_work_order=survey.work_order_id is not None
            ),
            due_at=calendar_rules.next_opening(now, calendar_of(ticket.center)),
            owner=survey.owner or ticket.owner,
            work_order=survey.work_order,
            reason={"code": "web_rating", "score": score},
            note=comment,
        )
    return survey


RECONCILE_DAYS_BACK = timedelta(days=366)


@transaction.atomic
def verification_calls_create(*, day: date, by: User) -> list[FollowUp]:
    """The archive's daily reconciliation: a `verification_call` for every job of `day` rated
    without the customer's signature (once per job, however often it runs)."""
    from aftersales.workorders.selectors import unsigned_ratings

    if role_of(by) not in rules.RECONCILING_ROLES:
        raise Forbidden(_("The daily reconciliation is the archive's (or a manager's)."))
    if day > timezone.localdate():
        raise InvalidInput.field("day", _("A day that has not come yet has nothing to reconcile."))
    if day < timezone.localdate() - RECONCILE_DAYS_BACK:
        raise InvalidInput.field("day", _("Reconcile a day of the last twelve months."))
    jobs = unsigned_ratings(by, day)
    already = set(
        FollowUp.objects.filter(
            kind=FollowUp.Kind.VERIFICATION_CALL, work_order__in=jobs
        ).values_list("work_order_id", flat=True)
    )
    now = timezone.now()
    return [
        followup_schedule(
            ticket=job.ticket,
            kind=FollowUp.Kind.VERIFICATION_CALL,
            due_at=now,
            owner=by,
            work_order=job,
        )
        for job in jobs
        if job.pk not in already
    ]


@dataclass(frozen=True)
class Claimed:
    """A follow-up the sweep claimed: what the sweep needs to decide whom to text, no more
    (the few it texts are read again with their request and job: `selectors.to_text`)."""

    pk: int
    kind: str
    ticket_id: int
    work_order_id: int | None


@transaction.atomic
def followups_claim_due(*, now: datetime, limit: int = 200) -> list[Claimed]:
    """Claim up to `limit` open follow-ups that fell due and were not queued yet, oldest first,
    in one conditional UPDATE (`queued_at IS NULL` … RETURNING id, kind, request, job): two
    sweeps, or the same sweep twice, never claim one twice. On PostgreSQL the rows are picked
    FOR UPDATE SKIP LOCKED, so a second sweep takes the next rows instead of waiting; SQLite
    runs one writer at a time (IMMEDIATE transactions). One `queued` event per claimed
    follow-up, all written by one INSERT … SELECT (decision 64). No model is loaded: the claim
    returns what the sweep needs."""
    claimed = _claim(now=now, limit=limit)
    _queued_events([c.pk for c in claimed], at=now)
    return claimed


def _queued_events(pks: list[int], *, at: datetime) -> None:
    """The `queued` event of each of these follow-ups, as `record_event` writes it (no actor, no
    note, not shown to the customer, no data), in one INSERT … SELECT: no row goes through
    Python (a `bulk_create` of 1,000 events took a third of a batch on SQLite). No reaction
    follows a `queued` event (core.reactions.declared())."""
    if not pks:
        return
    followup_id = _column(FollowUp, "id")
    constants = {  # `actor` is left out: NULL
        "content_type": ContentType.objects.get_for_model(FollowUp).pk,
        "at": _db_value(Event, "at", at),
        "action": "queued",
        "note": "",
        "customer_visible": False,
        "data": _db_value(Event, "data", {}),
    }
    columns = ", ".join(_column(Event, name) for name in ["object_id", *constants])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Event)} ({columns}) "
            f"SELECT {followup_id}, {', '.join(['%s'] * len(constants))} "
            f"FROM {_table(FollowUp)} WHERE {followup_id} IN ({', '.join(['%s'] * len(pks))})",
            [*constants.values(), *pks],
        )


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)  # type: ignore[union-attr,arg-type]


def _db_value(model: type[Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]


_RETURNED = ("id", "kind", "ticket", "work_order")  # the columns the claim returns


def _claim(*, now: datetime, limit: int) -> list[Claimed]:
    """Set `queued_at = now` on up to `limit` due, unqueued, open follow-ups; what they are."""
    due = FollowUp.objects.filter(
        status=FollowUp.Status.OPEN, queued_at__isnull=True, due_at__lte=now
    )
    if not connection.features.can_return_columns_from_insert:  # pragma: no cover (old SQLite)
        candidates = list(due.order_by("due_at").values_list(*_RETURNED)[:limit])
        return [
            Claimed(*row)
            for row in candidates
            if FollowUp.objects.filter(pk=row[0], queued_at__isnull=True).update(queued_at=now)
        ]
    picked = due.order_by("due_at").values("pk")[:limit]
    if connection.features.has_select_for_update_skip_locked:
        picked = picked.select_for_update(skip_locked=True)
    pick_sql, pick_params = picked.query.sql_with_params()
    pk, queued_at = _column(FollowUp, "id"), _column(FollowUp, "queued_at")
    returned = ", ".join(_column(FollowUp, name) for name in _RETURNED)
    with connection.cursor() as cursor:
        # The pick is MATERIALIZED: read once. As a plain `IN (subquery)` PostgreSQL may run it
        # again for each row it updates, and each run skips the rows just updated (locked by
        # this very statement) and takes the next ones: a batch of 3 claimed 7.
        cursor.execute(
            f"WITH picked AS MATERIALIZED ({pick_sql}) "
            f"UPDATE {_table(FollowUp)} SET {queued_at} = %s "
            f"WHERE {pk} IN (SELECT pk FROM picked) AND {queued_at} IS NULL "
            f"RETURNING {returned}",
            (*pick_params, _db_value(FollowUp, "queued_at", now)),
        )
        return sorted((Claimed(*row) for row in cursor.fetchall()), key=lambda c: c.pk)


# The free text of follow-ups a privacy erase rewrites (decision 70; the privacy registry lists it).
PRIVATE_TEXT: dict[type[Model], tuple[str, ...]] = {
    FollowUp: ("outcome", "note", "reason"),
}


@transaction.atomic
def followups_privacy_erase(*, customer_id: int, own: Redactor, everywhere: Redactor) -> int:
    """A privacy erase's part in follow-ups (decision 70): the person's own calls lose their
    name, phone and address in their outcome, note and reason; every call loses their phone
    number. Kinds, times, attempts, answers and scores stay. A pure data rewrite, no event: the
    erase writes its one event on the customer's timeline."""
    theirs: dict[type[Model], Any] = {
        FollowUp: FollowUp.objects.filter(ticket__customer_id=customer_id)
    }
    return rewrite_person(PRIVATE_TEXT, theirs, own=own, everywhere=everywhere)
