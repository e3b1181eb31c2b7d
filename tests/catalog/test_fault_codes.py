"""Fault codes are master data: a tree per product category (symptom → cause), shipped for
phones, air compressors and flooring, every category with its "other" symptom, read by the API,
edited by an administrator and imported from a sheet."""

import importlib
import io

import openpyxl
import pytest
from django.apps import apps as django_apps

from aftersales.catalog.models import Category, FaultCode
from aftersales.catalog.rules import fault_key, fault_symptoms
from aftersales.catalog.selectors import symptoms_of
from aftersales.core.models import Event
from tests.factories import PASSWORD, make_staff

SHIPPED = importlib.import_module("aftersales.catalog.migrations.0008_shipped_fault_codes")


@pytest.fixture(autouse=True)
def shipped(db):  # type: ignore[no-untyped-def]
    SHIPPED.ship(django_apps, None)


def tree(category: str) -> dict[str, list[str]]:
    """symptom code → its causes' codes, of what is in use."""
    codes = FaultCode.objects.filter(category__code=category, active=True)
    return {
        s.code: sorted(c.code for c in codes if c.parent_id == s.pk)
        for s in codes
        if s.parent_id is None
    }


def xlsx(rows):  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "faults.xlsx"
    return out


def admin_client(client):  # type: ignore[no-untyped-def]
    make_staff("boss", "admin")
    client.login(username="boss", password=PASSWORD)
    return client


# --- the shipped trees ------------------------------------------------------------------------


def test_phones_ship_with_the_performance_faults_of_the_phone_rules_each_with_its_causes():
    phones = tree("mobile_phone")
    names = set(
        FaultCode.objects.filter(category__code="mobile_phone", parent=None).values_list(
            "name", flat=True
        )
    )
    assert {"NO_POWER", "FREEZE", "NO_CHARGE", "NO_NETWORK", "NO_DISPLAY", "KEYS_FAIL"} <= set(
        phones
    )
    assert {"AUDIO_FAULT", "CAMERA", "BATTERY_FAULT", "OTHER"} <= set(phones)
    assert "不开机 / 无法开机" in names and "摄像头故障" in names
    assert all(2 <= len(causes) <= 4 for code, causes in phones.items() if code != "OTHER")
    assert "NO_POWER.BOARD" in phones["NO_POWER"]


def test_compressors_and_flooring_ship_their_own_trees():
    assert "NO_START.PRESSURE_SWITCH" in tree("air_compressor")["NO_START"]
    assert "LOW_PRESSURE" in tree("air_compressor") and "ARCHING" in tree("flooring")
    assert "NO_POWER" not in tree("flooring")


def test_every_category_has_its_other_symptom():
    assert set(Category.objects.values_list("code", flat=True)) == set(
        FaultCode.objects.filter(code="OTHER", parent=None).values_list("category__code", flat=True)
    )


def test_shipping_again_adds_nothing_and_keeps_an_administrators_edits():
    phone = Category.objects.get(code="mobile_phone")
    FaultCode.objects.filter(category=phone, code="CAMERA.FOCUS").delete()
    before = FaultCode.objects.count()

    SHIPPED.ship(django_apps, None)

    assert FaultCode.objects.count() == before
    assert "CAMERA.FOCUS" not in tree("mobile_phone")["CAMERA"]


# --- "the same fault": the symptom of a tree code, the text of anything else -----------------


def test_a_cause_counts_as_its_symptom_and_free_text_as_itself():
    symptoms = fault_symptoms([("NO_POWER", None), ("NO_POWER.BOARD", "NO_POWER"), ("OTHER", None)])

    assert fault_key("no_power.board", symptoms) == "NO_POWER"
    assert fault_key("NO_POWER", symptoms) == "NO_POWER"
    assert fault_key(" screen ", symptoms) == "SCREEN"  # not a code: kept as text
    assert fault_key("屏幕不亮", symptoms) == "屏幕不亮"


def test_the_category_tree_gives_each_code_its_symptom_retired_codes_included():
    phone = Category.objects.get(code="mobile_phone")
    FaultCode.objects.filter(category=phone, code="NO_POWER.POWER_KEY").update(active=False)

    symptoms = symptoms_of(phone.pk)

    assert symptoms["NO_POWER.POWER_KEY"] == "NO_POWER"
    assert symptoms["CAMERA.MODULE"] == "CAMERA" and symptoms["OTHER"] == "OTHER"
    assert symptoms_of(None) == {}


# --- the API ------------------------------------------------------------------------------------


def test_the_api_lists_the_categorys_tree_each_symptom_before_its_causes(api_as):
    FaultCode.objects.filter(category__code="mobile_phone", code="CAMERA.FOCUS").update(
        active=False
    )

    answer = api_as("technician").get("/catalog/fault-codes", category="mobile_phone")

    assert answer.status_code == 200
    items = answer.json()["items"]
    assert items[0] == {"code": "NO_POWER", "name": "不开机 / 无法开机", "parent": None}
    assert items[1] == {
        "code": "NO_POWER.BATTERY",
        "name": "电池或电池触点故障",
        "parent": "NO_POWER",
    }
    assert items[-1] == {"code": "OTHER", "name": "其他", "parent": None}
    codes = [i["code"] for i in items]
    assert "CAMERA.FOCUS" not in codes  # retired: not offered
    for item in items:
        if item["parent"]:
            assert codes.index(item["parent"]) < codes.index(item["code"])


