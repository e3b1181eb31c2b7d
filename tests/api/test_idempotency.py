"""Retrying a create with the same Idempotency-Key never creates twice."""

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from aftersales.core.idempotency import IdempotencyMiddleware, caller_of, lease
from aftersales.core.models import IdempotencyRecord
from aftersales.customers.models import Customer
from tests.clock import PLAIN_DAY
from tests.conftest import ApiClient
from tests.factories import PASSWORD, make_staff
from tests.words import zh

BODY = {"name": "张伟", "phone": "13800138000"}


def test_the_same_key_and_body_replays_the_first_answer_and_creates_nothing_new(api_as):
    hotline = api_as("hotline")

    first = hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-1"})
    retry = hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-1"})

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Customer.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api_as):
    hotline = api_as("hotline")
    hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-1"})

    answer = hotline.post(
        "/customers", {**BODY, "name": "李娜"}, headers={"Idempotency-Key": "k-1"}
    )

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "conflict"
    assert Customer.objects.get().name == "张伟"


def test_a_refusal_is_replayed_too(api_as):
    hotline = api_as("hotline")

    first = hotline.post(
        "/customers", {"name": "张伟", "phone": "12"}, headers={"Idempotency-Key": "k-2"}
    )
    retry = hotline.post(
        "/customers", {"name": "张伟", "phone": "12"}, headers={"Idempotency-Key": "k-2"}
    )

    assert first.status_code == retry.status_code == 422
    assert retry.json() == first.json()


def test_keys_belong_to_their_caller(api_as):
    api_as("hotline", "agent-a").post("/customers", BODY, headers={"Idempotency-Key": "shared"})

    other = api_as("hotline", "agent-b").post(
        "/customers",
        {"name": "李娜", "phone": "13900139000"},
        headers={"Idempotency-Key": "shared"},
    )

    assert other.status_code == 201
    assert Customer.objects.count() == 2


def test_after_24_hours_a_key_may_be_used_again(api_as):
    hotline = api_as("hotline")
    hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-3"})
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))

    answer = hotline.post(
        "/customers", {"name": "李娜", "phone": "13900139000"}, headers={"Idempotency-Key": "k-3"}
    )

    assert answer.status_code == 201
    assert Customer.objects.count() == 2


def test_without_a_key_each_post_is_its_own(api_as):
    hotline = api_as("hotline")

    hotline.post("/customers", BODY)
    again = hotline.post("/customers", BODY)

    assert again.status_code == 409  # the phone is on file: a duplicate, not a replay
    assert again.json()["error"]["code"] == "duplicate"


# --- a request that died mid-flight, secrets, anonymous callers (decision 57) ------------------


def died_mid_flight(client, path, body, key):  # type: ignore[no-untyped-def]
    """The record a request leaves when its worker is killed before it answers: status null."""
    request = RequestFactory().post(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", **client.headers
    )
    return IdempotencyRecord.objects.create(
        caller=caller_of(request),
        key=key,
        path=request.path,
        body_hash=hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest(),
    )


@pytest.mark.clock(PLAIN_DAY)
def test_a_key_whose_request_died_is_run_by_a_retry_after_its_lease_and_only_once(api_as):
    hotline = api_as("hotline")
    died_mid_flight(hotline, "/customers", BODY, "k-crash")

    with time_machine.travel(timezone.now() + lease() + timedelta(seconds=1), tick=False):
        retry = hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-crash"})
        again = hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-crash"})

    assert retry.status_code == again.status_code == 201
    assert again.json() == retry.json()
    assert Customer.objects.count() == 1


@pytest.mark.clock(PLAIN_DAY)
def test_within_its_lease_a_running_key_is_still_running(api_as, settings):
    settings.REQUEST_TIMEOUT = 60
    hotline = api_as("hotline")
    died_mid_flight(hotline, "/customers", BODY, "k-run")

    with time_machine.travel(timezone.now() + timedelta(seconds=89), tick=False):
        answer = hotline.post("/customers", BODY, headers={"Idempotency-Key": "k-run"})

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "conflict"
    assert answer.json()["error"]["message"] == zh(
        "The first request with this Idempotency-Key is still running."
    )
    assert not Customer.objects.exists()


def test_of_two_retries_taking_over_one_dead_key_only_one_wins(api_as):
    hotline = api_as("hotline")
    record = died_mid_flight(hotline, "/customers", BODY, "k-race")
    IdempotencyRecord.objects.update(created_at=timezone.now() - lease() - timedelta(seconds=1))
    seen_by_a = IdempotencyRecord.objects.get(pk=record.pk)
    seen_by_b = IdempotencyRecord.objects.get(pk=record.pk)  # both read it before either wrote

    now = timezone.now()
    assert IdempotencyMiddleware._take_over(seen_by_a, now) is True
    assert IdempotencyMiddleware._take_over(seen_by_b, now) is False


def test_a_token_asked_for_with_a_key_is_never_stored_and_a_retry_gets_its_own(db):
    make_staff("agent", "hotline")
    client = ApiClient()
    body = {"username": "agent", "password": PASSWORD}

    first = client.post("/auth/token", body, headers={"Idempotency-Key": "login-1"})
    retry = client.post("/auth/token", body, headers={"Idempotency-Key": "login-1"})

    assert first.status_code == retry.status_code == 200
    assert first.json()["token"] != retry.json()["token"]
    assert not IdempotencyRecord.objects.exists()


def test_an_answer_marked_no_store_is_run_again_not_replayed(db):
    answers = iter(["first", "second"])

    def view(request):  # type: ignore[no-untyped-def]
        response = HttpResponse(next(answers), status=201)
        response["Cache-Control"] = "no-store"
        return response

    middleware = IdempotencyMiddleware(view)
    post = RequestFactory().post(
        "/api/v1/anything", "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert middleware(post).content == b"first"
    assert middleware(post).content == b"second"
    assert not IdempotencyRecord.objects.exists()
