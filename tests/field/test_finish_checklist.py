"""The technician's "finished" on the phone asks the category's quality check (an air
compressor's, not the phone's) and takes the other parts from the catalogue of the unit's
model, with the stock shown; a code not in it is refused beside its row."""

import importlib
from datetime import datetime

import pytest
from django.apps import apps as django_apps

from aftersales.catalog.models import Unit
from aftersales.workorders import services
from aftersales.workorders.models import Part, PartStock, StockMovement, WorkOrder
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    ProductModelFactory,
    make_staff,
    on_site_job,
)

SEED = importlib.import_module("aftersales.catalog.migrations.0005_seed_checklists")

pytestmark = pytest.mark.clock("2026-11-18T10:00:00+08:00")


@pytest.fixture
def li(center):  # type: ignore[no-untyped-def]
    return make_staff("li", "technician", center)


@pytest.fixture
def compressor_job(center, li):  # type: ignore[no-untyped-def]
    """李师傅 repairing an air compressor at the customer's."""
    SEED.seed(django_apps, None)
    hotline = make_staff("hotline", "hotline", center)
    dispatcher = make_staff("diaodu", "dispatcher", center)
    start = datetime.fromisoformat("2026-11-18T14:00:00+08:00")
    wo = on_site_job(hotline, technician=li, booked_at=start, booked_by=dispatcher)
    model = ProductModelFactory(category=CategoryFactory(code="air_compressor"), name="捷豹 AC")
    Unit.objects.filter(pk=wo.unit_id).update(model=model)  # arranged: the unit is a compressor
    for action in ("depart", "arrive", "start_diagnosis", "start_repair"):
        services.work_order_act(work_order=wo, by=li, action=action)
    return WorkOrder.objects.get(pk=wo.pk)


@pytest.fixture
def li_phone(client, li):  # type: ignore[no-untyped-def]
    client.login(username="li", password=PASSWORD)
    return client


def test_finished_on_a_compressor_asks_its_checks_and_takes_parts_from_its_catalogue(
    li_phone, compressor_job, center
):
    switch = Part.objects.create(
        model=compressor_job.unit.model, code="PS-01", name="压力开关", price="60.00"
    )
    shelf = PartStock.objects.create(center=center, part=switch, on_hand=4)

    page = li_phone.get(f"/field/{compressor_job.number}/").content.decode()
    finish = page[page.index('data-step="finish"') :].split("</form>")[0]
    assert "打气至额定压力" in finish and "保压不漏气" in finish
    assert "通话" not in finish and "摄像头" not in finish and "Wi-Fi" not in finish
    assert 'list="finish-catalogue"' in finish and "压力开关" in finish

    refused = li_phone.post(
        f"/field/{compressor_job.number}/finish/",
        {
            "actions_taken": "更换压力开关",
            "result": "ok",
            "checks": ["通电启动"],
            "parts_used_code_0": "开机正常",
        },
    )
    assert refused.status_code == 422
    assert "开机正常" in refused.content.decode().split('name="parts_used_code_0"')[1][:600]
    assert WorkOrder.objects.get(pk=compressor_job.pk).status == "repairing"

    answer = li_phone.post(
        f"/field/{compressor_job.number}/finish/",
        {
            "actions_taken": "更换压力开关",
            "result": "ok",
            "checks": ["通电启动", "保压不漏气"],
            "parts_used_code_0": "PS-01",
            "parts_used_qty_0": "1",
        },
    )

    assert answer.status_code == 302
    assert WorkOrder.objects.get(pk=compressor_job.pk).status == "ready"
    shelf.refresh_from_db()
    assert shelf.on_hand == 3
    assert StockMovement.objects.get().kind == "used"
