"""Parts come from the parts catalogue of the unit's model: a code not in it is refused on its
field (API and page). Using a part draws from the technician's van, else the center's shelf,
each change a recorded movement; a part no stock held still lets the repair finish and leaves a
discrepancy for the center's manager, who reconciles it (stock never goes negative)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.workorders import services
from aftersales.workorders.models import (
    Part,
    PartRequest,
    PartStock,
    StockDiscrepancy,
    StockMovement,
    WorkOrder,
)
from tests.factories import PASSWORD, CenterFactory, make_staff, on_site_job
from tests.words import zh_html as zh
from tests.workorders.conftest import act, ok, to_diagnosing

pytestmark = pytest.mark.clock("2026-11-18T10:00:00+08:00")


@pytest.fixture
def li(center):  # type: ignore[no-untyped-def]
    return make_staff("li", "technician", center)


@pytest.fixture
def repairing(center, li):  # type: ignore[no-untyped-def]
    """An on-site job of 李师傅's, on site and repairing (a free repair: bought 40 days ago)."""
    hotline = make_staff("hotline", "hotline", center)
    start = datetime.fromisoformat("2026-11-18T14:00:00+08:00")
    dispatcher = make_staff("diaodu", "dispatcher", center)
    wo = on_site_job(hotline, technician=li, booked_at=start, booked_by=dispatcher)
    for action in ("depart", "arrive", "start_diagnosis", "start_repair"):
        services.work_order_act(work_order=wo, by=li, action=action)
    return WorkOrder.objects.get(pk=wo.pk)


def part(wo: WorkOrder, code: str, name: str) -> Part:
    assert wo.unit is not None
    return Part.objects.create(model=wo.unit.model, code=code, name=name, price="100.00")


def finish(wo: WorkOrder, by, *parts: tuple[str, int]):  # type: ignore[no-untyped-def]
    return services.work_order_act(
        work_order=wo,
        by=by,
        action="complete_repair",
        actions_taken="更换电池",
        parts_used=[{"code": code, "qty": qty} for code, qty in parts],
    )


def events_of(wo: WorkOrder, action: str):  # type: ignore[no-untyped-def]
    kind = ContentType.objects.get_for_model(WorkOrder)
    return Event.objects.filter(content_type=kind, object_id=wo.pk, action=action)


# --- the catalogue ---------------------------------------------------------------------------


def test_a_part_not_in_the_catalogue_is_refused_on_its_field_and_nothing_changes(
    api_as, bought, open_job
):
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=30)
    Part.objects.create(model=unit.model, code="BAT-01", name="电池", price="90.00")
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")

    answer = act(
        desk,
        wo,
        "complete_repair",
        actions_taken="更换电池",
        parts_used=[{"code": "BAT-01", "qty": 1}, {"code": "开机正常", "qty": 1}],
    )

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert list(error["details"]) == ["parts_used.1.code"]
    assert "开机正常" in error["details"]["parts_used.1.code"][0]
    job = desk.get(f"/work-orders/{wo}").json()
    assert job["status"] == "repairing" and job["parts"] == []
    assert not StockMovement.objects.exists()

    waiting = act(
        desk,
        wo,
        "wait_parts",
        parts=[{"code": "SCR-99", "qty": 1}],
        expected_date="2026-11-20",
    )
    assert waiting.status_code == 422
    assert list(waiting.json()["error"]["details"]) == ["parts.0.code"]


def test_the_page_offers_the_catalogue_with_stock_and_refuses_another_part_beside_its_row(
    client, repairing, li, center
):
    battery = part(repairing, "BAT-01", "电池")
    PartStock.objects.create(center=center, part=battery, holder=li, on_hand=2)
    PartStock.objects.create(center=center, part=battery, on_hand=5, reserved=1)
    client.login(username="li", password=PASSWORD)

    page = client.get(f"/work-orders/{repairing.number}/").content.decode()
    assert 'list="complete_repair-catalogue"' in page
    option = page[page.index('<option value="BAT-01"') :].split("</option>")[0]
    assert "电池" in option and "2" in option and "5" in option and "4" in option

    answer = client.post(
        f"/work-orders/{repairing.number}/act/",
        {
            "action": "complete_repair",
            "actions_taken": "更换电池",
            "result": "ok",
            "parts_used_code_0": "",
            "parts_used_code_1": "开机正常",
        },
    )

    assert answer.status_code == 422
    body = answer.content.decode()
    row = body[body.index('name="parts_used_code_1"') :].split("</td>")[0]
    assert 'value="开机正常"' in row and "开机正常" in row.split(">", 1)[1]
    assert 'class="field-error"' in row
    assert WorkOrder.objects.get(pk=repairing.pk).status == "repairing"


# --- using a part: van first, else the center, each a movement --------------------------------


