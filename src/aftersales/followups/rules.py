"""Pure rules of follow-ups: who works them, and when to try again after an unanswered call."""

from datetime import datetime

from aftersales.core import rules as calendar_rules
from aftersales.workorders.rules import next_pickup_call

# CONTRACT.md "API conventions": hotline and complaints work follow-ups, archive makes the
# verification calls, a branch manager everything of its center, admins everything.
WORKING_ROLES = frozenset({"admin", "hotline", "complaints", "branch_manager"})
VERIFICATION_ROLES = WORKING_ROLES | {"archive"}
RETRY_GAP_HOURS = 2  # working hours between two tries on the first day
TRIES_BEFORE_NEXT_DAY = 3


def may_complete(role: str | None, kind: str) -> bool:
    allowed = VERIFICATION_ROLES if kind == "verification_call" else WORKING_ROLES
    return role in allowed


def next_try(kind: str, attempts: list[datetime], cal: calendar_rules.WorkingCalendar) -> datetime:
    """When to call again after the unanswered tries `attempts` (oldest first). Pickup reminders
    follow DOMAIN.md §4.8's ladder; other calls are tried again two working hours later, and
    after three tries on the next working day's opening."""
    if kind == "pickup_reminder":
        return next_pickup_call(attempts, cal)
    last = attempts[-1]
    if len(attempts) % TRIES_BEFORE_NEXT_DAY:
        return calendar_rules.next_opening(
            calendar_rules.add_business_hours(last, RETRY_GAP_HOURS, cal), cal
        )
    return calendar_rules.next_working_day_opening(last, cal)


RECONCILING_ROLES = frozenset({"admin", "archive", "branch_manager"})
# How far the customer's own score may differ from the rating recorded at the hand-over.
SCORE_TOLERANCE = 1


def verification_mismatch(recorded: int | None, score: int | None, satisfied: bool | None) -> bool:
    """The customer's answer contradicts the rating recorded without their signature."""
    if satisfied is False and (recorded or 0) >= 4:
        return True
    return recorded is not None and score is not None and abs(recorded - score) > SCORE_TOLERANCE


def outcome_of(*, reached: bool, satisfied: bool | None) -> str:
    if not reached:
        return "not_reached"
    if satisfied is None:
        return "reached"
    return "satisfied" if satisfied else "dissatisfied"


# Satisfaction scores (1–5). From this score up the customer counts as satisfied: a web rating's
# `satisfied`, and what reports read as a good answer.
SATISFIED_FROM_SCORE = 3
SCORES = (1, 2, 3, 4, 5)
# A request can be rated on the web once the work is done (CONTRACT.md "Portal").
RATEABLE_STATUSES = frozenset({"resolved", "closed"})
COMMENT_MAX = 1000


def is_score(value: object) -> bool:
    """A whole number 1 to 5 (not a bool, not 4.0, not "4")."""
    return type(value) is int and value in SCORES


def satisfied_by_score(score: int) -> bool:
    return score >= SATISFIED_FROM_SCORE


def web_rating_refusal(*, ticket_status: str, survey_open: bool, answered: bool) -> str | None:
    """Why a web rating is refused, or None. One answer per survey round: the open survey takes
    it; without one, a request whose survey was already answered (by phone or on the web) is
    rated."""
    if ticket_status not in RATEABLE_STATUSES:
        return "not_ready"
    if not survey_open and answered:
        return "already_rated"
    return None


def web_rating_needs_call(score: int) -> bool:
    """A low web score is not the end of it: an agent calls the customer, and their call decides
    whether the request is reopened (the dissatisfied rule of `followup_complete`)."""
    return not satisfied_by_score(score)


def callback_kind_after_low_rating(*, has_work_order: bool) -> str:
    """The call an agent makes after a low web score: about the repair, or about the request."""
    return "repair_callback" if has_work_order else "consultation_callback"
