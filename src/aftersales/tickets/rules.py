"""Pure rules of service requests: the status machine and the SLA arithmetic.

The transition table is the one place that says what may happen to a request in each status:
the API's 409 (`details.allowed`) and the console's buttons both read `allowed_actions`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from aftersales.core import rules as calendar_rules

KINDS = ("repair", "installation", "consultation", "complaint", "booking")
CHANNELS = ("hotline", "walk_in", "web", "email", "letter", "im")
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "in_progress", "reopened", "resolved", "closed", "cancelled")
OPEN_STATUSES = frozenset({"new", "in_progress", "reopened"})

RESOLUTIONS = (
    "remote_guidance",
    "answered",
    "repaired",
    "exchanged",
    "refunded",
    "no_fault_found",
    "declined",
    "duplicate",
    "other",
)

SAME = "="  # the action keeps the status

# status → {action: next status}. CONTRACT.md "Service requests".
TRANSITIONS: dict[str, dict[str, str]] = {
    "new": {
        "note": SAME,
        "assign_owner": SAME,
        "start": "in_progress",
        "resolve": "resolved",
        "cancel": "cancelled",
        "escalate": SAME,
    },
    "in_progress": {
        "note": SAME,
        "assign_owner": SAME,
        "resolve": "resolved",
        "cancel": "cancelled",
        "escalate": SAME,
    },
    "reopened": {
        "note": SAME,
        "assign_owner": SAME,
        "start": "in_progress",
        "resolve": "resolved",
        "cancel": "cancelled",
        "escalate": SAME,
    },
    "resolved": {"note": SAME, "reopen": "reopened", "close": "closed"},
    "closed": {"note": SAME, "reopen": "reopened"},
    "cancelled": {"note": SAME},
}
ACTIONS = tuple(dict.fromkeys(a for moves in TRANSITIONS.values() for a in moves))

# Shown on the customer's progress page unless the action says otherwise (notes: when marked).
CUSTOMER_VISIBLE = frozenset({"created", "start", "resolve", "reopen", "close", "cancel"})


def allowed_actions(status: str) -> list[str]:
    """What the table allows from `status`, in the table's order."""
    return list(TRANSITIONS.get(status, {}))


def next_status(status: str, action: str) -> str | None:
    """The status after `action`, or None when the table does not allow it."""
    target = TRANSITIONS.get(status, {}).get(action)
    if target is None:
        return None
    return status if target == SAME else target


# --- SLA -----------------------------------------------------------------------------------

SLA_UNITS = ("business_hours", "business_days", "hours")


@dataclass(frozen=True)
class Clock:
    """One SLA promise: an amount of time in a unit (business hours, business days, clock hours)."""

    amount: Decimal
    unit: str


def due_at(start: datetime, clock: Clock, calendar: calendar_rules.WorkingCalendar) -> datetime:
    """When a promise made at `start` falls due on the owning center's calendar.

    Business hours count only working time; business days end at the same time of day on the
    N-th working day (or that day's closing time when it closes earlier); clock hours ignore the
    calendar (a web consultation "answered within 24 hours").
    """
    if clock.amount < 0:
        raise ValueError("an SLA amount cannot be negative")
    if clock.unit == "hours":
        return start + timedelta(hours=float(clock.amount))
    if clock.unit == "business_hours":
        return calendar_rules.add_business_hours(start, clock.amount, calendar)
    if clock.unit == "business_days":
        opening = calendar_rules.next_opening(start, calendar)
        local = opening.astimezone(calendar.tz)
        day = calendar_rules.add_business_days(local.date(), int(clock.amount), calendar)
        intervals = calendar_rules.working_intervals(day, calendar)
        same_time = datetime.combine(day, local.timetz())
        closing = intervals[-1][1]
        return min(max(same_time, intervals[0][0]), closing)
    raise ValueError(f"unknown SLA unit {clock.unit!r}")


def is_breached(due: datetime | None, done: datetime | None, now: datetime) -> bool:
    """A promise is breached when it was kept late, or is still open past its time."""
    if due is None:
        return False
    return (done or now) > due


SOON = timedelta(hours=2)  # "due soon": the console's amber, and the 即将超时 queue


class SlaClocks(Protocol):
    """What the SLA rules read of a request (a Ticket has these)."""

    @property
    def status(self) -> str: ...
    @property
    def respond_by(self) -> datetime | None: ...
    @property
    def responded_at(self) -> datetime | None: ...
    @property
    def resolve_by(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...


def pending_due(clocks: SlaClocks) -> datetime | None:
    """When the earliest promise an open request still owes falls due: the response until
    someone responded, the resolution until it is resolved. None when nothing is pending, and
    for requests that are not open (resolved, closed and cancelled requests owe nothing).

    The services store it on the request (`Ticket.pending_due`), so the "due soon" queue reads
    its requests in this order from one index."""
    if clocks.status not in OPEN_STATUSES:
        return None
    owed = [
        due
        for due, done in (
            (clocks.respond_by, clocks.responded_at),
            (clocks.resolve_by, clocks.resolved_at),
        )
        if due is not None and done is None
    ]
    return min(owed, default=None)


@dataclass(frozen=True)
class SlaDue:
    """The promise a request is running against now, and how close it is."""

    at: datetime | None
    clock: str  # "respond", "resolve", or "" when nothing is pending
    state: str  # "breached", "soon", "ok", or "done"


def sla_due(clocks: SlaClocks, now: datetime) -> SlaDue:
    """The pending promise of an open request (`pending_due`) and which clock it is. A promise
    already broken keeps the request red."""
    if clocks.status not in OPEN_STATUSES:
        return SlaDue(None, "", "done")
    at = pending_due(clocks)
    if at is None:
        return SlaDue(None, "", "ok")
    clock = "respond" if clocks.responded_at is None and at == clocks.respond_by else "resolve"
    broken = is_breached(clocks.respond_by, clocks.responded_at, now) or is_breached(
        clocks.resolve_by, clocks.resolved_at, now
    )
    if broken:
        return SlaDue(at, clock, "breached")
    return SlaDue(at, clock, "soon" if at - now <= SOON else "ok")


# --- who may do what (CONTRACT.md "API conventions") ----------------------------------------

# Roles that see every center's requests; branch managers and front desks see their own center's,
# technicians the requests of the work orders assigned to them.
ALL_CENTERS_ROLES = frozenset(
    {"admin", "hotline", "dispatcher", "complaints", "tech_center", "finance", "archive"}
)
CENTER_ROLES = frozenset({"branch_manager", "front_desk"})
# Roles that take requests and act on them.
ACTING_ROLES = frozenset({"admin", "hotline", "front_desk", "branch_manager"})


def may_act(role: str | None, kind: str) -> bool:
    """Whether a role may create and act on a request of this kind (complaint handlers: complaints)."""
    return role in ACTING_ROLES or (role == "complaints" and kind == "complaint")


def response_stopped_by(action: str, customer_visible: bool) -> bool:
    """The first staff action that reaches the customer stops the response clock."""
    return action in {"start", "resolve", "cancel"} or (action == "note" and customer_visible)


def needs_consultation_callback(kind: str, resolution: str) -> bool:
    """Phone guidance and answered consultations are called back 2 working hours later."""
    return kind == "consultation" or resolution == "remote_guidance"


def resolved_by_last_job(kind: str, status: str) -> bool:
    """Whether handing over a request's last open job resolves it: an open request, not a
    complaint (its handler resolves it when the customer accepts: CONTRACT.md "Complaints")."""
    return kind != "complaint" and status in OPEN_STATUSES
