"""The dispatcher board without a browser: the day's grid by technician, the unassigned and
at-risk lists, the filters, assigning from a suggestion, (re)scheduling with a reason, an urgent
job pre-empting booked visits — and who may use the board at all."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.dispatch.models import Leave, TechnicianProfile
from aftersales.tickets.models import Ticket
from aftersales.workorders import services
from aftersales.workorders.models import WorkOrder
from tests.clock import PLAIN_DAY
from tests.factories import (
    CenterFactory,
    make_staff,
    on_site_job,
)
from tests.words import zh_html as zh

HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour: int, minute: int = 0) -> datetime:  # type: ignore[no-untyped-def]
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def local(moment: datetime) -> str:
    """A moment as a datetime-local field holds it."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def technician(username: str, center, name: str = "", **profile):  # type: ignore[no-untyped-def]
    user = make_staff(username, "technician", center)
    user.first_name = name
    user.save(update_fields=["first_name"])
    TechnicianProfile.objects.update_or_create(
        user=user, defaults={"skills": ["mobile_phone"], **profile}
    )
    return user


def book(wo, tech, by, start: datetime, hours: int = 2):  # type: ignore[no-untyped-def]
    services.work_order_act(work_order=wo, by=by, action="assign", technician=tech.username)
    end = start + timedelta(hours=hours)
    return services.work_order_act(work_order=wo, by=by, action="schedule", start=start, end=end)


def row_of(page: str, username: str) -> str:
    """The technician's row of the grid."""
    found = re.search(rf'<tr class="tech-row[^"]*" id="tech-{username}".*?</tr>', page, re.S)
    assert found, f"no row for {username}"
    return found.group(0)


def section(page: str, heading_id: str) -> str:
    found = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert found, heading_id
    return found.group(0)


def events_of(wo: WorkOrder, action: str):  # type: ignore[no-untyped-def]
    kind = ContentType.objects.get_for_model(WorkOrder)
    return Event.objects.filter(content_type=kind, object_id=wo.pk, action=action).order_by("id")


@pytest.fixture
def tomorrow():  # type: ignore[no-untyped-def]
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def hotline(center):  # type: ignore[no-untyped-def]
    return make_staff("hotline", "hotline", center)


@pytest.fixture
def dispatcher(db):  # type: ignore[no-untyped-def]
    return make_staff("diaodu", "dispatcher")


@pytest.fixture
def board_client(client, dispatcher):  # type: ignore[no-untyped-def]
    client.force_login(dispatcher)
    return client


@pytest.fixture
def li(center):  # type: ignore[no-untyped-def]
    return technician("li", center, "李师傅")


@pytest.fixture
def wang(center):  # type: ignore[no-untyped-def]
    return technician("wang", center, "王师傅")


# The grid and the lists ------------------------------------------------------------------------


def test_a_booked_job_is_drawn_in_its_technicians_row_at_its_window(
    board_client, hotline, dispatcher, li, wang, tomorrow
):
    wo = book(on_site_job(hotline), li, dispatcher, at(tomorrow, 10))

    answer = board_client.get("/dispatch/", {"day": tomorrow.isoformat()})

    assert answer.status_code == 200
    page = answer.content.decode()
    li_row = row_of(page, "li")
    assert wo.number in li_row and "张伟" in li_row
    assert "left: 16.67%; width: 16.67%" in li_row  # 10:00–12:00 on an 8:00–20:00 grid
    assert "1/6" in li_row  # one visit booked of six a day
    assert wo.number not in row_of(page, "wang")
    # the day after has nothing booked
    later = board_client.get("/dispatch/", {"day": (tomorrow + timedelta(1)).isoformat()})
    assert wo.number not in row_of(later.content.decode(), "li")


def test_technicians_on_leave_are_marked(board_client, li, wang, tomorrow):
    Leave.objects.create(technician=li, first_day=tomorrow, last_day=tomorrow, reason="年假")

    page = board_client.get("/dispatch/", {"day": tomorrow.isoformat()}).content.decode()

    assert zh("On leave") in row_of(page, "li")
    assert zh("On leave") not in row_of(page, "wang")


