"""The technicians' daily hand-in (交单): the deadline (noon of the next working day), what a
technician's day asks them to hand in, one hand-in per day (corrected before the deadline,
refused after), and the branch manager's report of who has not handed in — by API and service."""

import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from aftersales.core import rules as calendar_rules
from aftersales.core.errors import Duplicate, Forbidden, InvalidInput
from aftersales.core.models import Event
from aftersales.dispatch import rules, selectors
from aftersales.dispatch.models import HandIn
from aftersales.field.hand_in import hand_in_day, hand_in_report
from aftersales.field.services import hand_in_submit
from aftersales.workorders import services as wo_services
from aftersales.workorders.models import WorkOrder
from tests.factories import (
    CenterFactory,
    make_staff,
    on_site_job,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = ((time(9), time(12)), (time(13, 30), time(18)))


def office(days_off=(), extra_workdays=()) -> calendar_rules.WorkingCalendar:  # type: ignore[no-untyped-def]
    return calendar_rules.WorkingCalendar(
        tz=SHANGHAI,
        weekly=calendar_rules.standard_week(HOURS),
        days_off=frozenset(days_off),
        extra_workdays=frozenset(extra_workdays),
    )


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=SHANGHAI)


# --- rules ------------------------------------------------------------------------------------


def test_the_deadline_is_noon_of_the_next_working_day():
    week = office()
    assert rules.hand_in_deadline(date(2026, 11, 24), week) == noon(date(2026, 11, 25))  # Tue
    # A Friday's and a Saturday's jobs are due on Monday at noon.
    assert rules.hand_in_deadline(date(2026, 11, 20), week) == noon(date(2026, 11, 23))
    assert rules.hand_in_deadline(date(2026, 11, 21), week) == noon(date(2026, 11, 23))


def test_a_holiday_moves_the_deadline_past_it_and_a_worked_weekend_day_counts():
    golden_week = [date(2026, 10, 1) + timedelta(days=n) for n in range(7)]
    calendar = office(days_off=golden_week, extra_workdays=[date(2026, 10, 10)])  # a Saturday
    assert rules.hand_in_deadline(date(2026, 9, 30), calendar) == noon(date(2026, 10, 8))
    assert rules.hand_in_deadline(date(2026, 10, 9), calendar) == noon(date(2026, 10, 10))
    assert rules.hand_in_deadline(date(2026, 10, 9), calendar).utcoffset() == timedelta(hours=8)


def test_the_previous_working_day_skips_weekends_and_holidays():
    calendar = office(days_off=[date(2026, 11, 20)])
    assert rules.previous_working_day(date(2026, 11, 24), calendar) == date(2026, 11, 23)
    assert rules.previous_working_day(date(2026, 11, 23), calendar) == date(2026, 11, 19)


def test_status_handed_in_late_missing_not_yet_due_nothing_due():
    deadline = noon(date(2026, 11, 25))
    before, after = deadline - timedelta(hours=1), deadline + timedelta(minutes=1)
    status = rules.hand_in_status
    assert status(deadline=deadline, handed_in_at=before, now=after) == "handed_in"
    assert status(deadline=deadline, handed_in_at=deadline, now=after) == "handed_in"
    assert status(deadline=deadline, handed_in_at=after, now=after) == "late"
    assert status(deadline=deadline, handed_in_at=None, now=before) == "not_yet_due"
    assert status(deadline=deadline, handed_in_at=None, now=after) == "missing"
    assert status(deadline=deadline, handed_in_at=None, now=after, expected=False) == "nothing_due"


# --- the story: a technician's day ----------------------------------------------------------


@pytest.fixture
def admin(db, center):  # type: ignore[no-untyped-def]
    return make_staff("boss", "admin", center)


@pytest.fixture
def tech(db, center):  # type: ignore[no-untyped-def]
    user = make_staff("tech", "technician", center)
    user.first_name = "李师傅"
    user.save(update_fields=["first_name"])
    return user


def act(wo, by, action, **payload):  # type: ignore[no-untyped-def]
    return wo_services.work_order_act(work_order=wo, by=by, action=action, **payload)


def at_ten(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=SHANGHAI)


def old_phone_job(by, tech, day: date):  # type: ignore[no-untyped-def]
    """An on-site job of `tech` (an old phone: a paid repair), booked at 10:00 on `day`."""
    return on_site_job(by, technician=tech, booked_at=at_ten(day), days_ago=1000, summary="不开机")


