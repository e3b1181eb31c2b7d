"""How a request's own events read on its timeline: the one place of their words (the request
page's timeline also shows its complaint's steps and its jobs' events, each worded by its app:
desk.presenters puts them together)."""

from django.utils.translation import gettext_lazy as _

from aftersales.core.presenters import UNWORDED_EVENT

# The request's events (`tickets.services`, and the technical center's answer, knowledge's).
EVENT_LABELS = {
    "created": _("Request taken"),
    "note": _("Note"),
    "assign_owner": _("Owner changed"),
    "start": _("Work started"),
    "resolve": _("Resolved"),
    "reopen": _("Reopened"),
    "close": _("Request closed"),
    "cancel": _("Request cancelled"),
    "escalate": _("Escalated to the technical center"),
    "escalation_answered": _("Technical center answered"),
}


def event_label(action: str) -> str:
    """The words for one of the request's events; never its code."""
    return str(EVENT_LABELS.get(action, UNWORDED_EVENT))