def test_unassigned_jobs_are_listed_oldest_first_until_someone_takes_them(
    board_client, hotline, dispatcher, li
):
    older = on_site_job(hotline, customer="老客户")
    newer = on_site_job(hotline, customer="新客户")
    WorkOrder.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=5))

    unassigned = section(board_client.get("/dispatch/").content.decode(), "h-unassigned")
    assert unassigned.index(older.number) < unassigned.index(newer.number)

    services.work_order_act(work_order=older, by=dispatcher, action="assign", technician="li")
    page = board_client.get("/dispatch/").content.decode()
    assert older.number not in section(page, "h-unassigned")
    assert newer.number in section(page, "h-unassigned")
    assert older.number in row_of(page, "li")  # assigned, waiting for its window


def test_late_arrivals_breached_slas_and_incidents_are_at_risk(
    board_client, hotline, dispatcher, li, wang, tomorrow
):
    late = book(on_site_job(hotline, customer="迟到"), li, dispatcher, at(tomorrow, 9))
    began = timezone.now() - timedelta(minutes=30)
    WorkOrder.objects.filter(pk=late.pk).update(
        appointment_start=began, appointment_end=began + timedelta(hours=2)
    )
    overdue = on_site_job(hotline, customer="超时")
    gone = timezone.now() - timedelta(minutes=10)
    Ticket.objects.filter(pk=overdue.ticket_id).update(respond_by=gone, pending_due=gone)
    paused = book(on_site_job(hotline, customer="受阻"), wang, dispatcher, at(tomorrow, 14))
    services.work_order_act(work_order=paused, by=wang, action="incident", note="客户扣留")
    fine = book(on_site_job(hotline, customer="正常"), wang, dispatcher, at(tomorrow, 9))

    page = board_client.get("/dispatch/").content.decode()

    risky = section(page, "h-risk")
    assert late.number in risky and zh("Late: not arrived") in risky
    assert overdue.number in risky and zh("SLA breached") in risky
    assert paused.number in risky and zh("Paused by an incident") in risky
    assert fine.number not in risky
    # on the grid, today: the late visit is flagged
    assert zh("Late") in row_of(page, "li")
    tomorrow_page = board_client.get("/dispatch/", {"day": tomorrow.isoformat()}).content.decode()
    assert "block-paused" in row_of(tomorrow_page, "wang")


def test_a_technician_late_for_the_second_visit_after_an_unfinished_one_is_flagged_late(
    board_client, hotline, dispatcher, li, tomorrow
):
    wo = book(on_site_job(hotline, customer="二次上门"), li, dispatcher, at(tomorrow, 9))
    with time_machine.travel(at(tomorrow, 8, 40), tick=False):
        services.work_order_act(work_order=wo, by=li, action="depart")
    with time_machine.travel(at(tomorrow, 9, 5), tick=False):
        services.work_order_act(work_order=wo, by=li, action="arrive")
    with time_machine.travel(at(tomorrow, 9, 20), tick=False):
        services.work_order_act(
            work_order=wo, by=li, action="visit_incomplete", reason="customer_absent"
        )
        # the first visit took place: nobody is late for it
        risky = section(board_client.get("/dispatch/").content.decode(), "h-risk")
        assert zh("Late: not arrived") not in risky
        # the customer calls back: a second visit in the afternoon
        services.work_order_act(
            work_order=wo,
            by=dispatcher,
            action="schedule",
            start=at(tomorrow, 14),
            end=at(tomorrow, 16),
            reason="customer_request",
        )

    with time_machine.travel(at(tomorrow, 14, 30), tick=False):
        board_client.force_login(dispatcher)  # back at the desk after the lunch break
        page = board_client.get("/dispatch/").content.decode()

    risky = section(page, "h-risk")
    assert wo.number in risky and zh("Late: not arrived") in risky
    assert zh("Late") in row_of(page, "li")

    with time_machine.travel(at(tomorrow, 14, 40), tick=False):
        services.work_order_act(work_order=wo, by=li, action="depart")
        services.work_order_act(work_order=wo, by=li, action="arrive")
        page = board_client.get("/dispatch/").content.decode()

    assert zh("Late: not arrived") not in section(page, "h-risk")
    assert zh("Late") not in row_of(page, "li")


