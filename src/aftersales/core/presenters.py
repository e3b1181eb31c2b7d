"""Kernel rows as the API shows them."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import Event

# What a timeline shows for an event its app has not worded (each app words its own events in
# its presenters): a plain word, never the event's code.
UNWORDED_EVENT = _("Recorded")


def display_name(user: User) -> str:
    """Chinese names are written family name first and without a space (王丽, not "丽 王")."""
    return (user.last_name + user.first_name).strip() or user.username


def event_json(event: Event) -> dict[str, Any]:
    """One timeline entry (CONTRACT.md: at, actor, action, note, customer_visible, work_order)."""
    return {
        "at": event.at,
        "actor": event.actor.username if event.actor else None,
        "action": event.action,
        "note": event.note,
        "customer_visible": event.customer_visible,
        "work_order": event.data.get("work_order"),
    }
