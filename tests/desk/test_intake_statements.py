"""Taking a hotline repair for a registered unit, with its 三包 decision, is one transaction of a
few statements (issue 17): the reference data comes from what the process keeps, the day's
number is taken last, the "received" SMS and its delivery task are written in the same
transaction, and the answer is built from what is in hand."""

import importlib
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aftersales.notifications.models import Message
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory

SHIPPED_POLICIES = importlib.import_module("aftersales.warranty.migrations.0002_shipped_policies")
SHIPPED_TEMPLATES = importlib.import_module(
    "aftersales.notifications.migrations.0002_seed_templates"
)

MAX_STATEMENTS = 12  # BEGIN and COMMIT included


def registered_phone():  # type: ignore[no-untyped-def]
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    return UnitFactory(
        model=model,
        purchase_date=timezone.localdate() - timedelta(days=5),
        invoice_date=None,
        price=Decimal("2999.00"),
    )


def repair_for(unit):  # type: ignore[no-untyped-def]
    return {
        "kind": "repair",
        "channel": "hotline",
        "customer_id": unit.customer_id,
        "serial": unit.serial,
        "summary": "手机不开机",
    }


@pytest.mark.django_db(transaction=True)  # to see the real BEGIN and COMMIT
def test_a_hotline_repair_is_one_transaction_of_at_most_12_statements(api_as):
    # A transactional test starts from an emptied database: the shipped data again.
    SHIPPED_POLICIES.ship(django_apps, None)
    SHIPPED_TEMPLATES.seed(django_apps, None)
    hotline = api_as("hotline", "lixy")
    hotline.post("/tickets", repair_for(registered_phone()))  # the process reads its reference data
    unit = registered_phone()

    with CaptureQueriesContext(connection) as run:
        answer = hotline.post("/tickets", repair_for(unit))

    assert answer.status_code == 201, answer.content[:300]
    statements = [q["sql"] for q in run.captured_queries]
    shown = "\n".join(s[:160] for s in statements)
    assert len(statements) <= MAX_STATEMENTS, shown
    # One transaction, and every write inside it: nothing before BEGIN but reading who calls,
    # nothing after COMMIT (no second transaction for the delivery task).
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] in (
        ["BEGIN", "COMMIT"],
        ["BEGIN IMMEDIATE", "COMMIT"],
    ), shown
    begin = next(i for i, s in enumerate(statements) if s.startswith("BEGIN"))
    assert all(s.startswith("SELECT") for s in statements[:begin]), shown
    assert statements[-1] == "COMMIT", shown
    # The answer is the request as taken, with its decision, its one event and no jobs.
    body = answer.json()
    assert body["warranty"]["remedies"] == ["refund", "exchange", "free_repair"]
    assert [e["action"] for e in body["events"]] == ["created"]
    assert body["events"][0]["actor"] == "lixy" and body["work_orders"] == []
    # …and the customer's SMS with its delivery task were committed with it.
    message = Message.objects.get(
        dedupe_key__startswith="request_received:", text__contains=body["number"]
    )
    assert DBTaskResult.objects.filter(args_kwargs__args=[message.pk]).count() == 1


def test_the_answer_built_in_hand_is_the_one_the_request_reads_back(api_as):
    hotline = api_as("hotline", "lixy")

    taken = hotline.post("/tickets", repair_for(registered_phone())).json()
    read_back = hotline.get(f"/tickets/{taken['number']}").json()

    assert moments(taken.pop("sla")) == moments(read_back.pop("sla"))  # the clocks, in any zone
    assert taken == read_back


def moments(clocks):  # type: ignore[no-untyped-def]
    return {k: datetime.fromisoformat(v) if isinstance(v, str) else v for k, v in clocks.items()}