def test_filters_by_center_and_region(board_client, hotline, center, li, tomorrow):
    sz = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    zhao = technician("zhao", sz, "赵师傅")
    sz_desk = make_staff("sz-hotline", "hotline", sz)
    guangzhou = on_site_job(hotline, customer="广州客户", region="440106")
    shenzhen = on_site_job(sz_desk, customer="深圳客户", region="440305")
    day = tomorrow.isoformat()

    page = board_client.get("/dispatch/", {"day": day, "center": "gz"}).content.decode()
    assert 'id="tech-li"' in page and 'id="tech-zhao"' not in page
    assert guangzhou.number in page and shenzhen.number not in page

    page = board_client.get("/dispatch/", {"day": day, "region": "440300"}).content.decode()
    assert 'id="tech-zhao"' in page and 'id="tech-li"' not in page
    assert shenzhen.number in page and guangzhou.number not in page

    everything = board_client.get("/dispatch/", {"day": day}).content.decode()
    assert zhao.username in everything and li.username in everything
    assert guangzhou.number in everything and shenzhen.number in everything

    wrong = board_client.get("/dispatch/", {"region": "44"})
    assert wrong.status_code == 200
    assert zh("A region is a 6-digit administrative division code.") in wrong.content.decode()


# Assigning from a suggestion -------------------------------------------------------------------


def test_an_unassigned_job_opens_its_suggestions_with_their_reasons(
    board_client, hotline, li, wang
):
    wo = on_site_job(hotline)

    panel = board_client.get(f"/dispatch/jobs/{wo.number}/suggestions/", **HTMX)

    assert panel.status_code == 200
    html = panel.content.decode()
    assert 'id="job-panel"' in html and "<html" not in html
    assert "李师傅" in html and "王师傅" in html
    assert html.count('name="technician"') == 2
    assert html.count('class="reasons"') == 2
    # without JS, the same panel inside the whole board
    page = board_client.get(f"/dispatch/jobs/{wo.number}/suggestions/")
    assert page.status_code == 302 and f"job={wo.number}" in page["Location"]
    whole = board_client.get(page["Location"]).content.decode()
    assert "<html" in whole and 'id="job-panel"' in whole and "李师傅" in whole


def test_assigning_a_suggestion_moves_the_job_to_that_technician(
    board_client, hotline, dispatcher, li, center, tomorrow
):
    wo = on_site_job(hotline)
    back = f"day={tomorrow.isoformat()}"

    answer = board_client.post(
        f"/dispatch/jobs/{wo.number}/assign/",
        {"technician": "li", "center": "gz", "expected_technician": "", "back": back},
    )

    assert answer.status_code == 302
    assert answer["Location"] == f"/dispatch/?{back}"
    wo.refresh_from_db()
    assert wo.technician == li and wo.center == center and wo.status == "assigned"
    event = events_of(wo, "assign").get()
    assert event.actor == dispatcher and event.data["technician"] == "li"
    page = board_client.get(answer["Location"]).content.decode()
    assert wo.number in row_of(page, "li")


def assign_and_book(client, wo, start):  # type: ignore[no-untyped-def]
    """The suggestions panel's "assign and book" for li at gz, a two-hour window from `start`."""
    return client.post(
        f"/dispatch/jobs/{wo.number}/assign/",
        {
            "technician": "li",
            "center": "gz",
            "expected_technician": "",
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "book": "on",
        },
        **HTMX,
    )


def test_assign_and_book_the_earliest_slot_in_one_step(board_client, hotline, li):
    wo = on_site_job(hotline)
    start = (timezone.now() + timedelta(days=2)).replace(hour=2, minute=0, second=0, microsecond=0)

    answer = assign_and_book(board_client, wo, start)

    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="board"' in html and "<html" not in html  # htmx: the board's body
    wo.refresh_from_db()
    assert wo.status == "scheduled" and wo.technician == li
    assert wo.appointment_start == start and wo.appointment_end == start + timedelta(hours=2)
    # two moves on the job's timeline, each with its own event
    assert events_of(wo, "assign").get().data["technician"] == "li"
    assert events_of(wo, "schedule").get().data["start"] == start.isoformat()


def test_assign_and_book_a_slot_already_past_is_refused_and_assigns_no_one(
    board_client, hotline, li
):
    wo = on_site_job(hotline)
    start = timezone.now() - timedelta(hours=1)  # the panel was left open too long

    answer = assign_and_book(board_client, wo, start)

    assert answer.status_code == 409
    html = answer.content.decode()
    assert zh("The appointment window must be in the future.") in html and 'role="alert"' in html
    assert wo.number in section(html, "h-unassigned")  # still waiting for someone
    wo.refresh_from_db()
    assert wo.technician is None and wo.status == "created" and wo.appointment_start is None
    assert not events_of(wo, "assign").exists() and not events_of(wo, "schedule").exists()


