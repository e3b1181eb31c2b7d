"""The pure dispatch rules: who may take a job, when they are free, and why one ranks above
another (CONTRACT.md "Dispatch and people"), plus the ways out when an urgent job pre-empts."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aftersales.core.rules import WorkingCalendar, parse_day_hours, standard_week
from aftersales.dispatch import rules
from aftersales.dispatch.rules import Candidate, Need, Weights

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
# Mornings and afternoons with a lunch break, Monday to Friday.
WEEK = WorkingCalendar(
    tz=TZ, weekly=standard_week(parse_day_hours([["09:00", "12:00"], ["13:30", "18:00"]]))
)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def tech(username: str = "li", **fields) -> Candidate:  # type: ignore[no-untyped-def]
    base = Candidate(
        username=username,
        center="gz",
        center_regions=("440100",),
        regions=(),
        skills=frozenset({"mobile_phone"}),
        calendar=WEEK,
        daily_capacity=6,
    )
    return replace(base, **fields)


def need(**fields) -> Need:  # type: ignore[no-untyped-def]
    base = Need(after=at(MONDAY, "09:00"), region="440106", category="mobile_phone")
    return replace(base, **fields)


def names(suggestions) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.technician for s in suggestions]


# --- who may take the job --------------------------------------------------------------------


def test_a_city_center_serves_every_district_of_the_city_and_nothing_outside_it():
    assert names(rules.suggest(need(region="440106"), [tech()])) == ["li"]
    assert rules.suggest(need(region="310101"), [tech()]) == []


def test_a_technicians_own_area_narrows_the_centers():
    north = tech("north", regions=("440111",))
    south = tech("south", regions=("440106",))
    assert names(rules.suggest(need(region="440106"), [north, south])) == ["south"]


def test_a_technician_without_the_units_category_is_not_suggested():
    floors = tech("floors", skills=frozenset({"flooring"}))
    assert rules.suggest(need(), [floors]) == []
    assert names(rules.suggest(need(category=""), [floors])) == ["floors"]


def test_an_inactive_technician_is_never_suggested():
    assert rules.suggest(need(), [tech(active=False)]) == []


def test_a_depot_job_goes_to_the_technicians_of_the_center_holding_the_unit_whatever_the_region():
    here, there = tech("here", center="sz"), tech("there", center="gz")
    found = rules.suggest(need(center="sz", region=""), [here, there])
    assert names(found) == ["here"]
    assert [r.code for r in found[0].reasons][:2] == ["at_center", "has_skill"]


# --- when they are free ------------------------------------------------------------------------


def test_a_visit_never_spans_the_lunch_break():
    slot = rules.earliest_slot(tech(), at(MONDAY, "10:40"), timedelta(hours=2))
    assert slot == at(MONDAY, "13:30")


def test_the_slot_starts_on_the_half_hour_after_now():
    assert rules.earliest_slot(tech(), at(MONDAY, "09:05"), timedelta(hours=1)) == at(
        MONDAY, "09:30"
    )


def test_booked_windows_are_skipped():
    busy = tech(busy=((at(MONDAY, "09:00"), at(MONDAY, "10:00")),))
    assert rules.earliest_slot(busy, at(MONDAY, "09:00"), timedelta(hours=2)) == at(MONDAY, "10:00")


def test_a_leave_day_moves_the_slot_to_the_next_working_day():
    away = tech(leave_days=frozenset({MONDAY}))
    assert rules.earliest_slot(away, at(MONDAY, "09:00"), timedelta(hours=2)) == at(
        MONDAY + timedelta(days=1), "09:00"
    )


def test_a_technician_on_leave_for_the_whole_horizon_is_not_suggested():
    away = tech(leave_days=frozenset(MONDAY + timedelta(days=d) for d in range(30)))
    assert rules.suggest(need(), [away]) == []


def test_a_full_day_moves_the_slot_to_the_next_day_and_the_weekend_is_skipped():
    friday = MONDAY + timedelta(days=4)
    full = tech(jobs_by_day={friday: 6})
    assert rules.earliest_slot(full, at(friday, "09:00"), timedelta(hours=2)) == at(
        friday + timedelta(days=3), "09:00"
    )


# --- why one ranks above another ----------------------------------------------------------------


def test_the_district_technician_ranks_above_the_city_one_and_says_why():
    city = tech("city")
    district = tech("district", regions=("440106",))
    best, second = rules.suggest(need(), [city, district])
    assert (best.technician, second.technician) == ("district", "city")
    assert [(r.code, r.value) for r in best.reasons] == [
        ("serves_region", "440106"),
        ("distance_band", "district"),
        ("has_skill", "mobile_phone"),
        ("load_today", (0, 6)),
        ("earliest_slot", at(MONDAY, "09:00")),
    ]
    assert dict((r.code, r.value) for r in second.reasons)["distance_band"] == "city"


def test_a_busier_day_ranks_lower():
    idle = tech("idle")
    busy = tech("busy", jobs_by_day={MONDAY: 4}, busy=())
    assert names(rules.suggest(need(), [busy, idle])) == ["idle", "busy"]
    assert dict((r.code, r.value) for r in rules.suggest(need(), [busy])[0].reasons)[
        "load_today"
    ] == (4, 6)


def test_an_earlier_slot_ranks_higher_and_equal_candidates_keep_a_stable_order():
    later = tech("a-later", busy=((at(MONDAY, "09:00"), at(MONDAY, "18:00")),))
    assert names(rules.suggest(need(), [later, tech("b"), tech("c")])) == ["b", "c", "a-later"]


def test_a_technician_who_knows_the_unit_ranks_higher():
    found = rules.suggest(need(worked_on_unit=frozenset({"knows"})), [tech("other"), tech("knows")])
    assert names(found) == ["knows", "other"]
    assert ("repeat_history", "knows_unit") in [(r.code, r.value) for r in found[0].reasons]


def test_a_repeat_of_a_technicians_own_repair_goes_to_a_colleague_first():
    found = rules.suggest(
        need(worked_on_unit=frozenset({"first"}), repeat_of_technician="first"),
        [tech("first"), tech("second")],
    )
    assert names(found) == ["second", "first"]
    assert ("repeat_history", "repeats_own_repair") in [(r.code, r.value) for r in found[1].reasons]


def test_the_weights_are_data_a_deployment_can_tune():
    near_but_busy = tech("near", regions=("440106",), jobs_by_day={MONDAY: 1})
    far_but_idle = tech("far")
    assert names(rules.suggest(need(), [near_but_busy, far_but_idle]))[0] == "near"
    load_matters = Weights(per_job_that_day=-12.0)
    assert names(rules.suggest(need(), [near_but_busy, far_but_idle], load_matters))[0] == "far"


# --- pre-emption --------------------------------------------------------------------------------


def test_an_urgent_job_over_a_booked_window_proposes_a_free_colleague_then_a_later_time():
    window = (at(MONDAY, "14:00"), at(MONDAY, "16:00"))
    urgent = (at(MONDAY, "13:30"), at(MONDAY, "15:30"))
    owner = tech("owner", busy=(urgent,))
    free = tech("free")
    booked = tech("booked", busy=((at(MONDAY, "15:00"), at(MONDAY, "17:00")),))
    found = rules.proposals_for_conflict(
        window, need(after=at(MONDAY, "12:00")), owner, [owner, free, booked]
    )
    assert [(p.kind, p.technician, p.start) for p in found] == [
        ("reassign", "free", window[0]),
        ("reschedule", "owner", at(MONDAY, "15:30")),
    ]
    assert found[1].end - found[1].start == timedelta(hours=2)


def test_no_colleague_free_leaves_only_the_new_time():
    window = (at(MONDAY, "09:00"), at(MONDAY, "11:00"))
    owner = tech("owner", busy=(window,))
    found = rules.proposals_for_conflict(window, need(), owner, [tech("away", active=False)])
    assert [(p.kind, p.start) for p in found] == [("reschedule", at(MONDAY, "13:30"))]


# Late for the visit (the board's at-risk list) ----------------------------------------------------


def late(now: str, *, arrived: str | None = None, incomplete: str = "", status: str = "scheduled"):  # type: ignore[no-untyped-def]
    """A visit booked 14:00 on Monday; an arrival (if any) earlier that day."""
    return rules.late_for_visit(
        status=status,
        appointment_start=at(MONDAY, "14:00"),
        arrived_at=at(MONDAY, arrived) if arrived else None,
        visit_incomplete=incomplete,
        now=at(MONDAY, now),
    )


def test_late_means_the_window_began_and_nobody_arrived_for_this_visit():
    assert not late("13:59")  # the window has not begun
    assert late("14:30")
    assert not late("14:30", arrived="14:10")  # on site
    assert not late("14:30", status="diagnosing")  # the work has started
    # a morning visit ended unfinished; this afternoon's is a new one
    assert late("14:30", arrived="09:05", incomplete="customer_absent")
    # the visit in this window itself ended unfinished: it took place, nobody is late
    assert not late("15:30", arrived="14:10", incomplete="customer_absent")
