"""Pure rules of work orders (the repair itself): the status machine with its guards, who may
act, repair days, repeat repairs, charges, and the pickup reminder ladder.

The transition table is the one place that says what may happen to a job in each status and
mode: the API's 409 (`details.allowed`) and the page's buttons both read `allowed_actions`.
Guards are checked only for an allowed move, in the order of GUARDS.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from aftersales.catalog.rules import fault_key
from aftersales.core import rules as calendar_rules
from aftersales.tickets import rules as ticket_rules

MODES = ("remote", "on_site", "carry_in", "mail_in", "pull_back")
STATUSES = (
    "created",
    "assigned",
    "scheduled",
    "received",
    "diagnosing",
    "awaiting_approval",
    "awaiting_parts",
    "repairing",
    "qc",
    "ready",
    "completed",
    "closed",
    "cancelled",
)
CLOSED_STATUSES = frozenset({"completed", "closed", "cancelled"})
OPEN_STATUSES = tuple(s for s in STATUSES if s not in CLOSED_STATUSES)
OUTCOMES = ("repaired", "exchanged", "refunded", "no_fault_found", "returned_unrepaired")
DEPOT_MODES = frozenset({"carry_in", "mail_in", "pull_back"})  # the unit comes to us
PICKUP_MODES = frozenset({"carry_in", "pull_back"})  # the customer collects it at the desk
# The customer is there at the hand-over and signs for the unit (or the reason is recorded).
SIGNING_MODES = frozenset({"on_site", "carry_in"})
# Who hands a unit in at the desk (a dealer is named).
BROUGHT_BY = ("end_user", "dealer")
ALL_MODES = frozenset(MODES)

SAME = "="  # the action keeps the status
BACK = "<"  # parts_arrived: back to the status that waited for parts


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str
    modes: frozenset[str] = ALL_MODES


def _move(action: str, sources: Iterable[str], target: str, modes: Iterable[str] = MODES) -> Move:
    return Move(action, frozenset(sources), target, frozenset(modes))


# An on-site job the technician is working on (from the appointment to the finished repair).
FIELD_STATUSES = ("scheduled", "diagnosing", "awaiting_approval", "awaiting_parts", "repairing")
# An on-site job left unfinished from these statuses books its next visit without leaving them:
# `schedule`, `depart` and `arrive` keep the status (each visit has its own times: `Visit`).
REVISIT_STATUSES = ("diagnosing", "awaiting_parts", "repairing")
# Why a visit ended without finishing the job (customer_absent: a service card was left).
INCOMPLETE_REASONS = ("parts_missing", "customer_absent", "needs_depot", "other")
# Why a booked window moves (`schedule` of a job that has one must say).
RESCHEDULE_REASONS = ("customer_request", "technician_late", "parts_missing", "preempted")
# A quote's lines; a repair's result (not ok: a callback checks on it).
LINE_KINDS = ("labor", "part", "visit")
REPAIR_RESULTS = ("ok", "uncertain", "untested")
BEFORE_REPAIR = ("created", "assigned", "scheduled", "received", "diagnosing")

# CONTRACT.md "Work orders": the table, row for row (modes narrow a row where it says so).
TABLE: tuple[Move, ...] = (
    _move("assign", ("created", "assigned", "scheduled"), "assigned"),
    _move("schedule", ("assigned", "scheduled"), "scheduled", ("on_site",)),
    # Beyond the contract's rows: the next visit of a job left unfinished (decision 43).
    _move("schedule", REVISIT_STATUSES, SAME, ("on_site",)),
    _move("depart", ("scheduled", *REVISIT_STATUSES), SAME, ("on_site",)),
    _move("arrive", ("scheduled", *REVISIT_STATUSES), SAME, ("on_site",)),
    _move("receive", ("created", "assigned", "scheduled"), "received", DEPOT_MODES),
    _move("choose_remedy", OPEN_STATUSES, SAME),
    _move("start_diagnosis", ("received",), "diagnosing", DEPOT_MODES),
    _move("start_diagnosis", ("scheduled",), "diagnosing", ("on_site",)),
    _move("start_diagnosis", ("created", "assigned"), "diagnosing", ("remote",)),
    _move("diagnose", ("diagnosing",), SAME),
    _move("quote", ("diagnosing",), "awaiting_approval"),
    _move("waive", OPEN_STATUSES, SAME),
    _move("no_fault_found", ("diagnosing",), "ready"),
    _move("exchange", ("received", "scheduled", "diagnosing"), "ready"),
    _move("refund", ("received", "scheduled", "diagnosing"), "ready"),
    _move("approve_quote", ("awaiting_approval",), "repairing"),
    _move("decline_quote", ("awaiting_approval",), "ready"),
    _move("wait_parts", ("diagnosing", "repairing"), "awaiting_parts"),
    _move("parts_arrived", ("awaiting_parts",), BACK),
    _move("start_repair", ("diagnosing",), "repairing"),
    _move("complete_repair", ("repairing",), "qc"),
    _move("qc_pass", ("qc",), "ready"),
    _move("qc_fail", ("qc",), "repairing"),
    _move("notify_pickup", ("ready",), SAME),
    _move("hand_over", ("ready",), "completed"),
    _move("loan_unit", OPEN_STATUSES, SAME),
    _move("return_loan", OPEN_STATUSES, SAME),
    _move("incident", OPEN_STATUSES, SAME),
    # Beyond the contract's table: the technician records why a visit did not finish the job.
    _move("visit_incomplete", FIELD_STATUSES, SAME, ("on_site",)),
    # …and a branch manager lifts the pause of a field incident once the company has taken over.
    _move("resume", OPEN_STATUSES, SAME),
    _move("change_mode", BEFORE_REPAIR, "created"),
    _move("escalate", OPEN_STATUSES, SAME),
    _move("cancel", OPEN_STATUSES, "cancelled"),
    _move("close", ("completed",), "closed"),
)
ACTIONS = tuple(dict.fromkeys(m.action for m in TABLE))

# Customer-visible by default (CONTRACT.md "Service requests"); notes only when marked.
CUSTOMER_VISIBLE = frozenset(
    {
        "created",
        "schedule",
        "depart",
        "receive",
        "quote",
        "wait_parts",
        "qc_pass",
        "notify_pickup",
        "hand_over",
        "exchange",
        "refund",
    }
)

# The outcome a move settles (shown from `ready` on, final at hand-over).
OUTCOME_OF = {
    "qc_pass": "repaired",
    "no_fault_found": "no_fault_found",
    "exchange": "exchanged",
    "refund": "refunded",
    "decline_quote": "returned_unrepaired",
}
# The request's resolution when its last open job is handed over.
RESOLUTION_OF = {
    "repaired": "repaired",
    "exchanged": "exchanged",
    "refunded": "refunded",
    "no_fault_found": "no_fault_found",
    "returned_unrepaired": "declined",
}


def _moves(status: str, mode: str) -> Iterable[Move]:
    return (m for m in TABLE if status in m.sources and mode in m.modes)


def allowed_actions(status: str, mode: str) -> list[str]:
    """What the table allows from `status` in `mode`, in the table's order (guards not checked)."""
    return list(dict.fromkeys(m.action for m in _moves(status, mode)))