def test_someone_else_assigned_it_meanwhile_shows_who_and_changes_nothing(
    board_client, hotline, dispatcher, li, wang
):
    wo = on_site_job(hotline)
    services.work_order_act(work_order=wo, by=dispatcher, action="assign", technician="wang")

    answer = board_client.post(
        f"/dispatch/jobs/{wo.number}/assign/",
        {"technician": "li", "center": "gz", "expected_technician": ""},
        **HTMX,
    )

    assert answer.status_code == 409
    html = answer.content.decode()
    assert "wang" in html and 'role="alert"' in html
    assert wo.number in row_of(html, "wang")  # the board is drawn again as it is now
    wo.refresh_from_db()
    assert wo.technician == wang
    assert events_of(wo, "assign").count() == 1


# Scheduling -------------------------------------------------------------------------------------


def test_changing_a_window_without_a_reason_is_refused_with_the_input_kept(
    board_client, hotline, dispatcher, li, tomorrow
):
    wo = book(on_site_job(hotline), li, dispatcher, at(tomorrow, 10))
    new_start, new_end = at(tomorrow, 14), at(tomorrow, 16)
    form = {"start": local(new_start), "end": local(new_end), "reason": ""}

    refused = board_client.post(f"/dispatch/jobs/{wo.number}/schedule/", form)

    assert refused.status_code == 422
    html = refused.content.decode()
    assert f'value="{local(new_start)}"' in html and f'value="{local(new_end)}"' in html
    assert "field-reason has-error" in html
    wo.refresh_from_db()
    assert wo.appointment_start == at(tomorrow, 10)

    answer = board_client.post(
        f"/dispatch/jobs/{wo.number}/schedule/", {**form, "reason": "customer_request"}
    )
    assert answer.status_code == 302
    wo.refresh_from_db()
    assert wo.appointment_start == new_start
    assert events_of(wo, "schedule").last().data["reason"] == "customer_request"


def test_the_schedule_panel_starts_from_the_technicians_earliest_slot(
    board_client, hotline, dispatcher, li
):
    wo = on_site_job(hotline)
    services.work_order_act(work_order=wo, by=dispatcher, action="assign", technician="li")

    html = board_client.get(f"/dispatch/jobs/{wo.number}/window/", **HTMX).content.decode()

    assert 'name="start"' in html and re.search(r'name="start" value="\d{4}-\d\d-\d\dT', html)
    assert zh("Book the window") in html


# Pre-emption ------------------------------------------------------------------------------------


@pytest.fixture
def urgent_over_booked(hotline, dispatcher, li, wang, tomorrow):  # type: ignore[no-untyped-def]
    """Li is booked 10–12 tomorrow; an urgent job for Li comes in, Wang is free all day."""
    booked = book(on_site_job(hotline, customer="已约客户"), li, dispatcher, at(tomorrow, 10))
    urgent = on_site_job(hotline, customer="急修客户", priority="urgent")
    services.work_order_act(work_order=urgent, by=dispatcher, action="assign", technician="li")
    return booked, urgent


def _schedule_urgent(board_client, urgent, tomorrow):  # type: ignore[no-untyped-def]
    return board_client.post(
        f"/dispatch/jobs/{urgent.number}/schedule/",
        {"start": local(at(tomorrow, 10)), "end": local(at(tomorrow, 12))},
        **HTMX,
    )


@pytest.mark.clock(PLAIN_DAY)  # tomorrow is a working day, Wang free all of it
def test_an_urgent_job_over_a_booked_window_shows_the_conflicts_with_proposals(
    board_client, urgent_over_booked, tomorrow
):
    booked, urgent = urgent_over_booked

    answer = _schedule_urgent(board_client, urgent, tomorrow)

    assert answer.status_code == 200
    html = answer.content.decode()
    conflicts = re.search(r'<ul class="conflicts">.*?</ul>\s*</li>\s*</ul>', html, re.S)
    assert conflicts and booked.number in conflicts.group(0)
    assert 'value="reassign"' in html and 'value="wang"' in html
    assert 'value="reschedule"' in html
    urgent.refresh_from_db()
    assert urgent.status == "scheduled"


