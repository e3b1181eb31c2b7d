"""The archive's daily reconciliation: a rating nobody signed is checked by a verification call,
and a customer who contradicts the record is flagged for the branch manager."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from aftersales.followups.models import FollowUp
from tests.factories import PASSWORD, make_staff
from tests.workorders.conftest import ok, to_ready_paid
from tests.workorders.test_pages import SIGNATURE


def handed_over(api_as, bought, open_job, *, signed: bool):  # type: ignore[no-untyped-def]
    desk = api_as("front_desk", "desk")
    _ticket, wo = open_job(desk, bought(400))
    to_ready_paid(desk, wo)
    extra = {"signature": SIGNATURE} if signed else {}
    ok(
        desk,
        wo,
        "hand_over",
        rating=5,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
        **extra,
    )
    return wo


def reconcile(client):  # type: ignore[no-untyped-def]
    return client.post("/followups/verification-calls", {"day": timezone.localdate().isoformat()})


def test_only_unsigned_ratings_get_a_verification_call_and_only_once(api_as, bought, open_job):
    unsigned = handed_over(api_as, bought, open_job, signed=False)
    handed_over(api_as, bought, open_job, signed=True)
    archive = api_as("archive")

    first = reconcile(archive)
    assert first.status_code == 201
    assert [c["work_order"] for c in first.json()["created"]] == [unsigned]
    assert first.json()["created"][0]["kind"] == "verification_call"
    assert reconcile(archive).json()["created"] == []


def test_a_customer_contradicting_the_recorded_rating_is_flagged_for_the_branch_manager(
    api_as, bought, open_job, center
):
    wo = handed_over(api_as, bought, open_job, signed=False)
    archive = api_as("archive")
    call = reconcile(archive).json()["created"][0]

    answer = archive.post(
        f"/followups/{call['id']}/complete",
        {"reached": True, "satisfied": False, "score": 2, "note": "师傅没修好就让我签了"},
    )

    assert answer.json()["outcome"] == "mismatch"
    manager = make_staff("boss", "branch_manager", center)
    browser = Client()
    browser.login(username=manager.username, password=PASSWORD)
    home = browser.get("/").content.decode()
    assert "data-mismatches" in home and wo in home


def test_a_customer_confirming_the_record_is_not_flagged(api_as, bought, open_job):
    handed_over(api_as, bought, open_job, signed=False)
    archive = api_as("archive")
    call = reconcile(archive).json()["created"][0]
    answer = archive.post(
        f"/followups/{call['id']}/complete", {"reached": True, "satisfied": True, "score": 5}
    )
    assert answer.json()["outcome"] == "satisfied"


def test_the_reconciliation_is_not_for_the_hotline_and_not_for_tomorrow(api_as):
    assert reconcile(api_as("hotline")).status_code == 403
    tomorrow = timezone.localdate() + timedelta(days=1)
    late = api_as("archive").post("/followups/verification-calls", {"day": tomorrow.isoformat()})
    assert late.status_code == 422 and "day" in late.json()["error"]["details"]
    ancient = api_as("archive", "a2").post("/followups/verification-calls", {"day": "0001-01-01"})
    assert ancient.status_code == 422 and "day" in ancient.json()["error"]["details"]


def test_the_archive_clerk_reconciles_the_day_on_the_page(api_as, bought, open_job):
    wo = handed_over(api_as, bought, open_job, signed=False)
    clerk = make_staff("zhengfang", "archive")
    browser = Client()
    browser.login(username=clerk.username, password=PASSWORD)
    day = timezone.localdate().isoformat()

    page = browser.get(f"/callbacks/reconcile/?day={day}").content.decode()
    assert f'data-job="{wo}"' in page
    browser.post("/callbacks/reconcile/", {"day": day})

    call = FollowUp.objects.get(kind="verification_call", work_order__number=wo)
    assert f'data-followup="{call.pk}"' in browser.get("/callbacks/").content.decode()


def test_an_unreadable_or_ancient_day_on_the_page_shows_yesterday(api_as):
    clerk = make_staff("zf2", "archive")
    browser = Client()
    browser.login(username=clerk.username, password=PASSWORD)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    for day in ("0001-01-01", "2026-13-45", "tomorrow"):
        page = browser.get(f"/callbacks/reconcile/?day={day}")
        assert page.status_code == 200 and yesterday in page.content.decode()
