"""A technician's appointments as an iCalendar feed their phone's calendar app subscribes to."""

from datetime import timedelta

from icalendar import Calendar

from aftersales.dispatch.models import TechnicianProfile
from tests.dispatch.conftest import iso, next_day_window
from tests.factories import make_technician
from tests.workorders.conftest import ok


def feed_url(client, username: str) -> str:  # type: ignore[no-untyped-def]
    url = client.get(f"/technicians/{username}").json()["calendar_url"]
    return url.removeprefix("http://testserver/api/v1")


def booked_visit(api_as, center, phone, on_site_job, *, hours_later: float = 1):  # type: ignore[no-untyped-def]
    dispatcher = api_as("dispatcher")
    number = on_site_job(phone)["number"]
    ok(dispatcher, number, "assign", technician="li")
    start, end = next_day_window(center, hour_offset=hours_later)
    ok(dispatcher, number, "schedule", start=iso(start), end=iso(end))
    return number, start, end


def test_the_feed_lists_the_visits_with_their_time_zone_and_calendar_apps_can_read_it(
    api_as, anonymous, center, phone, on_site_job
):
    make_technician("li", center)
    number, start, end = booked_visit(api_as, center, phone, on_site_job)
    url = feed_url(api_as("technician", "li"), "li")
    answer = anonymous.client.get(f"/api/v1{url}")  # no bearer token: the key is the credential
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [f"{number}@aftersales"]
    visit = events[0]
    assert visit.decoded("DTSTART") == start and visit.decoded("DTEND") == end
    assert visit["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert phone.customer.address in str(visit["LOCATION"])
    assert str(visit["STATUS"]) == "CONFIRMED"


def test_a_cancelled_visit_stays_in_the_feed_marked_cancelled_so_the_app_removes_it(
    api_as, anonymous, center, phone, on_site_job
):
    make_technician("li", center)
    number, _start, _end = booked_visit(api_as, center, phone, on_site_job)
    ok(api_as("admin"), number, "cancel", reason="客户自行修好")
    url = feed_url(api_as("technician", "li"), "li")
    visit = Calendar.from_ical(anonymous.client.get(f"/api/v1{url}").content).walk("VEVENT")[0]
    assert str(visit["STATUS"]) == "CANCELLED"


def test_another_technicians_visits_are_not_in_the_feed(
    api_as, anonymous, center, phone, on_site_job
):
    make_technician("li", center)
    make_technician("wang", center)
    booked_visit(api_as, center, phone, on_site_job)
    url = feed_url(api_as("technician", "wang"), "wang")
    assert (
        list(Calendar.from_ical(anonymous.client.get(f"/api/v1{url}").content).walk("VEVENT")) == []
    )


def test_a_wrong_or_missing_key_answers_not_found_like_an_unknown_technician(anonymous, center):
    make_technician("li", center)
    assert anonymous.client.get("/api/v1/technicians/li/calendar.ics?key=guess").status_code == 404
    assert anonymous.client.get("/api/v1/technicians/li/calendar.ics").status_code == 404
    assert anonymous.client.get("/api/v1/technicians/nobody/calendar.ics?key=x").status_code == 404


def test_a_new_key_revokes_the_old_link(api_as, anonymous, center):
    make_technician("li", center)
    old = feed_url(api_as("technician", "li"), "li")
    TechnicianProfile.objects.filter(user__username="li").update(calendar_key="fresh-key")
    assert anonymous.client.get(f"/api/v1{old}").status_code == 404
    assert (
        anonymous.client.get("/api/v1/technicians/li/calendar.ics?key=fresh-key").status_code == 200
    )


def test_visits_over_a_month_old_drop_out_of_the_feed(
    api_as, anonymous, center, phone, on_site_job
):
    from aftersales.workorders.models import WorkOrder

    make_technician("li", center)
    number, start, end = booked_visit(api_as, center, phone, on_site_job)
    WorkOrder.objects.filter(number=number).update(
        appointment_start=start - timedelta(days=40), appointment_end=end - timedelta(days=40)
    )
    url = feed_url(api_as("technician", "li"), "li")
    assert (
        list(Calendar.from_ical(anonymous.client.get(f"/api/v1{url}").content).walk("VEVENT")) == []
    )
