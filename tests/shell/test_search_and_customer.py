"""The search box finds requests and work orders by number, within the caller's scope, and the
customer page lists the customer's requests with their jobs (newest first, scoped)."""

import pytest

from aftersales.tickets.models import Ticket
from aftersales.tickets.services import ticket_create
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, CustomerFactory, make_staff, repair_request
from tests.visible import visible_text

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


@pytest.fixture
def desk(center):  # type: ignore[no-untyped-def]
    return make_staff("wangli", "front_desk", center)


@pytest.fixture
def elsewhere(db):  # type: ignore[no-untyped-def]
    """A front desk of another center."""
    return make_staff("chenf", "front_desk", CenterFactory(code="sz", name="深圳维修中心"))


def test_a_request_number_in_any_case_is_found_and_opens_the_request(client, agent, desk):
    ticket = repair_request(agent)
    client.force_login(desk)

    typed = client.get("/search/", {"q": ticket.number.lower()}, **HTMX)
    entered = client.get("/search/", {"q": f" {ticket.number.lower()} "})

    assert typed.context["results"]["requests"] == [ticket]
    assert f'href="/requests/{ticket.number}/"' in typed.text
    assert (entered.status_code, entered["Location"]) == (302, f"/requests/{ticket.number}/")


def test_the_beginning_of_a_work_order_number_finds_the_job(client, agent, desk):
    job = work_order_create(ticket=repair_request(agent), by=desk, mode="carry_in")
    client.force_login(desk)

    typed = client.get("/search/", {"q": job.number[:8].lower()}, **HTMX)
    entered = client.get("/search/", {"q": job.number})

    assert typed.context["results"]["work_orders"] == [job]
    assert f'href="/work-orders/{job.number}/"' in typed.text and "已开单" in typed.text
    assert (entered.status_code, entered["Location"]) == (302, f"/work-orders/{job.number}/")


def test_a_number_outside_the_callers_scope_is_not_found(client, agent, desk, elsewhere):
    ticket = repair_request(agent)
    job = work_order_create(ticket=ticket, by=desk, mode="carry_in")
    client.force_login(elsewhere)

    for number in (ticket.number, job.number):
        typed = client.get("/search/", {"q": number}, **HTMX)
        entered = client.get("/search/", {"q": number})

        assert typed.context["results"]["requests"] == []
        assert typed.context["results"]["work_orders"] == []
        assert number in typed.text and 'href="/' not in typed.text  # "nothing found for …"
        assert entered.status_code == 200


def test_the_customer_page_lists_their_requests_newest_first_with_their_jobs(client, agent, desk):
    customer = CustomerFactory(name="张伟")
    first = repair_request(agent, customer=customer, summary="洗衣机不脱水")
    job = work_order_create(ticket=first, by=desk, mode="carry_in")
    second = ticket_create(
        by=agent,
        kind="consultation",
        channel="hotline",
        summary="咨询保修",
        customer_id=customer.pk,
    )
    client.force_login(desk)

    page = client.get(f"/customers/{customer.pk}/").content.decode()
    text = visible_text(page)

    assert "暂无服务请求或工单" not in text
    assert text.index(second.number) < text.index(first.number)  # newest first
    assert f"{second.number} 咨询保修 咨询 新建" in text
    assert f"{first.number} 洗衣机不脱水 报修 处理中" in text
    assert f"{job.number} 送修 · 已开单" in text and f'href="/work-orders/{job.number}/"' in page
    assert "工单 1 张" in text  # the unit's own line: its jobs, on the unit's page


def test_the_customer_page_lists_only_the_requests_the_caller_may_see(client, agent, elsewhere):
    customer = CustomerFactory(name="张伟")
    ours = repair_request(agent, customer=customer)
    client.force_login(elsewhere)

    text = visible_text(client.get(f"/customers/{customer.pk}/").content.decode())

    assert ours.number not in text and "暂无服务请求或工单" in text
    assert Ticket.objects.filter(customer=customer).count() == 1  # it is there, not theirs
