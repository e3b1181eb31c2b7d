"""Reception and the printed forms: the desk asks whether the 三包 voucher and invoice were
presented (without them no refund is quoted) and who brings the unit (the end user or a named
dealer); the pickup slip (取机联) gives the center's phone and address and the day the unit is
promised; the 三包 repair record carries the seller, the invoice number, the sale date, the
repairer's address and phone and a line for the technician's signature."""

import base64
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.tickets import services as ticket_services
from aftersales.tickets.models import Ticket
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder
from tests.factories import CategoryFactory, ProductModelFactory, UnitFactory, make_staff
from tests.words import zh_html as zh

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
RECEPTION = {
    "appearance": "背面划痕",
    "liquid_indicator": "intact",
    "seal_intact": "yes",
    "serial_matches": "yes",
    "brought_by": "end_user",
    "agreement_signature": SIGNATURE,
}


@pytest.fixture
def center(center):  # type: ignore[no-untyped-def]
    center.phone, center.address = "020-3862 5566", "广州市天河区体育西路 120 号"
    center.save(update_fields=["phone", "address"])
    return center


@pytest.fixture
def desk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("desk", "front_desk", center)


@pytest.fixture
def desk_client(client, desk):  # type: ignore[no-untyped-def]
    client.force_login(desk)
    return client


@pytest.fixture
def job(desk):  # type: ignore[no-untyped-def]
    """A carry-in job on a phone bought five days ago from a shop, invoiced: refund, exchange or
    repair — with the voucher."""
    bought = timezone.localdate() - timedelta(days=5)
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    unit = UnitFactory(
        model=model,
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
        seller="天河电器城",
        invoice_no="FP-44010012",
    )
    ticket = ticket_services.ticket_create(
        by=desk,
        kind="repair",
        channel="walk_in",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="不开机",
    )
    return services.work_order_create(ticket=ticket, by=desk, mode="carry_in")


