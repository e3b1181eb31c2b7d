"""Seed the timer sweep's backlog: open follow-ups that fell due and were never queued, on the
seeded service requests, and put them back to unqueued between runs (issue #7).

At the full size (`--rows` ≥ 100,000): 100,000 due follow-ups of every kind, about 10 % pickup
reminders on a seeded work order (each queues one SMS when claimed). Smaller runs scale down
(`followups_for`), so the smoke test stays fast. The bench's follow-ups carry `note = MARK`.
"""

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.notifications.models import Message
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from bench import seed as base

FOLLOWUPS = 100_000
MARK = "bench-sweep"
DUE_DAYS = 30  # fell due over the last 30 days
SWEEP_LIMIT = 200  # one pass of the worker's timer (timers_sweep's default)
KIND_MIX = [  # (kind, weight); pickup reminders need a work order
    (FollowUp.Kind.REPAIR_CALLBACK, 35),
    (FollowUp.Kind.SATISFACTION_SURVEY, 30),
    (FollowUp.Kind.CONSULTATION_CALLBACK, 13),
    (FollowUp.Kind.PICKUP_REMINDER, 10),
    (FollowUp.Kind.COMPLAINT_FOLLOWUP, 6),
    (FollowUp.Kind.VERIFICATION_CALL, 6),
]
REMINDER_KEY = "pickup_reminder:followup:"  # notifications.timers_sweep's dedupe key prefixes
SURVEY_KEY = "survey_link:followup:"


def followups_for(rows: int) -> int:
    return min(FOLLOWUPS, rows)


@dataclass
class FollowUpReport:
    followups: int
    added: int = 0
    seconds: float = 0.0


def bench_followups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(note=MARK)


def seed_followups(rows: int, out: TextIO, batch: int = base.BATCH) -> FollowUpReport:
    """Top up to `followups_for(rows)` open, due, unqueued follow-ups (bulk_create)."""
    started = time.perf_counter()
    want = followups_for(rows)
    have = bench_followups().count()
    if have >= want:
        return FollowUpReport(followups=have)
    tickets = list(Ticket.objects.order_by("-pk").values_list("pk", flat=True)[:want])
    jobs = list(WorkOrder.objects.order_by("-pk").values_list("pk", "ticket_id")[:want])
    if not tickets:
        return FollowUpReport(followups=have)
    mix = base.Weighted([(str(kind), w) for kind, w in KIND_MIX])
    now = timezone.now()
    progress = base.Progress("due follow-ups", want - have, out)
    reminders = 0
    for start in range(have, want, batch):
        stop = min(start + batch, want)
        rng = random.Random(f"followups-{start}")
        made = []
        for k in range(start, stop):
            kind = mix.pick(rng)
            work_order = None
            if kind == FollowUp.Kind.PICKUP_REMINDER and jobs:
                # Two calls per job: the first texts nothing (the "ready" SMS said it), the
                # second queues the reminder SMS (decision 31).
                work_order, ticket = jobs[(reminders // 2) % len(jobs)]
                reminders += 1
            else:
                if kind == FollowUp.Kind.PICKUP_REMINDER:
                    kind = FollowUp.Kind.REPAIR_CALLBACK
                ticket = tickets[k % len(tickets)]
            due = now - timedelta(seconds=60 + rng.randrange(DUE_DAYS * 86400))
            made.append(
                FollowUp(
                    kind=kind,
                    due_at=due,
                    ticket_id=ticket,
                    work_order_id=work_order,
                    note=MARK,
                    created_at=due - timedelta(days=rng.randrange(1, 8)),
                )
            )
        with transaction.atomic():
            FollowUp.objects.bulk_create(made, batch_size=2000)
        progress.update(stop - have, final=stop == want)
    base.analyze([FollowUp])
    return FollowUpReport(
        followups=bench_followups().count(),
        added=want - have,
        seconds=time.perf_counter() - started,
    )


def reset_followups() -> int:
    """Put the bench's follow-ups back to open and unqueued, and delete what the sweep made of
    them (their `queued` events, the pickup and survey-link SMS and their delivery tasks): the
    next sweep starts from the same backlog. Returns how many follow-ups are due again."""
    from django_tasks_db.models import DBTaskResult

    ours = bench_followups()
    with transaction.atomic():
        Event.objects.filter(
            content_type=ContentType.objects.get_for_model(FollowUp),
            action="queued",
            object_id__in=ours.values("pk"),
        ).delete()
        messages = Message.objects.filter(
            Q(dedupe_key__startswith=REMINDER_KEY) | Q(dedupe_key__startswith=SURVEY_KEY)
        )
        # The sweep's batches (one deliver_messages task per pass) not run yet: only the bench
        # seeds a backlog in this database, so every waiting batch is the bench's.
        DBTaskResult.objects.filter(task_path__endswith="deliver_messages", status="READY").delete()
        messages.delete()
        return ours.update(queued_at=None, status=FollowUp.Status.OPEN)


def backlog_now() -> datetime:
    """The moment the sweep runs at: just after every bench follow-up fell due."""
    return timezone.now()


@dataclass
class BacklogResult:
    followups: int  # claimed, all passes
    pickup_sms: int
    passes: int
    seconds: float
    survey_links: int = 0

    @property
    def rows_per_second(self) -> float:
        return self.followups / self.seconds if self.seconds else 0.0


def sweep_backlog(limit: int = SWEEP_LIMIT, max_passes: int = 1_000_000) -> BacklogResult:
    """Reset the backlog, then run `timers_sweep` passes of `limit` (one `now`) until a pass
    claims nothing: the time the worker needs to catch up with every due follow-up."""
    from aftersales.notifications.services import timers_sweep

    reset_followups()
    now = backlog_now()
    claimed = sms = links = passes = 0
    started = time.perf_counter()
    while passes < max_passes:
        result = timers_sweep(now=now, limit=limit)
        passes += 1
        claimed += result["followups"]
        sms += result["pickup_sms"]
        links += result["survey_links"]
        if not result["followups"]:
            break
    return BacklogResult(claimed, sms, passes, time.perf_counter() - started, links)


BACKLOG_HEADER = (
    f"{'sweep of the whole backlog':<40} {'rows':>9} {'passes':>6} {'seconds':>10} "
    f"{'rows/s':>9} {'SMS':>6}"
)


def format_backlog(result: BacklogResult, limit: int = SWEEP_LIMIT) -> str:
    name = f"timers_sweep(limit={limit}) until empty"
    return "\n".join(
        [
            BACKLOG_HEADER,
            f"{name:<40} {result.followups:>9} {result.passes:>6} {result.seconds:>10.2f} "
            f"{result.rows_per_second:>9.0f} {result.pickup_sms + result.survey_links:>6}",
        ]
    )
