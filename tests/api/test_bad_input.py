"""Issue 16's reproductions: each bad input answers the API's error format (422 naming the field,
or 4xx), never a 500 — and nothing is stored that would break the unit's pages afterwards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.catalog.models import Unit
from aftersales.customers.models import Customer
from tests.clock import PLAIN_DAY
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    CustomerFactory,
    ProductModelFactory,
    make_technician,
)
from tests.words import zh

HUGE = "1e30"


def refused(answer, field: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and field in error["details"], error


# --- a unit's price -----------------------------------------------------------------------------


@pytest.mark.clock(PLAIN_DAY)
def test_a_price_of_1e30_is_refused_and_the_unit_registered_after_it_works_everywhere(
    api_as, client
):
    model = ProductModelFactory(code="XH-P50", category=CategoryFactory(code="mobile_phone"))
    customer = CustomerFactory(name="张伟")
    desk = api_as("admin", "boss")
    bought = (timezone.localdate() - timedelta(days=3)).isoformat()
    body = {"serial": "861234567890123", "model": model.code, "purchase_date": bought}
    body["customer_id"] = customer.id

    refused(desk.post("/units", {**body, "price": HUGE}), "price")
    assert not Unit.objects.exists()
    # The largest price there is: the unit answers everywhere, its refund computed.
    assert desk.post("/units", {**body, "price": "99999999.99"}).status_code == 201

    assert desk.get("/units/861234567890123").json()["price"] == "99999999.99"
    check = desk.post("/warranty/check", {"serial": "861234567890123"})
    assert check.status_code == 200 and check.json()["refund_amount"] == "99999999.99"
    opened = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "customer_id": customer.id,
            "serial": "861234567890123",
            "summary": "不开机",
        },
    )
    assert opened.status_code == 201
    client.login(username="boss", password=PASSWORD)
    assert client.get("/admin/catalog/unit/").status_code == 200
    assert client.get(f"/customers/{customer.id}/").status_code == 200
    assert client.get("/warranty/units/861234567890123/").status_code == 200
    assert client.get("/search/", {"q": "861234567890123"}).status_code in (200, 302)


def test_a_price_above_the_largest_or_below_zero_is_refused(api_as):
    model = ProductModelFactory()
    desk = api_as("front_desk")
    body = {"serial": "861234567890123", "model": model.code}

    for price in ("100000000.00", "-1.00", "NaN", "Infinity", "1.001", 1e30):
        refused(desk.post("/units", {**body, "price": price}), "price")
    assert not Unit.objects.exists()


def test_a_purchase_date_outside_1990_to_2099_is_refused(api_as):
    model = ProductModelFactory()
    desk = api_as("front_desk")

    for day in ("1989-12-31", "0001-01-01", "9999-12-31"):
        answer = desk.post("/units", {"serial": "8612", "model": model.code, "purchase_date": day})
        refused(answer, "purchase_date")


# --- the warranty check -----------------------------------------------------------------------


def test_a_warranty_check_with_a_huge_price_or_repair_days_is_refused(api_as):
    hotline = api_as("hotline")
    facts = {"category": "mobile_phone", "purchase_date": "2026-11-02", "report_date": "2026-11-07"}

    refused(hotline.post("/warranty/check", {**facts, "price": HUGE}), "price")
    refused(hotline.post("/warranty/check", {**facts, "repair_days": 10**18}), "repair_days")
    refused(hotline.post("/warranty/check", {**facts, "repair_days": 36501}), "repair_days")
    refused(hotline.post("/warranty/check", {**facts, "failed_repairs": -1}), "failed_repairs")
    refused(hotline.post("/warranty/check", {**facts, "report_date": "9999-12-31"}), "report_date")
    assert hotline.post("/warranty/check", {**facts, "repair_days": 36500}).status_code == 200


# --- the technician's calendar feed (no login) --------------------------------------------------


def test_a_calendar_key_that_is_not_ascii_answers_not_found(center, anonymous):
    make_technician("li", center)

    answer = anonymous.client.get("/api/v1/technicians/li/calendar.ics?key=%C3%A9")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


# --- follow-up filters --------------------------------------------------------------------------


def test_follow_ups_due_before_a_moment_outside_1990_to_2099_is_refused(api_as):
    hotline = api_as("hotline")

    for moment in ("9999-12-31T23:59:59", "0001-01-01T00:00:00+08:00", "1989-12-31T23:59:59Z"):
        refused(hotline.get("/followups", due_before=moment), "due_before")
    assert hotline.get("/followups", due_before="2099-12-31T23:59:59+08:00").status_code == 200


# --- text that is not Unicode -------------------------------------------------------------------


def test_a_lone_surrogate_in_a_customer_name_is_refused_naming_the_field(api_as):
    desk = api_as("front_desk")
    raw = b'{"name": "\\ud800", "phone": "13800138000"}'

    answer = desk.post("/customers", raw=raw)

    refused(answer, "name")
    assert not Customer.objects.exists()


def test_a_lone_surrogate_anywhere_in_a_body_is_refused_naming_where(api_as):
    desk = api_as("front_desk")
    raw = b'{"kind": "repair", "channel": "hotline", "summary": "x",'
    raw += b' "customer": {"name": "\\udc00abc", "phone": "13800138000"}}'

    refused(desk.post("/tickets", raw=raw), "customer.name")


# --- text longer than its column ------------------------------------------------------------


def test_text_longer_than_its_column_is_refused_naming_the_field(api_as):
    desk = api_as("admin")

    long_name = desk.post("/customers", {"name": "张" * 101, "phone": "13800138000"})
    refused(long_name, "name")
    assert long_name.json()["error"]["details"]["name"] == [
        zh("At most %(most)d characters.") % {"most": 100}
    ]
    assert not Customer.objects.exists()

    fits = desk.post("/customers", {"name": "张" * 100, "phone": "13800138000"})
    assert fits.status_code == 201
