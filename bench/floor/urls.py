"""The floor's endpoint: `POST /api/v1/tickets` takes the body an intake takes, validates it
with a ninja schema, inserts one row and answers 201 with the row, validated on the way out."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status

from bench.floor.models import Intake

api = NinjaAPI(title="framework floor", urls_namespace="floor", docs_url=None)


class IntakeIn(Schema):
    kind: str
    channel: str
    customer_id: int | None = None
    serial: str | None = None
    summary: str
    description: str | None = None
    priority: str = "normal"
    problem_class: str | None = None


class IntakeOut(Schema):
    id: int
    kind: str
    channel: str
    customer_id: int | None
    serial: str
    summary: str
    priority: str
    created_at: datetime


@api.post("/tickets", response={201: IntakeOut})
def intake(request: HttpRequest, payload: IntakeIn) -> Any:
    fields = {name: value or "" for name, value in payload.dict().items()}
    fields["customer_id"] = payload.customer_id
    row = Intake.objects.create(**fields, created_at=timezone.now())
    return Status(201, row)


urlpatterns = [path("api/v1/", api.urls)]