@pytest.mark.clock(PLAIN_DAY)  # tomorrow is a working day, Wang free all of it
def test_applying_the_reassign_proposal_gives_the_booked_job_to_a_colleague_at_its_time(
    board_client, urgent_over_booked, dispatcher, li, wang, tomorrow
):
    booked, urgent = urgent_over_booked
    _schedule_urgent(board_client, urgent, tomorrow)

    answer = board_client.post(
        f"/dispatch/jobs/{booked.number}/proposal/",
        {
            "kind": "reassign",
            "technician": "wang",
            "center": "gz",
            "expected_technician": "li",
            "start": at(tomorrow, 10).isoformat(),
            "end": at(tomorrow, 12).isoformat(),
            "urgent": urgent.number,
        },
        **HTMX,
    )

    assert answer.status_code == 200
    booked.refresh_from_db()
    assert booked.technician == wang and booked.status == "scheduled"
    assert booked.appointment_start == at(tomorrow, 10)
    assert events_of(booked, "assign").last().data == {
        "work_order": booked.number,
        "from": "scheduled",
        "to": "assigned",
        "from_technician": "li",
        "technician": "wang",
    }
    assert events_of(booked, "schedule").last().data["reason"] == "preempted"
    html = answer.content.decode()
    assert '<ul class="conflicts">' not in html  # nothing left in the urgent job's way
    assert zh("Nothing else is booked in this window.") in html


@pytest.mark.clock(PLAIN_DAY)  # tomorrow is a working day, Wang free all of it
def test_applying_the_reschedule_proposal_moves_the_booked_job_later(
    board_client, urgent_over_booked, li, tomorrow
):
    booked, urgent = urgent_over_booked
    answer = _schedule_urgent(board_client, urgent, tomorrow)
    forms = re.findall(r'<form[^>]*/proposal/".*?</form>', answer.content.decode(), re.S)
    reschedule = next(f for f in forms if 'value="reschedule"' in f)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', reschedule))

    moved = board_client.post(f"/dispatch/jobs/{booked.number}/proposal/", fields)

    assert moved.status_code == 302
    assert f"job={urgent.number}" in moved["Location"] and "panel=conflicts" in moved["Location"]
    booked.refresh_from_db()
    assert booked.technician == li and booked.appointment_start >= at(tomorrow, 12)
    assert events_of(booked, "schedule").last().data["reason"] == "preempted"


# Who may use the board --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hotline", "technician", "front_desk", "finance"])
def test_roles_that_do_not_dispatch_get_forbidden_and_change_nothing(
    client, center, hotline, li, role
):
    wo = on_site_job(hotline)
    client.force_login(make_staff(f"{role}-2", role, center))

    assert client.get("/dispatch/").status_code == 403
    assert client.get(f"/dispatch/jobs/{wo.number}/suggestions/", **HTMX).status_code == 403
    answer = client.post(
        f"/dispatch/jobs/{wo.number}/assign/", {"technician": "li", "expected_technician": ""}
    )
    assert answer.status_code == 403
    wo.refresh_from_db()
    assert wo.technician is None and not events_of(wo, "assign").exists()


def test_a_branch_manager_dispatches_their_own_center_only(client, center, hotline, li):
    sz = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    technician("zhao", sz, "赵师傅")
    theirs = on_site_job(make_staff("sz-hotline", "hotline", sz), region="440305")
    ours = on_site_job(hotline)
    client.force_login(make_staff("boss", "branch_manager", center))

    page = client.get("/dispatch/", {"center": "sz"}).content.decode()

    assert 'id="tech-li"' in page and 'id="tech-zhao"' not in page
    assert ours.number in page and theirs.number not in page
    panel = client.get(f"/dispatch/jobs/{ours.number}/suggestions/", **HTMX).content.decode()
    assert "李师傅" in panel and "赵师傅" not in panel
    assert client.get(f"/dispatch/jobs/{theirs.number}/suggestions/", **HTMX).status_code == 404


def test_the_board_is_in_the_dispatchers_navigation(board_client):
    assert 'href="/dispatch/"' in board_client.get("/").content.decode()
