"""What the agent says on each kind of follow-up call (DOMAIN.md §4.8–4.10, §5), and the
follow-up list as a sheet of its XLSX export."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aftersales.core import xlsx
from aftersales.core.presenters import display_name
from aftersales.followups.models import FollowUp

SCRIPTS = {
    "consultation_callback": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s. You called us about “%(summary)s”: "
        "is the problem solved now? Anything else we can do?"
    ),
    "repair_callback": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s. We repaired your %(model)s "
        "(%(work_order)s): is it working normally now? Please tell us if the fault comes back."
    ),
    "satisfaction_survey": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s. Your service request %(ticket)s is "
        "completed: does the unit work well? How satisfied are you with our service, from 1 to 5?"
    ),
    "pickup_reminder": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s. Your %(model)s (%(work_order)s) is "
        "ready: you can collect it at %(center)s during opening hours. Please bring the pickup slip."
    ),
    "complaint_followup": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s, about your complaint %(ticket)s: "
        "has what we agreed been done to your satisfaction? How would you rate our handling, 1 to 5?"
    ),
    "verification_call": gettext_noop(
        "Hello %(customer)s, this is %(agent)s of %(company)s, checking our records of %(ticket)s: "
        "did our technician finish the job, and did you sign the service sheet yourself? How would "
        "you rate the service, 1 to 5?"
    ),
}


# How a call ended (FollowUp.outcome), and by which channel a pickup call went ("sms:reached").
OUTCOMES = {
    "reached": gettext_noop("Reached"),
    "not_reached": gettext_noop("Not reached"),
    "satisfied": gettext_noop("Satisfied"),
    "dissatisfied": gettext_noop("Not satisfied"),
    "mismatch": gettext_noop("Contradicts the record"),
    "closed": gettext_noop("No longer needed"),
}
CHANNELS = {"phone": gettext_noop("by phone"), "sms": gettext_noop("by SMS")}


def outcome_label(outcome: str) -> str:
    """A call's outcome in words ("" for none yet), never its code."""
    channel, _sep, result = outcome.rpartition(":")
    words = _(OUTCOMES[result]) if result in OUTCOMES else ""
    if words and channel in CHANNELS:
        return _("%(outcome)s (%(channel)s)") % {"outcome": words, "channel": _(CHANNELS[channel])}
    return words


# Why a call was put on the list (FollowUp.reason's code), in the reader's language.
REASONS = {
    "web_rating": gettext_noop("Rated %(score)d of 5 on the web: call the customer."),
}


def reason(followup: FollowUp) -> str:
    """Why this call is on the list, in the agent's words ("" when its kind says it all)."""
    why = followup.reason or {}
    words = REASONS.get(str(why.get("code", "")))
    if words is None:
        return ""
    return _(words) % {"score": int(why.get("score") or 0)}


def script(followup: FollowUp, agent: Any) -> str:
    ticket, job = followup.ticket, followup.work_order
    unit = (job.unit if job else None) or ticket.unit
    center = (job.center if job else None) or ticket.center
    return _(SCRIPTS[followup.kind]) % {
        "customer": ticket.customer.name,
        "agent": display_name(agent),
        "company": settings.COMPANY_NAME,
        "summary": ticket.summary,
        "model": unit.model.name if unit else _("unit"),
        "work_order": job.number if job else ticket.number,
        "ticket": ticket.number,
        "center": center.name if center else "",
    }


def followup_sheet(followups: Iterable[FollowUp]) -> xlsx.Sheet:
    """The follow-up list as a sheet (its XLSX export): a header in the reader's language and
    one row per call, its kind, status, outcome and reason in words."""
    header = [
        _("Kind"),
        _("Request"),
        _("Work order"),
        _("Due"),
        _("Status"),
        _("Attempts"),
        _("Outcome"),
        _("Owner"),
        _("Satisfied"),
        _("Score"),
        _("Note"),
        _("Reason"),
        _("Done"),
    ]
    return xlsx.Sheet(
        title=_("Follow-ups"), header=header, rows=(_followup_row(f) for f in followups)
    )


def _followup_row(followup: FollowUp) -> list[Any]:
    return [
        followup.get_kind_display(),
        followup.ticket.number,
        followup.work_order.number if followup.work_order else None,
        followup.due_at,
        followup.get_status_display(),
        followup.attempts,
        outcome_label(followup.outcome) or None,
        display_name(followup.owner) if followup.owner else None,
        xlsx.yes_no(followup.satisfied),
        followup.score,
        followup.note or None,
        reason(followup) or None,
        followup.done_at,
    ]
