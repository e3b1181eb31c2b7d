"""Whatever a client sends, the API answers in its error format and never with a 500: every
operation of the OpenAPI document, as an administrator and as a technician, with valid and
invalid input (schemathesis), on SQLite and on PostgreSQL (`DATABASE_URL`).

A unit, a repair request with an on-site job assigned to the technician, a complaint, a
follow-up and an escalation are seeded, and most cases aim their path parameters (and a body's
`serial`, `customer_id`, `technician`) at them, so the operations go past "not found" into the
services: actions on real jobs, the unit's entitlement, the technician's calendar feed.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from aftersales.core.services import issue_token
from aftersales.desk.services import request_create
from aftersales.dispatch.selectors import profile_key
from aftersales.followups.services import followup_schedule
from aftersales.knowledge.models import EscalationCase
from aftersales.tickets.services import ticket_create
from aftersales.workorders.services import work_order_act, work_order_create
from aftersales.wsgi import application
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    CenterFactory,
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
    make_technician,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Most cases aim at the seeded rows; the rest keep what schemathesis drew (unknown ids: 404).
AIMED = 3  # of 4


@dataclass
class Seeded:
    token: str
    values: dict[str, list[Any]]  # a path or body parameter → the seeded values it may take

    def aim(self, case: Any) -> None:
        """Point the case at seeded rows, deterministically (the same case aims the same way)."""
        digest = hashlib.sha256(repr((case.path_parameters, case.query, case.body)).encode())
        pick = int(digest.hexdigest(), 16)
        if pick % 4 >= AIMED:
            return
        numbers = "tickets" if case.path.startswith("/api/v1/tickets") else "work_orders"
        for name in case.path_parameters or {}:
            choices = self.values.get(numbers if name == "number" else name)
            if choices:
                case.path_parameters[name] = choices[pick % len(choices)]
        if case.path.endswith("/calendar.ics") and case.query is not None:
            case.query["key"] = self.values["key"][0]
        if isinstance(case.body, dict):
            for name in ("serial", "customer_id", "technician", "model"):
                if name in case.body and self.values.get(name):
                    case.body[name] = self.values[name][0]


@pytest.fixture(params=["admin", "technician"])
def seeded(request, db, settings):  # type: ignore[no-untyped-def]
    # Django's test client keeps the test's connection open across requests; a bare WSGI call
    # would close it at request end (close_old_connections) and lose the test transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    yield _seed(request.param)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _seed(role: str) -> Seeded:
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    admin = make_staff("fuzz-admin", "admin", center)
    tech = make_technician("fuzz-tech", center, regions=["440100"])
    phone = ProductModelFactory(code="XH-P50", category=CategoryFactory(code="mobile_phone"))
    owner = CustomerFactory(phone="+8613800138000", region="440106")
    unit = UnitFactory(serial="861234567890123", model=phone, customer=owner, price="2999.00")
    repair = ticket_create(
        by=admin,
        kind="repair",
        channel="hotline",
        customer_id=owner.id,
        serial=unit.serial,
        summary="屏幕不亮",
    )
    job = work_order_create(ticket=repair, by=admin, mode="on_site", technician=tech.username)
    start = timezone.now() + timedelta(days=1)
    work_order_act(
        work_order=job, by=admin, action="schedule", start=start, end=start + timedelta(hours=2)
    )
    work_order_act(work_order=job, by=admin, action="escalate", note="屏幕排线型号?")
    complaint = request_create(
        by=admin,
        kind="complaint",
        channel="hotline",
        customer_id=owner.id,
        serial=unit.serial,
        summary="维修太慢",
        center="gz",
    )
    callback = followup_schedule(
        ticket=repair, kind="consultation_callback", due_at=timezone.now(), owner=admin
    )
    caller = admin if role == "admin" else tech
    token, _ = issue_token(username=caller.username, password=PASSWORD)
    return Seeded(
        token=token,
        values={
            "tickets": [repair.number, complaint.number],
            "work_orders": [job.number],
            "serial": [unit.serial],
            "customer_id": [owner.id],
            "model": [phone.code],
            "username": [tech.username],
            "technician": [tech.username],
            "key": [profile_key(tech)],
            "followup_id": [callback.pk],
            "case_id": list(EscalationCase.objects.values_list("pk", flat=True)),
            "code": ["440106"],
        },
    )


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, seeded):  # type: ignore[no-untyped-def]
    seeded.aim(case)

    response = case.call(headers={"Authorization": f"Bearer {seeded.token}"})

    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}
