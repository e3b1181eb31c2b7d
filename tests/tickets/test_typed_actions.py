"""A request action's payload is read into its own schema (tickets.payloads) after the
transition table (409) and the role (403): a wrong field → 422 naming it, unknown fields are
ignored, and a refusal writes nothing."""

import pytest

from aftersales.core.models import Event
from aftersales.tickets import services
from aftersales.tickets.models import Ticket
from tests.factories import CustomerFactory, UnitFactory, make_staff


def events_of(number: str) -> int:
    return Event.objects.filter(
        content_type__model="ticket", object_id=Ticket.objects.get(number=number).pk
    ).count()


@pytest.fixture
def hotline(api_as):  # type: ignore[no-untyped-def]
    return api_as("hotline", "lixy")


@pytest.fixture
def repair(hotline):  # type: ignore[no-untyped-def]
    unit = UnitFactory()
    body = {
        "kind": "repair",
        "channel": "hotline",
        "customer_id": unit.customer_id,
        "serial": unit.serial,
        "summary": "手机不开机",
        "center": "gz",
    }
    answer = hotline.post("/tickets", body)
    assert answer.status_code == 201, answer.json()
    return answer.json()["number"]


def act(client, number: str, action: str, **payload):  # type: ignore[no-untyped-def]
    return client.post(f"/tickets/{number}/actions", {"action": action, **payload})


def test_a_wrong_field_is_422_naming_it(hotline, repair):
    before = events_of(repair)

    wrong = act(hotline, repair, "resolve", resolution="xyz")
    blank = act(hotline, repair, "cancel", reason="   ")
    not_a_flag = act(hotline, repair, "note", note="已回电", customer_visible="perhaps")

    assert wrong.status_code == 422
    assert list(wrong.json()["error"]["details"]) == ["resolution"]
    assert "repaired" in wrong.json()["error"]["details"]["resolution"][0]
    assert blank.status_code == 422 and list(blank.json()["error"]["details"]) == ["reason"]
    assert not_a_flag.status_code == 422
    assert list(not_a_flag.json()["error"]["details"]) == ["customer_visible"]
    assert events_of(repair) == before


def test_resolving_a_repair_needs_its_resolution(hotline, repair):
    missing = act(hotline, repair, "resolve", note="修好了", customer_accepted=True)

    assert missing.status_code == 422
    assert list(missing.json()["error"]["details"]) == ["resolution"]
    assert Ticket.objects.get(number=repair).status == "new"


def test_a_disallowed_action_is_409_before_its_payload_is_read(hotline, repair):
    reopen = act(hotline, repair, "reopen")  # its note is missing too
    unknown = act(hotline, repair, "teleport", note=None)

    for answer in (reopen, unknown):
        error = answer.json()["error"]
        assert answer.status_code == 409 and error["code"] == "invalid_transition"
        assert error["details"]["allowed"] == [
            "note",
            "assign_owner",
            "start",
            "resolve",
            "cancel",
            "escalate",
        ]


def test_a_role_that_may_not_act_is_403_before_its_payload_is_read(api_as, repair):
    dispatcher = api_as("dispatcher", "zhaod")  # sees every center's requests, acts on none

    answer = act(dispatcher, repair, "resolve", resolution="xyz")

    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"


def test_an_owner_who_is_not_staff_is_refused_after_the_payload_is_read(hotline, repair):
    answer = act(hotline, repair, "assign_owner", owner="ghost")

    assert answer.status_code == 422 and list(answer.json()["error"]["details"]) == ["owner"]


def test_unknown_fields_are_ignored(hotline, repair):
    make_staff("wangli", "hotline")

    answer = act(
        hotline,
        repair,
        "assign_owner",
        owner=" wangli ",
        colour="blue",
        ticket="SR0000000000",
        by="someone",
        fields={"owner": "ghost"},
        data={"x": 1},
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["owner"] == "wangli"
    event = Event.objects.filter(action="assign_owner").get()
    assert event.data == {"from": "lixy", "to": "wangli"}


def test_close_keeps_its_note(hotline, repair):
    act(hotline, repair, "resolve", resolution="repaired")

    closed = act(hotline, repair, "close", note="客户确认")

    assert closed.status_code == 200
    assert closed.json()["events"][-1]["note"] == "客户确认"


def test_the_services_take_the_payload_as_keywords_and_read_it_typed(center):
    clerk = make_staff("lixy", "hotline", center)
    ticket = services.ticket_create(
        by=clerk,
        kind="consultation",
        channel="hotline",
        summary="怎么设置",
        customer_id=CustomerFactory().pk,
    )

    noted = services.ticket_act(
        ticket=ticket, by=clerk, action="note", note="  已回电  ", customer_visible=True
    )

    event = Event.objects.filter(action="note").get()
    assert event.note == "已回电" and event.customer_visible is True
    assert noted.responded_at is not None