def repaired_and_paid(wo, tech, price: str = "280.00"):  # type: ignore[no-untyped-def]
    """The technician repairs the job on site and takes the customer's money."""
    act(wo, tech, "depart")
    act(wo, tech, "arrive")
    act(wo, tech, "start_diagnosis")
    act(wo, tech, "diagnose", findings="主板受潮", fault_code="BOARD", human_damage=False)
    lines = [{"kind": "labor", "description": "清洗主板", "qty": 1, "unit_price": price}]
    act(wo, tech, "quote", lines=lines)
    act(wo, tech, "approve_quote")
    act(wo, tech, "complete_repair", actions_taken="清洗主板")
    act(wo, tech, "qc_pass", checks=["开机"])
    payment = {"amount": price, "method": "cash", "receipt_no": "R-1"}
    return act(wo, tech, "hand_over", rating=5, payment=payment, no_signature_reason="客户口头确认")


def left_unfinished(wo, tech, reason: str = "parts_missing"):  # type: ignore[no-untyped-def]
    act(wo, tech, "depart")
    act(wo, tech, "arrive")
    return act(wo, tech, "visit_incomplete", reason=reason)


@pytest.fixture
def today_worked(admin, tech):  # type: ignore[no-untyped-def]
    """Today: one job repaired and paid (280.00), one left waiting for parts."""
    today = timezone.localdate()
    done = repaired_and_paid(old_phone_job(admin, tech, today), tech)
    waiting = left_unfinished(old_phone_job(admin, tech, today), tech)
    return done, waiting


def hand_in_events(hand_in: HandIn):  # type: ignore[no-untyped-def]
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(HandIn), object_id=hand_in.pk
    ).order_by("id")


def test_the_day_lists_the_jobs_the_unfinished_with_reasons_and_the_fees(tech, today_worked):
    done, waiting = today_worked

    day = hand_in_day(tech, timezone.localdate())

    assert [wo.number for wo in day.jobs] == [done.number, waiting.number]
    assert day.sheets == 2
    assert [(wo.number, wo.visit_incomplete) for wo in day.unfinished] == [
        (waiting.number, "parts_missing")
    ]
    assert day.fees == Decimal("280.00")
    assert day.hand_in is None and day.status == "not_yet_due"


def test_a_hand_in_defaults_to_what_was_counted_and_writes_one_event(tech, today_worked):
    _done, waiting = today_worked

    hand_in = hand_in_submit(technician=tech, day=timezone.localdate(), by=tech, note="卡已交")

    assert (hand_in.sheets, hand_in.fees, hand_in.note) == (2, Decimal("280.00"), "卡已交")
    [event] = hand_in_events(hand_in)
    assert event.action == "hand_in" and event.actor == tech
    assert event.data["counted"] == {"sheets": 2, "fees": "280.00"}
    assert event.data["unfinished"] == [{"work_order": waiting.number, "reason": "parts_missing"}]
    assert event.data["status"] == "handed_in"


def test_a_correction_before_noon_replaces_it_and_after_noon_is_refused(tech, today_worked):
    today = timezone.localdate()
    deadline = hand_in_day(tech, today).deadline
    first = hand_in_submit(technician=tech, day=today, by=tech, sheets=1, fees="100")

    corrected = hand_in_submit(
        technician=tech, day=today, by=tech, sheets=2, fees="280.00", now=deadline
    )

    assert corrected.pk == first.pk and HandIn.objects.count() == 1
    assert (corrected.sheets, corrected.fees) == (2, Decimal("280.00"))
    events = list(hand_in_events(corrected))
    assert len(events) == 2 and events[1].data["correction_of"] == {"sheets": 1, "fees": "100.00"}

    with pytest.raises(Duplicate):
        hand_in_submit(
            technician=tech, day=today, by=tech, sheets=9, now=deadline + timedelta(seconds=1)
        )
    corrected.refresh_from_db()
    assert corrected.sheets == 2 and hand_in_events(corrected).count() == 2


