"""Retrying a create with the same Idempotency-Key never creates twice."""

from datetime import timedelta

from django.utils import timezone

from aftersales.core.models import IdempotencyRecord
from aftersales.customers.models import Customer

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
