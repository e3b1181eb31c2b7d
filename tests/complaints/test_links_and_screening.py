"""What a complaint concerns (the customer's wish, the earlier request, the staff), the web
form's screening (ours / not ours), and a repair done for a complaint not ending it early."""

from aftersales.notifications.models import Message
from tests.complaints.conftest import act, step_to
from tests.factories import make_staff
from tests.workorders.conftest import ok, to_ready_paid


def test_a_complaint_names_the_wish_the_earlier_request_and_the_staff_it_concerns(
    api_as, handler, file_complaint, phone
):
    desk = api_as("front_desk", "desk")
    earlier = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "customer_id": phone.customer_id,
            "serial": phone.serial,
            "summary": "屏幕闪烁",
        },
    ).json()["number"]
    make_staff("lij", "front_desk")

    number = file_complaint(
        category="staff_service", wish="要求道歉并尽快修好", about=earlier, staff=["lij"]
    )

    complaint = handler.get(f"/tickets/{number}").json()["complaint"]
    assert complaint["wish"] == "要求道歉并尽快修好"
    assert complaint["about"] == earlier
    assert complaint["staff"] == ["lij"]
    assert complaint["category"] == "staff_service"


def test_links_that_do_not_exist_are_refused_by_field_and_nothing_is_taken(
    handler, file_complaint, phone
):
    before = handler.get("/tickets", kind="complaint").json()["items"]

    unknown_staff = handler.post(
        "/tickets",
        {
            "kind": "complaint",
            "channel": "hotline",
            "customer_id": phone.customer_id,
            "summary": "态度差",
            "staff": ["nobody-here"],
        },
    )
    unknown_request = handler.post(
        "/tickets",
        {
            "kind": "complaint",
            "channel": "hotline",
            "customer_id": phone.customer_id,
            "summary": "态度差",
            "about": "SR-19990101-0001",
        },
    )

    assert unknown_staff.status_code == 422
    assert "nobody-here" in unknown_staff.json()["error"]["details"]["staff"][0]
    assert unknown_request.status_code == 422
    assert "about" in unknown_request.json()["error"]["details"]
    assert handler.get("/tickets", kind="complaint").json()["items"] == before


def test_the_investigation_names_the_staff_concerned(handler, file_complaint):
    make_staff("zhangw", "technician")
    number = file_complaint()
    act(handler, number, "acknowledge", note="已致歉")

    answer = act(
        handler,
        number,
        "investigate",
        findings="工程师未按约上门",
        responsibility="ours",
        staff=["zhangw"],
    )

    assert answer.status_code == 200
    assert answer.json()["complaint"]["staff"] == ["zhangw"]


def test_a_web_complaint_waits_for_its_screening_and_ours_goes_on_to_the_handler(
    handler, file_complaint
):
    hotline_number = file_complaint()
    web_number = file_complaint(channel="web")

    assert "screen" not in handler.get(f"/tickets/{hotline_number}").json()["allowed_actions"]
    waiting = handler.get(f"/tickets/{web_number}").json()
    assert "screen" in waiting["allowed_actions"] and waiting["complaint"]["screening"] is None

    screened = act(handler, web_number, "screen", ours=True, note="维修超期，属实")

    body = screened.json()
    assert screened.status_code == 200
    assert body["complaint"]["screening"] == "ours" and body["complaint_stage"] == "received"
    assert "screen" not in body["allowed_actions"] and "acknowledge" in body["allowed_actions"]
    assert act(handler, web_number, "screen", ours=True).status_code == 409


def test_not_ours_explains_to_the_customer_and_ends_the_complaint(handler, file_complaint):
    number = file_complaint(channel="web")

    without_reason = act(handler, number, "screen", ours=False)
    answer = act(handler, number, "screen", ours=False, note="该产品为其他品牌，请联系其售后")

    assert without_reason.status_code == 422 and "note" in without_reason.json()["error"]["details"]
    body = answer.json()
    assert body["status"] == "resolved" and body["resolution"] == "declined"
    assert body["complaint_stage"] == "resolved"
    assert body["events"][-1]["customer_visible"] is True
    sms = Message.objects.get(template_code="complaint_not_ours", channel="sms")
    assert number in sms.text and "该产品为其他品牌" in sms.text


def test_acknowledging_a_web_complaint_takes_it_as_ours(handler, file_complaint):
    number = file_complaint(channel="web")

    answer = act(handler, number, "acknowledge", note="已致电致歉")

    assert answer.json()["complaint"]["screening"] == "ours"


def test_handing_over_the_repair_of_a_complaint_leaves_the_complaint_to_its_handler(
    api_as, handler, file_complaint
):
    desk = api_as("front_desk", "desk")
    number = file_complaint()
    step_to(handler, number, "proposed")
    wo = desk.post(f"/tickets/{number}/work-orders", {"mode": "carry_in"}).json()["number"]
    to_ready_paid(desk, wo)

    ok(
        desk,
        wo,
        "hand_over",
        rating=4,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
    )

    body = handler.get(f"/tickets/{number}").json()
    assert body["status"] == "in_progress" and body["complaint_stage"] == "proposed"
    assert "resolve" in body["allowed_actions"]
