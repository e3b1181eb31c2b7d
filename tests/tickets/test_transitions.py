"""The request status machine, exhaustively: every status × every action."""

import pytest

from aftersales.core.models import Event
from aftersales.tickets import rules
from aftersales.tickets.models import Ticket
from tests.factories import CustomerFactory

PAYLOAD = {
    "note": {"note": "客户来电询问进度"},
    "assign_owner": {"owner": "colleague"},
    "start": {},
    "resolve": {"resolution": "answered"},
    "reopen": {"note": "客户反馈问题仍在"},
    "close": {},
    "cancel": {"reason": "客户撤回"},
    "escalate": {"note": "疑难问题，请技术中心支持"},
}
EXPECTED = {  # CONTRACT.md "Service requests", spelled out
    ("new", "note"): "new",
    ("new", "assign_owner"): "new",
    ("new", "start"): "in_progress",
    ("new", "resolve"): "resolved",
    ("new", "cancel"): "cancelled",
    ("new", "escalate"): "new",
    ("in_progress", "note"): "in_progress",
    ("in_progress", "assign_owner"): "in_progress",
    ("in_progress", "resolve"): "resolved",
    ("in_progress", "cancel"): "cancelled",
    ("in_progress", "escalate"): "in_progress",
    ("reopened", "note"): "reopened",
    ("reopened", "assign_owner"): "reopened",
    ("reopened", "start"): "in_progress",
    ("reopened", "resolve"): "resolved",
    ("reopened", "cancel"): "cancelled",
    ("reopened", "escalate"): "reopened",
    ("resolved", "note"): "resolved",
    ("resolved", "reopen"): "reopened",
    ("resolved", "close"): "closed",
    ("closed", "note"): "closed",
    ("closed", "reopen"): "reopened",
    ("cancelled", "note"): "cancelled",
}
CASES = [(status, action) for status in rules.STATUSES for action in PAYLOAD]


def test_the_table_is_exactly_the_contracts():
    table = {(s, a): rules.next_status(s, a) for s, a in CASES if rules.next_status(s, a)}
    assert table == EXPECTED


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_every_status_and_action_through_the_api(api_as, status, action):
    from tests.factories import make_staff

    make_staff("colleague", "hotline")
    hotline = api_as("hotline")
    number = hotline.post(
        "/tickets",
        {
            "kind": "consultation",
            "channel": "hotline",
            "summary": "咨询",
            "customer_id": CustomerFactory().id,
        },
    ).json()["number"]
    Ticket.objects.filter(number=number).update(status=status)
    events_before = Event.objects.count()

    answer = hotline.post(f"/tickets/{number}/actions", {"action": action, **PAYLOAD[action]})

    expected = EXPECTED.get((status, action))
    if expected is None:
        assert answer.status_code == 409
        error = answer.json()["error"]
        assert error["code"] == "invalid_transition"
        assert error["details"]["allowed"] == rules.allowed_actions(status)
        assert Ticket.objects.get(number=number).status == status
        assert Event.objects.count() == events_before  # a refused action writes nothing
    else:
        assert answer.status_code == 200, answer.json()
        body = answer.json()
        assert body["status"] == expected
        assert body["allowed_actions"] == rules.allowed_actions(expected)
        assert body["events"][-1]["action"] == action
