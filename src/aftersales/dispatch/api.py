"""Service network endpoints."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from aftersales.core.api import require_staff
from aftersales.dispatch import selectors

router = Router(tags=["centers"])


class CenterOut(Schema):
    code: str
    name: str
    kind: str
    regions: list[str]


@router.get("/centers", response=list[CenterOut])
def list_centers(request: HttpRequest) -> Any:
    require_staff(request)
    return selectors.centers()
