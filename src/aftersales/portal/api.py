"""The customer's endpoints, no login (CONTRACT.md "Portal")."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from aftersales.core.api import Answer
from aftersales.followups.services import followup_rate_from_web
from aftersales.portal import throttle

router = Router(tags=["portal"])


class RatingIn(Schema):
    number: str
    phone: str
    score: Any = None  # checked by the service: 1–5, a whole number (422 names `score`)
    comment: Any = ""


class RatingOut(Answer):
    number: str
    score: int
    comment: str
    rated_at: datetime


@router.post("/portal/rating", auth=None, response={201: RatingOut})
def rate_request(request: HttpRequest, payload: RatingIn) -> Any:
    """The customer rates their resolved request, 1 to 5 with an optional comment. A client with
    ten wrong pairings in ten minutes is refused (429) until the window passes."""
    ticket = throttle.ticket_for_customer(request, number=payload.number, phone=payload.phone)
    survey = followup_rate_from_web(ticket=ticket, score=payload.score, comment=payload.comment)
    return Status(
        201,
        {
            "number": ticket.number,
            "score": survey.score,
            "comment": survey.note,
            "rated_at": survey.done_at,
        },
    )
