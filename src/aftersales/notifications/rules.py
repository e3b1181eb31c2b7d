"""Pure message rules: filling a template's {variables} and the retry ladder."""

import string
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

MAX_TRIES = 5
FIRST_RETRY = timedelta(minutes=1)
RETRY_FACTOR = 5
# A delivery claims its message for this long, so a second runner (or the sweep) leaves it be.
DELIVERY_LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 5, 25, 125 … minutes."""
    return FIRST_RETRY * RETRY_FACTOR ** max(attempts - 1, 0)


def gives_up(attempts: int) -> bool:
    """After MAX_TRIES failed tries a message is failed for good."""
    return attempts >= MAX_TRIES


def variables_of(text: str) -> set[str]:
    """The {names} a template's text uses."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def render(text: str, variables: Mapping[str, Any]) -> str:
    """Fill `{name}` with its value; a name without a value is left out rather than shown raw."""

    class _Blank(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return ""

    return text.format_map(_Blank({k: "" if v is None else v for k, v in variables.items()}))


def missing(text: str, variables: Mapping[str, Any]) -> set[str]:
    return {name for name in variables_of(text) if variables.get(name) in (None, "")}


def pickup_call_texts(*, first_call: bool) -> bool:
    """Whether a pickup call that falls due also texts the customer: not the first — the "ready
    for pickup" SMS went out when the unit became ready —, each later one (DOMAIN.md §4.8: the
    customer not reached is called again, then weekly, "and send SMS")."""
    return not first_call
