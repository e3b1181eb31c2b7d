"""The complaint pages without a browser: taking a complaint at the desk with its category and
wish, the handler working its steps on the request page, and the handlers' list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.complaints.models import Complaint
from aftersales.desk import services
from aftersales.tickets.models import Ticket
from tests.factories import CenterFactory, CustomerFactory, make_staff
from tests.words import zh

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def handler(db, center):  # type: ignore[no-untyped-def]
    return make_staff("sunm", "complaints", center)


@pytest.fixture
def handler_client(client, handler):  # type: ignore[no-untyped-def]
    client.force_login(handler)
    return client


def a_complaint(by, channel="hotline", **extra):  # type: ignore[no-untyped-def]
    customer = extra.pop("customer", None) or CustomerFactory(name="王女士")
    return services.request_create(
        by=by,
        kind="complaint",
        channel=channel,
        summary="维修超过一个月仍未取回手机",
        customer_id=customer.pk,
        **extra,
    )


def step(client, ticket, action, **fields):  # type: ignore[no-untyped-def]
    return client.post(f"/requests/{ticket.number}/act/", {"action": action, **fields}, **HTMX)


def test_the_hotline_takes_a_complaint_with_its_category_wish_and_staff(client, center):
    agent = make_staff("lixy", "hotline", center)
    make_staff("zhangw", "technician", center)
    client.force_login(agent)

    form = client.get("/requests/new/")
    answer = client.post(
        "/requests/new/",
        {
            "phone": "138 0013 8000",
            "name": "王女士",
            "kind": "complaint",
            "channel": "hotline",
            "priority": "normal",
            "summary": "工程师迟到两小时",
            "category": "staff_service",
            "wish": "要求道歉",
            "staff": "zhangw",
            "damage": "none",
            "step": "create",
        },
    )

    assert 'id="complaint-fields"' in form.text and 'data-picker="/people/"' in form.text
    assert answer.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.ticket.problem_class == "staff_service"
    assert complaint.wish == "要求道歉"
    assert [p.username for p in complaint.staff.all()] == ["zhangw"]


def test_an_unknown_staff_name_is_refused_on_its_field_keeping_what_was_typed(client, center):
    agent = make_staff("lixy", "hotline", center)
    client.force_login(agent)

    answer = client.post(
        "/requests/new/",
        {
            "phone": "138 0013 8000",
            "name": "王女士",
            "kind": "complaint",
            "channel": "hotline",
            "priority": "normal",
            "summary": "态度差",
            "wish": "要求道歉",
            "staff": "nobody",
            "damage": "none",
            "step": "create",
        },
    )

    assert answer.status_code == 422
    assert "nobody" in str(answer.context["form"].errors["staff"])
    assert "要求道歉" in answer.text
    assert not Ticket.objects.exists()


def test_the_request_page_offers_the_steps_of_the_stage_and_no_plain_resolve(
    handler_client, handler
):
    ticket = a_complaint(handler)

    page = handler_client.get(f"/requests/{ticket.number}/")

    assert [s["name"] for s in page.context["steps"]] == ["acknowledge"]
    assert "resolve" not in [a["name"] for a in page.context["actions"]]
    assert zh("Not yet: acknowledge the complaint and promise a date.") in page.text


def test_the_handler_works_a_complaint_to_the_end_on_its_page(handler_client, handler, center):
    ticket = a_complaint(handler)

    acknowledged = step(handler_client, ticket, "acknowledge", note="已致电客户致歉")
    investigated = step(
        handler_client, ticket, "investigate", findings="备件延误", responsibility="ours"
    )
    proposed = step(
        handler_client,
        ticket,
        "propose",
        plan="道歉并减免检测费",
        kind_1="apology",
        value_1="书面道歉",
        kind_2="discount",
        value_2="30.00",
    )
    resolved = step(handler_client, ticket, "resolve", customer_accepted="yes", note="客户接受")

    assert [a.status_code for a in (acknowledged, investigated, proposed, resolved)] == [200] * 4
    assert [s["name"] for s in investigated.context["steps"]] == ["propose"]
    complaint = Complaint.objects.get(ticket=ticket)
    assert complaint.stage == "resolved" and complaint.responsibility == "ours"
    assert [(c.kind, c.amount) for c in complaint.compensations.order_by("pk")] == [
        ("apology", None),
        ("discount", Decimal("30.00")),
    ]
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    assert zh("Solution proposed") in resolved.text  # the timeline names the steps


def test_a_refused_step_comes_back_open_with_its_message_and_what_was_typed(
    handler_client, handler
):
    ticket = a_complaint(handler)
    step(handler_client, ticket, "acknowledge", note="已致歉")

    answer = step(handler_client, ticket, "investigate", findings="备件延误")

    assert answer.status_code == 422
    form = next(s for s in answer.context["steps"] if s["name"] == "investigate")
    assert form["open"] and "responsibility" in form["form"].errors
    assert "备件延误" in answer.text


def test_money_above_the_limit_waits_for_the_manager_who_approves_it_on_the_page(
    client, handler, center, settings
):
    settings.COMPLAINT_APPROVAL_ABOVE = "100.00"
    ticket = a_complaint(handler)
    client.force_login(handler)
    step(client, ticket, "acknowledge", note="已致歉")
    step(client, ticket, "investigate", findings="承诺差价未兑现", responsibility="ours")
    step(client, ticket, "propose", plan="退差价", kind_1="refund", value_1="300.00")

    early = step(client, ticket, "resolve", customer_accepted="yes")
    manager = make_staff("zhaom", "branch_manager", center)
    client.force_login(manager)
    page = client.get(f"/requests/{ticket.number}/")
    approved = step(client, ticket, "approve_compensation", note="同意")

    assert early.status_code == 409
    assert zh("Awaits a manager's approval") in page.text
    assert "approve_compensation" in [s["name"] for s in page.context["steps"]]
    assert approved.status_code == 200 and zh("Awaits a manager's approval") not in approved.text


def test_a_web_complaint_is_screened_on_its_page(handler_client, handler):
    ticket = a_complaint(handler, channel="web")

    page = handler_client.get(f"/requests/{ticket.number}/")
    answer = step(handler_client, ticket, "screen", ours="no", note="非本公司产品")

    assert [s["name"] for s in page.context["steps"]] == ["screen", "acknowledge"]
    assert answer.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.resolution == "declined"


def test_the_list_puts_the_nearest_promise_first_and_its_tabs_filter(handler_client, handler):
    later, sooner = a_complaint(handler), a_complaint(handler)
    web = a_complaint(handler, channel="web")
    ahead = timezone.localtime() + timedelta(days=20)  # promises are at most a year ahead
    in_ten, in_five = (f"{(ahead + timedelta(days=d)):%Y-%m-%dT10:00}" for d in (10, 5))
    step(handler_client, later, "acknowledge", note="a", promised_by=in_ten)
    step(handler_client, sooner, "acknowledge", note="b", promised_by=in_five)

    everything = handler_client.get("/complaints/")
    to_screen = handler_client.get("/complaints/?view=to_screen")

    listed = [r["row"].complaint.ticket.number for r in everything.context["rows"]]
    assert listed == [web.number, sooner.number, later.number]
    assert [r["row"].complaint.ticket.number for r in to_screen.context["rows"]] == [web.number]


def test_the_list_shows_only_the_handlers_center_and_not_other_roles(client, handler, center):
    other = CenterFactory(code="sz", name="深圳维修中心")
    elsewhere = a_complaint(make_staff("szdesk", "hotline", other), center="sz")
    mine = a_complaint(handler)
    manager = make_staff("zhaom", "branch_manager", center)
    client.force_login(manager)

    listed = client.get("/complaints/")
    client.force_login(make_staff("desk", "front_desk", center))
    refused = client.get("/complaints/")

    numbers = [r["row"].complaint.ticket.number for r in listed.context["rows"]]
    assert mine.number in numbers and elsewhere.number not in numbers
    assert refused.status_code == 403


def test_the_branch_manager_sees_escalated_complaints_and_approvals_on_the_workbench(
    client, handler, center, settings
):
    settings.COMPLAINT_APPROVAL_ABOVE = "100.00"
    quiet, waiting, rejected = a_complaint(handler), a_complaint(handler), a_complaint(handler)
    client.force_login(handler)
    for ticket in (waiting, rejected):
        step(client, ticket, "acknowledge", note="已致歉")
        step(client, ticket, "investigate", findings="属实", responsibility="ours")
    step(client, waiting, "propose", plan="退差价", kind_1="refund", value_1="300.00")
    step(client, rejected, "propose", plan="道歉", kind_1="apology", value_1="书面道歉")
    step(client, rejected, "resolve", customer_accepted="no", note="客户不接受")
    client.force_login(make_staff("zhaom", "branch_manager", center))

    workbench = client.get("/")

    listed = [row.complaint.ticket.number for row in workbench.context["complaints"]]
    assert sorted(listed) == sorted([waiting.number, rejected.number])
    assert quiet.number not in workbench.text
    assert zh("compensation awaits your approval") in workbench.text


def test_the_request_a_complaint_is_about_links_back_to_it(handler_client, handler):
    customer = CustomerFactory(name="王女士")
    repair = services.request_create(
        by=handler,
        kind="complaint",
        channel="hotline",
        summary="先前的投诉",
        customer_id=customer.pk,
    )
    complaint = a_complaint(handler, customer=customer, about=repair.number)

    page = handler_client.get(f"/requests/{repair.number}/")
    its_page = handler_client.get(f"/requests/{complaint.number}/")

    assert [c.ticket.number for c in page.context["p"].complaints_about] == [complaint.number]
    assert f'href="/requests/{complaint.number}/"' in page.text
    assert f'href="/requests/{repair.number}/"' in its_page.text


def test_approve_is_offered_only_to_a_manager_and_only_while_money_waits(client, handler, center):
    ticket = a_complaint(handler)
    client.force_login(handler)
    step(client, ticket, "acknowledge", note="已致歉")
    step(client, ticket, "investigate", findings="属实", responsibility="ours")
    step(client, ticket, "propose", plan="退差价", kind_1="refund", value_1="300.00")
    handler_sees = client.get(f"/requests/{ticket.number}/").context["steps"]
    client.force_login(make_staff("zhaom", "branch_manager", center))
    manager_sees = client.get(f"/requests/{ticket.number}/").context["steps"]
    step(client, ticket, "propose", plan="改为道歉", kind_1="apology", value_1="书面道歉")
    nothing_waits = client.get(f"/requests/{ticket.number}/").context["steps"]

    assert [s["name"] for s in handler_sees] == ["propose", "resolve"]
    assert [s["name"] for s in manager_sees] == ["propose", "approve_compensation", "resolve"]
    assert [s["name"] for s in nothing_waits] == ["propose", "resolve"]
