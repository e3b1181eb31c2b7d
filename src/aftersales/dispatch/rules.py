"""Pure rules of the service network."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from aftersales.core.rules import WorkingCalendar, add_business_days, working_intervals


def region_prefix(code: str) -> str:
    """The part of a GB/T 2260 code a center serves: 440000 → 44, 440100 → 4401, 440106 → 440106."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def most_specific_match(center_regions: Iterable[str], region: str) -> int:
    """How closely a center serves `region` (length of its best prefix; 0 = not at all)."""
    return max(
        (
            len(region_prefix(c))
            for c in center_regions
            if region and region.startswith(region_prefix(c))
        ),
        default=0,
    )


# --- assignment suggestions ------------------------------------------------------------------

# How closely a technician's area fits the customer's region: the most specific matching prefix.
BAND_OF_MATCH = {6: "district", 4: "city", 2: "province"}


@dataclass(frozen=True)
class Weights:
    """What each reason is worth in the score (data: a deployment may tune them in settings)."""

    district: float = 30.0  # the technician's area is the customer's district itself
    city: float = 20.0
    province: float = 10.0
    per_job_that_day: float = -6.0  # each job already booked on the slot's day
    per_hour_to_slot: float = -0.5  # each hour from now to the earliest free slot
    knows_unit: float = 8.0  # did an earlier job on this unit (knows it and the customer)
    repeats_own_repair: float = (
        -20.0
    )  # this job is a repeat of their own repair: a second pair of eyes


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Need:
    """What the job asks for."""

    after: datetime  # the earliest the visit may start (now, or the customer's wish)
    region: str = ""  # the customer's region; empty: region does not matter (depot jobs)
    category: str = ""  # the unit's category code; empty: any technician
    center: str = ""  # depot jobs: the center that holds the unit
    duration: timedelta = timedelta(hours=2)
    worked_on_unit: frozenset[str] = frozenset()  # technicians with earlier jobs on the unit
    repeat_of_technician: str = ""  # whose repair this job repeats


@dataclass(frozen=True)
class Candidate:
    """A technician as dispatch sees them for one job."""

    username: str
    center: str
    center_regions: tuple[str, ...]
    regions: tuple[str, ...]  # their own area; empty: the center's
    skills: frozenset[str]
    calendar: WorkingCalendar
    daily_capacity: int
    busy: tuple[tuple[datetime, datetime], ...] = ()  # booked appointment windows
    jobs_by_day: Mapping[date, int] = field(default_factory=dict)  # booked jobs per local day
    leave_days: frozenset[date] = frozenset()
    active: bool = True


@dataclass(frozen=True)
class Reason:
    code: str  # serves_region, distance_band, at_center, has_skill, load_today, load_that_day,
    # earliest_slot, repeat_history
    value: Any = None
    # What this reason adds to the score (0: a condition to be suggested at all, or a fact), so
    # a dispatcher can read the score as its parts.
    points: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class Suggestion:
    technician: str
    score: float
    earliest_slot: datetime
    reasons: tuple[Reason, ...]


def area_match(candidate: Candidate, region: str) -> int:
    """How closely the technician's area (their own, within their center's) covers `region`."""
    center_match = most_specific_match(candidate.center_regions, region)
    if not candidate.regions:
        return center_match
    own = most_specific_match(candidate.regions, region)
    return own if own and center_match else 0  # their own area is the narrower one


def _round_up(moment: datetime, minutes: int = 30) -> datetime:
    extra = (-moment.minute) % minutes
    base = moment.replace(second=0, microsecond=0)
    if extra == 0 and (moment.second or moment.microsecond):
        extra = minutes
    return base + timedelta(minutes=extra)


