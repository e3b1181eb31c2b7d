"""The work-order page's action bar offers only what can be done now: the table's moves that fit
the job, the likely next step highlighted, a step blocked by the job's state disabled with why
in the desk's words — and nothing that could only be refused."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import Loaner, WorkOrder
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory, make_staff
from tests.words import zh_html as zh
from tests.workorders.conftest import to_ready_paid

INSPECTION = {
    "appearance": "完好",
    "accessories": [],
    "liquid_indicator": "intact",
    "seal_intact": True,
    "serial_matches": True,
}


@pytest.fixture
def desk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("desk", "front_desk", center)


@pytest.fixture
def desk_client(client, desk):  # type: ignore[no-untyped-def]
    client.force_login(desk)
    return client


@pytest.fixture
def received(desk):  # type: ignore[no-untyped-def]
    """`received(days_ago)` → a carry-in job on a phone bought that long ago, taken in."""

    def make(days_ago: int):  # type: ignore[no-untyped-def]
        bought = timezone.localdate() - timedelta(days=days_ago)
        unit = UnitFactory(
            model=ProductModelFactory(category=CategoryFactory(code="mobile_phone")),
            purchase_date=bought,
            invoice_date=bought,
            price=Decimal("2999.00"),
        )
        ticket = ticket_services.ticket_create(
            by=desk,
            kind="repair",
            channel="walk_in",
            customer_id=unit.customer_id,
            serial=unit.serial,
            summary="不开机",
        )
        wo = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
        return services.work_order_act(
            work_order=wo, by=desk, action="receive", inspection=INSPECTION, agreement_signed=True
        )

    return make


def bar(client, wo) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/work-orders/{wo.number}/").content.decode()
    found = re.search(r'<div class="actions".*?</div>\s*<div class="request-layout">', page, re.S)
    assert found is not None
    return found.group(0)


def offered(bar_html: str) -> list[str]:
    return re.findall(r'data-action="(\w+)"', bar_html)


def test_diagnosis_waits_for_the_customers_choice_disabled_with_why(desk_client, received):
    wo = received(days_ago=5)  # refund, exchange or repair: the customer chooses

    html = bar(desk_client, wo)

    blocked = re.search(
        r'data-action="start_diagnosis" data-blocked>(.*?)</span>\s*</span>', html, re.S
    )
    assert blocked is not None and "disabled" in blocked.group(1)
    assert zh("Waiting for the customer's choice of remedy") in blocked.group(1)
    assert re.search(r'data-action="choose_remedy" data-primary', html)  # the next step


def test_once_chosen_diagnosis_is_the_highlighted_next_step(desk_client, desk, received):
    wo = received(days_ago=5)
    services.work_order_act(work_order=wo, by=desk, action="choose_remedy", remedy="free_repair")

    html = bar(desk_client, wo)

    assert re.search(r'data-action="start_diagnosis" data-primary', html)
    assert "data-blocked" not in html


def test_an_expired_unit_is_offered_no_exchange_refund_or_choice(desk_client, desk, received):
    wo = received(days_ago=400)  # out of warranty: a paid repair, nothing to choose
    services.work_order_act(work_order=wo, by=desk, action="start_diagnosis")

    html = bar(desk_client, wo)

    actions = offered(html)
    for absent in ("exchange", "refund", "choose_remedy", "return_loan", "incident", "waive"):
        assert absent not in actions, absent
    assert zh("Exchange the unit") not in html and zh("Refund") not in html
    assert {"diagnose", "quote", "start_repair", "cancel"} <= set(actions)
    assert zh("Waiting for the customer to approve the quote") in html  # start_repair blocked
    assert re.search(r'data-action="diagnose" data-primary', html)


def test_a_loaner_is_returned_only_once_one_is_out(desk_client, desk, received):
    wo = received(days_ago=400)
    Loaner.objects.create(serial="LN-001", description="备用机 A", center=wo.center)
    assert "return_loan" not in offered(bar(desk_client, wo))
    assert "loan_unit" in offered(bar(desk_client, wo))

    services.work_order_act(work_order=wo, by=desk, action="loan_unit", serial="LN-001")

    actions = offered(bar(desk_client, wo))
    assert "return_loan" in actions and "loan_unit" not in actions


def test_posting_a_blocked_step_anyway_says_why_on_top(desk_client, received):
    wo = received(days_ago=5)

    answer = desk_client.post(f"/work-orders/{wo.number}/act/", {"action": "start_diagnosis"})

    assert answer.status_code == 409
    assert zh("Several remedies are open: record the customer's choice first.") in (
        answer.content.decode()
    )


def test_an_amount_due_makes_the_hand_over_collect_the_payment(client, api_as, bought, open_job):
    front = api_as("front_desk", "front")
    _ticket, number = open_job(front, bought(days_ago=400))
    to_ready_paid(front, number, price="280.00")
    client.force_login(User.objects.get(username="front"))

    html = bar(client, WorkOrder.objects.get(number=number))

    assert zh("Collect payment and hand over") in html
    assert re.search(r'data-action="hand_over" data-primary', html)
    assert "data-blocked" not in html
