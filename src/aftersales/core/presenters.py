"""Kernel rows as the API shows them."""

from typing import Any

from aftersales.core.models import Event


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
