"""The customer's region at intake is typed by name and kept as its code; the pages show the
place, not the code."""

from aftersales.customers.models import Customer
from aftersales.tickets.models import Ticket
from tests.factories import CustomerFactory, make_staff


def intake(**fields):  # type: ignore[no-untyped-def]
    return {
        "phone": "139 0013 9000",
        "name": "王芳",
        "kind": "consultation",
        "channel": "hotline",
        "priority": "normal",
        "summary": "咨询保修",
        "damage": "none",
        "step": "create",
        **fields,
    }


def test_a_region_picked_by_name_is_stored_as_its_code(client, center):
    client.force_login(make_staff("lixy", "hotline", center))

    answer = client.post("/requests/new/", intake(region="广东省 广州市 天河区 (440106)"))

    assert answer.status_code == 302
    assert Customer.objects.get().region == "440106"


def test_a_name_typed_without_picking_is_read_too(client, center):
    client.force_login(make_staff("lixy", "hotline", center))

    client.post("/requests/new/", intake(region="天河区"))

    assert Customer.objects.get().region == "440106"


def test_a_region_that_is_no_place_is_refused_on_its_field_keeping_the_rest(client, center):
    client.force_login(make_staff("lixy", "hotline", center))

    answer = client.post("/requests/new/", intake(region="440199"))

    assert answer.status_code in (200, 422)
    errors = answer.context["form"].errors
    assert list(errors) == ["region"] and "440199" in errors["region"][0]
    assert "咨询保修" in answer.text and 'class="field-error" id="id_region_error"' in answer.text
    assert not Ticket.objects.exists() and not Customer.objects.exists()


def test_the_new_customer_panel_offers_the_region_picker(client, center):
    client.force_login(make_staff("lixy", "hotline", center))

    panel = client.get("/requests/new/customer/", {"phone": "13900139000"}, HTTP_HX_REQUEST="true")

    assert 'data-picker="/regions/"' in panel.text and 'name="region"' in panel.text


def test_pages_show_the_region_by_name(client, center):
    client.force_login(make_staff("lixy", "hotline", center))
    customer = CustomerFactory(name="张伟", phone="+8613800138000", region="440106")

    page = client.get(f"/customers/{customer.pk}/")
    panel = client.get("/requests/new/customer/", {"phone": "13800138000"}, HTTP_HX_REQUEST="true")

    for answer in (page, panel):
        assert "广东省 广州市 天河区" in answer.text and "440106" not in answer.text
