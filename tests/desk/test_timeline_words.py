"""Every staff page words the timeline: a job walked through several steps, and then every event
a job, a request or a complaint can write, reads in words on the request page, the work order
page and the technician's phone — never as its code. The API's event lists keep the codes."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.complaints import rules as complaint_rules
from aftersales.core.models import Event
from aftersales.tickets import rules as ticket_rules
from aftersales.workorders import rules as work_order_rules
from aftersales.workorders.services import work_order_act
from tests.factories import make_staff, on_site_job
from tests.visible import codes_shown, visible_text

JOB_EVENTS = (*work_order_rules.ACTIONS, "created", "photo")
REQUEST_EVENTS = (
    *ticket_rules.ACTIONS,
    *complaint_rules.ACTIONS,
    "created",
    "complaint_escalated",
    "escalation_answered",
)
ALL_CODES = {*JOB_EVENTS, *REQUEST_EVENTS}


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


@pytest.fixture
def technician(center):  # type: ignore[no-untyped-def]
    return make_staff("wangt", "technician", center)


@pytest.fixture
def walked(agent, technician, center):  # type: ignore[no-untyped-def]
    """An on-site job taken on the hotline, booked by dispatch for later today, and the
    technician on the way, arrived and diagnosing."""
    wo = on_site_job(
        agent,
        technician=technician,
        booked_at=timezone.now() + timedelta(hours=1),
        booked_by=make_staff("zhaod", "dispatcher", center),
    )
    for action in ("depart", "arrive", "start_diagnosis"):
        wo = work_order_act(work_order=wo, by=technician, action=action)
    return wo


def written(subject, action, by, **data):  # type: ignore[no-untyped-def]
    """An event row as a service writes it, without what follows it (the pages read the rows)."""
    Event.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        actor=by,
        data=data,
    )


def every_event_written(wo, by):  # type: ignore[no-untyped-def]
    """Every event a job and a request (a complaint's steps included) can write, on this job and
    its request."""
    for action in JOB_EVENTS:
        written(wo, action, by, work_order=wo.number)
    for action in REQUEST_EVENTS:
        written(wo.ticket, action, by)


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_a_walked_job_reads_in_words_on_the_request_and_job_pages(client, agent, walked):
    client.force_login(agent)

    request_page = client.get(f"/requests/{walked.ticket.number}/").content.decode()
    job_page = client.get(f"/work-orders/{walked.number}/").content.decode()

    for page in (request_page, job_page):
        assert codes_shown(page, ALL_CODES) == []
    timeline = visible_text(request_page)
    assert timeline.count("受理请求") == 1  # the request's; the job's opening reads as its own
    assert f"开工单 {walked.number}" in timeline
    for words in ("已预约上门", "技术员已出发", "技术员已到达", "开始检测"):
        assert words in timeline and words in visible_text(job_page)


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_event_of_any_kind_shows_its_code_on_any_page(
    client, agent, technician, walked, language
):
    every_event_written(walked, agent)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    # English pages use ordinary words ("close the request"): there, codes with an underscore.
    codes = ALL_CODES if language == "zh-hans" else {c for c in ALL_CODES if "_" in c}

    client.force_login(agent)
    request_page = client.get(f"/requests/{walked.ticket.number}/", **headers).content.decode()
    job_page = client.get(f"/work-orders/{walked.number}/", **headers).content.decode()
    client.force_login(technician)
    phone_page = client.get(f"/field/{walked.number}/", **headers).content.decode()

    assert codes_shown(request_page, codes) == []
    assert codes_shown(job_page, codes) == []
    assert codes_shown(phone_page, codes) == []


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_the_request_and_the_job_each_read_their_own_words_for_the_same_code(client, agent, walked):
    written(walked, "cancel", agent, work_order=walked.number)
    written(walked.ticket, "cancel", agent)
    client.force_login(agent)

    timeline = visible_text(client.get(f"/requests/{walked.ticket.number}/").content.decode())

    assert f"工单已取消 {walked.number}" in timeline
    assert "请求已取消" in timeline


@pytest.mark.clock("2026-11-18T10:00:00+08:00")
def test_the_api_keeps_the_codes(api_as, agent, walked):
    answer = api_as("hotline", "api-agent").get(f"/work-orders/{walked.number}")

    assert [e["action"] for e in answer.json()["events"]][:3] == ["created", "schedule", "depart"]
