"""Reactions: how something in a lower app causes something in a higher one without importing it.

A lower app only writes its timeline event (`core.services.record_event`). A higher app declares,
in its own `reactions.py` (imported by its AppConfig.ready), the events it reacts to:

    @on("workorders.workorder", "hand_over")
    def survey_after_hand_over(event, work_order): ...

Each reaction runs right after the event is written, in the same transaction as the change that
wrote it (a refusal or a failure rolls back both); a reaction's own side effects outside the
database (a message sent, a task queued) wait for the commit, as every side effect does. Reactions
to one event run in the order of INSTALLED_APPS, then of their declaration. docs/architecture.md
lists every app's reactions.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models

Reaction = Callable[[Any, Any], None]  # (the Event just written, its subject)

_REACTIONS: dict[str, list[tuple[frozenset[str], Reaction]]] = defaultdict(list)


def on(subject: str, *actions: str) -> Callable[[Reaction], Reaction]:
    """Declare a reaction to the events of `subject` (a model label, "app_label.modelname") whose
    action is one of `actions` (all of that subject's events when none is named)."""

    def register(reaction: Reaction) -> Reaction:
        _REACTIONS[subject.lower()].append((frozenset(actions), reaction))
        return reaction

    return register


def react(event: Any, subject: models.Model) -> None:
    """Run the reactions declared for this event (called by `record_event` only)."""
    for actions, reaction in _REACTIONS.get(subject._meta.label_lower, ()):
        if not actions or event.action in actions:
            reaction(event, subject)


def declared() -> list[tuple[str, list[str], str]]:
    """Every declared reaction: (subject, actions, the reacting function's dotted name)."""
    return [
        (subject, sorted(actions), f"{reaction.__module__}.{reaction.__qualname__}")
        for subject, entries in sorted(_REACTIONS.items())
        for actions, reaction in entries
    ]
