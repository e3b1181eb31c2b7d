"""Follow-up endpoints (CONTRACT.md "Follow-ups"); the engine's issue adds `complete`."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from aftersales.core.api import require_staff
from aftersales.core.pagination import keyset_page
from aftersales.followups import selectors

router = Router(tags=["followups"])


class FollowUpOut(Schema):
    id: int
    kind: str
    ticket: str
    work_order: str | None
    due_at: datetime
    status: str
    attempts: int
    outcome: str
    owner: str | None


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpFilters(Schema):
    status: str | None = None
    kind: str | None = None
    ticket: str | None = None
    due_before: datetime | None = None
    limit: int | None = None
    cursor: str | None = None


@router.get("/followups", response=FollowUpPage)
def list_followups(request: HttpRequest, filters: Query[FollowUpFilters]) -> Any:
    user = require_staff(request)
    found = selectors.filtered(user, **filters.dict(exclude={"limit", "cursor"}))
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [
        {
            "id": f.id,
            "kind": f.kind,
            "ticket": f.ticket.number,
            "work_order": f.work_order.number if f.work_order else None,
            "due_at": f.due_at,
            "status": f.status,
            "attempts": f.attempts,
            "outcome": f.outcome,
            "owner": f.owner.username if f.owner else None,
        }
        for f in page["items"]
    ]
    return page
