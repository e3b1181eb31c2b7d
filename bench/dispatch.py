"""Seed the dispatch load: technicians with skills, areas, leave and booked visits, and open
work orders (many depot jobs, a few thousand on-site ones with appointments), on top of the
seeded service requests. Tops up only what is missing, like `bench.seed`.

At the full size (`--rows` ≥ 50,000): 500 technicians over the four repair centers and 50,000
open jobs, and the closed jobs of the past three years (`history_for`: as many as make the work
orders `--rows` in all, 950,000 at a million rows), so the lists and searches of work orders read
at the size issue #17 names. Smaller runs scale down (`technicians_for`, `jobs_for`), so the smoke
test stays fast.
"""

import random
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from aftersales.core.models import NumberSequence
from aftersales.core.roles import TECHNICIAN, sync_roles
from aftersales.dispatch.models import Leave, StaffProfile, TechnicianProfile
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from bench import seed as base

TECHNICIANS = 500
JOBS = 50_000
TECH_PREFIX = "bench-tech-"
WO_PREFIX = "WO"
WO_DAYS = 60  # open jobs were opened over the last 60 days (before today)
HORIZON_DAYS = 14  # booked visits over the next 14 days

# Each repair center's share of the technicians, and the narrower areas (cities) some of them
# cover; the rest cover the whole center's regions. Codes are the seeded customers' districts'.
CITY_AREAS = {
    "bench-sh": ["310100", "330100"],
    "bench-bj": ["110100", "420100"],
    "bench-gz": ["440100", "440300"],
    "bench-cd": ["510100"],
}
SKILL_SETS = [  # (skills, weight): most repair phones; some tablets and watches too
    (["mobile_phone"], 45),
    (["mobile_phone", "tablet"], 30),
    (["mobile_phone", "tablet", "smartwatch"], 15),
    (["tablet", "smartwatch"], 10),
]
# The open jobs: (mode, status, weight). Depot jobs dominate; on-site jobs are assigned or
# scheduled (a visit booked within the horizon); a few of each wait for a technician (created).
JOB_MIX = [
    ("carry_in", "received", 14),
    ("carry_in", "diagnosing", 12),
    ("carry_in", "awaiting_parts", 16),
    ("carry_in", "repairing", 12),
    ("carry_in", "qc", 4),
    ("carry_in", "ready", 12),
    ("mail_in", "received", 4),
    ("mail_in", "repairing", 5),
    ("mail_in", "ready", 3),
    ("pull_back", "repairing", 2),
    ("carry_in", "created", 3),
    ("on_site", "created", 1),
    ("on_site", "assigned", 2),
    ("on_site", "scheduled", 8),
    ("on_site", "diagnosing", 1),
    ("on_site", "awaiting_parts", 1),
]
WO_FIELDS = (
    "number ticket unit mode status center technician created_at appointment_start "
    "appointment_end received_at agreement_signed"
).split()
# The closed jobs also carry their hand-over, what the reports count (bench.reports seeds their
# visits, surveys and timeline): most repaired within days, three in four rated, a third paying.
HISTORY_FIELDS = [
    *WO_FIELDS,
    *"handed_over_at closed_at outcome rating paid qc_fail_count repeat_repair".split(),
]
OUTCOMES = [
    ("repaired", 80),
    ("no_fault_found", 8),
    ("exchanged", 6),
    ("refunded", 3),
    ("returned_unrepaired", 3),
]
RATINGS = [("5", 55), ("4", 25), ("3", 10), ("2", 5), ("1", 5)]
FEES = [Decimal(v) for v in ("30.00", "50.00", "80.00", "120.00", "200.00", "350.00")]


