"""What an action ends in: the `Effect` its applier returns (the event's note and data, the
fields it changed, the steps to run once the job is saved), or a guard's refusal, whose messages
(`GUARD_MESSAGES`, by the code of `rules.refusal`) are here for every module that refuses.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

GUARD_MESSAGES = {
    "agreement_required": gettext_noop(
        "The customer must sign the repair agreement before the unit is taken in."
    ),
    "remedy_choice_required": gettext_noop(
        "Several remedies are open: record the customer's choice first."
    ),
    "remedy_not_available": gettext_noop(
        "This remedy is not open for this job (see the decision and the choice)."
    ),
    "quote_not_approved": gettext_noop("Paid work needs a quote the customer approved."),
    "payment_due": gettext_noop("The amount due must be paid or waived before the hand-over."),
    "loaner_out": gettext_noop("A loaner unit is already out on this job: take it back first."),
    "window_in_past": gettext_noop("The appointment window must be in the future."),
    "technician_not_available": gettext_noop(
        "This technician is not active at that service center."
    ),
    "not_paused": gettext_noop("This job is not paused by a field incident."),
    "already_departed": gettext_noop("The departure is already recorded: you are on the way."),
    "already_arrived": gettext_noop("The arrival is already recorded for this visit."),
    "not_departed": gettext_noop("Record “On my way” first: the arrival follows it."),
    "visit_in_progress": gettext_noop(
        "You are on site: first record why this visit did not finish."
    ),
    "no_loaner_out": gettext_noop("No loaner unit is out on this job."),
    "signature_required": gettext_noop(
        "Take the customer's signature, or write why they did not sign."
    ),
}


def _guard_message(code: str) -> str:
    return _(GUARD_MESSAGES[code])


@dataclass
class Effect:
    """What an action did: the event's note and data, and the fields it changed."""

    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    after: list[Callable[[], object]] = field(default_factory=list)  # once the job is saved