def earliest_slot(
    candidate: Candidate, after: datetime, duration: timedelta, horizon_days: int = 14
) -> datetime | None:
    """The first start, on the half hour, when the technician works for `duration` without a
    break (no lunch break inside a visit), is not booked, is not on leave and has room that day."""
    start_day = after.astimezone(candidate.calendar.tz).date()
    for offset in range(horizon_days):
        day = start_day + timedelta(days=offset)
        if day in candidate.leave_days:
            continue
        if candidate.jobs_by_day.get(day, 0) >= candidate.daily_capacity:
            continue
        for open_at, close_at in working_intervals(day, candidate.calendar):
            moment = _round_up(max(open_at, after))
            while moment + duration <= close_at:
                clash = next(
                    (e for s, e in candidate.busy if s < moment + duration and moment < e), None
                )
                if clash is None:
                    return moment
                moment = _round_up(clash)
    return None


def eligible(candidate: Candidate, need: Need) -> bool:
    """The hard filters: active, has the skill, and covers the region (or, for a depot job,
    works at the center that holds the unit)."""
    if not candidate.active:
        return False
    if need.category and need.category not in candidate.skills:
        return False
    if need.center:
        return candidate.center == need.center
    return area_match(candidate, need.region) > 0


def suggest(
    need: Need, candidates: Iterable[Candidate], weights: Weights = DEFAULT_WEIGHTS
) -> list[Suggestion]:
    """The technicians who can take the job, best first, each with the reasons for its rank.
    Ties go to the earlier slot, then the username (stable answers for the same facts)."""
    ranked = []
    for candidate in candidates:
        if not eligible(candidate, need):
            continue
        slot = earliest_slot(candidate, need.after, need.duration)
        if slot is None:
            continue  # on leave or fully booked for the whole horizon
        ranked.append(_score(candidate, need, slot, weights))
    ranked.sort(key=lambda s: (-s.score, s.earliest_slot, s.technician))
    return ranked


def _score(candidate: Candidate, need: Need, slot: datetime, weights: Weights) -> Suggestion:
    reasons: list[Reason] = []
    if need.center:
        reasons.append(Reason("at_center", need.center))
    else:
        band = BAND_OF_MATCH.get(area_match(candidate, need.region), "province")
        reasons += [
            Reason("serves_region", need.region),
            Reason("distance_band", band, points=getattr(weights, band)),
        ]
    if need.category:
        reasons.append(Reason("has_skill", need.category))
    slot_day = slot.astimezone(candidate.calendar.tz).date()
    today = need.after.astimezone(candidate.calendar.tz).date()
    load = candidate.jobs_by_day.get(today, 0)
    that_day = candidate.jobs_by_day.get(slot_day, 0)
    load_points = weights.per_job_that_day * that_day
    if slot_day == today:
        reasons.append(Reason("load_today", (load, candidate.daily_capacity), points=load_points))
    else:
        reasons.append(Reason("load_today", (load, candidate.daily_capacity)))
        if that_day:  # the slot's own day is what the score weighs
            value = (slot_day, that_day, candidate.daily_capacity)
            reasons.append(Reason("load_that_day", value, points=load_points))
    hours = (slot - need.after).total_seconds() / 3600
    reasons.append(Reason("earliest_slot", slot, points=weights.per_hour_to_slot * hours))
    if candidate.username == need.repeat_of_technician:
        reasons.append(
            Reason("repeat_history", "repeats_own_repair", points=weights.repeats_own_repair)
        )
    elif candidate.username in need.worked_on_unit:
        reasons.append(Reason("repeat_history", "knows_unit", points=weights.knows_unit))
    score = sum(r.points for r in reasons)
    return Suggestion(candidate.username, round(score, 1), slot, tuple(reasons))


# --- pre-emption: an urgent job takes a booked technician's time -------------------------------


@dataclass(frozen=True)
class Proposal:
    """One way out for a job an urgent one pushes aside: another technician at the agreed time,
    or the same technician at their next free time (reason `preempted`)."""

    kind: str  # "reassign" | "reschedule"
    technician: str
    start: datetime
    end: datetime


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def free_at(candidate: Candidate, start: datetime, end: datetime) -> bool:
    """Whether the technician could take exactly this window."""
    day = start.astimezone(candidate.calendar.tz).date()
    if day in candidate.leave_days or candidate.jobs_by_day.get(day, 0) >= candidate.daily_capacity:
        return False
    inside = any(s <= start and end <= e for s, e in working_intervals(day, candidate.calendar))
    return inside and not any(overlaps((start, end), w) for w in candidate.busy)