def technicians_for(rows: int) -> int:
    return min(TECHNICIANS, max(12, rows // 100))


def jobs_for(rows: int) -> int:
    return min(JOBS, rows)


def history_for(rows: int) -> int:
    """Closed jobs: with the open ones, `rows` work orders in all."""
    return max(0, rows - jobs_for(rows))


def tech_name(n: int) -> str:
    return f"{TECH_PREFIX}{n:03d}"


@dataclass
class DispatchReport:
    technicians: int
    work_orders: int
    added_technicians: int = 0
    added_work_orders: int = 0
    seconds: float = 0.0


def seed_dispatch(rows: int, out: TextIO, batch: int = base.BATCH) -> DispatchReport:
    started = time.perf_counter()
    added_techs = _seed_technicians(technicians_for(rows))
    # The closed jobs of the past first: numbered (ids) before the open ones, as the years
    # before today's work would be. (After them, the newest ids were all closed jobs, and a
    # list of one open status read past all of them: a shape no service's data has.)
    added_jobs = _seed_history(history_for(rows), out, batch)
    added_jobs += _seed_work_orders(jobs_for(rows), out, batch)
    if added_jobs:
        base.analyze([WorkOrder, TechnicianProfile, Leave])
    return DispatchReport(
        technicians=TechnicianProfile.objects.filter(
            user__username__startswith=TECH_PREFIX
        ).count(),
        work_orders=WorkOrder.objects.count(),
        added_technicians=added_techs,
        added_work_orders=added_jobs,
        seconds=time.perf_counter() - started,
    )


# --- technicians -----------------------------------------------------------------------------


def _seed_technicians(want: int) -> int:
    """`want` technicians spread over the repair centers, made with bulk_create (one password
    hash shared by all: Argon2 for each would take minutes)."""
    users = get_user_model().objects
    have = set(users.filter(username__startswith=TECH_PREFIX).values_list("username", flat=True))
    missing = [n for n in range(1, want + 1) if tech_name(n) not in have]
    if not missing:
        return 0
    centers, _staff = base.ensure_network()
    if not Group.objects.filter(name=TECHNICIAN).exists():
        sync_roles()
    group = Group.objects.get(name=TECHNICIAN)
    password = make_password(base.STAFF_PASSWORD)
    rng = random.Random(f"technicians-{want}")
    weights = [w for _s, w in SKILL_SETS]
    today = timezone.localdate()
    with transaction.atomic():
        made = users.bulk_create(
            [
                users.model(
                    username=tech_name(n),
                    first_name=base.random_name(rng),
                    password=password,
                    is_staff=True,
                    is_active=True,
                )
                for n in missing
            ]
        )
        made = list(users.filter(username__in=[tech_name(n) for n in missing]).order_by("id"))
        users.model.groups.through.objects.bulk_create(
            [users.model.groups.through(user_id=u.pk, group_id=group.pk) for u in made]
        )
        profiles, techs, leave = [], [], []
        for user in made:
            n = int(user.username.removeprefix(TECH_PREFIX))
            code = base.BRANCHES[n % len(base.BRANCHES)]
            profiles.append(StaffProfile(user=user, center_id=centers[code]))
            skills = rng.choices([s for s, _w in SKILL_SETS], weights)[0]
            area = [rng.choice(CITY_AREAS[code])] if rng.random() < 0.4 else []
            techs.append(
                TechnicianProfile(
                    user=user,
                    skills=skills,
                    regions=area,
                    daily_capacity=rng.choice((5, 6, 6, 6, 8)),
                    dispatchable=rng.random() > 0.03,
                    calendar_key=secrets.token_urlsafe(24),
                )
            )
            if rng.random() < 0.08:  # away for a few days within the next two weeks
                first = today + timedelta(days=rng.randrange(HORIZON_DAYS))
                last = first + timedelta(days=rng.randrange(1, 6))
                leave.append(Leave(technician=user, first_day=first, last_day=last, reason="年假"))
        StaffProfile.objects.bulk_create(profiles)
        TechnicianProfile.objects.bulk_create(techs)
        Leave.objects.bulk_create(leave)
    return len(made)


# --- open work orders ------------------------------------------------------------------------


def _technicians_by_center() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for user_id, center_id in StaffProfile.objects.filter(
        user__username__startswith=TECH_PREFIX
    ).values_list("user_id", "center_id"):
        found.setdefault(center_id, []).append(user_id)
    for ids in found.values():
        ids.sort()
    return found


def _ticket_pool(want: int) -> list[tuple[int, int, int]]:
    """(ticket, unit, center) of the newest requests that name a unit (a job needs a unit)."""
    rows = list(
        Ticket.objects.filter(unit__isnull=False, center__isnull=False)
        .order_by("-pk")
        .values_list("pk", "unit_id", "center_id")[:want]
    )
    return rows


def _visit(rng: random.Random, today: date, tz: Any) -> tuple[datetime, datetime]:
    """A two-hour visit on a working-day morning or afternoon within the horizon."""
    while True:
        day = today + timedelta(days=rng.randrange(1, HORIZON_DAYS + 1))
        if day.weekday() < 5:
            break
    start = clock_time(rng.choice((9, 10))) if rng.random() < 0.5 else clock_time(14)
    begins = datetime.combine(day, start, tzinfo=tz)
    return begins, begins + timedelta(hours=2)


def _top_up_numbered(
    label: str,
    have: int,
    want: int,
    rows: Callable[[int, int], Iterator[tuple[Any, ...]]],
    counters: dict[date, int],
    touched: set[date],
    out: TextIO,
    batch: int,
    names: list[str] = WO_FIELDS,
) -> int:
    """Insert the jobs `rows` makes (columns `names`); each batch also writes the day counters
    it moved (the numbers `core.services.next_number` continues from), in the batch's
    transaction."""

    def save_counters() -> None:
        for day in sorted(touched):
            NumberSequence.objects.update_or_create(
                prefix=WO_PREFIX, day=day, defaults={"last": counters[day]}
            )
        touched.clear()

    return base._top_up(
        label, have, want, rows, WorkOrder, names, out, batch, after_batch=save_counters
    )


def _seed_history(want: int, out: TextIO, batch: int) -> int:
    """Closed jobs of the requests that name a unit, oldest first (a request may get a second
    job, a repeat repair), each opened an hour or so after its request and numbered on its day,
    and handed over (`HISTORY_FIELDS`) a few days later: on site within 4 days, at the depot
    within 10, never after now."""
    have = WorkOrder.objects.filter(status="closed").count()
    if have >= want:
        return 0
    pool = list(
        Ticket.objects.filter(unit__isnull=False, center__isnull=False)
        .order_by("pk")
        .values_list("pk", "unit_id", "center_id", "created_at")[:want]
    )
    by_center = _technicians_by_center()
    if not pool or not by_center:
        return 0
    tz = timezone.get_current_timezone()
    counters = dict(NumberSequence.objects.filter(prefix=WO_PREFIX).values_list("day", "last"))
    touched: set[date] = set()
    modes = base.Weighted([("carry_in", 70), ("on_site", 20), ("mail_in", 10)])
    outcomes, ratings = base.Weighted(OUTCOMES), base.Weighted(RATINGS)
    latest = timezone.now() - timedelta(minutes=1)

    def rows(start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(f"closed-work-orders-{start}")
        for k in range(start, stop):
            ticket, unit, center, opened = pool[k % len(pool)]
            created = opened + timedelta(minutes=10 + rng.randrange(600))
            day = created.astimezone(tz).date()
            counters[day] = counters.get(day, 0) + 1
            touched.add(day)
            number = f"{WO_PREFIX}{day:%y%m%d}{counters[day]:04d}"
            techs = by_center.get(center) or []
            tech = techs[rng.randrange(len(techs))] if techs else None
            mode = modes.pick(rng)
            received = created if mode != "on_site" else None
            days = 0.5 + 3.5 * rng.random() if mode == "on_site" else 1 + 9 * rng.random()
            handed = min(created + timedelta(days=days), latest)
            rated = rng.random() < 0.75
            yield (
                number,
                ticket,
                unit,
                mode,
                "closed",
                center,
                tech,
                created,
                None,
                None,
                received,
                received is not None,
                handed,
                handed,
                outcomes.pick(rng),
                int(ratings.pick(rng)) if rated else None,
                FEES[rng.randrange(len(FEES))] if rng.random() < 0.3 else Decimal(0),
                1 if rng.random() < 0.05 else 0,
                rng.random() < 0.03,
            )

    return _top_up_numbered(
        "closed work orders", have, want, rows, counters, touched, out, batch, HISTORY_FIELDS
    )


def _seed_work_orders(want: int, out: TextIO, batch: int) -> int:
    have = WorkOrder.objects.exclude(status="closed").count()
    if have >= want:
        return 0
    pool = _ticket_pool(want)
    by_center = _technicians_by_center()
    if not pool or not by_center:
        return 0
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    counters = dict(NumberSequence.objects.filter(prefix=WO_PREFIX).values_list("day", "last"))
    touched: set[date] = set()
    mix = base.Weighted([(f"{m}:{s}", w) for m, s, w in JOB_MIX])
    # Visits already booked per (technician, day): kept under the technician's usual capacity.
    booked: dict[tuple[int, date], int] = {}

    def rows(start: int, stop: int) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(f"work-orders-{start}")
        for k in range(start, stop):
            ticket, unit, center = pool[k % len(pool)]
            mode, status = mix.pick(rng).split(":")
            day = today - timedelta(days=1 + rng.randrange(WO_DAYS))
            counters[day] = counters.get(day, 0) + 1
            touched.add(day)
            number = f"{WO_PREFIX}{day:%y%m%d}{counters[day]:04d}"
            created = datetime.combine(day, clock_time(9), tzinfo=tz) + timedelta(
                seconds=rng.randrange(9 * 3600)
            )
            techs = by_center.get(center) or []
            tech = techs[rng.randrange(len(techs))] if techs and status != "created" else None
            start_at = end_at = None
            if mode == "on_site" and status not in ("created", "assigned") and tech:
                for _attempt in range(4):
                    start_at, end_at = _visit(rng, today, tz)
                    slot = (tech, start_at.date())
                    if booked.get(slot, 0) < 4:
                        booked[slot] = booked.get(slot, 0) + 1
                        break
                    tech = techs[rng.randrange(len(techs))]
            received = created if mode != "on_site" and status != "created" else None
            yield (
                number,
                ticket,
                unit,
                mode,
                status,
                center,
                tech,
                created,
                start_at,
                end_at,
                received,
                received is not None,
            )

    return _top_up_numbered("open work orders", have, want, rows, counters, touched, out, batch)
