"""GET /reports/trends: the dashboard's series as JSON — one value per point, rounded as the KPIs
are, adding up to the KPIs of the same period. The December of conftest.py."""

import pytest
from django.test import override_settings

from aftersales.reports import rules
from tests.reports.conftest import NOW, at, request

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def admin_api(api_as, december):  # type: ignore[no-untyped-def]
    return api_as("admin", "reader")


def get(client, path, status=200, **params):  # type: ignore[no-untyped-def]
    answer = client.get(path, **params)
    assert answer.status_code == status, answer.json()
    return answer.json()


def days(values, first=1):  # type: ignore[no-untyped-def]
    """{day of December: value} of the points that have one (not null, not zero)."""
    return {n + first: v for n, v in enumerate(values) if v not in (None, 0, "0.00")}


def test_the_fifteen_days_of_december_point_by_point(admin_api):
    trends = get(admin_api, "/reports/trends", center="gz")

    assert (trends["from"], trends["to"], trends["center"], trends["step"]) == (
        "2026-12-01",
        "2026-12-15",
        "gz",
        "day",
    )
    assert len(trends["points"]) == 15
    assert trends["points"][1] == {"from": "2026-12-02", "to": "2026-12-02"}
    series = trends["series"]
    assert days(series["created_by_channel"]["hotline"]) == {2: 1, 3: 1, 6: 1}
    # T1 (12-02) in time, T2 (12-03) answered late, T3 (12-05) never.
    assert days(series["response_sla_met_rate"]) == {2: 1.0}
    assert series["response_sla_met_rate"][2] == 0.0 and series["response_sla_met_rate"][0] is None
    # T1 and T2 resolved in time (their first resolve), T3 overdue.
    assert days(series["resolution_sla_met_rate"]) == {2: 1.0, 3: 1.0}
    assert series["resolution_sla_met_rate"][4] == 0.0
    # Handed over repaired: J0 12-01 (73 h), J1 12-03 (30 h 20 min), J2 12-09, J3 12-10.
    assert days(series["avg_turnaround_hours"]) == {1: 73.0, 3: 30.3, 9: 344.0, 10: 343.0}
    assert days(series["fees_collected"]) == {1: "280.00", 9: "280.00", 10: "280.00"}
    assert days(series["csat_avg"]) == {1: 5.0, 3: 3.0, 5: 4.0, 9: 5.0, 11: 1.0, 12: 5.0}
    assert days(series["complaints"]) == {5: 1}


def test_the_series_add_up_to_the_kpis_of_the_period(admin_api):
    for params in ({}, {"center": "gz"}, {"from": "2026-09-01", "to": "2026-12-15"}):
        trends = get(admin_api, "/reports/trends", **params)
        kpis = get(admin_api, "/reports/kpis", **params)

        series = trends["series"]
        assert sum(map(sum, series["created_by_channel"].values())) == kpis["tickets_created"]
        assert sum(series["complaints"]) == round(kpis["complaint_rate"] * kpis["tickets_created"])
        assert rules.money(sum(map(float, series["fees_collected"]))) == kpis["fees_collected"]


def test_a_long_period_is_by_week(admin_api):
    trends = get(admin_api, "/reports/trends", **{"from": "2026-09-01", "to": "2026-12-15"})

    assert trends["step"] == "week" and len(trends["points"]) == 16
    assert trends["points"][0] == {"from": "2026-09-01", "to": "2026-09-06"}
    # J0 (73 h, 12-01) and J1 (30 h 20 min, 12-03) share the week of 11-30: their mean.
    assert trends["series"]["avg_turnaround_hours"][13] == 51.7


def test_scope_and_refusals_are_the_kpis(api_as, december):
    manager = api_as("branch_manager", "boss-gz")  # of the Guangzhou center
    assert get(manager, "/reports/trends")["center"] == "gz"
    get(manager, "/reports/trends", status=404, center="sz")
    get(api_as("hotline", "agent"), "/reports/trends", status=403)
    refused = get(
        api_as("admin", "reader"),
        "/reports/trends",
        status=422,
        **{"from": "2026-12-10", "to": "2026-12-09"},
    )
    assert "to" in str(refused)


def test_a_request_late_in_the_evening_counts_on_its_local_day(api_as, december):
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 is 16:30 UTC the day before.
    request(december.admin, at(12, 13, "23:30"))
    request(december.admin, at(12, 14, "00:30"))

    trends = get(api_as("admin", "reader"), "/reports/trends", center="gz")

    created = [
        sum(day) for day in zip(*trends["series"]["created_by_channel"].values(), strict=True)
    ]
    assert created[12:14] == [1, 1]  # 12-13 and 12-14


@override_settings(TIME_ZONE="America/New_York")
def test_a_zone_that_changes_its_offset_in_the_period_still_counts_local_days(api_as, december):
    # 2026-11-01 02:00 New York falls back an hour: the period spans two offsets.
    trends = get(
        api_as("admin", "reader"), "/reports/trends", **{"from": "2026-10-25", "to": "2026-12-15"}
    )
    kpis = get(
        api_as("admin", "reader2"), "/reports/kpis", **{"from": "2026-10-25", "to": "2026-12-15"}
    )

    assert sum(map(sum, trends["series"]["created_by_channel"].values())) == kpis["tickets_created"]
