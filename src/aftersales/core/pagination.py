"""Keyset pagination for API lists: `?limit=` (default 50, max 200) and an opaque `?cursor=`."""

import base64
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(str(pk).encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput.field("cursor", _("This cursor is not valid.")) from exc


def keyset_page(queryset: QuerySet[M], *, limit: int | None, cursor: str | None) -> dict[str, Any]:
    """Newest first by primary key; `next_cursor` is null on the last page."""
    if limit is None:
        limit = DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.field(
            "limit", _("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT}
        )
    queryset = queryset.order_by("-pk")
    if cursor:
        queryset = queryset.filter(pk__lt=_decode(cursor))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": _encode(rows[-1].pk) if more and rows else None}
