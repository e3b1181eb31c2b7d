"""Issue 16's reproductions on a complaint: a compensation past the largest amount or days, and a
promise past a year ahead, are refused (422 naming the field) — never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.clock import PLAIN_DAY
from tests.complaints.conftest import act, step_to


def refused(answer, field: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.content
    error = answer.json()["error"]
    assert error["code"] == "validation_error" and field in error["details"], error


def test_a_discount_of_1e30_or_an_extension_past_100_years_is_refused(handler, file_complaint):
    number = file_complaint()
    step_to(handler, number, "investigated")

    for kind, value in (("discount", "1e30"), ("refund", "100000000.00")):
        offer = [{"kind": kind, "value": value}]
        refused(
            act(handler, number, "propose", plan="赔偿", compensation=offer), "compensation.0.value"
        )
    days = [{"kind": "warranty_extension", "value": 36501}]
    refused(act(handler, number, "propose", plan="延保", compensation=days), "compensation.0.value")

    assert handler.get(f"/tickets/{number}").json()["complaint_stage"] == "investigated"


@pytest.mark.clock(PLAIN_DAY)
def test_a_promise_in_year_9999_or_past_a_year_ahead_is_refused(handler, file_complaint):
    number = file_complaint()

    next_year = (timezone.now() + timedelta(days=367)).isoformat()
    for promised in ("9999-12-31T09:00:00+08:00", next_year):
        answer = act(handler, number, "acknowledge", note="致歉", promised_by=promised)
        refused(answer, "promised_by")

    soon = (timezone.now() + timedelta(days=5)).isoformat()
    assert act(handler, number, "acknowledge", note="致歉", promised_by=soon).status_code == 200
