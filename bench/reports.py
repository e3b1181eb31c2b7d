"""Seed what the reports count beyond the rows themselves (issue 19's speed): the requests'
timelines, the closed jobs' visits, reschedules, waivers and repeat repairs, and the
satisfaction surveys answered after the hand-overs. On top of `bench.seed` and
`bench.dispatch` (which give the closed jobs their hand-over: outcome, rating, fee); tops up only
what is missing, each part from the last row it already covers, in batches inserted as
`bench.seed` inserts (COPY on PostgreSQL).

Per request: its `created` event, a `resolve` at its `resolved_at` and a `close` at its
`closed_at` (the KPIs read the first `resolve` of each request). Per closed on-site job: one visit
(two for one in seven: the first unfinished), arriving within or up to 30 minutes before or after
its two-hour window (a sixth late); a reschedule event for one in ten. One closed job in fifty
had a fee waived; a repeat repair points at the unit's previous job (or the center's). One
hand-over in four got a satisfaction survey answered two to five days later, by phone.
"""

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Max

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import Visit, WorkOrder
from bench import seed as base

SURVEY_MARK = "bench-survey"  # the surveys' note (the sweep's backlog is `bench.followups.MARK`)
EVENT_FIELDS = ["content_type", "object_id", "at", "actor", "action", "customer_visible", "data"]
VISIT_FIELDS = (
    "work_order number technician window_start window_end arrived_at visit_incomplete created_at"
).split()
SURVEY_FIELDS = (
    "kind due_at ticket work_order status attempts satisfied score note done_at created_at"
).split()
SCORES = [5, 5, 5, 5, 5, 4, 4, 4, 3, 2, 1]


def drawn(pk: int, salt: int) -> float:
    """A number in [0, 1) fixed by the row's pk and `salt` (a hash): whether a job gets a
    reschedule, a waiver or a survey must not change when a later run reads it again (each part
    tops up after the last job that got one, so the jobs after it are read again)."""
    z = (pk * 0x9E3779B97F4A7C15 + salt) & MASK  # splitmix64's mixing
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return (z ^ (z >> 31)) / 2**64


MASK = 2**64 - 1


@dataclass
class HistoryReport:
    events: int = 0  # rows added this run
    visits: int = 0
    surveys: int = 0
    repeats: int = 0
    seconds: float = 0.0

    @property
    def added(self) -> int:
        return self.events + self.visits + self.surveys + self.repeats


def seed_report_history(out: TextIO, batch: int = base.BATCH) -> HistoryReport:
    started = time.perf_counter()
    report = HistoryReport(
        events=_ticket_events(out, batch) + _job_events(out, batch),
        visits=_visits(out, batch),
        surveys=_surveys(out, batch),
        repeats=_repeats_of(),
    )
    if report.added:
        base.analyze([Event, Visit, FollowUp, WorkOrder])
    report.seconds = time.perf_counter() - started
    return report


def _in_batches(
    label: str,
    source: Iterator[tuple[Any, ...]],
    total: int,
    make: Any,
    model: Any,
    names: list[str],
    out: TextIO,
    batch: int,
) -> int:
    """Rows `make(chunk)` yields for each `batch` rows of `source`, each chunk in its own
    transaction; returns how many rows were inserted."""
    if not total:
        return 0
    progress = base.Progress(label, total, out)
    done = added = 0
    chunk: list[tuple[Any, ...]] = []

    def flush() -> None:
        nonlocal added
        with transaction.atomic():
            added += base.insert_rows(model, names, make(chunk))

    for row in source:
        chunk.append(row)
        if len(chunk) == batch:
            flush()
            done += len(chunk)
            chunk = []
            progress.update(done)
    if chunk:
        flush()
        done += len(chunk)
    progress.update(done, final=True)
    return added


def _after(queryset: Any, last: int | None, *fields: str) -> tuple[Iterator[Any], int]:
    rows = queryset.filter(pk__gt=last or 0).order_by("pk")
    return rows.values_list("pk", *fields).iterator(chunk_size=10_000), rows.count()


