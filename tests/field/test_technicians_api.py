"""The dispatch API: technicians, ranked suggestions with reasons, automatic assignment when a
job is opened, rescheduling history, and pre-emption proposals."""

from datetime import time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aftersales.core.models import BusinessCalendar, Event
from aftersales.dispatch.models import Leave
from aftersales.field.suggestions import preemption_for
from aftersales.workorders.models import WorkOrder
from tests.dispatch.conftest import iso, next_day_window
from tests.factories import CenterFactory, make_technician
from tests.workorders.conftest import act, ok


def every_day(opens: str, closes: str) -> dict[str, list[list[str]]]:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return {day: [[opens, closes]] for day in days}


def test_technicians_are_listed_with_skills_area_and_todays_load(api_as, center):
    make_technician("li", center, regions=["440106"])
    make_technician("wang", center, skills=["flooring"])
    hotline = api_as("hotline")
    answer = hotline.get("/technicians", skill="mobile_phone")
    assert answer.status_code == 200
    assert answer.json()["items"] == [
        {
            "username": "li",
            "name": "li",
            "center": "gz",
            "skills": ["mobile_phone"],
            "regions": ["440106"],
            "active": True,
            "load_today": 0,
        }
    ]
    assert [t["username"] for t in hotline.get("/technicians", center="gz").json()["items"]] == [
        "li",
        "wang",
    ]


def test_a_technician_not_taking_jobs_is_listed_inactive(api_as, center):
    make_technician("li", center, dispatchable=False)
    hotline = api_as("hotline")
    assert hotline.get("/technicians", active="false").json()["items"][0]["active"] is False
    assert hotline.get("/technicians", active="true").json() == {"items": [], "next_cursor": None}


def test_technicians_come_in_pages_like_every_list(api_as, center):
    for name in ("chen", "li", "wang"):
        make_technician(name, center)
    hotline = api_as("hotline")
    first = hotline.get("/technicians", limit=2).json()
    assert [t["username"] for t in first["items"]] == ["chen", "li"]
    rest = hotline.get("/technicians", limit=2, cursor=first["next_cursor"]).json()
    assert [t["username"] for t in rest["items"]] == ["wang"] and rest["next_cursor"] is None
    assert hotline.get("/technicians", limit=0).status_code == 422


def test_the_calendar_link_is_shown_to_the_technician_their_manager_and_admins_only(api_as, center):
    make_technician("li", center)
    url = api_as("technician", "li").get("/technicians/li").json()["calendar_url"]
    assert "/api/v1/technicians/li/calendar.ics?key=" in url
    assert api_as("branch_manager").get("/technicians/li").json()["calendar_url"] == url
    assert api_as("admin").get("/technicians/li").json()["calendar_url"] == url
    assert api_as("hotline").get("/technicians/li").json()["calendar_url"] is None
    other = CenterFactory(code="sz", regions=["440305"])
    assert (
        api_as("branch_manager", "sz-boss", other).get("/technicians/li").json()["calendar_url"]
        is None
    )
    assert api_as("hotline", "h2").get("/technicians/nobody").status_code == 404


def test_suggestions_rank_the_district_technician_first_and_explain_each_rank(
    api_as, center, phone, on_site_job
):
    make_technician("city", center)
    make_technician("district", center, regions=["440106"])
    make_technician("floors", center, skills=["flooring"])
    make_technician("away", center)
    Leave.objects.create(
        technician=make_technician("away", center).technician_profile.user,
        first_day=timezone.localdate(),
        last_day=timezone.localdate() + timedelta(days=30),
    )
    job = on_site_job(phone)
    answer = api_as("dispatcher").get(f"/work-orders/{job['number']}/suggestions")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [i["technician"] for i in items] == ["district", "city"]
    best = items[0]
    assert [r["code"] for r in best["reasons"]] == [
        "serves_region",
        "distance_band",
        "has_skill",
        "load_today",
        "earliest_slot",
    ]
    assert all(r["message"] for r in best["reasons"])
    assert best["score"] > items[1]["score"]
    assert best["earliest_slot"]


