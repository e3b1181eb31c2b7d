"""Pure rules of complaints: the stage machine, who may work them, what a compensation is worth.

The transition table is the one place that says which complaint step may happen at each stage;
the API's 409 (`details.allowed`) and the request's `allowed_actions` read it."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from aftersales.core import rules as calendar_rules
from aftersales.core.payloads import CENT, DAYS_MAX, MONEY_MAX
from aftersales.tickets import rules as ticket_rules

CATEGORIES = ("customer_own", "environment", "product", "staff_service", "other")
DEFAULT_CATEGORY = "other"
STAGES = ("received", "acknowledged", "investigated", "proposed", "resolved")
RESPONSIBILITIES = ("ours", "customer", "unclear")
COMPENSATION_KINDS = ("apology", "gift", "discount", "warranty_extension", "refund")
MONEY_KINDS = frozenset({"discount", "refund"})

# stage → {action: next stage}. CONTRACT.md "Complaints". A `resolve` the customer does not
# accept keeps the complaint `proposed` (the service says so); approving changes no stage.
# `screen` (beyond the contract's table, decision 27) is the web form's first look: ours keeps
# it `received` for the handler to acknowledge; not ours answers the customer and ends it.
TRANSITIONS: dict[str, dict[str, str]] = {
    "received": {"screen": "received", "acknowledge": "acknowledged"},
    "acknowledged": {"investigate": "investigated"},
    "investigated": {"propose": "proposed"},
    "proposed": {"propose": "proposed", "approve_compensation": "proposed", "resolve": "resolved"},
    # The lesson (CAPA, issue 20 item 7, decision 87): once the customer's case is settled the
    # handler records the root cause and the corrective action; its owner completes it.
    "resolved": {"record_capa": "resolved", "complete_capa": "resolved"},
}
ACTIONS = tuple(dict.fromkeys(a for moves in TRANSITIONS.values() for a in moves))

# The corrective action's own states ("": none recorded yet) → {step: next state}. Recording it
# again while it is open revises it (cause, action, owner, due date); once done it is kept.
CAPA_TRANSITIONS: dict[str, dict[str, str]] = {
    "": {"record_capa": "open"},
    "open": {"record_capa": "open", "complete_capa": "done"},
    "done": {},
}
CAPA_STEPS = frozenset({"record_capa", "complete_capa"})
CAPA_STATES = ("open", "done")
# What went wrong at the root, as a handler would put it (complaints.models.Complaint.RootCause).
ROOT_CAUSES = (
    "product_quality",
    "repair_quality",
    "parts",
    "delay",
    "staff_conduct",
    "information",
    "process",
    "customer_use",
    "environment",
    "other",
)
# How far ahead a corrective action may be due: a year, like a promise.
CAPA_HORIZON_DAYS = 366

# Shown on the customer's progress page: what the customer was told.
CUSTOMER_VISIBLE = frozenset({"acknowledge", "propose"})

# Who works complaints (branch managers: their own center, which the request's scope enforces),
# and who approves a compensation above the threshold.
WORKING_ROLES = frozenset({"admin", "complaints", "branch_manager"})
APPROVING_ROLES = frozenset({"admin", "branch_manager"})


SCREENED_CHANNELS = frozenset({"web"})  # DOMAIN.md §5: "web complaints: screened by the center"


def needs_screening(channel: str, screening: str, stage: str) -> bool:
    """A web complaint nobody has looked at yet (acknowledging it counts as "ours")."""
    return channel in SCREENED_CHANNELS and not screening and stage == "received"


def allowed_actions(
    stage: str, request_open: bool = True, to_screen: bool = False, capa: str | None = None
) -> list[str]:
    """The complaint steps the table allows from `stage`: the customer's steps only while the
    request is open, `screen` only while the complaint waits for its screening; the corrective
    action's steps (a resolved complaint, its request resolved or closed) as its own state
    allows (`capa`: "" none yet, `open`, `done`; None: the request was cancelled)."""
    steps = []
    for action in TRANSITIONS.get(stage, {}):
        if action in CAPA_STEPS:
            if capa is not None and action in CAPA_TRANSITIONS.get(capa, {}):
                steps.append(action)
        elif request_open and (action != "screen" or to_screen):
            steps.append(action)
    return steps


def next_stage(stage: str, action: str) -> str | None:
    return TRANSITIONS.get(stage, {}).get(action)


def may_work(role: str | None) -> bool:
    return role in WORKING_ROLES


def may_approve(role: str | None) -> bool:
    return role in APPROVING_ROLES


def may_complete_capa(role: str | None, is_owner: bool) -> bool:
    """A corrective action is completed by its owner, or by a manager (an administrator, a
    branch manager) on their behalf."""
    return is_owner or role in APPROVING_ROLES


def capa_overdue(state: str, due: date | None, today: date) -> bool:
    """Open and past its due date (due today is not overdue yet)."""
    return state == "open" and due is not None and due < today


def capa_due_problem(due: date, today: date) -> str | None:
    """Why a corrective action cannot be due that day, or None: from today, within a year."""
    if due < today:
        return _("The due date cannot be in the past.")
    if (due - today).days > CAPA_HORIZON_DAYS:
        return _("Set a due date within a year.")
    return None


def promise_state(promised_by: datetime | None, now: datetime, soon_hours: float) -> str:
    """How the promised answer stands: `overdue`, `soon` (within the escalation margin), `ok`,
    or `none` when nothing was promised yet."""
    if promised_by is None:
        return "none"
    if promised_by <= now:
        return "overdue"
    return "soon" if (promised_by - now).total_seconds() <= soon_hours * 3600 else "ok"


# How far ahead an answer may be promised: a year (issue 16: a promise in year 9999 was kept).
PROMISE_HORIZON = timedelta(days=366)


def promise_problem(promised: datetime, now: datetime) -> str | None:
    """Why a promised answer cannot be given, or None: it must be after now, and within a year."""
    if promised <= now:
        return _("The promise must be in the future.")
    if promised - now > PROMISE_HORIZON:
        return _("Promise an answer within a year.")
    return None


def default_promise(
    at: datetime, calendar: calendar_rules.WorkingCalendar, working_days: int = 3
) -> datetime:
    """`working_days` (the policy's COMPLAINT_PROMISE_WORKING_DAYS, 3 by default) of the owning
    center's calendar after the acknowledgement."""
    return ticket_rules.due_at(
        at, ticket_rules.Clock(Decimal(working_days), "business_days"), calendar
    )


@dataclass(frozen=True)
class Offer:
    """A compensation as proposed: text for gifts and apologies, an amount, or whole days."""

    kind: str
    text: str = ""
    amount: Decimal | None = None
    days: int | None = None


def parse_offer(kind: object, value: object) -> Offer | str:
    """The offer, or why it is not one (a message for the `compensation` field)."""
    if kind not in COMPENSATION_KINDS:
        return _("Kind must be one of: %(values)s.") % {"values": ", ".join(COMPENSATION_KINDS)}
    if kind == "warranty_extension":
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,6}", text):
            return _("A warranty extension is a whole number of days (at least 1).")
        if not 1 <= int(text) <= DAYS_MAX:
            return _("A warranty extension is from 1 to %(most)s days.") % {"most": f"{DAYS_MAX:,}"}
        return Offer(kind, days=int(text))
    if kind in MONEY_KINDS:
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return _("A discount or refund is an amount such as 50.00.")
        if isinstance(value, bool) or not amount.is_finite() or amount <= 0:
            return _("A discount or refund is an amount above 0.00.")
        if amount > MONEY_MAX:
            return _("A discount or refund is at most %(most)s.") % {"most": f"{MONEY_MAX:,}"}
        if amount != amount.quantize(CENT):
            return _("An amount has at most two decimal places.")
        return Offer(kind, amount=amount.quantize(CENT))
    text = "" if value is None else str(value).strip()
    if kind == "gift" and not text:
        return _("Say what the gift is.")
    if len(text) > 200:
        return _("At most 200 characters.")
    return Offer(kind, text=text)


def needs_approval(offer: Offer, threshold: Decimal) -> bool:
    """Money above the threshold needs a branch manager's (or an administrator's) approval."""
    return offer.amount is not None and offer.amount > threshold