def test_only_the_technician_their_branch_manager_or_an_admin_hands_in(center, tech, admin):
    day = timezone.localdate() - timedelta(days=3)
    colleague = make_staff("tech-2", "technician", center)
    elsewhere = make_staff("sz-bm", "branch_manager", CenterFactory(code="sz", regions=["440300"]))
    for stranger in (colleague, elsewhere, make_staff("hl", "hotline", center)):
        with pytest.raises(Forbidden):
            hand_in_submit(technician=tech, day=day, by=stranger)
    assert not HandIn.objects.exists() and not Event.objects.filter(action="hand_in").exists()

    manager = make_staff("gz-bm", "branch_manager", center)
    assert hand_in_submit(technician=tech, day=day, by=manager).technician == tech
    assert hand_in_submit(technician=colleague, day=day, by=admin).technician == colleague
    with pytest.raises(Forbidden):  # a person without a hand-in of their own
        hand_in_submit(technician=manager, day=day, by=manager)


def test_bad_input_names_its_field(tech):
    today = timezone.localdate()
    cases = [
        ({"day": today + timedelta(days=1)}, "day"),
        ({"day": today, "sheets": -1}, "sheets"),
        ({"day": today, "fees": "abc"}, "fees"),
        ({"day": today, "fees": "-5"}, "fees"),
        ({"day": today, "fees": "NaN"}, "fees"),
    ]
    for arguments, field in cases:
        with pytest.raises(InvalidInput) as refused:
            hand_in_submit(technician=tech, by=tech, **arguments)
        assert field in refused.value.details
    assert not HandIn.objects.exists()


# --- the day a job was visited ------------------------------------------------------------------
# A day's jobs are the ones the technician visited that day, not where the job's booking now stands.

MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def rebooked(wo, by, day: date):  # type: ignore[no-untyped-def]
    """The dispatcher books the next visit at 10:00 on `day` (the parts are missing)."""
    start = at_ten(day)
    end = start + timedelta(hours=2)
    return act(wo, by, "schedule", start=start, end=end, reason="parts_missing")


def test_a_visit_left_unfinished_and_rebooked_stays_on_the_day_it_was_made(admin, tech):
    # Given a job visited on Monday, left waiting for parts and rebooked for Wednesday
    with time_machine.travel(at(MONDAY, 8), tick=False):
        wo = old_phone_job(admin, tech, MONDAY)
    with time_machine.travel(at(MONDAY, 10, 5), tick=False):
        left_unfinished(wo, tech)
    with time_machine.travel(at(MONDAY, 17), tick=False):
        rebooked(wo, admin, WEDNESDAY)

        # then Monday's hand-in still asks for its paperwork, with the reason it is unfinished
        monday = hand_in_day(tech, MONDAY)
    assert [job.number for job in monday.jobs] == [wo.number]
    # (the job itself now carries its next visit: the reason stays with Monday's)
    assert [(job.number, reason) for job, reason in monday.unfinished_reasons] == [
        (wo.number, "parts_missing")
    ]
    with time_machine.travel(at(TUESDAY, 12, 1), tick=False):
        assert hand_in_day(tech, MONDAY).status == "missing"
        assert hand_in_day(tech, TUESDAY).status == "nothing_due"

    # When the technician comes back on Wednesday and finishes the repair
    with time_machine.travel(at(WEDNESDAY, 10, 5), tick=False):
        repaired_and_paid(WorkOrder.objects.get(pk=wo.pk), tech)

        # then Wednesday's hand-in lists it with the money taken, and Monday's still lists it
        wednesday = hand_in_day(tech, WEDNESDAY)
        monday = hand_in_day(tech, MONDAY)
    assert [job.number for job in wednesday.jobs] == [wo.number]
    assert wednesday.fees == Decimal("280.00") and not wednesday.unfinished
    assert [job.number for job in monday.jobs] == [wo.number]
    assert monday.sheets == 1 and monday.fees == Decimal("0.00")


def test_an_earlier_day_keeps_its_reason_after_the_next_visit_clears_it(
    client, api_as, admin, tech
):
    # Given a job visited on Monday and left unfinished: the customer was not at home
    with time_machine.travel(at(MONDAY, 8), tick=False):
        wo = old_phone_job(admin, tech, MONDAY)
    with time_machine.travel(at(MONDAY, 10, 5), tick=False):
        left_unfinished(wo, tech, reason="customer_absent")
    with time_machine.travel(at(MONDAY, 17), tick=False):
        rebooked(wo, admin, WEDNESDAY)

    # When the technician arrives again on Wednesday (the job's reason is cleared)
    with time_machine.travel(at(WEDNESDAY, 10, 5), tick=False):
        act(WorkOrder.objects.get(pk=wo.pk), tech, "depart")
        act(WorkOrder.objects.get(pk=wo.pk), tech, "arrive")
        assert WorkOrder.objects.get(pk=wo.pk).visit_incomplete == ""

        # then Monday's hand-in still says why it was left: on the form, the report and the API
        monday = hand_in_day(tech, MONDAY)
        client.force_login(admin)
        page = client.get("/dispatch/hand-ins/", {"day": MONDAY.isoformat()})
        answer = api_as("admin", "boss").get("/hand-ins", day=MONDAY.isoformat())
    assert monday.unfinished_reasons == [(wo, "customer_absent")]
    with translation.override("zh-hans"):
        assert translation.gettext("Customer absent") in page.content.decode()
    row = next(r for r in answer.json()["items"] if r["technician"] == "tech")
    assert [(job["work_order"], job["reason"]) for job in row["unfinished"]] == [
        (wo.number, "customer_absent")
    ]


