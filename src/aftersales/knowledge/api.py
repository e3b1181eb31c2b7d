"""The technical center's queue of escalations (not in CONTRACT.md; documented in docs/api.md)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from aftersales.core.api import Answer, require_staff
from aftersales.core.pagination import keyset_page
from aftersales.knowledge import selectors, services
from aftersales.knowledge.models import EscalationCase

router = Router(tags=["escalations"])


class EscalationOut(Answer):
    id: int
    ticket: str
    question: str
    facts: dict[str, Any]
    status: str
    raised_by: str | None
    raised_at: datetime
    answer: str
    answered_by: str | None
    answered_at: datetime | None


def escalation_json(case: EscalationCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "ticket": case.ticket.number,
        "question": case.question,
        "facts": case.facts,
        "status": case.status,
        "raised_by": case.raised_by.username if case.raised_by else None,
        "raised_at": case.raised_at,
        "answer": case.answer,
        "answered_by": case.answered_by.username if case.answered_by else None,
        "answered_at": case.answered_at,
    }


class EscalationPage(Answer):
    items: list[EscalationOut]
    next_cursor: str | None


class EscalationFilters(Schema):
    status: str | None = None
    limit: int | None = None
    cursor: str | None = None


class AnswerIn(Schema):
    answer: str


@router.get("/escalations", response=EscalationPage)
def list_escalations(request: HttpRequest, filters: Query[EscalationFilters]) -> Any:
    user = require_staff(request)
    found = selectors.escalations_for(user)
    if filters.status:
        found = found.filter(status=filters.status)
    page = keyset_page(found, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [escalation_json(c) for c in page["items"]]
    return page


@router.post("/escalations/{case_id}/answer", response=EscalationOut)
def answer_escalation(request: HttpRequest, case_id: int, payload: AnswerIn) -> Any:
    user = require_staff(request)
    case = selectors.escalation_get_for(user, case_id)
    return escalation_json(services.escalation_answer(case=case, by=user, answer=payload.answer))