def test_suggestions_follow_each_technicians_hours_their_own_else_their_centers(
    api_as, center, phone, on_site_job
):
    # Given a center open evenings, one technician on its hours and one on early mornings of their own
    center.calendar = BusinessCalendar.objects.create(
        code="evenings", name="晚班", weekly_hours=every_day("19:00", "22:00")
    )
    center.save(update_fields=["calendar"])
    early = BusinessCalendar.objects.create(
        code="early", name="早班", weekly_hours=every_day("06:00", "08:00")
    )
    make_technician("evening", center)
    make_technician("morning", center, calendar=early)

    # When the dispatcher asks who can take a job
    job = on_site_job(phone)
    items = api_as("dispatcher").get(f"/work-orders/{job['number']}/suggestions").json()["items"]

    # then each is offered from a time within their own working hours
    starts = {
        i["technician"]: timezone.localtime(parse_datetime(i["earliest_slot"])).time()
        for i in items
    }
    assert starts.keys() == {"evening", "morning"}
    assert time(19) <= starts["evening"] < time(22)
    assert time(6) <= starts["morning"] < time(8)


def test_a_technician_outside_the_customers_region_is_not_suggested(
    api_as, center, phone, on_site_job
):
    make_technician("sz-tech", CenterFactory(code="sz", regions=["440305"]))
    job = on_site_job(phone)
    assert api_as("dispatcher").get(f"/work-orders/{job['number']}/suggestions").json() == {
        "items": []
    }


def test_suggestions_of_a_job_outside_the_callers_scope_are_not_found(
    api_as, center, phone, on_site_job
):
    job = on_site_job(phone)
    make_technician("li", center)
    assert (
        api_as("technician", "li").get(f"/work-orders/{job['number']}/suggestions").status_code
        == 404
    )


def test_a_center_that_assigns_automatically_gets_the_job_assigned_at_creation(
    center, phone, on_site_job
):
    center.auto_assign = True
    center.save()
    make_technician("city", center)
    make_technician("district", center, regions=["440106"])
    job = on_site_job(phone)
    assert (job["status"], job["technician"]) == ("assigned", "district")
    created = Event.objects.get(action="created", data__work_order=job["number"])
    assert created.data["technician"] == "district"
    assert "distance_band" in created.data["auto_assigned"]


def test_without_automatic_assignment_the_job_waits_for_the_dispatcher(center, phone, on_site_job):
    make_technician("li", center)
    job = on_site_job(phone)
    assert (job["status"], job["technician"]) == ("created", None)


def test_reschedules_are_recorded_with_their_reason_and_listed_on_the_job(
    api_as, center, phone, on_site_job
):
    make_technician("li", center)
    number = on_site_job(phone)["number"]
    dispatcher = api_as("dispatcher")
    ok(dispatcher, number, "assign", technician="li")
    start, end = next_day_window(center)
    ok(dispatcher, number, "schedule", start=iso(start), end=iso(end))
    later = (start + timedelta(hours=3), end + timedelta(hours=3))
    refused = act(dispatcher, number, "schedule", start=iso(later[0]), end=iso(later[1]))
    assert refused.status_code == 422 and "reason" in refused.json()["error"]["details"]
    ok(
        dispatcher,
        number,
        "schedule",
        start=iso(later[0]),
        end=iso(later[1]),
        reason="customer_request",
    )
    job = dispatcher.get(f"/work-orders/{number}").json()
    assert [(r["reason"], r["actor"]) for r in job["reschedules"]] == [
        ("customer_request", "dispatcher-user")
    ]
    assert parse_datetime(job["appointment"]["start"]) == later[0]
    assert dispatcher.get("/technicians/li").json()["reschedules_30d"] == {"customer_request": 1}
    assert parse_datetime(job["reschedules"][0]["previous_start"]) == start


def test_an_urgent_job_over_a_booked_visit_proposes_a_colleague_or_a_later_time(
    api_as, center, phone, on_site_job
):
    make_technician("li", center)
    make_technician("free", center)
    dispatcher = api_as("dispatcher")
    booked = on_site_job(phone)["number"]
    ok(dispatcher, booked, "assign", technician="li")
    start, end = next_day_window(center, hour_offset=0, hours=2)
    ok(dispatcher, booked, "schedule", start=iso(start), end=iso(end))
    urgent = on_site_job(phone)["number"]
    found = preemption_for(WorkOrder.objects.get(number=urgent), "li", start, end)
    assert [c["work_order"] for c in found] == [booked]
    kinds = [(p["kind"], p["technician"]) for p in found[0]["proposals"]]
    assert kinds[0] == ("reassign", "free")
    assert kinds[-1] == ("reschedule", "li")
    assert found[0]["proposals"][-1]["start"] >= end
