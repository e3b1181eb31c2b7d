"""A complaint step's payload is read into its own schema (complaints.payloads) after the role
(403) and the stage (409): a wrong field → 422 naming it; the guards come last."""

from aftersales.complaints.models import Complaint
from aftersales.core.models import Event
from aftersales.tickets.models import Ticket
from tests.complaints.conftest import act, step_to
from tests.complaints.test_complaint_pages import a_complaint, step
from tests.factories import make_staff


def test_an_unknown_compensation_kind_is_named_on_its_field(handler, file_complaint):
    number = file_complaint()
    step_to(handler, number, "investigated")

    answer = act(
        handler,
        number,
        "propose",
        plan="赔偿",
        compensation=[{"kind": "apology"}, {"kind": "cash", "value": "50"}],
    )

    assert answer.status_code == 422
    details = answer.json()["error"]["details"]
    assert list(details) == ["compensation.1.kind"]
    assert "warranty_extension" in details["compensation.1.kind"][0]


def test_resolving_a_complaint_needs_the_customers_answer(handler, file_complaint):
    number = file_complaint()
    step_to(handler, number, "proposed")

    without = act(handler, number, "resolve", resolution="answered")
    not_a_flag = act(handler, number, "resolve", customer_accepted="maybe")
    wrong = act(handler, number, "resolve", customer_accepted=False, resolution="magic")

    assert without.status_code == 422
    assert list(without.json()["error"]["details"]) == ["customer_accepted"]
    assert list(not_a_flag.json()["error"]["details"]) == ["customer_accepted"]
    assert list(wrong.json()["error"]["details"]) == ["resolution"]
    assert Complaint.objects.get(ticket__number=number).stage == "proposed"
    assert not Event.objects.filter(action="resolve").exists()


def test_a_step_its_stage_does_not_allow_is_409_before_its_payload_is_read(handler, file_complaint):
    number = file_complaint()

    early = act(handler, number, "resolve")  # customer_accepted missing too
    propose = act(handler, number, "propose", compensation="lots")

    for answer in (early, propose):
        error = answer.json()["error"]
        assert answer.status_code == 409 and error["code"] == "invalid_transition"
        assert error["details"]["allowed"] == ["acknowledge"]


def test_a_role_that_may_not_take_the_step_is_403_before_its_payload_is_read(
    api_as, handler, file_complaint
):
    number = file_complaint()
    step_to(handler, number, "proposed")

    hotline = act(api_as("hotline"), number, "propose", compensation=[{"kind": "cash"}])
    approver = act(handler, number, "approve_compensation", compensation_id="the big one")

    assert hotline.status_code == 403 and approver.status_code == 403


def test_a_valid_payload_can_still_fail_a_guard(handler, api_as, file_complaint, center):
    manager = api_as("branch_manager", "zhaom", at_center=center)
    number = file_complaint()
    step_to(handler, number, "proposed", [{"kind": "refund", "value": "999.00"}])

    waiting = act(handler, number, "resolve", customer_accepted=True)
    bad_id = act(manager, number, "approve_compensation", compensation_id="x")
    nothing = act(manager, number, "approve_compensation", compensation_id=999999)

    assert waiting.status_code == 409
    assert waiting.json()["error"]["code"] == "approval_required"
    assert bad_id.status_code == 422
    assert list(bad_id.json()["error"]["details"]) == ["compensation_id"]
    assert nothing.status_code == 409
    assert nothing.json()["error"]["code"] == "nothing_to_approve"


def test_unknown_fields_of_a_step_are_ignored(handler, file_complaint):
    number = file_complaint()

    answer = act(
        handler,
        number,
        "acknowledge",
        note="已致电客户致歉",
        ticket="SR0000000000",
        by="someone",
        payload={"note": ""},
        mood="calm",
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["complaint_stage"] == "acknowledged"


def test_a_request_action_on_a_complaint_reads_the_requests_schema(handler, file_complaint):
    number = file_complaint()

    answer = act(handler, number, "note", customer_visible=True)

    assert answer.status_code == 422 and list(answer.json()["error"]["details"]) == ["note"]
    assert Ticket.objects.get(number=number).responded_at is None


def test_the_page_shows_a_wrong_value_beside_the_row_it_was_typed_in(client, center):
    handler = make_staff("sunm", "complaints", center)
    client.force_login(handler)
    ticket = a_complaint(handler)
    step(client, ticket, "acknowledge", note="已致歉")
    step(client, ticket, "investigate", findings="备件延误", responsibility="ours")

    answer = step(client, ticket, "propose", plan="退款", kind_2="refund", value_2="lots")

    assert answer.status_code == 422
    propose = next(s for s in answer.context["steps"] if s["name"] == "propose")
    assert propose["open"] and list(propose["form"].errors) == ["value_2"]
    assert "lots" in answer.text
