"""The hand-over (交机) by API: the customer is never forced to rate (no rating = declined,
recorded and answered as such), repair quality and service attitude are scored apart, and a
customer at the counter or at home signs for the unit — or the reason they did not is written
down (409 `signature_required`)."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.workorders.models import WorkOrder
from tests.workorders.conftest import act, ok, to_diagnosing

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
HOUR = timedelta(hours=1)


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


@pytest.fixture
def ready(desk, bought, open_job, tech):  # type: ignore[no-untyped-def]
    """`ready(mode)` → a job of that mode waiting for its customer (no fault found, nothing due)."""

    def make(mode: str = "carry_in") -> str:
        _, wo = open_job(desk, bought(days_ago=400), mode=mode, technician="tech")
        if mode == "on_site":
            soon = timezone.now() + timedelta(hours=2)
            ok(desk, wo, "schedule", start=soon.isoformat(), end=(soon + HOUR).isoformat())
            ok(desk, wo, "depart")
            ok(desk, wo, "arrive")
            ok(desk, wo, "start_diagnosis")
        elif mode == "mail_in":
            ok(desk, wo, "receive", inspection={}, agreement_signed=True, tracking_no="SF1")
            ok(desk, wo, "start_diagnosis")
        else:
            to_diagnosing(desk, wo)
        ok(desk, wo, "no_fault_found", findings="未复现")
        return wo

    return make


def hand_over_event(wo: str) -> Event:
    job = WorkOrder.objects.get(number=wo)
    return Event.objects.filter(object_id=job.pk, action="hand_over").get()


def test_a_customer_who_declines_to_rate_gets_the_unit_and_the_refusal_is_recorded(desk, ready):
    wo = ready()

    done = ok(desk, wo, "hand_over", signature=SIGNATURE)

    assert done["status"] == "completed"
    assert done["rating"] is None and done["rating_declined"] is True
    assert done["handover_signed"] is True and done["no_signature_reason"] == ""
    assert hand_over_event(wo).data["rating_declined"] is True


def test_the_rating_and_the_two_scores_are_kept_and_answered(desk, ready):
    wo = ready()

    done = ok(
        desk,
        wo,
        "hand_over",
        rating=4,
        quality_score=5,
        attitude_score=3,
        comment="修得好，等得久",
        signature=SIGNATURE,
    )

    assert (done["rating"], done["quality_score"], done["attitude_score"]) == (4, 5, 3)
    assert done["rating_declined"] is False
    data = hand_over_event(wo).data
    assert (data["rating"], data["quality_score"], data["attitude_score"]) == (4, 5, 3)
    assert desk.get(f"/work-orders/{wo}").json()["quality_score"] == 5


@pytest.mark.parametrize("field", ["quality_score", "attitude_score"])
def test_a_score_is_one_to_five(desk, ready, field):
    wo = ready()
    answer = act(desk, wo, "hand_over", signature=SIGNATURE, **{field: 6})
    assert answer.status_code == 422 and field in answer.json()["error"]["details"]
    assert WorkOrder.objects.get(number=wo).status == "ready"


@pytest.mark.parametrize("mode", ["carry_in", "on_site"])
def test_a_customer_at_hand_signs_or_the_reason_is_written_down(desk, ready, mode):
    wo = ready(mode)

    unsigned = act(desk, wo, "hand_over", rating=5)
    assert unsigned.status_code == 409
    assert unsigned.json()["error"]["code"] == "signature_required"
    assert WorkOrder.objects.get(number=wo).status == "ready"
    assert not Event.objects.filter(action="hand_over").exists()

    done = ok(desk, wo, "hand_over", rating=5, no_signature_reason="客户手受伤，家属代取")
    assert done["handover_signed"] is False
    assert done["no_signature_reason"] == "客户手受伤，家属代取"
    assert hand_over_event(wo).data["no_signature_reason"] == "客户手受伤，家属代取"


def test_a_mail_in_customer_is_not_there_to_sign(desk, ready):
    wo = ready("mail_in")
    done = ok(desk, wo, "hand_over", tracking_no="SF2")
    assert done["status"] == "completed" and done["handover_signed"] is False


def test_the_signature_required_code_is_in_the_guard_list():
    from aftersales.workorders import rules
    from aftersales.workorders.services.outcomes import GUARD_MESSAGES

    assert "signature_required" in rules.GUARD_CODES and "signature_required" in GUARD_MESSAGES