def test_a_part_used_on_site_comes_from_the_van_first_then_the_center(repairing, li, center):
    battery = part(repairing, "BAT-01", "电池")
    cover = part(repairing, "COV-01", "后盖")
    van = PartStock.objects.create(center=center, part=battery, holder=li, on_hand=1)
    shelf = PartStock.objects.create(center=center, part=battery, on_hand=4)
    covers = PartStock.objects.create(center=center, part=cover, on_hand=3)

    finish(repairing, li, ("BAT-01", 2), ("COV-01", 1))

    van.refresh_from_db(), shelf.refresh_from_db(), covers.refresh_from_db()
    assert (van.on_hand, shelf.on_hand, covers.on_hand) == (0, 3, 2)
    moves = {
        (m.part.code, m.holder_id, m.kind, m.on_hand_change, m.work_order_id, m.by_id)
        for m in StockMovement.objects.select_related("part")
    }
    assert moves == {
        ("BAT-01", li.pk, "used", -1, repairing.pk, li.pk),
        ("BAT-01", None, "used", -1, repairing.pk, li.pk),
        ("COV-01", None, "used", -1, repairing.pk, li.pk),
    }
    [used] = events_of(repairing, "complete_repair").values_list("data", flat=True)
    assert used["parts_used"][0] == {
        "code": "BAT-01",
        "qty": 2,
        "reserved": 0,
        "van": 1,
        "center": 1,
        "missing": 0,
    }
    assert not StockDiscrepancy.objects.exists()


def test_parts_waited_for_are_reserved_arrive_and_are_used_each_a_movement(
    api_as, bought, open_job, center
):
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=30)
    battery = Part.objects.create(model=unit.model, code="BAT", name="电池", price="90.00")
    screen = Part.objects.create(model=unit.model, code="SCR", name="屏幕", price="400.00")
    PartStock.objects.create(center=center, part=battery, on_hand=3)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")

    waiting = ok(
        desk,
        wo,
        "wait_parts",
        parts=[{"code": "bat", "qty": 1}, {"code": "SCR", "qty": 1}],
        expected_date="2026-11-21",
    )
    assert {(p["code"], p["name"], p["in_catalog"], p["state"]) for p in waiting["parts"]} == {
        ("BAT", "电池", True, "reserved"),
        ("SCR", "屏幕", True, "ordered"),
    }
    ok(desk, wo, "parts_arrived")
    ok(desk, wo, "complete_repair", actions_taken="换屏换电池", parts_used=waiting["parts"])

    kinds = list(
        StockMovement.objects.order_by("id").values_list(
            "part__code", "kind", "on_hand_change", "reserved_change"
        )
    )
    assert kinds == [
        ("BAT", "reserved", 0, 1),
        ("SCR", "arrived", 1, 1),
        ("BAT", "used", -1, -1),
        ("SCR", "used", -1, -1),
    ]
    stock = {s.part.code: (s.on_hand, s.reserved) for s in PartStock.objects.select_related("part")}
    assert stock == {"BAT": (2, 0), "SCR": (0, 0)}
    assert screen.movements.count() == 2


def test_a_cancelled_job_frees_what_was_reserved_for_it(api_as, bought, open_job, center):
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=30)
    battery = Part.objects.create(model=unit.model, code="BAT", name="电池", price="90.00")
    shelf = PartStock.objects.create(center=center, part=battery, on_hand=3)
    _, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "wait_parts", parts=[{"code": "BAT", "qty": 2}], expected_date="2026-11-20")
    shelf.refresh_from_db()
    assert shelf.reserved == 2

    ok(desk, wo, "cancel", reason="客户不修了")

    shelf.refresh_from_db()
    assert (shelf.on_hand, shelf.reserved) == (3, 0)
    assert StockMovement.objects.filter(kind="released", reserved_change=-2).count() == 1
    assert PartRequest.objects.get().state == "released"


# --- neither holds it: the repair completes, a discrepancy for the manager ---------------------


def test_a_part_no_stock_holds_completes_the_repair_and_leaves_a_discrepancy(repairing, li, center):
    battery = part(repairing, "BAT-01", "电池")
    PartStock.objects.create(center=center, part=battery, holder=li, on_hand=0)
    shelf = PartStock.objects.create(center=center, part=battery, on_hand=1, reserved=1)

    done = finish(repairing, li, ("BAT-01", 2))

    assert done.status == "qc"
    shelf.refresh_from_db()
    assert (shelf.on_hand, shelf.reserved) == (1, 1)  # another job's part: not taken
    assert not StockMovement.objects.exists()
    gap = StockDiscrepancy.objects.get()
    assert (gap.part, gap.qty, gap.work_order, gap.technician, gap.center) == (
        battery,
        2,
        repairing,
        li,
        center,
    )
    assert PartStock.objects.filter(on_hand__lt=0).count() == 0