def test_a_visit_stays_with_the_technician_who_made_it_when_the_job_goes_to_another(
    center, admin, tech
):
    # Given a job visited by one technician on Monday and given to a colleague for Wednesday
    colleague = make_staff("tech-2", "technician", center)
    with time_machine.travel(at(MONDAY, 8), tick=False):
        wo = old_phone_job(admin, tech, MONDAY)
    with time_machine.travel(at(MONDAY, 10, 5), tick=False):
        left_unfinished(wo, tech, reason="needs_depot")
    with time_machine.travel(at(MONDAY, 17), tick=False):
        act(wo, admin, "assign", technician=colleague.username)
        rebooked(wo, admin, WEDNESDAY)

    # When the manager reads Monday's report after the deadline
    with time_machine.travel(at(TUESDAY, 12, 1), tick=False):
        report = hand_in_report(MONDAY, by=admin)

    # then the one who went owes the paperwork; the colleague owes nothing for Monday
    rows = {row.technician.username: row for row in report.rows}
    assert [job.number for job in rows["tech"].jobs] == [wo.number]
    assert rows["tech"].status == "missing"
    assert rows["tech-2"].jobs == [] and rows["tech-2"].status == "nothing_due"


def test_the_report_reads_the_visits_of_the_day_in_the_same_queries_for_one_job_or_many(
    center, admin, tech
):
    colleague = make_staff("tech-2", "technician", center)

    def visits(count: int) -> None:
        for _ in range(count):
            with time_machine.travel(at(MONDAY, 8), tick=False):
                wo = old_phone_job(admin, tech, MONDAY)
            with time_machine.travel(at(MONDAY, 10, 5), tick=False):
                left_unfinished(wo, tech)
            with time_machine.travel(at(MONDAY, 17), tick=False):
                act(wo, admin, "assign", technician=colleague.username)
                rebooked(wo, admin, WEDNESDAY)

    def report_queries(sheets: int) -> int:
        with CaptureQueriesContext(connection) as read:
            report = hand_in_report(MONDAY, by=admin, now=at(TUESDAY, 9))
        assert {row.technician.username: row.sheets for row in report.rows}["tech"] == sheets
        return len(read.captured_queries)

    visits(1)
    one = report_queries(1)
    visits(3)
    assert report_queries(4) == one


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def last_week(admin, tech):  # type: ignore[no-untyped-def]
    """A day long past whose noon deadline is gone: one visit left unfinished (customer absent)."""
    day = timezone.localdate() - timedelta(days=10)
    wo = old_phone_job(admin, tech, day)
    WorkOrder.objects.filter(pk=wo.pk).update(visit_incomplete="customer_absent")
    return day, wo


def test_the_manager_sees_who_has_not_handed_in(api_as, center, tech, last_week):
    day, wo = last_week
    make_staff("idle", "technician", center)  # no job that day: nothing to hand in
    done = make_staff("tidy", "technician", center)
    HandIn.objects.create(technician=done, day=day, sheets=1, handed_in_at=noon(day))
    make_staff("far", "technician", CenterFactory(code="sz", regions=["440300"]))

    answer = api_as("branch_manager", "gz-bm").get("/hand-ins", day=day.isoformat())

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["day"] == day.isoformat()
    statuses = {item["technician"]: item["status"] for item in body["items"]}
    assert statuses == {"tech": "missing", "tidy": "handed_in", "idle": "nothing_due"}
    missing = body["items"][0]
    assert missing["technician"] == "tech" and missing["name"] == "李师傅"
    assert missing["center"] == "gz" and missing["handed_in_at"] is None
    assert missing["sheets"] is None and missing["expected_sheets"] == 1
    assert missing["unfinished"] == [
        {"work_order": wo.number, "reason": "customer_absent", "status": "scheduled"}
    ]
    assert missing["expected_fees"] == "0.00"