def _ticket_events(out: TextIO, batch: int) -> int:
    kind = ContentType.objects.get_for_model(Ticket).pk
    last = Event.objects.filter(content_type=kind, action="created").aggregate(n=Max("object_id"))
    source, total = _after(
        Ticket.objects.all(), last["n"], "created_at", "created_by", "owner", "resolved_at",
        "closed_at",
    )  # fmt: skip

    def make(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for pk, created, by, owner, resolved, closed in chunk:
            yield (kind, pk, created, by, "created", True, "{}")
            if resolved is not None:
                yield (kind, pk, resolved, owner, "resolve", True, "{}")
            if closed is not None:
                yield (kind, pk, closed, owner, "close", True, "{}")

    return _in_batches("request timelines", source, total, make, Event, EVENT_FIELDS, out, batch)


def _closed_jobs(*fields: str, after: int | None, **where: Any) -> tuple[Iterator[Any], int]:
    jobs = WorkOrder.objects.filter(status="closed", handed_over_at__isnull=False, **where)
    return _after(jobs, after, *fields)


def _job_events(out: TextIO, batch: int) -> int:
    kind = ContentType.objects.get_for_model(WorkOrder).pk
    last = Event.objects.filter(content_type=kind, action__in=("schedule", "waive")).aggregate(
        n=Max("object_id")
    )
    source, total = _closed_jobs("mode", "technician", "created_at", "paid", after=last["n"])

    def make(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(f"job-events-{chunk[0][0]}")
        for pk, mode, tech, created, paid in chunk:
            if mode == "on_site" and drawn(pk, 1) < 0.1:
                at = created + timedelta(hours=2 + 20 * rng.random())
                data = f'{{"previous": "{(at + timedelta(days=1)).isoformat()}", "reason": "客户改约"}}'
                yield (kind, pk, at, tech, "schedule", True, data)
            if drawn(pk, 2) < 0.02:
                amount = "50.00" if paid else "30.00"
                at = created + timedelta(hours=4 + 20 * rng.random())
                yield (kind, pk, at, None, "waive", False, f'{{"amount": "{amount}"}}')

    return _in_batches("jobs' reschedules", source, total, make, Event, EVENT_FIELDS, out, batch)


def _visits(out: TextIO, batch: int) -> int:
    last = Visit.objects.filter(work_order__status="closed").aggregate(n=Max("work_order"))
    source, total = _closed_jobs("technician", "handed_over_at", after=last["n"], mode="on_site")

    def make(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(f"visits-{chunk[0][0]}")
        for pk, tech, handed in chunk:
            window = handed - timedelta(hours=3 + 2 * rng.random())
            number = 1
            if rng.random() < 0.15:  # a first visit that did not finish the job
                first = window - timedelta(days=1 + rng.randrange(3))
                arrived = first + timedelta(minutes=rng.randrange(-30, 150))
                end = first + timedelta(hours=2)
                yield (pk, 1, tech, first, end, arrived, "parts_missing", first)
                number = 2
            arrived = window + timedelta(minutes=rng.randrange(-30, 150))
            made = window - timedelta(days=1)
            yield (pk, number, tech, window, window + timedelta(hours=2), arrived, "", made)

    return _in_batches("visits", source, total, make, Visit, VISIT_FIELDS, out, batch)


def _surveys(out: TextIO, batch: int) -> int:
    last = FollowUp.objects.filter(note=SURVEY_MARK).aggregate(n=Max("work_order"))
    source, total = _closed_jobs("ticket", "handed_over_at", after=last["n"])

    def make(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(f"surveys-{chunk[0][0]}")
        for pk, ticket, handed in chunk:
            if drawn(pk, 3) >= 0.25:
                continue
            due: datetime = handed + timedelta(days=2)
            done = due + timedelta(hours=rng.randrange(72))
            score = SCORES[rng.randrange(len(SCORES))]
            kind = FollowUp.Kind.SATISFACTION_SURVEY.value
            yield (kind, due, ticket, pk, "done", 1, score >= 4, score, SURVEY_MARK, done, handed)

    return _in_batches("surveys", source, total, make, FollowUp, SURVEY_FIELDS, out, batch)


def _repeats_of() -> int:
    """The repeat repairs' earlier job: the unit's previous one, else the center's previous one
    (one UPDATE; only those still without one that have one: not a center's first job)."""
    table = connection.ops.quote_name(WorkOrder._meta.db_table)
    sql = f"""
        UPDATE {table} SET repeat_of_id = COALESCE(
            (SELECT MAX(e.id) FROM {table} e WHERE e.unit_id = {table}.unit_id AND e.id < {table}.id),
            (SELECT MAX(e.id) FROM {table} e WHERE e.center_id = {table}.center_id AND e.id < {table}.id)
        )
        WHERE repeat_repair AND repeat_of_id IS NULL AND status = 'closed' AND EXISTS
            (SELECT 1 FROM {table} e WHERE e.center_id = {table}.center_id AND e.id < {table}.id)
    """  # noqa: S608 (no input: the table's own name)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
        return max(cursor.rowcount, 0)
