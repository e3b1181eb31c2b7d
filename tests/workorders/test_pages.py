"""The work order pages without a browser: the job page and its actions, reception, the printed
slips, the lists, the request and unit pages' work-order sections — and who may see what."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from aftersales.workorders.models import Loan, Loaner, Photo, WorkOrder
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)
from tests.words import zh_html as zh

# A 1×1 PNG: a photo, and a signature pad's drawing as a data URL.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
HTMX = {"HTTP_HX_REQUEST": "true"}
INSPECTION = {
    "appearance": "背面轻微划痕",
    "accessories": ["充电器"],
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
def job(desk):  # type: ignore[no-untyped-def]
    """A carry-in work order on a phone bought five days ago (refund, exchange or repair)."""
    bought = timezone.localdate() - timedelta(days=5)
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
    return services.work_order_create(ticket=ticket, by=desk, mode="carry_in")


def test_every_page_of_a_job_renders_for_its_front_desk(desk_client, job):
    number = job.number
    for url in (
        f"/work-orders/{number}/",
        f"/work-orders/{number}/receive/",
        f"/work-orders/{number}/receipt/",
        f"/work-orders/{number}/sheet/",
        f"/work-orders/{number}/record/",
        "/work-orders/",
        "/work-orders/?status=created&open=on",
        "/work-orders/loans/",
    ):
        answer = desk_client.get(url)
        assert answer.status_code == 200, url
        assert answer["Content-Type"].startswith("text/html")

    page = desk_client.get(f"/work-orders/{number}/").content.decode()
    assert job.ticket.number in page and job.unit.serial in page
    assert zh("Covered by 三包") in page  # the decision at creation: refund, exchange or repair
    assert zh("Refund") in page and zh("Free repair") in page
    assert zh("Receive the unit") in page  # a button of the table, from `created`
    assert zh("Quality check passed") not in page  # not allowed from `created`

    request_page = desk_client.get(f"/requests/{job.ticket.number}/").content.decode()
    assert f"/work-orders/{number}/" in request_page
    unit_page = desk_client.get(f"/warranty/units/{job.unit.serial}/").content.decode()
    assert f"/work-orders/{number}/" in unit_page
    assert zh("Work orders") in desk_client.get("/").content.decode()  # the navigation


def test_a_front_desk_of_another_center_gets_not_found(client, job):
    stranger = make_staff("other-desk", "front_desk", CenterFactory(code="sz", name="深圳"))
    client.force_login(stranger)
    for url in (f"/work-orders/{job.number}/", f"/work-orders/{job.number}/receipt/"):
        assert client.get(url).status_code == 404
    answer = client.post(f"/work-orders/{job.number}/act/", {"action": "cancel", "reason": "x"})
    assert answer.status_code == 404
    assert WorkOrder.objects.get(pk=job.pk).status == "created"
    assert job.number not in client.get("/work-orders/").content.decode()


def test_an_action_button_records_the_step_on_the_timeline(desk_client, job):
    answer = desk_client.post(
        f"/work-orders/{job.number}/act/",
        {"action": "choose_remedy", "remedy": "free_repair"},
        **HTMX,
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert 'id="work-order"' in body and "<html" not in body  # the fragment
    assert zh("Customer chose a remedy") in body
    job.refresh_from_db()
    assert job.chosen_remedy == "free_repair" and job.remedy_chosen_by.username == "desk"

    plain = desk_client.post(
        f"/work-orders/{job.number}/act/", {"action": "incident", "note": "客户情绪激动"}
    )
    assert plain.status_code == 302 and plain["Location"] == f"/work-orders/{job.number}/"
    assert "客户情绪激动" in desk_client.get(plain["Location"]).content.decode()


def test_a_refused_action_says_why_on_its_form(desk_client, desk, job):
    services.work_order_act(
        work_order=job, by=desk, action="receive", inspection=INSPECTION, agreement_signed=True
    )
    events = Event.objects.count()
    refused = desk_client.post(
        f"/work-orders/{job.number}/act/", {"action": "start_diagnosis"}, **HTMX
    )
    assert refused.status_code == 409
    assert zh("Several remedies are open: record the customer's choice first.") in (
        refused.content.decode()
    )
    missing = desk_client.post(f"/work-orders/{job.number}/act/", {"action": "cancel"})
    assert missing.status_code == 422
    assert "<html" in missing.content.decode()  # without htmx: the whole page, form open
    assert zh("This field is required.") in missing.content.decode()
    stale = desk_client.post(f"/work-orders/{job.number}/act/", {"action": "close"})
    assert stale.status_code == 409
    assert (
        zh("“%(action)s” is not possible while the work order is %(status)s.")
        % {
            "action": zh("Close"),
            "status": zh("Received"),
        }
        in stale.content.decode()
    )
    assert Event.objects.count() == events
    assert WorkOrder.objects.get(pk=job.pk).status == "received"


def test_a_photo_upload_is_stored_and_shown(desk_client, job, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    answer = desk_client.post(
        f"/work-orders/{job.number}/photos/",
        {"photos": [_upload("back.png")], "caption": "背面划痕"},
    )
    assert answer.status_code == 302
    photo = Photo.objects.get(work_order=job)
    assert (tmp_path / photo.image.name).read_bytes() == PNG
    page = desk_client.get(f"/work-orders/{job.number}/").content.decode()
    assert f"/work-orders/{job.number}/photos/{photo.pk}/" in page and "背面划痕" in page
    assert desk_client.get(f"/work-orders/{job.number}/photos/{photo.pk}/").status_code == 200

    not_a_photo = desk_client.post(
        f"/work-orders/{job.number}/photos/", {"photos": [_upload("x.png", b"hello")]}
    )
    assert not_a_photo.status_code == 422
    assert zh("Upload a JPEG, PNG or WebP photo.") in not_a_photo.content.decode()


def _upload(name: str, content: bytes = PNG):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


RECEPTION = {
    "appearance": "屏幕左上角裂纹",
    "accessories": ["充电器", "数据线"],  # the phone category's list (catalog checklists)
    "accessories_other": "保护壳",
    "liquid_indicator": "intact",
    "seal_intact": "yes",
    "serial_matches": "yes",
    "non_original": "",
    "notes": "",
    "voucher": "valid",
    "brought_by": "end_user",
}


def test_reception_without_a_signature_is_refused_and_keeps_what_was_typed(desk_client, job):
    answer = desk_client.post(f"/work-orders/{job.number}/receive/", RECEPTION)
    assert answer.status_code == 409
    body = answer.content.decode()
    assert zh("The customer must sign the repair agreement before the unit is taken in.") in body
    assert "屏幕左上角裂纹" in body and "保护壳" in body
    assert WorkOrder.objects.get(pk=job.pk).status == "created"


def test_reception_signed_receives_the_unit_and_prints_the_slip(
    desk_client, job, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    answer = desk_client.post(
        f"/work-orders/{job.number}/receive/",
        {**RECEPTION, "agreement_signature": SIGNATURE, "photos": [_upload("front.png")]},
    )
    assert answer.status_code == 302 and answer["Location"] == f"/work-orders/{job.number}/receipt/"
    job.refresh_from_db()
    assert job.status == "received" and job.agreement_signed and job.agreement_signature
    assert job.inspection["accessories"] == ["充电器", "数据线", "保护壳"]
    assert job.photos.count() == 1
    slip = desk_client.get(answer["Location"]).content.decode()
    assert job.number in slip and "屏幕左上角裂纹" in slip and "保护壳" in slip
    assert f"/work-orders/{job.number}/signatures/agreement.png" in slip
    sheet = desk_client.get(f"/work-orders/{job.number}/sheet/")
    assert sheet.status_code == 200 and "signatures/agreement.png" in sheet.content.decode()


def test_a_request_opens_a_work_order_and_refusals_stay_on_the_request_page(desk_client, job):
    ticket = job.ticket
    opened = desk_client.post(f"/work-orders/open/{ticket.number}/", {"mode": "mail_in"})
    assert opened.status_code == 302
    new = WorkOrder.objects.exclude(pk=job.pk).get()
    assert new.mode == "mail_in" and opened["Location"] == f"/work-orders/{new.number}/"
    refused = desk_client.post(
        f"/work-orders/open/{ticket.number}/", {"mode": "on_site", "technician": "nobody"}
    )
    assert refused.status_code == 422
    page = refused.content.decode()  # the technician is picked from a list: the refusal names them
    assert "field has-error" in page and "nobody" in page
    assert WorkOrder.objects.count() == 2


def test_the_loaners_out_list_shows_the_job(desk_client, desk, job):
    loaner = Loaner.objects.create(serial="LOAN-01", description="备用机 A", center=job.center)
    services.work_order_act(work_order=job, by=desk, action="loan_unit", serial=loaner.serial)
    assert Loan.objects.filter(returned_at=None).count() == 1
    page = desk_client.get("/work-orders/loans/").content.decode()
    assert "LOAN-01" in page and job.number in page
    detail = desk_client.get(f"/work-orders/{job.number}/").content.decode()
    assert "LOAN-01" in detail
