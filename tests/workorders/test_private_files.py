"""Photos and signatures are private: no URL serves the media folder, not even with DEBUG on, and
the views that show them answer only staff who may see the job."""

import base64
import importlib
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from django.utils import timezone

from aftersales.catalog.models import ImportJob
from aftersales.shell import urls as root_urls
from aftersales.tickets import services as ticket_services
from aftersales.workorders import services
from tests.factories import CenterFactory, UnitFactory, make_plain_user, make_staff
from tests.workorders.conftest import INSPECTION

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()


@pytest.fixture
def received(center, settings, tmp_path):  # type: ignore[no-untyped-def]
    """A carry-in job at the Guangzhou desk, received with the customer's signature and a photo
    (both stored in a media folder of its own)."""
    settings.MEDIA_ROOT = tmp_path
    desk = make_staff("desk", "front_desk", center)
    unit = UnitFactory(purchase_date=timezone.localdate() - timedelta(days=40))
    ticket = ticket_services.ticket_create(
        by=desk,
        kind="repair",
        channel="walk_in",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary="不开机",
    )
    job = services.work_order_create(ticket=ticket, by=desk, mode="carry_in")
    services.work_order_act(
        work_order=job,
        by=desk,
        action="receive",
        inspection=INSPECTION,
        agreement_signed=True,
        agreement_signature=SIGNATURE,
    )
    photo = services.photo_add(work_order=job, by=desk, content=PNG, caption="背面划痕")
    job.refresh_from_db()
    return desk, job, photo


@pytest.fixture
def urls_as_debug_builds_them(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """The root URLconf built again with DEBUG on (Django's `static()` adds a route only then)."""
    monkeypatch.setenv("NINJA_SKIP_REGISTRY", "1")  # the same API's URLs, built a second time
    settings.DEBUG = True
    importlib.reload(root_urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(root_urls)
    clear_url_caches()


def test_the_media_folder_is_not_served_even_with_debug_on(
    client, received, urls_as_debug_builds_them, tmp_path
):
    desk, job, photo = received
    upload = ImportJob.objects.create(created_by=desk, filename="units.csv")
    upload.file.save("units.csv", ContentFile(b"serial,model\n"), save=True)
    client.force_login(desk)  # signed in, in scope: still not through /media/

    for stored in (photo.image, job.agreement_signature, upload.file):
        assert (tmp_path / stored.name).exists()
        assert client.get(f"/media/{stored.name}").status_code == 404


def test_a_photo_and_a_signature_are_shown_only_to_staff_who_may_see_the_job(client, received):
    desk, job, photo = received
    elsewhere = make_staff("sz-desk", "front_desk", CenterFactory(code="sz", regions=["440300"]))
    pages = (
        f"/work-orders/{job.number}/photos/{photo.pk}/",
        f"/work-orders/{job.number}/signatures/agreement.png",
    )

    for page in pages:
        anonymous = client.get(page)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")

    client.force_login(make_plain_user())  # signed in, but no staff role
    for page in pages:
        assert client.get(page).status_code == 403

    client.force_login(elsewhere)  # another center's desk: the job is not theirs to see
    for page in pages:
        assert client.get(page).status_code == 404

    client.force_login(desk)
    for page in pages:
        shown = client.get(page)
        assert shown.status_code == 200
        assert shown["Content-Type"] == "image/png"
        assert "private" in shown["Cache-Control"]
        assert b"".join(shown.streaming_content) == PNG


def test_a_photo_gone_from_the_media_folder_is_not_found(client, received, tmp_path):
    desk, job, photo = received
    (tmp_path / photo.image.name).unlink()
    client.force_login(desk)

    assert client.get(f"/work-orders/{job.number}/photos/{photo.pk}/").status_code == 404