def test_the_branch_manager_lists_and_reconciles_the_discrepancy_with_a_count(
    api_as, repairing, li, center
):
    battery = part(repairing, "BAT-01", "电池")
    finish(repairing, li, ("BAT-01", 1))
    boss = api_as("branch_manager", "boss")
    elsewhere = api_as("branch_manager", "other", at_center=CenterFactory(code="sz", name="深圳"))
    technician = api_as("technician", "wang")

    listed = boss.get("/stock/discrepancies").json()
    assert listed["next_cursor"] is None
    [item] = listed["items"]
    assert item["part"] == {"code": "BAT-01", "name": "电池", "model": battery.model.code}
    assert (item["qty"], item["work_order"], item["technician"], item["resolved"]) == (
        1,
        repairing.number,
        "li",
        False,
    )
    assert elsewhere.get("/stock/discrepancies").json()["items"] == []
    assert technician.get("/stock/discrepancies").status_code == 403

    path = f"/stock/discrepancies/{item['id']}/resolve"
    assert boss.post(path, {}).json()["error"]["details"] == {
        "note": [zh("This field is required.")]
    }
    resolved = boss.post(path, {"note": "货架上有 2 个未入账", "counted": 2})

    assert resolved.status_code == 200, resolved.json()
    assert resolved.json()["resolved"] is True
    shelf = PartStock.objects.get(center=center, part=battery, holder=None)
    assert shelf.on_hand == 2
    counted = StockMovement.objects.get(kind="counted")
    assert (counted.on_hand_change, counted.work_order, counted.by.username) == (
        2,
        repairing,
        "boss",
    )
    assert boss.get("/stock/discrepancies").json()["items"] == []
    assert len(boss.get("/stock/discrepancies", status="resolved").json()["items"]) == 1
    assert boss.post(path, {"note": "again"}).json()["error"]["code"] == "already_resolved"
    assert Event.objects.filter(action="reconcile", object_id=item["id"]).count() == 1


def test_the_managers_page_lists_the_discrepancy_and_resolves_it(client, repairing, li, center):
    part(repairing, "BAT-01", "电池")
    finish(repairing, li, ("BAT-01", 1))
    make_staff("boss", "branch_manager", center)
    gap = StockDiscrepancy.objects.get()

    client.login(username="li", password=PASSWORD)
    assert client.get("/work-orders/stock/discrepancies/").status_code == 403
    job = client.get(f"/work-orders/{repairing.number}/").content.decode()
    assert 'class="notice stock-gap"' in job

    client.login(username="boss", password=PASSWORD)
    page = client.get("/work-orders/stock/discrepancies/").content.decode()
    assert repairing.number in page and "BAT-01" in page and f'data-discrepancy="{gap.pk}"' in page
    refused = client.post(f"/work-orders/stock/discrepancies/{gap.pk}/resolve/", {"note": ""})
    assert refused.status_code == 422

    answer = client.post(
        f"/work-orders/stock/discrepancies/{gap.pk}/resolve/", {"note": "李师傅自购"}
    )

    assert answer.status_code == 302
    gap.refresh_from_db()
    assert gap.resolved_at is not None and gap.resolution == "李师傅自购"
    assert not StockMovement.objects.filter(kind="counted").exists()  # nothing counted


# --- history, and counts entered by hand ----------------------------------------------------------


def test_free_text_parts_of_old_jobs_stay_and_read_not_in_catalogue(client, repairing, li):
    PartRequest.objects.create(work_order=repairing, code="开机正常", qty=1, state="used")
    client.login(username="li", password=PASSWORD)

    page = client.get(f"/work-orders/{repairing.number}/").content.decode()
    record = client.get(f"/work-orders/{repairing.number}/record/").content.decode()

    assert "开机正常" in page and zh("Not in catalogue") in page
    assert zh("not in catalogue") in record


def test_a_stock_count_entered_by_the_administrator_is_a_movement(client, repairing, center):
    battery = part(repairing, "BAT-01", "电池")
    stock = PartStock.objects.create(center=center, part=battery, on_hand=5, reserved=2)
    make_staff("root", "admin")
    client.login(username="root", password=PASSWORD)
    url = f"/admin/workorders/partstock/{stock.pk}/change/"

    below = client.post(url, {"on_hand": "1", "note": "盘点"})
    assert below.status_code == 200 and "on_hand" in below.context["adminform"].form.errors
    answer = client.post(url, {"on_hand": "3", "note": "盘点少 2 个"})

    assert answer.status_code == 302
    stock.refresh_from_db()
    assert (stock.on_hand, stock.reserved) == (3, 2)
    move = StockMovement.objects.get()
    assert (move.kind, move.on_hand_change, move.by.username, move.note) == (
        "counted",
        -2,
        "root",
        "盘点少 2 个",
    )
    assert timezone.now() - move.at < timedelta(minutes=1)
