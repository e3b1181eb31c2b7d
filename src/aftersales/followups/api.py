"""Follow-up endpoints (CONTRACT.md "Follow-ups")."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from aftersales.core import xlsx
from aftersales.core.api import Answer, require_staff
from aftersales.core.pagination import every, keyset_page
from aftersales.core.payloads import Day, Moment
from aftersales.followups import presenters, selectors, services

router = Router(tags=["followups"])


class FollowUpOut(Answer):
    id: int
    kind: str
    ticket: str
    work_order: str | None
    due_at: datetime
    status: str
    attempts: int
    outcome: str
    owner: str | None
    satisfied: bool | None
    score: int | None
    note: str
    reason: dict[str, Any] | None  # why the call was listed: {"code": "web_rating", "score": 2}


class FollowUpPage(Answer):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpFilters(Schema):
    status: str | None = None
    kind: str | None = None
    ticket: str | None = None
    due_before: Moment | None = None
    limit: int | None = None
    cursor: str | None = None


@router.get("/followups", response=FollowUpPage)
def list_followups(
    request: HttpRequest, filters: Query[FollowUpFilters], format: xlsx.Format = None
) -> Any:
    """A page of the follow-ups the filters select; `?format=xlsx` (or `Accept` the XLSX
    type): all of them as a workbook."""
    user = require_staff(request)
    found = selectors.filtered(user, **filters.dict(exclude={"limit", "cursor"}))
    if xlsx.wanted(request, format):
        sheet = presenters.followup_sheet(every(found))
        return xlsx.list_export(request, name="follow-ups", filters=filters, sheet=sheet)
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_followup_json(f) for f in page["items"]]
    return page


class CompleteIn(Schema):
    reached: Any = None
    satisfied: Any = None
    score: Any = None
    note: str = ""


@router.post("/followups/{followup_id}/complete", response=FollowUpOut)
def complete_followup(request: HttpRequest, followup_id: int, payload: CompleteIn) -> Any:
    """Record the call: reached or not, satisfied or not, a score and a note."""
    user = require_staff(request)
    followup = selectors.followup_get_for(user, followup_id)
    done = services.followup_complete(followup=followup, by=user, **payload.dict())
    return _followup_json(selectors.followup_get_for(user, done.pk))


def _followup_json(f: Any) -> dict[str, Any]:
    return {
        "id": f.id,
        "kind": f.kind,
        "ticket": f.ticket.number,
        "work_order": f.work_order.number if f.work_order else None,
        "due_at": f.due_at,
        "status": f.status,
        "attempts": f.attempts,
        "outcome": f.outcome,
        "owner": f.owner.username if f.owner else None,
        "satisfied": f.satisfied,
        "score": f.score,
        "note": f.note,
        "reason": f.reason or None,
    }


class ReconcileIn(Schema):
    day: Day


class ReconcileOut(Answer):
    created: list[FollowUpOut]


@router.post("/followups/verification-calls", response={201: ReconcileOut})
def create_verification_calls(request: HttpRequest, payload: ReconcileIn) -> Any:
    """The daily reconciliation: a verification call for each job of the day rated without the
    customer's signature (none twice for one job)."""
    made = services.verification_calls_create(day=payload.day, by=require_staff(request))
    return Status(201, {"created": [_followup_json(f) for f in made]})
