"""Seed the timer sweep's backlog: open follow-ups that fell due and were never queued, on the
seeded service requests, and put them back to unqueued between runs (issue #7); then two
worker processes sweep it at once, as two `aftersales worker` do (issue #17).

At the full size (`--rows` ≥ 100,000): 100,000 due follow-ups of every kind, about 10 % pickup
reminders on a seeded work order (each queues one SMS when claimed). Smaller runs scale down
(`followups_for`), so the smoke test stays fast. The bench's follow-ups carry `note = MARK`.
"""

import multiprocessing
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.notifications.models import Message
from aftersales.notifications.services import SWEEP_BATCH
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from bench import seed as base

FOLLOWUPS = 100_000
MARK = "bench-sweep"
DUE_DAYS = 30  # fell due over the last 30 days
SWEEP_LIMIT = 200  # the latency table's pass (bench.cases.timer_sweep_pass), as measured since #7
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


WORKERS = 2  # the whole backlog is swept by two workers at once (issue #17)


@dataclass
class BacklogResult:
    followups: int  # claimed, all workers
    pickup_sms: int
    passes: int  # batches, all workers
    seconds: float
    survey_links: int = 0
    workers: int = 1
    limit: int = SWEEP_BATCH
    events: int = 0  # the backlog's `queued` events afterwards
    claimed_once: bool = False  # every bench follow-up claimed, by one worker, with one event

    @property
    def rows_per_second(self) -> float:
        return self.followups / self.seconds if self.seconds else 0.0


def _drain(now: datetime, limit: int) -> dict[str, int]:
    """One worker's sweep of the backlog: the worker's own call (batches until one comes back
    short)."""
    from aftersales.notifications.services import timers_sweep

    return timers_sweep(now=now, limit=limit, drain=True)


def _worker_process(now: datetime, limit: int, results: Any) -> None:
    """A forked worker: its sweep, then its own database connection closed."""
    from django.db import connections

    try:
        results.put(_drain(now, limit))
    except BaseException as exc:  # the parent waits for one answer per worker: say why
        results.put({"error": repr(exc)})
        raise
    finally:
        connections.close_all()


def sweep_backlog(limit: int = SWEEP_BATCH, workers: int = WORKERS) -> BacklogResult:
    """Reset the backlog, then let `workers` worker processes sweep it at once, each as the
    worker does (`timers_sweep(drain=True)`, batches of `limit`, one `now`): the time until every
    due follow-up is claimed. Then check that each was claimed once (one `queued` event each).
    One worker runs in this process (the tests: their data is not committed)."""
    from django.db import connections

    reset_followups()
    now = backlog_now()
    started = time.perf_counter()
    if workers == 1:
        results = [_drain(now, limit)]
    else:
        connections.close_all()  # each forked worker opens its own connection
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        processes = [
            context.Process(target=_worker_process, args=(now, limit, queue))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        for process in processes:
            process.join()
        failed = [r["error"] for r in results if "error" in r]
        if failed:
            raise RuntimeError(f"a sweep worker failed: {failed[0]}")
    seconds = time.perf_counter() - started
    ours = bench_followups()
    events = Event.objects.filter(
        content_type=ContentType.objects.get_for_model(FollowUp),
        action="queued",
        object_id__in=ours.values("pk"),
    )
    claimed = sum(r["followups"] for r in results)
    total, queued = events.count(), events.values("object_id").distinct().count()
    every = not ours.filter(queued_at__isnull=True).exists()
    return BacklogResult(
        followups=claimed,
        pickup_sms=sum(r["pickup_sms"] for r in results),
        passes=sum(r["batches"] for r in results),
        seconds=seconds,
        survey_links=sum(r["survey_links"] for r in results),
        workers=workers,
        limit=limit,
        events=total,
        claimed_once=every and claimed == total == queued == ours.count(),
    )


BACKLOG_HEADER = (
    f"{'sweep of the whole backlog':<44} {'rows':>9} {'batches':>7} {'seconds':>9} "
    f"{'rows/s':>8} {'SMS':>6}  each once"
)


def format_backlog(result: BacklogResult) -> str:
    workers = f"{result.workers} worker{'s' if result.workers > 1 else ''}"
    name = f"{workers}, batches of {result.limit} until empty"
    return "\n".join(
        [
            BACKLOG_HEADER,
            f"{name:<44} {result.followups:>9} {result.passes:>7} {result.seconds:>9.2f} "
            f"{result.rows_per_second:>8.0f} {result.pickup_sms + result.survey_links:>6}  "
            f"{'yes' if result.claimed_once else 'NO'}",
        ]
    )
