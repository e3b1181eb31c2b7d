"""The desk's hand-over form: the rating may be declined ("客户不愿评价", recorded and shown on the
job), repair quality and service attitude are scored apart, and the customer signs on the pad or
the reason is written down."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory, make_staff
from tests.words import zh_html as zh

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def desk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("desk", "front_desk", center)


@pytest.fixture
def desk_client(client, desk):  # type: ignore[no-untyped-def]
    client.force_login(desk)
    return client


@pytest.fixture
def ready(desk):  # type: ignore[no-untyped-def]
    """A carry-in phone, out of warranty, found without a fault: waiting for its customer."""
    bought = timezone.localdate() - timedelta(days=400)
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    unit = UnitFactory(
        model=model, purchase_date=bought, invoice_date=bought, price=Decimal("2999.00")
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
    for action, payload in (
        ("receive", {"inspection": {}, "agreement_signed": True, "voucher": "valid"}),
        ("start_diagnosis", {}),
        ("no_fault_found", {"findings": "未复现"}),
    ):
        wo = services.work_order_act(work_order=wo, by=desk, action=action, **payload)
    return wo


def hand_over(client, wo, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/work-orders/{wo.number}/act/", {"action": "hand_over", **data}, **HTMX)


def test_the_form_offers_declining_the_rating_the_two_scores_and_the_signature_or_a_reason(
    desk_client, ready
):
    page = desk_client.get(f"/work-orders/{ready.number}/").content.decode()

    assert zh("Customer prefers not to rate") in page and 'value="declined"' in page
    assert zh("Repair quality (optional)") in page and 'name="quality_score"' in page
    assert zh("Service attitude (optional)") in page and 'name="attitude_score"' in page
    assert "data-signature-pad" in page and 'name="no_signature_reason"' in page


def test_a_customer_who_declines_is_handed_the_unit_and_the_job_says_they_did_not_rate(
    desk_client, ready
):
    answer = hand_over(desk_client, ready, rating="declined", signature=SIGNATURE)

    assert answer.status_code == 200
    ready.refresh_from_db()
    assert (ready.status, ready.rating, ready.rating_declined) == ("completed", None, True)
    page = desk_client.get(f"/work-orders/{ready.number}/").content.decode()
    assert zh("Customer did not rate") in page and 'data-rating="declined"' in page


def test_the_scores_are_kept_and_shown(desk_client, ready):
    answer = hand_over(
        desk_client,
        ready,
        rating="4",
        quality_score="5",
        attitude_score="3",
        no_signature_reason="家属代取，客户本人未到",
    )

    assert answer.status_code == 200
    ready.refresh_from_db()
    assert (ready.rating, ready.quality_score, ready.attitude_score) == (4, 5, 3)
    page = desk_client.get(f"/work-orders/{ready.number}/").content.decode()
    assert 'data-rating="4"' in page and "4 / 5" in page and "5 / 5" in page
    assert zh("Repair quality") in page and zh("Service attitude") in page
    assert "家属代取，客户本人未到" in page


def test_the_desk_records_an_answer_to_the_rating_question(desk_client, ready):
    answer = hand_over(desk_client, ready, signature=SIGNATURE)

    assert answer.status_code == 422
    assert zh("Record the customer's rating, or that they prefer not to rate.") in (
        answer.content.decode()
    )
    assert WorkOrder.objects.get(pk=ready.pk).status == "ready"


def test_without_signature_or_reason_the_form_says_so_beside_the_pad(desk_client, ready):
    answer = hand_over(desk_client, ready, rating="5", comment="很好")

    assert answer.status_code == 409
    page = answer.content.decode()
    message = zh("Take the customer's signature, or write why they did not sign.")
    assert message in page and "很好" in page
    assert WorkOrder.objects.get(pk=ready.pk).status == "ready"
