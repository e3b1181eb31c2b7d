"""The customer hears about the moments that matter to them, once each."""

from datetime import timedelta

from django.utils import timezone

from aftersales.notifications.models import Message
from aftersales.workorders.models import Part
from tests.factories import make_technician
from tests.workorders.conftest import ok, to_diagnosing, to_ready_paid


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
        no_signature_reason="客户口头确认",
    )
    assert codes() == [
        "request_received",
        "unit_received",
        "quote_waiting",
        "ready_for_pickup",
        "ready_for_pickup",
        "completed",
    ]
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


def test_the_counter_receiving_the_unit_tells_the_customer_it_arrived(api_as, bought, open_job):
    desk = api_as("front_desk", "desk")
    unit = bought(400)
    _ticket, wo = open_job(desk, unit)

    to_diagnosing(desk, wo)

    received = Message.objects.get(template_code="unit_received")
    assert received.recipient == unit.customer.phone
    assert received.text == (
        f"{unit.customer.name}您好，您送修的产品已收到，工单号{wo}，维修进度可凭单号查询。"
    )


def test_a_quote_asks_the_customer_to_approve_its_amount(api_as, bought, open_job):
    desk = api_as("front_desk", "desk")
    unit = bought(400)  # out of warranty: the customer pays, so they are asked
    _ticket, wo = open_job(desk, unit)
    to_diagnosing(desk, wo)
    ok(desk, wo, "diagnose", findings="屏幕排线断裂", fault_code="SCREEN", human_damage=False)

    line = {"kind": "labor", "description": "更换排线", "qty": 2, "unit_price": "140.50"}
    ok(desk, wo, "quote", lines=[line])

    [quote] = Message.objects.filter(template_code="quote_waiting")
    assert "维修报价281.00元" in quote.text and f"工单号{wo}" in quote.text
    assert quote.text.startswith(f"{unit.customer.name}您好，您的产品检测完毕")


def test_waiting_for_parts_tells_the_customer_the_day_they_are_expected(api_as, bought, open_job):
    desk = api_as("front_desk", "desk")
    unit = bought(30)  # in warranty: a free repair
    Part.objects.create(model=unit.model, code="SCR", name="屏幕", price="400.00")
    _ticket, wo = open_job(desk, unit)
    to_diagnosing(desk, wo, remedy="free_repair")
    ok(desk, wo, "start_repair")
    expected = timezone.localdate() + timedelta(days=3)

    ok(desk, wo, "wait_parts", parts=[{"code": "SCR", "qty": 1}], expected_date=str(expected))

    [delayed] = Message.objects.filter(template_code="parts_delayed")
    assert f"配件预计{expected.month}月{expected.day}日到货" in delayed.text
    assert f"工单号{wo}" in delayed.text and "{" not in delayed.text