def test_a_hand_in_after_the_deadline_is_late_and_only_once(api_as, tech, last_week):
    day, _wo = last_week
    client = api_as("technician", "tech")

    made = client.post("/hand-ins", {"day": day.isoformat(), "note": "客户不在家"})

    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "late" and made.json()["sheets"] == 1
    assert made.json()["fees"] == "0.00" and made.json()["day"] == day.isoformat()
    again = client.post("/hand-ins", {"day": day.isoformat(), "sheets": 3})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    assert HandIn.objects.get().sheets == 1
    report = api_as("admin", "boss").get("/hand-ins", day=day.isoformat()).json()
    assert [(i["technician"], i["status"]) for i in report["items"]] == [("tech", "late")]


def test_report_scope_and_refusals(api_as, center, tech, last_week):
    day, _wo = last_week
    CenterFactory(code="sz", regions=["440300"])
    manager = api_as("branch_manager", "gz-bm")
    assert manager.get("/hand-ins", day=day.isoformat(), center="sz").status_code == 404
    assert manager.get("/hand-ins", day=day.isoformat(), center="gz").status_code == 200
    for role in ("technician", "hotline", "front_desk", "finance"):
        answer = api_as(role, f"{role}-x").get("/hand-ins", day=day.isoformat())
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
    for role in ("dispatcher", "archive", "admin"):
        answer = api_as(role, f"{role}-x").get("/hand-ins", day=day.isoformat(), center="gz")
        items = answer.json()["items"]
        assert [(i["technician"], i["status"]) for i in items][0] == ("tech", "missing")
    bad_day = manager.get("/hand-ins", day="2026-13-40")
    assert bad_day.status_code == 422 and "day" in bad_day.json()["error"]["details"]
    unknown = manager.get("/hand-ins", center="nowhere")
    assert unknown.status_code == 422 and "center" in unknown.json()["error"]["details"]


def test_the_report_defaults_to_the_previous_working_day(api_as):
    body = api_as("dispatcher", "disp").get("/hand-ins").json()
    expected = rules.previous_working_day(timezone.localdate(), selectors.calendar_of(None))
    assert body["day"] == expected.isoformat()
    assert body["deadline"].startswith(
        rules.hand_in_deadline(expected, selectors.calendar_of(None)).date().isoformat()
    )


def test_bad_hand_in_bodies_answer_422_or_400_and_change_nothing(api_as, tech):
    client = api_as("technician", "tech")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    for body, field in (
        ({"day": "yesterday"}, "day"),
        ({"day": tomorrow}, "day"),
        ({}, "day"),
        ({"day": today, "sheets": -2}, "sheets"),
        ({"day": today, "sheets": "many"}, "sheets"),
        ({"day": today, "fees": "12,50"}, "fees"),
    ):
        answer = client.post("/hand-ins", body)
        assert answer.status_code == 422, (body, answer.json())
        assert field in answer.json()["error"]["details"], (body, answer.json())
    assert client.post("/hand-ins", raw=b"{not json").status_code == 400
    hotline = api_as("hotline", "hl").post("/hand-ins", {"day": today})
    assert hotline.status_code == 403
    assert not HandIn.objects.exists()


def test_a_manager_hands_in_for_a_technician_of_their_center(api_as, tech):
    today = timezone.localdate().isoformat()
    answer = api_as("branch_manager", "gz-bm").post(
        "/hand-ins", {"day": today, "technician": "tech", "sheets": 0, "fees": 0}
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["technician"] == "tech" and answer.json()["status"] == "handed_in"
    [event] = hand_in_events(HandIn.objects.get())
    assert event.actor.username == "gz-bm"
    nobody = api_as("admin", "boss").post("/hand-ins", {"day": today, "technician": "ghost"})
    assert nobody.status_code == 422 and "technician" in nobody.json()["error"]["details"]
    assert json.loads(answer.content)["fees"] == "0.00"


def test_a_day_no_one_could_have_worked_is_refused_naming_the_day(api_as, tech):
    report = api_as("admin", "adm-days").get("/hand-ins", day="0001-01-01")
    assert report.status_code == 422 and "day" in report.json()["error"]["details"]
