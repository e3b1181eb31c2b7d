"""Issue 16's reproductions on a job: money past the largest amount and windows past a year ahead
are refused (422 naming the field) and change nothing — never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.clock import PLAIN_DAY
from tests.factories import make_technician
from tests.workorders.conftest import INSPECTION, act, ok, to_ready_paid

HUGE = "1e30"


def refused(answer, field: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and field in error["details"], error


def test_waiving_1e30_or_more_than_the_largest_amount_is_refused(api_as, bought, open_job):
    desk, manager = api_as("front_desk"), api_as("branch_manager", "zhaom")
    _, wo = open_job(desk, bought(days_ago=400))
    to_ready_paid(desk, wo, price="280.00")

    refused(act(manager, wo, "waive", amount=HUGE, reason="老客户"), "amount")
    refused(act(manager, wo, "waive", amount="100000000.00", reason="老客户"), "amount")

    assert desk.get(f"/work-orders/{wo}").json()["amount_due"] == "280.00"


def test_a_quote_line_priced_1e30_or_a_billion_pieces_is_refused(api_as, bought, open_job):
    desk = api_as("admin")
    _, wo = open_job(desk, bought(days_ago=400))
    ok(desk, wo, "receive", inspection=INSPECTION, agreement_signed=True)
    ok(desk, wo, "start_diagnosis")
    ok(desk, wo, "diagnose", findings="排线断裂", human_damage=False)

    line = {"kind": "labor", "description": "更换排线", "qty": 1, "unit_price": HUGE}
    refused(act(desk, wo, "quote", lines=[line]), "lines.0.unit_price")
    line = {**line, "qty": 10**9, "unit_price": "1.00"}
    refused(act(desk, wo, "quote", lines=[line]), "lines.0.qty")

    assert desk.get(f"/work-orders/{wo}").json()["status"] == "diagnosing"


@pytest.mark.clock(PLAIN_DAY)
def test_a_visit_window_in_year_9999_or_past_a_year_ahead_is_refused(
    api_as, center, bought, open_job
):
    make_technician("li", center)
    desk = api_as("admin", "boss")
    _, wo = open_job(desk, bought(40), mode="on_site", technician="li")

    def window(start):  # type: ignore[no-untyped-def]
        return {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}

    far = {"start": "9999-12-31T09:00:00+08:00", "end": "9999-12-31T11:00:00+08:00"}
    refused(act(desk, wo, "schedule", **far), "start")
    refused(act(desk, wo, "schedule", **window(timezone.now() + timedelta(days=367))), "start")
    assert desk.get(f"/work-orders/{wo}").json()["appointment"] is None

    assert ok(desk, wo, "schedule", **window(timezone.now() + timedelta(days=300)))["appointment"]
