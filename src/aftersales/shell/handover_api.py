"""Handing a leaving person's open requests and work orders over to a colleague, by API."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from aftersales.core.api import Answer, require_staff
from aftersales.core.errors import InvalidInput, NotFound
from aftersales.shell import services

router = Router(tags=["centers"])


class HandoverIn(Schema):
    to: str


class HandoverOut(Answer):
    requests: int
    work_orders: int


@router.post("/users/{username}/handover", response=HandoverOut)
def hand_over(request: HttpRequest, username: str, payload: HandoverIn) -> Any:
    """Everything open of a leaving person goes to a colleague; the person is deactivated."""
    by = require_staff(request)
    leaving = User.objects.filter(username=username).first()
    if leaving is None:
        raise NotFound(_("No user %(username)s.") % {"username": username})
    to = User.objects.filter(username=payload.to).first()
    if to is None:
        raise InvalidInput.field("to", _("No user %(username)s.") % {"username": payload.to})
    return services.staff_hand_over(user=leaving, to=to, by=by)
