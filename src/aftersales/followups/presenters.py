"""What the agent says on each kind of follow-up call (DOMAIN.md §4.8–4.10, §5)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
