"""One English word, two meanings: each status and step reads in the words of its own subject
(a job's `created` is not a column's "created"; a complaint is not "received" like a unit; a
complaint's refund is money back, not a returned unit; an on-site job done waits for the
customer's sign-off, not for a pickup)."""

from html import unescape

import pytest

from aftersales.desk import services
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_create
from tests.factories import CustomerFactory, make_staff, on_site_job, repair_request
from tests.visible import visible_text


@pytest.fixture
def desk(center):  # type: ignore[no-untyped-def]
    return make_staff("wangli", "front_desk", center)


@pytest.fixture
def handler(center):  # type: ignore[no-untyped-def]
    return make_staff("sunm", "complaints", center)


def status_words(html: str, status: str) -> str:
    """The words of the page's first status badge for `status`."""
    marker = f'status-{status}">'
    start = html.index(marker) + len(marker)
    return unescape(html[start : html.index("<", start)])


def test_a_job_just_opened_reads_as_opened_not_as_a_creation_time(client, desk):
    job = work_order_create(ticket=repair_request(desk), by=desk, mode="carry_in")
    client.force_login(desk)

    page = client.get(f"/work-orders/{job.number}/").content.decode()
    english = client.get(f"/work-orders/{job.number}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert status_words(page, "created") == "已开单"
    assert status_words(english, "created") == "Created"


def test_a_finished_job_waits_for_pickup_at_the_desk_and_for_sign_off_on_site(client, center, desk):
    carried_in = work_order_create(ticket=repair_request(desk), by=desk, mode="carry_in")
    technician = make_staff("wangt", "technician", center)
    on_site = on_site_job(make_staff("lixy", "hotline", center), technician=technician)
    WorkOrder.objects.filter(pk__in=[carried_in.pk, on_site.pk]).update(status="ready")
    client.force_login(make_staff("zhoum", "branch_manager", center))

    carried_in_page = client.get(f"/work-orders/{carried_in.number}/").content.decode()
    on_site_page = client.get(f"/work-orders/{on_site.number}/").content.decode()
    in_english = client.get(f"/work-orders/{on_site.number}/", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(technician)
    phone = visible_text(client.get(f"/field/{on_site.number}/").content.decode())

    assert status_words(carried_in_page, "ready") == "待取机"
    assert status_words(on_site_page, "ready") == "待客户签收"
    assert status_words(in_english.content.decode(), "ready") == "Awaiting the customer's sign-off"
    assert "待客户签收" in phone and "待取机" not in phone


def test_a_complaint_reads_as_a_complaint_from_taken_to_compensation(client, desk, handler):
    complaint = services.request_create(
        by=handler,
        kind="complaint",
        channel="hotline",
        summary="承诺的差价没有退",
        customer_id=CustomerFactory(name="王女士").pk,
    )
    client.force_login(handler)
    url = f"/requests/{complaint.number}/"

    taken = client.get(url).content.decode()
    services.request_act(ticket=complaint, by=handler, action="acknowledge", note="已致歉")
    acknowledged = client.get(url).content.decode()
    services.request_act(
        ticket=complaint,
        by=handler,
        action="investigate",
        findings="销售承诺属实",
        responsibility="ours",
    )
    services.request_act(
        ticket=complaint,
        by=handler,
        action="propose",
        plan="退还差价",
        compensation=[{"kind": "refund", "value": "30.00"}],
    )
    proposed = visible_text(client.get(url).content.decode())

    assert 'aria-current="step">待处理<' in taken and "已接机" not in visible_text(taken)
    assert "记录调查结论" in visible_text(acknowledged)  # its step, not a unit's findings
    assert "调查结论" in visible_text(acknowledged) and "检测结果" not in visible_text(acknowledged)
    assert "调查结论 销售承诺属实" in proposed
    assert "补偿 类型 内容 状态 退款 ¥30.00" in proposed  # money back, not a returned unit