def next_status(status: str, mode: str, action: str, *, back_to: str = "") -> str | None:
    """The status after `action`, or None when the table does not allow it."""
    for move in _moves(status, mode):
        if move.action == action:
            if move.target == SAME:
                return status
            if move.target == BACK:
                return back_to or "repairing"
            return move.target
    return None


# --- guards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What the guards look at: a work order's facts as plain values."""

    mode: str
    status: str
    remedies: tuple[str, ...] = ("paid_repair",)
    chosen_remedy: str = ""
    repeat_repair: bool = False
    quote_approved: bool | None = None
    amount_due: Decimal = Decimal("0.00")
    loaner_out: bool = False
    paused: bool = False
    on_the_way: bool = False  # departed, not arrived yet (this visit)
    on_site: bool = False  # arrived, and the visit not declared unfinished
    visit_booked: bool = False  # a window booked for a visit not begun yet
    diagnosed: bool = False  # findings recorded


def effective_remedy(job: Job) -> str:
    """The remedy in force: the customer's choice, or the only one on offer."""
    if job.chosen_remedy:
        return job.chosen_remedy
    return job.remedies[0] if len(job.remedies) == 1 else ""


def choice_pending(job: Job) -> bool:
    """Several remedies open and none chosen (the customer must choose before work starts)."""
    return len(job.remedies) > 1 and not job.chosen_remedy


