"""A front-desk integration over real HTTP: token, customer, unit, lookup, retry."""

import json
import urllib.error
import urllib.request

import pytest

from tests.factories import PASSWORD, CenterFactory, ProductModelFactory, make_staff

# The dates written into the data below are in the past on this day.
pytestmark = pytest.mark.clock("2026-11-23T10:00:00+08:00")


def call(base: str, method: str, path: str, body=None, token=None, headers=None):  # type: ignore[no-untyped-def]
    request = urllib.request.Request(f"{base}/api/v1{path}", method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(request, data, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.mark.django_db(transaction=True)
def test_a_desk_registers_a_walk_in_customer_and_their_phone_over_http(live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    base = live_server.url
    CenterFactory(code="sz-branch")
    ProductModelFactory(code="XH-P50")
    make_staff("wangli", "front_desk")

    status, auth = call(base, "POST", "/auth/token", {"username": "wangli", "password": PASSWORD})
    assert status == 200
    token = auth["token"]

    new_customer = {
        "name": "张伟",
        "phone": "138 0013 8000",
        "address": "深圳市南山区科技园南路 6 号",
        "region": "440305",
    }
    status, customer = call(
        base, "POST", "/customers", new_customer, token, {"Idempotency-Key": "walk-in-1"}
    )
    assert status == 201 and customer["phone"] == "+8613800138000"
    # The desk's network hiccups and the client retries: same answer, still one customer.
    status, again = call(
        base, "POST", "/customers", new_customer, token, {"Idempotency-Key": "walk-in-1"}
    )
    assert status == 201 and again == customer

    unit = {
        "serial": "861234567890123",
        "model": "XH-P50",
        "customer_id": customer["id"],
        "purchase_date": "2026-11-02",
    }
    status, _ = call(base, "POST", "/units", unit, token)
    assert status == 201

    status, found = call(base, "GET", "/customers?phone=%2B86%20138-0013-8000", token=token)
    assert status == 200 and [c["id"] for c in found["items"]] == [customer["id"]]
    status, registered = call(base, "GET", "/units/861234567890123", token=token)
    assert (
        status == 200
        and registered["customer_id"] == customer["id"]
        and registered["status"] == "in_use"
    )

    status, refused = call(base, "GET", "/units/861234567890123")
    assert status == 401 and refused["error"]["code"] == "unauthorized"
