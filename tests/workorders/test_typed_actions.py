"""Each work-order action has its own payload schema: the OpenAPI document shows what each one
takes, a wrong field is a 422 naming it in the person's words, and the checks keep the
contract's order (table 409, role 403, payload 422, guards 409)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.workorders import rules
from aftersales.workorders.payloads import PAYLOADS
from tests.workorders.conftest import INSPECTION, act, ok, to_diagnosing


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


def refusal(answer, status: int):  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.json()
    return answer.json()["error"]


def action_schemas(client) -> tuple[dict, dict]:  # type: ignore[no-untyped-def,type-arg]
    """(the actions body's schema, the document's schemas by name)."""
    document = client.get("/openapi.json").json()
    body = document["paths"]["/api/v1/work-orders/{number}/actions"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    return schemas[ref.rsplit("/", 1)[1]], schemas


def test_every_action_of_the_table_has_its_own_schema():
    assert set(PAYLOADS) == set(rules.ACTIONS)


def test_the_api_document_shows_each_actions_fields(desk):
    body, schemas = action_schemas(desk)
    mapping = body["discriminator"]["mapping"]
    assert body["discriminator"]["propertyName"] == "action"
    assert set(mapping) == set(rules.ACTIONS)

    def schema_of(action: str) -> dict:  # type: ignore[type-arg]
        return schemas[mapping[action].rsplit("/", 1)[1]]

    assign = schema_of("assign")
    assert {"technician", "center", "expected_technician"} <= set(assign["properties"])
    assert "technician" in assign["required"]
    notify = schema_of("notify_pickup")
    assert set(notify["required"]) == {"action", "channel", "reached"}
    assert notify["properties"]["channel"]["enum"] == ["phone", "sms"]
    assert "findings" in schema_of("diagnose")["required"]
    assert "reason" in schema_of("cancel")["required"]


def test_a_wrong_quote_line_is_named(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="屏幕排线断裂")
    answer = act(
        desk,
        wo,
        "quote",
        lines=[
            {"kind": "labor", "description": "更换排线", "qty": 1, "unit_price": "80.00"},
            {"kind": "gift", "description": "贴膜", "qty": 0, "unit_price": "-5"},
        ],
    )
    details = refusal(answer, 422)["details"]
    assert set(details) == {"lines.1.kind", "lines.1.qty", "lines.1.unit_price"}
    assert details["lines.1.kind"] == ["只能是以下之一：labor, part, visit。"]
    assert desk.get(f"/work-orders/{wo}").json()["status"] == "diagnosing"


def test_a_window_that_ends_before_it_starts_is_named(desk, bought, open_job, tech):
    _, wo = open_job(desk, bought(days_ago=400), mode="on_site", technician="tech")
    start = timezone.now() + timedelta(days=1)
    answer = act(
        desk,
        wo,
        "schedule",
        start=start.isoformat(),
        end=(start - timedelta(hours=1)).isoformat(),
    )
    assert set(refusal(answer, 422)["details"]) == {"end"}


def test_fields_an_action_does_not_take_are_ignored(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    to_diagnosing(desk, wo)
    job = ok(desk, wo, "diagnose", findings="屏幕排线断裂", colour="red", by="admin", fields=[])
    assert job["findings"] == "屏幕排线断裂"


def test_the_table_answers_before_the_payload_is_read(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    answer = act(desk, wo, "qc_pass", checks="not a list")
    assert refusal(answer, 409)["code"] == "invalid_transition"


def test_the_role_answers_before_the_payload_is_read(api_as, desk, bought, open_job):
    dispatcher = api_as("dispatcher", "dispatch")
    _, wo = open_job(desk, bought(days_ago=400))
    answer = act(dispatcher, wo, "receive", inspection="none", agreement_signed="maybe")
    assert refusal(answer, 403)["code"] == "forbidden"


def test_the_payload_answers_before_the_guards(desk, bought, open_job):
    _, wo = open_job(desk, bought(days_ago=400))
    # Unsigned (a guard's 409) and without the inspection (the payload's 422): the 422 first.
    answer = act(desk, wo, "receive", agreement_signed=False)
    assert set(refusal(answer, 422)["details"]) == {"inspection"}
    answer = act(desk, wo, "receive", inspection=INSPECTION, agreement_signed=False)
    assert refusal(answer, 409)["code"] == "agreement_required"
