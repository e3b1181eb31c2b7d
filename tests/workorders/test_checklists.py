"""The intake and QC checklists are the product category's (catalog master data): an air
compressor's job asks the compressor's points at reception and at the quality check, never the
phone's calls, camera and Wi-Fi."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.workorders.models import WorkOrder
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)
from tests.workorders.conftest import INSPECTION, ok

SEED = importlib.import_module("aftersales.catalog.migrations.0005_seed_checklists")
PHONE_ONLY = ("通话", "摄像头", "Wi-Fi")

pytestmark = pytest.mark.clock("2026-11-18T10:00:00+08:00")


@pytest.fixture(autouse=True)
def shipped_checklists(db):  # type: ignore[no-untyped-def]
    SEED.seed(django_apps, None)


@pytest.fixture
def compressor(db):  # type: ignore[no-untyped-def]
    """An air compressor bought 60 days ago (the company policy: a free repair)."""
    model = ProductModelFactory(
        category=CategoryFactory(code="air_compressor"), brand="捷豹", name="捷豹 AC-550"
    )
    day = timezone.localdate() - timedelta(days=60)
    return UnitFactory(model=model, purchase_date=day, invoice_date=day, price=Decimal("1800"))


@pytest.fixture
def desk_client(client, center):  # type: ignore[no-untyped-def]
    make_staff("desk", "front_desk", center)
    client.login(username="desk", password=PASSWORD)
    return client


def test_a_compressor_job_is_received_with_the_compressors_intake_checklist(
    desk_client, api_as, open_job, compressor
):
    _, wo = open_job(api_as("front_desk", "clerk"), compressor)

    page = desk_client.get(f"/work-orders/{wo}/receive/").content.decode()

    assert "储气罐（锈蚀、凹陷）" in page and "安全阀" in page  # points to inspect
    assert "气管" in page and "快速接头" in page  # accessories
    assert "SIM卡" not in page and "耳机" not in page
    answer = desk_client.post(
        f"/work-orders/{wo}/receive/",
        {
            "checked": ["储气罐（锈蚀、凹陷）", "安全阀"],
            "appearance": "储气罐底部轻微锈蚀",
            "accessories": ["气管"],
            "liquid_indicator": "intact",
            "seal_intact": "yes",
            "serial_matches": "yes",
            "voucher": "valid",
            "brought_by": "end_user",
            "agreement_signature": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    job = WorkOrder.objects.get(number=wo)
    assert job.inspection["checked"] == ["储气罐（锈蚀、凹陷）", "安全阀"]
    assert job.inspection["accessories"] == ["气管"]
    shown = desk_client.get(f"/work-orders/{wo}/").content.decode()
    assert "储气罐（锈蚀、凹陷）、安全阀" in shown


def test_a_compressor_job_asks_the_compressors_quality_check_not_the_phones(
    desk_client, api_as, open_job, compressor
):
    clerk = api_as("front_desk", "clerk")
    _, wo = open_job(clerk, compressor)
    ok(clerk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    ok(clerk, wo, "start_diagnosis")
    ok(clerk, wo, "start_repair")
    ok(clerk, wo, "complete_repair", actions_taken="更换压力开关")

    page = desk_client.get(f"/work-orders/{wo}/").content.decode()
    qc_form = page[page.index('data-action="qc_pass"') :].split("</form>")[0]

    assert "打气至额定压力" in qc_form and "安全阀泄压" in qc_form
    assert not any(word in qc_form for word in PHONE_ONLY)
    answer = desk_client.post(
        f"/work-orders/{wo}/act/",
        {"action": "qc_pass", "checks": ["通电启动", "打气至额定压力"], "other_checks": ""},
    )
    assert answer.status_code == 302
    event = Event.objects.get(
        content_type=ContentType.objects.get_for_model(WorkOrder),
        object_id=WorkOrder.objects.get(number=wo).pk,
        action="qc_pass",
    )
    assert event.data["checks"] == ["通电启动", "打气至额定压力"]


def test_a_phone_job_still_asks_the_phones_checks(desk_client, api_as, open_job, bought):
    clerk = api_as("front_desk", "clerk")
    _, wo = open_job(clerk, bought(days_ago=40))
    ok(clerk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    ok(clerk, wo, "start_diagnosis")
    ok(clerk, wo, "start_repair")
    ok(clerk, wo, "complete_repair", actions_taken="更换尾插")

    page = desk_client.get(f"/work-orders/{wo}/").content.decode()
    qc_form = page[page.index('data-action="qc_pass"') :].split("</form>")[0]

    assert all(word in qc_form for word in PHONE_ONLY)
    assert "打气至额定压力" not in qc_form