def proposals_for_conflict(
    window: tuple[datetime, datetime],
    need: Need,
    owner: Candidate,
    others: Iterable[Candidate],
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int = 3,
) -> list[Proposal]:
    """For a booked job whose window the urgent one takes: colleagues free at that very window
    (best first), then the owner's next free slot after the urgent visit (`owner.busy` holds it)."""
    start, end = window
    fitting = [c for c in others if c.username != owner.username and free_at(c, start, end)]
    ranked = suggest(replace(need, after=start), fitting, weights)
    proposals = [Proposal("reassign", s.technician, start, end) for s in ranked[:limit]]
    later = earliest_slot(owner, max(need.after, start), end - start)
    if later is not None:
        proposals.append(Proposal("reschedule", owner.username, later, later + (end - start)))
    return proposals


# --- the board's risks ---------------------------------------------------------------------------

# A visit the technician can be late for: the job is booked and nobody has started on it yet.
AWAITING_VISIT = ("assigned", "scheduled")


def late_for_visit(
    *,
    status: str,
    appointment_start: datetime | None,
    arrived_at: datetime | None,
    visit_incomplete: str,
    now: datetime,
) -> bool:
    """The visit's window has begun and the technician has not arrived for it. An arrival before
    this window, at a visit that ended unfinished (`visit_incomplete`, which the next arrival
    clears: decision 26), was for an earlier visit and does not count. `arrived_at` itself is
    kept: it is when the job was first taken on (repair days, the record's date in).
    `field.board.late` is the same test as a query."""
    if status not in AWAITING_VISIT or appointment_start is None or appointment_start > now:
        return False
    return arrived_at is None or (bool(visit_incomplete) and arrived_at < appointment_start)


# --- daily hand-in (交单) -------------------------------------------------------------------------
#
# DOMAIN.md §4 "On-site specifics": the task sheets, service cards and fees of a day are handed in
# "by noon the next day". Read as: 12:00 local time of the next day on which the technician's
# working calendar has hours (their own calendar, else their center's). A Friday's day is due on
# Monday at noon; the day before the National Day holiday, at noon of the first working day after
# it; a 调休 Saturday worked counts as a working day.

HAND_IN_AT = time(12)
HAND_IN_STATUSES = ("handed_in", "late", "missing", "not_yet_due", "nothing_due")


def hand_in_deadline(day: date, calendar: WorkingCalendar) -> datetime:
    """Noon of the first working day after `day` in `calendar` (aware, in the calendar's zone)."""
    due_day = add_business_days(day, 1, calendar)
    return datetime.combine(due_day, HAND_IN_AT, tzinfo=calendar.tz)


def previous_working_day(day: date, calendar: WorkingCalendar, *, max_days: int = 31) -> date:
    """The last day before `day` with working hours (the day a hand-in is usually due for);
    the day before when none is found within `max_days`."""
    for back in range(1, max_days + 1):
        candidate = day - timedelta(days=back)
        if working_intervals(candidate, calendar):
            return candidate
    return day - timedelta(days=1)


def hand_in_status(
    *,
    deadline: datetime,
    handed_in_at: datetime | None,
    now: datetime,
    expected: bool = True,
) -> str:
    """Where a technician's hand-in for a day stands.

    `handed_in` by the deadline, `late` after it; nothing yet: `not_yet_due` before the deadline,
    `missing` after it — unless there was nothing to hand in (`expected` false: no sheet, no fee,
    no unfinished job that day), which is `nothing_due`.
    """
    if handed_in_at is not None:
        return "late" if handed_in_at > deadline else "handed_in"
    if not expected:
        return "nothing_due"
    return "missing" if now > deadline else "not_yet_due"
