"""The request-actions body in the OpenAPI document: a union on `action` of each request
action's and each complaint step's own schema (tickets.payloads, complaints.payloads)."""

from aftersales.complaints import payloads as complaint_payloads
from aftersales.complaints import rules as complaint_rules
from aftersales.tickets import payloads as ticket_payloads
from aftersales.tickets import rules as ticket_rules


def actions_body(anonymous):  # type: ignore[no-untyped-def]
    document = anonymous.get("/openapi.json").json()
    body = document["paths"]["/api/v1/tickets/{number}/actions"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    return schemas[ref.split("/")[-1]], schemas


def test_the_document_shows_the_actions_as_a_union_on_action(anonymous, db):
    union, schemas = actions_body(anonymous)

    mapping = union["discriminator"]["mapping"]
    assert union["discriminator"]["propertyName"] == "action"
    assert {"resolve", "assign_owner", "propose"} <= set(mapping)
    assert set(mapping) == {*ticket_rules.ACTIONS, *complaint_rules.ACTIONS}
    assert len(union["oneOf"]) == len(set(mapping.values()))  # `resolve` once, for both
    assert mapping["resolve"] == "#/components/schemas/ResolveIn"


def test_each_action_points_at_its_own_schema_with_its_fields(anonymous, db):
    union, schemas = actions_body(anonymous)

    def schema_of(action: str):  # type: ignore[no-untyped-def]
        return schemas[union["discriminator"]["mapping"][action].split("/")[-1]]

    # No other schema of the same name (a work order's, say) took the place of a request's.
    for action in union["discriminator"]["mapping"]:
        assert schema_of(action)["properties"]["action"]["const"] == action, action
    assert "owner" in schema_of("assign_owner")["required"]
    assert schema_of("cancel")["required"] == ["action", "reason"]
    assert set(schema_of("resolve")["properties"]) >= {"resolution", "customer_accepted", "note"}
    offer = schema_of("propose")["properties"]["compensation"]["items"]["$ref"].split("/")[-1]
    assert schemas[offer]["properties"]["kind"]["enum"] == list(complaint_rules.COMPENSATION_KINDS)


def test_every_action_of_the_tables_has_its_schema():
    assert set(ticket_payloads.PAYLOADS) == set(ticket_rules.ACTIONS)
    assert set(complaint_payloads.PAYLOADS) == set(complaint_rules.ACTIONS)
    assert complaint_payloads.PAYLOADS["resolve"] is ticket_payloads.PAYLOADS["resolve"]
