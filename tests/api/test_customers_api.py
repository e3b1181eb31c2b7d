"""Registering and finding customers through the API."""

from aftersales.core.models import Event
from aftersales.customers.models import Customer
from tests.factories import CustomerFactory


def test_hotline_registers_a_customer_with_the_phone_stored_in_e164(api_as):
    hotline = api_as("hotline")

    answer = hotline.post(
        "/customers", {"name": "张伟", "phone": "138 0013 8000", "region": "440106"}
    )

    assert answer.status_code == 201
    body = answer.json()
    assert body["phone"] == "+8613800138000"
    assert body["name"] == "张伟" and body["kind"] == "person" and body["id"]
    assert Event.objects.filter(action="created", object_id=body["id"]).count() == 1


def test_a_phone_already_on_file_in_another_spelling_is_a_duplicate_naming_the_customer(api_as):
    existing = CustomerFactory(phone="+8613800138000")
    hotline = api_as("hotline")

    answer = hotline.post("/customers", {"name": "另一个人", "phone": "+86-138-0013-8000"})

    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "duplicate"
    assert error["details"]["id"] == existing.id
    assert Customer.objects.count() == 1


def test_find_a_customer_by_any_common_spelling_of_the_phone(api_as):
    customer = CustomerFactory(phone="+8613800138000")
    CustomerFactory(phone="+8613900139000")
    staff = api_as("technician")

    for spelling in (
        "13800138000",
        "138 0013 8000",
        "+86 138-0013-8000",
        "008613800138000",
        "8613800138000",
    ):
        answer = staff.get("/customers", phone=spelling)
        assert answer.status_code == 200, spelling
        assert [c["id"] for c in answer.json()["items"]] == [customer.id], spelling


def test_a_landline_with_area_code_is_accepted(api_as):
    answer = api_as("front_desk").post(
        "/customers", {"name": "越秀食品厂", "phone": "020-8888 6666", "kind": "organization"}
    )

    assert answer.status_code == 201
    assert answer.json()["phone"] == "+862088886666"
    assert answer.json()["kind"] == "organization"


def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(api_as):
    hotline = api_as("hotline")

    not_a_phone = hotline.post("/customers", {"name": "张伟", "phone": "12345"})
    bad_region = hotline.post(
        "/customers", {"name": "张伟", "phone": "13800138000", "region": "44"}
    )
    missing_name = hotline.post("/customers", {"phone": "13800138000"})
    bad_kind = hotline.post("/customers", {"name": "张伟", "phone": "13800138000", "kind": "alien"})

    assert not_a_phone.status_code == 422 and "phone" in not_a_phone.json()["error"]["details"]
    assert bad_region.status_code == 422 and "region" in bad_region.json()["error"]["details"]
    assert missing_name.status_code == 422 and "name" in missing_name.json()["error"]["details"]
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["details"]
    assert Customer.objects.count() == 0


def test_a_body_that_is_not_json_is_400(api_as):
    answer = api_as("hotline").post("/customers", raw=b"{not json")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


def test_roles_without_master_data_rights_are_forbidden_and_nothing_changes(api_as):
    for role in ("technician", "dispatcher", "finance", "archive", "complaints"):
        answer = api_as(role).post("/customers", {"name": "张伟", "phone": "13800138000"})
        assert answer.status_code == 403, role
        assert answer.json()["error"]["code"] == "forbidden"
    assert Customer.objects.count() == 0


def test_get_one_customer_and_404_for_an_unknown_id(api_as):
    customer = CustomerFactory()
    staff = api_as("archive")

    assert staff.get(f"/customers/{customer.id}").json()["name"] == customer.name
    missing = staff.get("/customers/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_customer_lists_page_with_a_cursor(api_as):
    created = [CustomerFactory() for _ in range(5)]
    staff = api_as("hotline")

    first = staff.get("/customers", limit=2).json()
    second = staff.get("/customers", limit=2, cursor=first["next_cursor"]).json()
    third = staff.get("/customers", limit=2, cursor=second["next_cursor"]).json()

    seen = [c["id"] for page in (first, second, third) for c in page["items"]]
    assert sorted(seen) == sorted(c.id for c in created)
    assert len(set(seen)) == 5
    assert third["next_cursor"] is None


def test_a_limit_outside_1_to_200_or_a_broken_cursor_is_422(api_as):
    staff = api_as("hotline")

    assert staff.get("/customers", limit=500).status_code == 422
    assert staff.get("/customers", limit=0).status_code == 422
    broken = staff.get("/customers", cursor="%%%")
    assert broken.status_code == 422
    assert "cursor" in broken.json()["error"]["details"]


def test_a_nul_character_is_refused_at_the_door_on_every_database(api_as):
    hotline = api_as("hotline")

    in_body = hotline.post("/customers", {"name": "张\x00伟", "phone": "13800138000"})
    in_query = hotline.get("/customers", q="张\x00")

    assert in_body.status_code == in_query.status_code == 400
    assert in_body.json()["error"]["code"] == "bad_request"
    assert Customer.objects.count() == 0