def test_an_unknown_category_is_refused_and_staff_only(api_as, anonymous):
    unknown = api_as("hotline").get("/catalog/fault-codes", category="spaceship")
    missing = api_as("hotline").get("/catalog/fault-codes")

    assert unknown.status_code == 422 and "category" in unknown.json()["error"]["details"]
    assert missing.status_code == 422
    assert anonymous.get("/catalog/fault-codes", category="mobile_phone").status_code == 401


# --- the admin -------------------------------------------------------------------------------------


def test_an_administrator_adds_a_cause_under_a_symptom(client):
    phone = Category.objects.get(code="mobile_phone")
    symptom = FaultCode.objects.get(category=phone, code="CAMERA")
    form = {
        "category": phone.pk,
        "code": "camera.flash",
        "name": "闪光灯故障",
        "parent": symptom.pk,
        "position": 4,
        "active": "on",
    }

    admin = admin_client(client)
    offered = admin.get("/admin/catalog/faultcode/add/").content.decode()
    assert "手机 · 摄像头故障 (CAMERA)" in offered and "(CAMERA.MODULE)" not in offered

    answer = admin.post("/admin/catalog/faultcode/add/", form)

    assert answer.status_code == 302
    added = FaultCode.objects.get(category=phone, code="CAMERA.FLASH")  # stored as codes are
    assert added.parent == symptom and added.name == "闪光灯故障"


def test_a_cause_under_a_cause_or_another_categorys_symptom_is_refused(client):
    phone = Category.objects.get(code="mobile_phone")
    cause = FaultCode.objects.get(category=phone, code="CAMERA.MODULE")
    floor_symptom = FaultCode.objects.get(category__code="flooring", code="ARCHING")
    admin = admin_client(client)
    before = FaultCode.objects.count()

    for parent in (cause, floor_symptom):
        form = {"category": phone.pk, "code": "X1", "name": "某故障", "parent": parent.pk}
        answer = admin.post("/admin/catalog/faultcode/add/", {**form, "position": 0})
        assert answer.status_code == 200
        assert "parent" in answer.context["adminform"].form.errors

    assert FaultCode.objects.count() == before


def test_a_category_added_in_the_admin_gets_its_other_symptom(client):
    answer = admin_client(client).post(
        "/admin/catalog/category/add/",
        {
            "code": "water_heater",
            "name": "热水器",
            "checklist-TOTAL_FORMS": "0",
            "checklist-INITIAL_FORMS": "0",
        },
    )

    assert answer.status_code == 302
    assert tree("water_heater") == {"OTHER": []}


def test_staff_read_the_tree_in_the_admin_but_only_an_administrator_changes_it(client):
    make_staff("hotline", "hotline")
    client.login(username="hotline", password=PASSWORD)

    assert client.get("/admin/catalog/faultcode/").status_code == 200
    assert client.get("/admin/catalog/faultcode/add/").status_code == 403
    assert client.get("/admin/catalog/faultcode/import/").status_code == 403


# --- the import ----------------------------------------------------------------------------------

HEADER = ["类别", "故障代码", "名称", "上级代码", "排序"]


def test_a_sheet_adds_symptoms_and_causes_and_updates_what_is_there(client):
    sheet = xlsx(
        [
            HEADER,
            ["air_compressor", "TANK.RUST", "储气罐锈蚀穿孔", "TANK", 1],  # before its symptom
            ["air_compressor", "tank", "储气罐漏气", "", 7],
            ["air_compressor", "NOISE", "异响 / 振动剧烈", "", 4],  # renamed
        ]
    )

    answer = admin_client(client).post("/admin/catalog/faultcode/import/", {"file": sheet})

    assert answer.status_code == 302
    assert tree("air_compressor")["TANK"] == ["TANK.RUST"]
    assert FaultCode.objects.get(category__code="air_compressor", code="NOISE").name == (
        "异响 / 振动剧烈"
    )
    event = Event.objects.get(action="fault_codes_imported")
    assert event.data == {"created": 2, "updated": 1} and event.actor.username == "boss"


def test_a_sheet_with_an_error_imports_nothing_and_names_the_row(client):
    sheet = xlsx(
        [
            HEADER,
            ["flooring", "MOULD", "发霉", "", 9],
            ["flooring", "MOULD.DAMP", "受潮发霉", "MOULD", 1],
            ["flooring", "GAPS.X", "某原因", "GAPS.DRY", 1],  # a cause is no symptom
            ["boats", "LEAK", "漏水", "", 1],
        ]
    )
    before = FaultCode.objects.count()

    answer = admin_client(client).post("/admin/catalog/faultcode/import/", {"file": sheet})

    assert answer.status_code == 200
    rows = [(e["row"], e["column"]) for e in answer.context["errors"]]
    assert rows == [(4, "parent"), (5, "category")]
    assert FaultCode.objects.count() == before
    assert "MOULD" not in tree("flooring")


def test_a_csv_sheet_with_english_headers_is_read_too(client):
    csv = "category,code,name,parent,active\nflooring,SURFACE.STAIN,污渍,SURFACE,yes\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "faults.csv"

    answer = admin_client(client).post("/admin/catalog/faultcode/import/", {"file": upload})

    assert answer.status_code == 302
    assert "SURFACE.STAIN" in tree("flooring")["SURFACE"]
