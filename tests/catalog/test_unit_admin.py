"""Administrators register and correct units in the Django admin; the same rules hold there."""

import pytest

from aftersales.catalog.models import Unit
from aftersales.core.models import Event
from tests.factories import PASSWORD, CustomerFactory, ProductModelFactory, UnitFactory, make_staff

# The dates written into the data below are in the past on this day.
pytestmark = pytest.mark.clock("2026-11-23T10:00:00+08:00")


def logged_in_admin(client):  # type: ignore[no-untyped-def]
    make_staff("boss", "admin")
    client.login(username="boss", password=PASSWORD)
    return client


def form(model, customer, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "serial": "861234567890123",
        "model": model.pk,
        "customer": customer.pk,
        "purchase_date": "2026-11-02",
        "invoice_date": "",
        "invoice_no": "",
        "seller": "",
        "price": "",
        "activation_date": "",
        "manufacture_date": "",
    }
    return {**data, **overrides}


def test_a_unit_added_in_the_admin_is_registered_with_its_event(db, client):
    model, customer = ProductModelFactory(), CustomerFactory()

    answer = logged_in_admin(client).post("/admin/catalog/unit/add/", form(model, customer))

    assert answer.status_code == 302
    unit = Unit.objects.get()
    assert unit.invoice_date == unit.purchase_date  # the service's default
    assert Event.objects.filter(object_id=unit.pk, action="created").count() == 1


def test_the_admin_refuses_a_future_purchase_date(db, client):
    unit = UnitFactory()
    bought = unit.purchase_date

    answer = logged_in_admin(client).post(
        f"/admin/catalog/unit/{unit.pk}/change/",
        form(unit.model, unit.customer, serial=unit.serial, purchase_date="2099-01-01"),
    )

    assert answer.status_code == 200  # the form again, with the error on the date
    assert "purchase_date" in answer.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.purchase_date == bought


def test_the_admin_holds_a_unit_to_the_apis_bounds(db, client):
    model, customer = ProductModelFactory(), CustomerFactory()
    admin = logged_in_admin(client)

    for field, value in (("price", "100000000.00"), ("manufacture_date", "1900-01-01")):
        answer = admin.post("/admin/catalog/unit/add/", form(model, customer, **{field: value}))

        assert answer.status_code == 200, field  # the form again, with the error on the field
        assert field in answer.context["adminform"].form.errors, field
    assert not Unit.objects.exists()
