"""A person with a history — units, requests with notes that name them, a carry-in job repaired,
paid and handed over with a signature, its follow-up called, a complaint, an escalation
answered, the messages sent to them — and a neighbour whose records must not change."""

import base64
import importlib
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from aftersales.customers.models import Customer
from aftersales.followups.models import FollowUp
from aftersales.knowledge.models import EscalationCase
from aftersales.knowledge.services import escalation_answer
from aftersales.notifications.gateways import FAKE_SMS
from aftersales.notifications.models import Message
from aftersales.notifications.services import message_deliver
from tests.factories import CategoryFactory, CustomerFactory, ProductModelFactory, UnitFactory
from tests.workorders.conftest import ok, to_ready_paid

NAME = "李秀英"
PHONE = "+8613912345678"
ADDRESS = "广州市越秀区中山五路 88 号 3 栋 1201"
EMAIL = "lxy.home@example.com"
# The spellings of her number people type into notes.
PHONE_SPELLINGS = ("+8613912345678", "13912345678", "139 1234 5678", "139-1234-5678")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()


@dataclass
class History:
    customer: Customer
    neighbour: Customer
    requests: list[str]
    work_order: str
    neighbour_request: str
    admin: object  # ApiClient


@pytest.fixture(autouse=True)
def _templates(db):  # type: ignore[no-untyped-def]
    """The message templates (seeded by a data migration; flushed by transactional tests)."""
    seed = importlib.import_module("aftersales.notifications.migrations.0002_seed_templates")
    seed.seed(apps, None)
    FAKE_SMS.sent.clear()
    yield
    FAKE_SMS.sent.clear()


@pytest.fixture
def admin(api_as):  # type: ignore[no-untyped-def]
    return api_as("admin", "boss")


def _unit(customer: Customer):  # type: ignore[no-untyped-def]
    day = timezone.localdate() - timedelta(days=400)  # out of warranty: a paid repair
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    return UnitFactory(
        model=model,
        customer=customer,
        purchase_date=day,
        invoice_date=day,
        price=Decimal("2999.00"),
    )


def _request(client, customer: Customer, unit, **body) -> str:  # type: ignore[no-untyped-def]
    answer = client.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "customer_id": customer.pk,
            "serial": unit.serial,
            "summary": "不开机",
            **body,
        },
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()["number"]


def _finish_followups(client, number: str) -> None:  # type: ignore[no-untyped-def]
    for call in FollowUp.objects.filter(ticket__number=number, status="open"):
        done = client.post(
            f"/followups/{call.pk}/complete",
            {"reached": True, "satisfied": True, "score": 5, "note": f"{NAME}满意"},
        )
        assert done.status_code == 200, done.json()


@pytest.fixture
def history(admin, center) -> History:  # type: ignore[no-untyped-def]
    """Her whole story, every case of hers finished."""
    her = CustomerFactory(
        name=NAME, phone=PHONE, address=ADDRESS, email=EMAIL, contact_person=NAME, note="老客户"
    )
    phone_unit, spare_unit = _unit(her), _unit(her)
    repair = _request(
        admin,
        her,
        phone_unit,
        description=f"{NAME}女士来电，回拨 139 1234 5678，上门地址 {ADDRESS}",
        preferred_time="下午",
    )
    assert (
        admin.post(
            f"/tickets/{repair}/actions",
            {
                "action": "note",
                "note": f"已与{NAME}确认，电话 139-1234-5678",
                "customer_visible": False,
            },
        ).status_code
        == 200
    )
    job = admin.post(f"/tickets/{repair}/work-orders", {"mode": "carry_in"}).json()["number"]
    to_ready_paid(admin, job, price="280.00")
    ok(
        admin,
        job,
        "hand_over",
        signature=SIGNATURE,
        rating=4,
        comment=f"我是{NAME}，修得不错",
        payment={"amount": "280.00", "method": "cash", "receipt_no": "R-0001"},
    )
    _finish_followups(admin, repair)

    question = _request(admin, her, spare_unit, summary=f"{NAME}的备用机反复死机")
    assert (
        admin.post(
            f"/tickets/{question}/actions", {"action": "escalate", "note": f"{NAME}急用"}
        ).status_code
        == 200
    )
    case = EscalationCase.objects.get(ticket__number=question)
    escalation_answer(case=case, by=case.raised_by, answer=f"请{NAME}刷机")
    assert (
        admin.post(
            f"/tickets/{question}/actions", {"action": "resolve", "resolution": "answered"}
        ).status_code
        == 200
    )
    _finish_followups(admin, question)

    complaint = admin.post(
        "/tickets",
        {
            "kind": "complaint",
            "channel": "hotline",
            "customer_id": her.pk,
            "summary": "师傅迟到",
            "description": f"{NAME}投诉，电话 13912345678",
            "category": "staff_service",
        },
    )
    assert complaint.status_code == 201, complaint.json()
    complaint_number = complaint.json()["number"]
    assert (
        admin.post(
            f"/tickets/{complaint_number}/actions", {"action": "cancel", "reason": "客户撤回"}
        ).status_code
        == 200
    )

    neighbour = CustomerFactory(
        name="王建国", phone="+8613700000002", address="广州市天河区体育西路 2 号"
    )
    theirs = _request(
        admin,
        neighbour,
        _unit(neighbour),
        description="邻居代报，也可打 +86 139 1234 5678 找人",
    )
    # The worker delivers what was queued (the fake gateway).
    for message in Message.objects.filter(status="queued"):
        message_deliver(message_id=message.pk)
    assert Message.objects.filter(customer=her, status="sent").count() >= 3
    # Someone looked her up by phone: the access record keeps what they typed.
    assert admin.get("/customers", phone="139 1234 5678").status_code == 200
    return History(
        customer=her,
        neighbour=neighbour,
        requests=[repair, question, complaint_number],
        work_order=job,
        neighbour_request=theirs,
        admin=admin,
    )


TEXT = (models.CharField, models.TextField, models.JSONField)


def everything_written() -> list[tuple[str, int, str, str]]:
    """Every text, character and JSON column of every row of every table, as text."""
    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT)]
        if not fields:
            continue
        for pk, *values in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, values, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append((model._meta.label, pk, name, text))
    return found


def traces(strings) -> list[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    return [row for row in everything_written() if any(s in row[3] for s in strings)]