def receive(client, wo, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/work-orders/{wo.number}/receive/", {**RECEPTION, **data})


# --- reception --------------------------------------------------------------------------------


def test_reception_asks_whether_the_voucher_and_invoice_were_presented(desk_client, job):
    page = desk_client.get(f"/work-orders/{job.number}/receive/").content.decode()
    assert zh("Did the customer present the 三包 voucher and the invoice?") in page
    assert 'name="voucher" value="valid"' in page
    assert not re.search(r'name="voucher"[^>]*checked', page)  # nothing assumed

    unanswered = receive(desk_client, job)

    assert unanswered.status_code == 422
    assert zh("Ask for the 三包 voucher and the invoice, and say.") in unanswered.content.decode()
    assert WorkOrder.objects.get(pk=job.pk).status == "created"


def test_without_the_voucher_no_refund_is_quoted(desk_client, job):
    before = desk_client.get(f"/work-orders/{job.number}/").content.decode()
    assert "¥2,999.00" in before and "data-refund-proviso" in before  # not asked yet

    answer = receive(desk_client, job, voucher="missing")

    assert answer.status_code == 302
    job.refresh_from_db()
    assert job.voucher == "missing" and "refund" not in job.decision["remedies"]
    page = desk_client.get(f"/work-orders/{job.number}/").content.decode()
    assert "¥2,999.00" not in page and zh("Refund amount") not in page
    assert 'data-voucher="missing"' in page
    for document in ("receipt", "sheet", "record"):
        printed = desk_client.get(f"/work-orders/{job.number}/{document}/").content.decode()
        assert "2,999.00" not in printed and "2999.00" not in printed, document


def test_the_voucher_presented_and_who_brought_the_unit_are_recorded(desk_client, job, api_as):
    answer = receive(desk_client, job, voucher="valid")

    assert answer.status_code == 302
    job.refresh_from_db()
    assert (job.voucher, job.brought_by, job.dealer_name) == ("valid", "end_user", "")
    slip = desk_client.get(f"/work-orders/{job.number}/receipt/").content.decode()
    assert zh("The end user") in slip and zh("Warranty voucher and invoice") in slip
    api = api_as("front_desk", "desk").get(f"/work-orders/{job.number}").json()
    assert (api["voucher"], api["brought_by"], api["dealer_name"]) == ("valid", "end_user", "")


def test_a_dealer_bringing_the_unit_is_named(desk_client, job):
    unnamed = receive(desk_client, job, voucher="copy", brought_by="dealer")
    assert unnamed.status_code == 422
    assert WorkOrder.objects.get(pk=job.pk).status == "created"

    answer = receive(desk_client, job, voucher="copy", brought_by="dealer", dealer_name="华强通讯")

    assert answer.status_code == 302
    job.refresh_from_db()
    assert (job.brought_by, job.dealer_name) == ("dealer", "华强通讯")
    slip = desk_client.get(f"/work-orders/{job.number}/receipt/").content.decode()
    assert "华强通讯" in slip
    page = desk_client.get(f"/work-orders/{job.number}/").content.decode()
    assert 'data-brought-by="dealer"' in page and "华强通讯" in page


def test_the_api_takes_who_brought_the_unit(api_as, job):
    desk = api_as("front_desk", "desk")
    body = {"action": "receive", "inspection": {}, "agreement_signed": True}
    refused = desk.post(f"/work-orders/{job.number}/actions", {**body, "brought_by": "dealer"})
    assert refused.status_code == 422 and "dealer_name" in refused.json()["error"]["details"]

    answer = desk.post(
        f"/work-orders/{job.number}/actions",
        {**body, "brought_by": "dealer", "dealer_name": "华强通讯", "voucher": "valid"},
    )

    assert answer.status_code == 200
    assert (answer.json()["brought_by"], answer.json()["dealer_name"]) == ("dealer", "华强通讯")


# --- the pickup slip (取机联) ---------------------------------------------------------------------


def test_the_pickup_slip_gives_the_center_phone_and_the_promised_day(desk_client, job):
    promised = timezone.make_aware(datetime(2031, 3, 4, 15, 0))
    Ticket.objects.filter(pk=job.ticket_id).update(resolve_by=promised)
    receive(desk_client, job, voucher="valid")

    slip = desk_client.get(f"/work-orders/{job.number}/receipt/").content.decode()

    assert "020-3862 5566" in slip and "广州市天河区体育西路 120 号" in slip
    assert zh("Promised ready by") in slip and "2031-03-04" in slip


def test_parts_expected_later_than_the_deadline_move_the_promised_day(desk_client, job, api_as):
    Ticket.objects.filter(pk=job.ticket_id).update(
        resolve_by=timezone.make_aware(datetime(2031, 3, 4, 15, 0))
    )
    WorkOrder.objects.filter(pk=job.pk).update(expected_parts_date=date(2031, 3, 20))

    slip = desk_client.get(f"/work-orders/{job.number}/receipt/").content.decode()

    assert "2031-03-20" in slip and "2031-03-04" not in slip
    api = api_as("front_desk", "desk").get(f"/work-orders/{job.number}").json()
    assert api["promised_ready"] == "2031-03-20"


# --- the 三包 repair record (三包维修记录) --------------------------------------------------------


def test_the_repair_record_carries_the_sale_the_repairer_and_the_technician_signature_line(
    desk_client, job
):
    record = desk_client.get(f"/work-orders/{job.number}/record/").content.decode()

    assert "天河电器城" in record and "FP-44010012" in record
    assert job.unit.purchase_date.isoformat() in record
    assert "020-3862 5566" in record and "广州市天河区体育西路 120 号" in record
    assert "data-technician-signature" in record and zh("Technician's signature") in record
    for label in (
        "Seller",
        "Invoice number",
        "Sale date",
        "Repairer's address",
        "Repairer's phone",
    ):
        assert zh(label) in record, label
