"""Administrators edit customers in the Django admin; the same rules hold there."""

from aftersales.core.models import Event
from aftersales.customers.models import Customer
from tests.factories import PASSWORD, CustomerFactory, make_staff


def admin_client(client):  # type: ignore[no-untyped-def]
    make_staff("boss", "admin")
    client.login(username="boss", password=PASSWORD)
    return client


FORM = {
    "kind": "person",
    "name": "张伟",
    "phone": "138 0013 8000",
    "contact_person": "",
    "email": "",
    "address": "",
    "postcode": "",
    "region": "440106",
    "note": "",
}


def test_a_customer_added_in_the_admin_gets_an_e164_phone_and_a_timeline_event(db, client):
    answer = admin_client(client).post("/admin/customers/customer/add/", FORM)

    assert answer.status_code == 302
    customer = Customer.objects.get()
    assert customer.phone == "+8613800138000"
    assert Event.objects.filter(object_id=customer.pk, action="created").count() == 1


def test_the_admin_refuses_a_phone_already_on_file_in_another_spelling(db, client):
    CustomerFactory(phone="+8613800138000")

    answer = admin_client(client).post(
        "/admin/customers/customer/add/", {**FORM, "phone": "+86-138-0013-8000"}
    )

    assert answer.status_code == 200  # the form again, with the error
    assert Customer.objects.count() == 1


def test_an_edit_in_the_admin_is_recorded(db, client):
    customer = CustomerFactory(phone="+8613800138000", name="张伟")

    admin_client(client).post(
        f"/admin/customers/customer/{customer.pk}/change/", {**FORM, "name": "张伟强"}
    )

    customer.refresh_from_db()
    assert customer.name == "张伟强"
    assert Event.objects.filter(object_id=customer.pk, action="updated").count() == 1
