"""The check page holds its numbers and dates to the same bounds as the API (core.payloads):
a price of 1e30, a hundred-year repair or a date in year 9999 is shown beside its field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_staff


@pytest.fixture
def clerk_client(client, db):  # type: ignore[no-untyped-def]
    client.force_login(make_staff("wangli", "front_desk"))
    return client


def test_out_of_bounds_facts_are_shown_beside_their_fields(clerk_client):
    bought = (timezone.localdate() - timedelta(days=5)).isoformat()
    facts = {"voucher": "valid", "damage": "none", "category": "mobile_phone"}

    for field, value in (
        ("price", "1e30"),
        ("repair_days", str(10**18)),
        ("failed_repairs", "10000"),
        ("purchase_date", "9999-12-31"),
        ("report_date", "0001-01-01"),
    ):
        posted = {**facts, "purchase_date": bought, field: value}
        answer = clerk_client.post("/warranty/check/", posted)

        assert answer.status_code == 200, field
        assert field in answer.context["form"].errors, field
        assert answer.context.get("decision") is None, field
