"""The customer hears about the moments that matter to them, once each."""

from datetime import timedelta

from django.utils import timezone

from aftersales.notifications.models import Message
from tests.factories import make_technician
from tests.workorders.conftest import ok, to_ready_paid


def codes() -> list[str]:
    return list(Message.objects.order_by("id").values_list("template_code", flat=True))


def test_a_new_request_tells_the_customer_its_number(api_as, bought, open_job):
    desk = api_as("front_desk", "desk")
    unit = bought(10)
    ticket, _wo = open_job(desk, unit)
    [message] = Message.objects.all()
    assert message.template_code == "request_received" and ticket in message.text
    assert message.recipient == unit.customer.phone and message.status == "queued"


def test_an_on_site_visit_sends_the_appointment_its_change_and_the_departure(
    api_as, center, bought, open_job
):
    make_technician("li", center)
    boss = api_as("admin", "boss")
    _ticket, wo = open_job(boss, bought(10), mode="on_site", technician="li")
    start = timezone.now() + timedelta(days=1)
    window = {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    ok(boss, wo, "schedule", **window)
    later = start + timedelta(days=1)
    ok(
        boss,
        wo,
        "schedule",
        start=later.isoformat(),
        end=(later + timedelta(hours=2)).isoformat(),
        reason="customer_request",
    )
    ok(api_as("technician", "li"), wo, "depart")
    assert codes() == [
        "request_received",
        "appointment_agreed",
        "appointment_changed",
        "technician_on_the_way",
    ]
    on_the_way = Message.objects.get(template_code="technician_on_the_way")
    assert "li" in on_the_way.text and wo in on_the_way.text
    changed = Message.objects.get(template_code="appointment_changed")
    assert timezone.localtime(later).strftime("%m月%d日 %H:%M") in changed.text


def test_a_carry_in_repair_sends_ready_an_sms_reminder_and_completed(api_as, bought, open_job):
    desk = api_as("front_desk", "desk")
    _ticket, wo = open_job(desk, bought(400))  # out of warranty: a paid repair
    to_ready_paid(desk, wo)
    ok(desk, wo, "notify_pickup", channel="phone", reached=False)  # a call: no SMS
    ok(desk, wo, "notify_pickup", channel="sms", reached=False)
    ok(
        desk,
        wo,
        "hand_over",
        rating=5,
        payment={"amount": "280.00", "method": "cash", "receipt_no": "R0001"},
    )
    assert codes() == ["request_received", "ready_for_pickup", "ready_for_pickup", "completed"]
    ready = Message.objects.filter(template_code="ready_for_pickup").first()
    assert ready is not None and "广州维修中心" in ready.text


def test_an_acknowledged_complaint_tells_the_customer_by_when_they_get_an_answer(api_as, bought):
    handler = api_as("complaints", "sunm")
    unit = bought(30)
    complaint = handler.post(
        "/tickets",
        {
            "kind": "complaint",
            "channel": "hotline",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "师傅迟到两小时",
            "category": "staff_service",
        },
    ).json()["number"]
    promised = timezone.now() + timedelta(days=2)
    handler.post(
        f"/tickets/{complaint}/actions",
        {"action": "acknowledge", "note": "已致歉", "promised_by": promised.isoformat()},
    )

    message = Message.objects.get(template_code="complaint_acknowledged")
    assert complaint in message.text
    assert timezone.localtime(promised).strftime("%m月%d日 %H:%M") in message.text