def is_free(job: Job) -> bool:
    """No charge: a covered remedy (free repair, exchange, refund) or a repeat repair."""
    return job.repeat_repair or effective_remedy(job) in {"free_repair", "exchange", "refund"}


# A guard reads the job and the action's payload as read (workorders.payloads, as a mapping).
Guard = Callable[[Job, Mapping[str, Any], datetime], str | None]


def _agreement(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return None if payload.get("agreement_signed") is True else "agreement_required"


def _remedy_offered(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return None if payload.get("remedy") in job.remedies else "remedy_not_available"


def _choice_made(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return "remedy_choice_required" if choice_pending(job) else None


def _chosen(remedy: str) -> Guard:
    def guard(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
        return None if effective_remedy(job) == remedy else "remedy_not_available"

    return guard


def _repair_chosen(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """The customer who chose an exchange or a refund is not repaired instead."""
    return "remedy_not_available" if effective_remedy(job) in {"exchange", "refund"} else None


def _quote_approved(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return None if is_free(job) or job.quote_approved is True else "quote_not_approved"


# How far ahead a visit may be booked: a year (issue 16: a window in year 9999 was accepted).
BOOKING_HORIZON = timedelta(days=366)


def beyond_booking_horizon(moment: datetime, now: datetime) -> bool:
    return moment - now > BOOKING_HORIZON


def _window_ahead(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    start = payload.get("start")
    return "window_in_past" if isinstance(start, datetime) and start <= now else None


def _paid(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    paying = Decimal(str((payload.get("payment") or {}).get("amount") or "0"))
    return "payment_due" if job.amount_due - paying > 0 else None


def _signed(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """A customer at the counter or at home signs for the unit, or the reason they did not is
    written down (a "satisfied" nobody signed is checked by a verification call)."""
    if job.mode not in SIGNING_MODES:
        return None
    given = payload.get("signature") or str(payload.get("no_signature_reason") or "").strip()
    return None if given else "signature_required"


def _no_loaner_out(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return "loaner_out" if job.loaner_out else None


def _not_yet_departed(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """A second tap on "on my way" (a slow network) must not log a second departure."""
    return "already_departed" if job.on_the_way else None


def _not_on_site(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """Setting off again while on site for a visit not declared unfinished would leave that
    visit without its end: say why it did not finish (or book the next visit) first."""
    return "visit_in_progress" if job.on_site else None


def _not_yet_arrived(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return "already_arrived" if job.on_site else None


def _departed(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """An arrival belongs to a departure of the same visit ("arrived" before "on my way" would
    log the visit backwards)."""
    return None if job.on_the_way else "not_departed"


def _loaner_is_out(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return None if job.loaner_out else "no_loaner_out"


def _is_paused(job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    return None if job.paused else "not_paused"


GUARDS: dict[str, tuple[Guard, ...]] = {
    "receive": (_agreement,),
    "choose_remedy": (_remedy_offered,),
    "start_diagnosis": (_choice_made,),
    "schedule": (_window_ahead,),
    "exchange": (_chosen("exchange"),),
    "refund": (_chosen("refund"),),
    "start_repair": (_choice_made, _repair_chosen, _quote_approved),
    "hand_over": (_paid, _signed),
    "loan_unit": (_no_loaner_out,),
    "return_loan": (_loaner_is_out,),
    "resume": (_is_paused,),
    "depart": (_not_yet_departed, _not_on_site),
    "arrive": (_not_yet_arrived, _departed),
}
# Guards the services check against the database (named here so the list is complete):
# assign → `technician_not_available` (not active or not of that center) and `conflict`
# (expected_technician is not the current one); quote → 403 for a price other than the fee
# standard's unless a branch manager or admin sets it.
GUARD_CODES = (
    "agreement_required",
    "remedy_choice_required",
    "remedy_not_available",
    "quote_not_approved",
    "payment_due",
    "loaner_out",
    "window_in_past",
    "technician_not_available",
    "not_paused",
    "already_departed",
    "already_arrived",
    "not_departed",
    "visit_in_progress",
    "no_loaner_out",
    "signature_required",
)


def refusal(action: str, job: Job, payload: Mapping[str, Any], now: datetime) -> str | None:
    """The code of the first guard of `action` that fails, or None."""
    for guard in GUARDS.get(action, ()):
        code = guard(job, payload, now)
        if code:
            return code
    return None


# --- what a page offers now ------------------------------------------------------------------

# Actions whose guards read what is typed (the agreement, the remedy, the window, the payment
# and signature): a page cannot judge them beforehand, the service does when they are sent.
DECIDED_BY_PAYLOAD = frozenset({"receive", "choose_remedy", "schedule", "hand_over"})
# Refusals that say the step is not for this job at all (the page leaves it out), rather than
# "not yet" (the page shows it disabled, with why): a second "on my way", a loaner to return
# when none is out, the pause lifted from a job not paused, a repair the customer did not choose.
OUT_OF_PLACE: dict[str, frozenset[str]] = {
    "depart": frozenset({"already_departed", "visit_in_progress"}),
    "arrive": frozenset({"already_arrived"}),
    "loan_unit": frozenset({"loaner_out"}),
    "return_loan": frozenset({"no_loaner_out"}),
    "resume": frozenset({"not_paused"}),
    "exchange": frozenset({"remedy_not_available"}),
    "refund": frozenset({"remedy_not_available"}),
    "start_repair": frozenset({"remedy_not_available"}),
}
FIELD_MODES = frozenset({"on_site", "pull_back"})  # a technician goes to the customer
_ANY_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # the job-only guards read no clock


def _fits(action: str, job: Job) -> bool:
    """Whether an action the table allows makes sense for this job at all (else not shown)."""
    if action == "choose_remedy":
        return len(job.remedies) > 1  # nothing to choose between
    if action in ("exchange", "refund"):
        return action in job.remedies and job.chosen_remedy in ("", action)
    if action == "quote":
        return not is_free(job)  # free of charge: nothing to quote
    if action == "waive":
        return job.amount_due > 0
    if action == "incident":
        return job.mode in FIELD_MODES  # a field incident: detained, threatened
    if action == "loan_unit":
        return job.mode in DEPOT_MODES  # the customer's own unit is with us
    if action == "notify_pickup":
        return job.mode in PICKUP_MODES
    return True


def available_actions(job: Job) -> list[tuple[str, str | None]]:
    """What a page offers on this job now, in the table's order: each action the table allows
    that makes sense for the job, with the code of the guard that blocks it now (the page shows
    it disabled, with the refusal's words) or None. The guards that read only the job are
    judged here; those that read a payload (DECIDED_BY_PAYLOAD) when it is sent. An amount due
    does not block the hand-over: the hand-over takes the payment. The API's `allowed_actions`
    stays the table's list (CONTRACT.md)."""
    offers: list[tuple[str, str | None]] = []
    for action in allowed_actions(job.status, job.mode):
        if not _fits(action, job):
            continue
        code = None if action in DECIDED_BY_PAYLOAD else refusal(action, job, {}, _ANY_TIME)
        if action in ("exchange", "refund") and choice_pending(job):
            code = "remedy_choice_required"
        if code in OUT_OF_PLACE.get(action, ()):
            continue
        offers.append((action, code))
    return offers


# The next step of a job in each status, most likely first (the page highlights the first one
# offered and not blocked).
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "created": ("receive", "start_diagnosis", "assign"),
    "assigned": ("receive", "schedule", "start_diagnosis"),
    "scheduled": ("depart", "arrive", "choose_remedy", "start_diagnosis"),
    "received": ("choose_remedy", "start_diagnosis"),
    "diagnosing": (
        "choose_remedy",
        "diagnose",
        "exchange",
        "refund",
        "start_repair",
        "quote",
    ),
    "awaiting_approval": ("approve_quote",),
    "awaiting_parts": ("parts_arrived",),
    "repairing": ("complete_repair",),
    "qc": ("qc_pass",),
    "ready": ("hand_over",),
    "completed": ("close",),
}


def primary_action(job: Job, offers: Iterable[tuple[str, str | None]]) -> str | None:
    """The step to highlight: the job's likely next step among those offered and not blocked.
    On a technician's next visit, setting off and arriving come before the work."""
    ready = {action for action, code in offers if code is None}
    steps = list(NEXT_STEPS.get(job.status, ()))
    if job.mode == "on_site" and job.status in REVISIT_STATUSES:
        if job.on_the_way:
            steps.insert(0, "arrive")
        elif job.visit_booked:
            steps.insert(0, "depart")
    for action in steps:
        if action == "choose_remedy" and not choice_pending(job):
            continue
        if action == "diagnose" and job.diagnosed:
            continue
        if action in ready:
            return action
    return None


# --- who may do what (CONTRACT.md "API conventions") ----------------------------------------

CREATING_ROLES = frozenset({"admin", "hotline", "front_desk", "branch_manager"})
# Who sees which jobs is the requests' scope (CONTRACT.md "API conventions").
ALL_CENTERS_ROLES = ticket_rules.ALL_CENTERS_ROLES
CENTER_ROLES = ticket_rules.CENTER_ROLES
APPROVING_ROLES = frozenset({"admin", "branch_manager"})
_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(ACTIONS),
    "branch_manager": frozenset(ACTIONS),
    "front_desk": frozenset(ACTIONS) - {"waive", "resume"},
    "technician": frozenset(ACTIONS) - {"assign", "waive", "resume"},
    "dispatcher": frozenset({"assign", "schedule"}),
    "tech_center": frozenset({"diagnose", "escalate"}),
}


def may_act(role: str | None, action: str) -> bool:
    """Whether a role may take `action` on a work order it can see (scope is the selectors')."""
    return action in _ROLE_ACTIONS.get(role or "", frozenset())


# --- repair days, repeat repairs, failed repairs ----------------------------------------------

REPEAT_WINDOW_DAYS = 90


def repair_days(start: datetime, end: datetime) -> int:
    """24-hour blocks from receipt (on-site: arrival) to the passed QC; a remainder is a day."""
    seconds = (end - start).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def within_repeat_window(created: date, handed_over: date) -> bool:
    """A job handed over on day D makes any job created up to D + 90 (included) a repeat."""
    return 0 <= (created - handed_over).days <= REPEAT_WINDOW_DAYS


def same_fault(a: str, b: str, symptoms: Mapping[str, str] | None = None) -> bool:
    """ "The same fault" of two diagnoses of one unit (repeat repairs, failed repairs; CONTRACT.md
    "Work orders"): either one missing, the same symptom for codes of the category's tree
    (`symptoms`: each tree code → its symptom, catalog.rules.fault_symptoms), the same text
    (trimmed, any case) otherwise."""
    if not a or not b:
        return True
    return fault_key(a, symptoms or {}) == fault_key(b, symptoms or {})


# --- charges ----------------------------------------------------------------------------------


def charges(job: Job, *, quote_total: Decimal, inspection_fee: Decimal) -> Decimal:
    """What the customer owes before waivers and payments."""
    if is_free(job):
        return Decimal("0.00")
    if job.quote_approved is True:
        return quote_total
    if job.quote_approved is False:
        return inspection_fee  # a declined quote leaves the inspection fee
    return Decimal("0.00")


def promised_ready(resolve_by: date | None, parts_expected: date | None) -> date | None:
    """The day the customer is told the unit will be ready (the pickup slip, the API): the
    request's resolution deadline (its SLA), or the day the parts it waits for are expected when
    that is later (the customer is told that date, DOMAIN.md §4.6); None when neither is known."""
    known = [day for day in (resolve_by, parts_expected) if day is not None]
    return max(known) if known else None


def amount_due(total: Decimal, *, waived: Decimal, paid: Decimal) -> Decimal:
    return max(Decimal("0.00"), total - waived - paid).quantize(Decimal("0.01"))


def lowest_price(prices: Iterable[Decimal | None]) -> Decimal | None:
    """Where two applicable fee standards disagree, the lower price applies."""
    known = [p for p in prices if p is not None]
    return min(known) if known else None


@dataclass(frozen=True)
class Band:
    """A visit fee for a distance band: from `min_km` (included) up to `max_km` (excluded)."""

    code: str
    min_km: Decimal
    max_km: Decimal | None
    price: Decimal = field(default=Decimal("0.00"), compare=False)


def band_for(distance_km: Decimal, bands: Iterable[Band]) -> Band | None:
    for band in sorted(bands, key=lambda b: b.min_km):
        if distance_km >= band.min_km and (band.max_km is None or distance_km < band.max_km):
            return band
    return None


def cheapest_band(distance_km: Decimal, bands: Iterable[Band]) -> Band | None:
    """The band that prices a visit when several standards' bands cover the distance: the
    lower price applies, as for any line two standards disagree on."""
    fitting = [b for b in bands if band_for(distance_km, [b]) is not None]
    return min(fitting, key=lambda b: b.price) if fitting else None


# --- follow-ups of a job ---------------------------------------------------------------------

REPAIR_CALLBACK_HOURS = {"uncertain": 3, "untested": 2}
PICKUP_CALLS_FIRST_DAY = 3
PICKUP_CALL_GAP_HOURS = 2
PICKUP_WEEKLY_DAYS = 7


def next_pickup_call(attempts: list[datetime], cal: calendar_rules.WorkingCalendar) -> datetime:
    """When to call again after unanswered pickup calls (DOMAIN.md §4.8): up to three calls on
    the first day, two working hours apart; then once the next working day; then weekly. Every
    call falls in the center's working hours."""
    if not attempts:
        raise ValueError("the ladder starts after a first call")
    tz = cal.tz
    first_day = attempts[0].astimezone(tz).date()
    last = attempts[-1]
    calls_first_day = sum(1 for a in attempts if a.astimezone(tz).date() == first_day)
    if calls_first_day < PICKUP_CALLS_FIRST_DAY:
        # Two working hours may end exactly at closing or lunch: nobody calls then.
        candidate = calendar_rules.next_opening(
            calendar_rules.add_business_hours(last, PICKUP_CALL_GAP_HOURS, cal), cal
        )
        if candidate.astimezone(tz).date() == first_day:
            return candidate
    second_day = calendar_rules.next_working_day_opening(attempts[0], cal)
    if all(a < second_day for a in attempts):
        return second_day
    next_week = last.astimezone(tz).date() + timedelta(days=PICKUP_WEEKLY_DAYS)
    start_of_day = datetime.combine(next_week, datetime.min.time(), tzinfo=tz)
    return calendar_rules.next_opening(start_of_day, cal)


# --- the repair delay (the handbook: 30 days through the repairer, 60/90 for want of parts) ----

# Whole days the job spends in the repairer's hands, and waiting for parts; waiting for the
# customer (their approval of the quote, their pickup) does not count, nor the time before the
# unit is taken in or the technician starts work on site.
REPAIRER_STATUSES = frozenset({"received", "diagnosing", "repairing", "qc"})
PARTS_STATUSES = frozenset({"awaiting_parts"})
# The reasons a delay adds to a decision (warranty.rules.REASON_MESSAGES).
DELAY_REASONS = ("repair_delay", "parts_delay")


def delay_reason(decision: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The decision's delay reason (as a job keeps it), if the repair lasted past a limit."""
    reasons = (decision or {}).get("reasons") or []
    return next((r for r in reasons if r.get("code") in DELAY_REASONS), None)


def delay_days(moves: Iterable[tuple[datetime, str]], now: datetime) -> tuple[int, int]:
    """(days in the repairer's hands, days waiting for parts) of a job from its status moves
    ((when, status entered), oldest first) up to `now`: whole days, a part day not counted."""
    repairer = parts = 0.0
    ordered = list(moves)
    for (since, status), (until, _next) in zip(ordered, [*ordered[1:], (now, "")], strict=True):
        seconds = max(0.0, (until - since).total_seconds())
        if status in REPAIRER_STATUSES:
            repairer += seconds
        elif status in PARTS_STATUSES:
            parts += seconds
    return int(repairer // 86400), int(parts // 86400)


# The jobs the daily delay check reads: taken in and not yet ready for the customer.
DELAY_CHECKED_STATUSES = (
    "received",
    "diagnosing",
    "awaiting_approval",
    "awaiting_parts",
    "repairing",
    "qc",
)
