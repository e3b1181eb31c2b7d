"""Keyset pagination for API lists: `?limit=` (default 50, max 200) and an opaque `?cursor=`."""

import base64
import json
from collections.abc import Iterator
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode_text(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise _broken_cursor() from exc


def _decode(cursor: str) -> int:
    try:
        return int(_decode_text(cursor))
    except ValueError as exc:
        raise _broken_cursor() from exc


def _broken_cursor() -> InvalidInput:
    return InvalidInput.field("cursor", _("This cursor is not valid."))


def keyset_page(
    queryset: QuerySet[M], *, limit: int | None, cursor: str | None, order: str | None = None
) -> dict[str, Any]:
    """Newest first by primary key; `next_cursor` is null on the last page.

    With `order` (a field's name), smallest first by (that field, primary key) instead — the
    "due soon" queue, soonest due first — and the cursor carries both. The field must not be
    null in the rows paged, and an index on (field, pk) answers each page in order."""
    if limit is None:
        limit = DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.field(
            "limit", _("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT}
        )
    if order is None:
        queryset = queryset.order_by("-pk")
        if cursor:
            queryset = queryset.filter(pk__lt=_decode(cursor))
    else:
        queryset = queryset.order_by(order, "pk")
        if cursor:
            value, pk = _decode_after(queryset.model, order, cursor)
            # The range on the field alone lets the index answer in order; the OR breaks ties.
            queryset = queryset.filter(
                Q(**{f"{order}__gt": value}) | Q(**{order: value, "pk__gt": pk}),
                **{f"{order}__gte": value},
            )
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        key = str(last.pk) if order is None else json.dumps([_value(last, order), last.pk])
        next_cursor = _encode(key)
    return {"items": rows, "next_cursor": next_cursor}


def every(queryset: QuerySet[M], *, size: int = 500) -> Iterator[M]:
    """Every row a list's filters select, newest first as its pages, read `size` rows at a time
    by the same keyset as the pages (each batch one statement, and one per prefetch): an export
    of any length holds one batch at a time, on every database alike (no server-side cursor)."""
    queryset = queryset.order_by("-pk")
    batch = list(queryset[:size])
    while batch:
        yield from batch
        if len(batch) < size:
            return
        batch = list(queryset.filter(pk__lt=batch[-1].pk)[:size])


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"keyset_page orders by a concrete field, not {name!r}")
    return field


def _value(row: Model, name: str) -> str:
    return _field(type(row), name).value_to_string(row)


def _decode_after(model: type[Model], name: str, cursor: str) -> tuple[Any, int]:
    """The (field value, pk) of the last row of the previous page."""
    field = _field(model, name)
    try:
        text, pk = json.loads(_decode_text(cursor))
        str(text).encode()  # JSON may write a lone surrogate ("\ud800"): not a value of ours
        value = field.to_python(text)
        if value is None or isinstance(pk, bool) or not isinstance(pk, int):
            raise ValueError(cursor)
    except (TypeError, ValueError, ValidationError) as exc:
        raise _broken_cursor() from exc
    return value, pk
