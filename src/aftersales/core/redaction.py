"""Rewriting a person's name, phone and address out of stored text (a privacy erase, decision 70).

`Redactor` is pure: it replaces what it was given in a string or a JSON value. `rewrite` applies
one to some text and JSON columns of some rows. Each app's `*_privacy_erase` service calls
`rewrite` on its own tables; the privacy app decides which rows and which redactor (the person's
own records lose their name, phone and address; every other record loses their phone number).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

ERASED = "[erased]"


@dataclass(frozen=True)
class Redactor:
    """What to replace: `literals` (matched case-insensitively) and `patterns` (regular
    expressions, e.g. a phone number in any spelling). `needles` are substrings one of which any
    text holding a match contains: `rewrite` reads only the rows the database finds them in
    (no needles: every row given). Needles are ASCII, so they match JSON stored with escapes."""

    literals: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    needles: tuple[str, ...] = ()
    mark: str = ERASED
    _all: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = [re.escape(text) for text in sorted(set(self.literals), key=len, reverse=True)]
        parts += [p.pattern for p in self.patterns]
        parts = [p for p in parts if p]
        combined = re.compile("|".join(parts), re.IGNORECASE) if parts else None
        object.__setattr__(self, "_all", combined)

    def text(self, value: str) -> str:
        if not value or self._all is None:
            return value
        return self._all.sub(self.mark, value)

    def value(self, value: Any) -> Any:
        """A string, or a JSON value (dicts, lists) with every string in it rewritten."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def found_in(self, value: Any) -> bool:
        return self.value(value) != value

    def prefilter(self, fields: Iterable[str]) -> Q | None:
        """Rows whose fields contain a needle (None: no needles, read every row given)."""
        if not self.needles:
            return None
        condition = Q()
        for name in fields:
            for needle in self.needles:
                condition |= Q(**{f"{name}__icontains": needle})
        return condition


def rewrite(rows: QuerySet[Any], fields: Sequence[str], redactor: Redactor) -> int:
    """Rewrite `fields` (text or JSON columns) of `rows` with `redactor`: one UPDATE per row that
    changes, straight to the table (no `save()`, no event: the erase writes its one event on the
    customer's timeline). Returns the number of rows changed."""
    condition = redactor.prefilter(fields)
    if condition is not None:
        rows = rows.filter(condition)
    model: type[models.Model] = rows.model
    changed = 0
    for pk, *values in rows.order_by().values_list("pk", *fields).iterator():
        changes = {
            name: new
            for name, old in zip(fields, values, strict=True)
            if (new := redactor.value(old)) != old
        }
        if changes:
            model._default_manager.filter(pk=pk).update(**changes)
            changed += 1
    return changed


def rewrite_person(
    private_text: dict[type[models.Model], tuple[str, ...]],
    theirs: dict[type[models.Model], QuerySet[Any]],
    *,
    own: Redactor,
    everywhere: Redactor,
) -> int:
    """An app's part of a privacy erase: for each of its models, the person's own rows (`theirs`)
    rewritten with `own` (their name, phone, address), then every row with `everywhere` (their
    phone number). Returns the number of rows changed."""
    changed = 0
    for model, fields in private_text.items():
        if model in theirs:
            changed += rewrite(theirs[model], fields, own)
        changed += rewrite(model._default_manager.all(), fields, everywhere)
    return changed
