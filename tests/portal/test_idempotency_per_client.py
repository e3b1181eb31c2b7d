"""The portal's POSTs are anonymous: an Idempotency-Key belongs to the client that sent it."""

from django.test import Client

from tests.conftest import ApiClient


def test_two_anonymous_clients_with_the_same_key_each_get_their_own_answer(repaired):
    body = {"number": repaired.number, "phone": repaired.phone, "score": 5}
    first, second = ApiClient(), ApiClient()
    first.client = Client(REMOTE_ADDR="10.0.0.1")
    second.client = Client(REMOTE_ADDR="10.0.0.2")

    rated = first.post("/portal/rating", body, headers={"Idempotency-Key": "rate-1"})
    other = second.post("/portal/rating", body, headers={"Idempotency-Key": "rate-1"})
    replay = first.post("/portal/rating", body, headers={"Idempotency-Key": "rate-1"})

    assert rated.status_code == 201 and replay.json() == rated.json()
    assert other.status_code == 409  # its own answer: the survey is answered already
    assert other.json()["error"]["code"] == "already_rated"
