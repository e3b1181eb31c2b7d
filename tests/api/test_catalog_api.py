"""Product models, units and centers through the API."""

import pytest

from aftersales.catalog.models import ProductModel, Unit
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
)

# The dates written into the data below are in the past on this day.
pytestmark = pytest.mark.clock("2026-11-23T10:00:00+08:00")


def test_admin_registers_a_model_in_a_known_category(api_as):
    CategoryFactory(code="air_compressor", name="空气压缩机")
    admin = api_as("admin")

    answer = admin.post(
        "/catalog/models",
        {"code": "JF-37A", "name": "劲风 37kW", "brand": "劲风", "category": "air_compressor"},
    )

    assert answer.status_code == 201
    assert answer.json() == {
        "code": "JF-37A",
        "name": "劲风 37kW",
        "brand": "劲风",
        "category": "air_compressor",
        "policy": None,
    }
    listed = admin.get("/catalog/models").json()["items"]
    assert [m["code"] for m in listed] == ["JF-37A"]


def test_a_model_needs_a_known_category_and_a_new_code(api_as):
    ProductModelFactory(code="XH-P50")
    admin = api_as("admin")

    unknown = admin.post(
        "/catalog/models", {"code": "X1", "name": "X", "brand": "B", "category": "spaceship"}
    )
    again = admin.post(
        "/catalog/models", {"code": "XH-P50", "name": "X", "brand": "B", "category": "mobile_phone"}
    )

    assert unknown.status_code == 422 and "category" in unknown.json()["error"]["details"]
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    assert ProductModel.objects.count() == 1


def test_only_admins_create_models(api_as):
    CategoryFactory()
    for role in ("hotline", "front_desk", "branch_manager"):
        answer = api_as(role).post(
            "/catalog/models", {"code": "X", "name": "X", "brand": "B", "category": "mobile_phone"}
        )
        assert answer.status_code == 403, role
    assert ProductModel.objects.count() == 0


def test_front_desk_registers_a_unit_and_reads_it_back_with_status_and_warranty_counters(api_as):
    model = ProductModelFactory(code="XH-P50")
    customer = CustomerFactory()
    desk = api_as("front_desk")

    answer = desk.post(
        "/units",
        {
            "serial": "861234567890123",
            "model": "XH-P50",
            "customer_id": customer.id,
            "purchase_date": "2026-11-02",
            "invoice_no": "No.0012345",
            "seller": "星河官方旗舰店",
            "price": "2999.00",
        },
    )

    assert answer.status_code == 201
    unit = desk.get("/units/861234567890123").json()
    assert unit["model"] == model.code and unit["category"] == "mobile_phone"
    assert unit["customer_id"] == customer.id
    assert unit["purchase_date"] == "2026-11-02" and unit["invoice_date"] == "2026-11-02"
    assert unit["price"] == "2999.00"
    assert unit["status"] == "in_use"
    assert unit["warranty"]["extension_days"] == 0 and unit["warranty"]["failed_repairs"] == 0
    assert unit["history"] == []


def test_a_serial_is_registered_once(api_as):
    UnitFactory(serial="861234567890123")
    model = ProductModelFactory()
    desk = api_as("front_desk")

    answer = desk.post(
        "/units", {"serial": "861234567890123", "model": model.code, "purchase_date": "2026-11-02"}
    )

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "duplicate"
    assert Unit.objects.count() == 1


def test_unit_input_errors_name_the_field(api_as):
    model = ProductModelFactory()
    desk = api_as("front_desk")

    unknown_model = desk.post(
        "/units", {"serial": "S1", "model": "nope", "purchase_date": "2026-11-02"}
    )
    bad_date = desk.post(
        "/units", {"serial": "S1", "model": model.code, "purchase_date": "2026-13-45"}
    )
    future = desk.post(
        "/units", {"serial": "S1", "model": model.code, "purchase_date": "2099-01-01"}
    )
    no_customer = desk.post("/units", {"serial": "S1", "model": model.code, "customer_id": 999999})

    assert unknown_model.status_code == 422 and "model" in unknown_model.json()["error"]["details"]
    assert bad_date.status_code == 422 and "purchase_date" in bad_date.json()["error"]["details"]
    assert future.status_code == 422 and "purchase_date" in future.json()["error"]["details"]
    assert (
        no_customer.status_code == 422 and "customer_id" in no_customer.json()["error"]["details"]
    )
    assert Unit.objects.count() == 0


def test_an_unknown_serial_is_404(api_as):
    answer = api_as("technician").get("/units/NOPE-123")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_technicians_read_but_cannot_register_units(api_as):
    model = ProductModelFactory()
    tech = api_as("technician")

    answer = tech.post(
        "/units", {"serial": "S1", "model": model.code, "purchase_date": "2026-11-02"}
    )

    assert answer.status_code == 403
    assert Unit.objects.count() == 0


def test_every_staff_role_lists_the_centers_with_their_regions(api_as):
    CenterFactory(code="sz-branch", name="深圳南山服务网点", kind="branch", regions=["440305"])

    answer = api_as("archive").get("/centers")

    assert answer.status_code == 200
    centers = {c["code"]: c for c in answer.json()["items"]}
    assert centers["sz-branch"] == {
        "code": "sz-branch",
        "name": "深圳南山服务网点",
        "kind": "branch",
        "regions": ["440305"],
    }


def test_the_centers_come_in_pages_like_every_list(api_as):
    for code in ("a-branch", "b-branch", "c-branch"):
        CenterFactory(code=code, name=code)
    archive = api_as("archive")
    first = archive.get("/centers", limit=2).json()
    assert [c["code"] for c in first["items"]] == ["a-branch", "b-branch"]
    rest = archive.get("/centers", limit=200, cursor=first["next_cursor"]).json()
    assert [c["code"] for c in rest["items"]] == ["c-branch", "gz"] and rest["next_cursor"] is None
