"""工作台: each role's home shows its own work — the agent's calls due and open requests, the
front desk's units waiting for pickup and today's intake, the dispatcher's jobs nobody holds,
the technician's day — and every page has its icon."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.followups.services import followup_schedule
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff, on_site_job, repair_request
from tests.visible import visible_text


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


@pytest.fixture
def desk(center):  # type: ignore[no-untyped-def]
    return make_staff("wangli", "front_desk", center)


def home_of(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get("/")
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_the_agent_sees_the_calls_due_to_them_and_the_requests_they_own(client, center, agent):
    colleague = make_staff("zhaoq", "hotline", center)
    mine, theirs = repair_request(agent, summary="洗衣机不脱水"), repair_request(colleague)
    now = timezone.now()
    followup_schedule(ticket=mine, kind="consultation_callback", due_at=now, owner=agent)
    followup_schedule(ticket=theirs, kind="consultation_callback", due_at=now, owner=colleague)
    later = followup_schedule(
        ticket=mine, kind="repair_callback", due_at=now + timedelta(days=2), owner=agent
    )

    page = home_of(client, agent)
    calls = page[page.index("data-calls-due") : page.index("data-my-requests")]
    requests = page[page.index("data-my-requests") :]

    assert mine.number in calls and "咨询回访" in visible_text(calls)
    assert theirs.number not in calls and later.get_kind_display() not in visible_text(calls)
    assert mine.number in requests and "洗衣机不脱水" in requests
    assert theirs.number not in requests


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_the_agents_own_calls_show_behind_more_than_a_page_of_colleagues_calls(
    client, center, agent
):
    colleague = make_staff("zhaoq", "hotline", center)
    theirs = repair_request(colleague)
    now = timezone.now()
    for minutes in range(101):  # more colleagues' calls due first than the queue reads at once
        followup_schedule(
            ticket=theirs,
            kind="consultation_callback",
            due_at=now - timedelta(hours=3, minutes=minutes),
            owner=colleague,
        )
    mine = repair_request(agent)
    followup_schedule(ticket=mine, kind="consultation_callback", due_at=now, owner=agent)

    page = home_of(client, agent)
    calls = page[page.index("data-calls-due") : page.index("data-my-requests")]

    assert mine.number in calls and theirs.number not in calls


def test_the_front_desk_sees_the_units_waiting_for_pickup_at_their_center(client, center, desk):
    agent = make_staff("lixy", "hotline", center)
    waiting = work_order_create(ticket=repair_request(agent), by=desk, mode="carry_in")
    in_repair = work_order_create(ticket=repair_request(agent), by=desk, mode="carry_in")
    on_site = on_site_job(agent)
    other = make_staff("chenf", "front_desk", CenterFactory(code="sz", name="深圳维修中心"))
    WorkOrder.objects.filter(pk__in=[waiting.pk, on_site.pk]).update(status="ready")

    page = home_of(client, desk)
    pickup = page[page.index("data-ready-for-pickup") : page.index("data-taken-today")]
    today = page[page.index("data-taken-today") : page.index("data-my-requests")]

    assert waiting.number in pickup and "待取机" in visible_text(pickup)
    assert in_repair.number not in pickup and on_site.number not in pickup
    assert waiting.ticket.number in today and in_repair.ticket.number in today
    assert waiting.number not in home_of(client, other)  # another center's desk


def test_the_dispatcher_sees_the_jobs_nobody_holds(client, center, desk):
    agent = make_staff("lixy", "hotline", center)
    technician = make_staff("wangt", "technician", center)
    nobodys = on_site_job(agent, customer="张伟")
    held = on_site_job(agent, technician=technician, customer="李娜")

    page = home_of(client, make_staff("zhaod", "dispatcher", center))
    unassigned = page[page.index("data-unassigned") :]

    assert nobodys.number in unassigned and "张伟" in unassigned
    assert held.number not in unassigned
    assert 'href="/dispatch/"' in unassigned


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_the_technicians_workbench_is_their_day_in_order(client, center):
    agent = make_staff("lixy", "hotline", center)
    dispatcher = make_staff("zhaod", "dispatcher", center)
    technician = make_staff("wangt", "technician", center)
    today = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    late = on_site_job(
        agent, technician=technician, booked_at=today.replace(hour=15), booked_by=dispatcher
    )
    early = on_site_job(
        agent, technician=technician, booked_at=today.replace(hour=11), booked_by=dispatcher
    )
    client.force_login(technician)

    landing = client.get("/", follow=True)
    page = landing.content.decode()

    assert landing.redirect_chain == [("/field/", 302)]
    assert page.index(early.number) < page.index(late.number)


def test_every_page_has_its_icon_and_the_browsers_own_request_answers(client, desk):
    page = home_of(client, desk)
    client.logout()

    icon = client.get("/favicon.ico")

    assert 'rel="icon" href="/favicon.ico"' in page and "favicon.svg" in page
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
