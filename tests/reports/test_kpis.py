"""The KPIs of December at the Guangzhou center, each against a count by hand of the scenario in
conftest.py (CONTRACT.md "Reports")."""

import pytest

from tests.reports.conftest import NOW

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def admin_api(api_as, december):  # type: ignore[no-untyped-def]
    return api_as("admin", "reader")


def kpis(client, **params):  # type: ignore[no-untyped-def]
    answer = client.get("/reports/kpis", **params)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_the_month_so_far_at_one_center_counts_as_by_hand(admin_api):
    figures = kpis(admin_api, center="gz")

    assert figures == {
        "from": "2026-12-01",
        "to": "2026-12-15",
        "center": "gz",
        # T1, T2, T3, T5, T4 (T0, T6–T8 came in November; TS is Shenzhen's).
        "tickets_created": 5,
        "by_channel": {"hotline": 3, "walk_in": 1, "web": 1},
        "by_kind": {"complaint": 1, "consultation": 1, "repair": 3},
        # Due and answered or overdue: T1 (answered by J1's opening at 09:30 ≤ 11:00), T2
        # (12:00 > 11:00), T3 (never, overdue); T4 is not due yet, T5 was cancelled → 1/3.
        "response_sla_met_rate": 0.3333,
        # T1 (J1's hand-over 12-03 15:20 ≤ 12-04 09:00), T2 (its first resolve 12-04 09:00 ≤
        # 12-05 09:00; the second, late, does not count), T3 (overdue) → 2/3.
        "resolution_sla_met_rate": 0.6667,
        # Handed over repaired in December: J0, J1, J2, J3 (J4: no fault found).
        "work_orders_completed": 4,
        # J0 and J3; J1 failed QC once, J2 took two arrivals → 2/4.
        "first_time_fix_rate": 0.5,
        # Opened in December: J1 (a repeat of J0) and J4 → 1/2.
        "repeat_repair_rate_90d": 0.5,
        # J0 73 h, J1 30 h 20 min, J2 344 h, J3 343 h → 790.33 / 4 = 197.58.
        "avg_turnaround_hours": 197.6,
        # Hand-over ratings 5 (J0), 3 (J1), 5 (J2), 1 (J4) — J3 declined —, J1's survey by phone
        # 4, T8's portal rating 5 (T2's consultation callback's 1 is not a satisfaction score)
        # → 23 / 6 = 3.833.
        "csat_avg": 3.83,
        "csat_count": 6,
        "complaint_rate": 0.2,  # T3 of 5
        "fees_collected": "840.00",  # J0 280, J2 280, J3 280
        "fees_waived": "20.00",  # J3
    }


def test_every_center_counts_shenzhen_too(admin_api):
    figures = kpis(admin_api)

    assert figures["center"] is None
    assert figures["tickets_created"] == 6
    assert figures["by_channel"] == {"hotline": 4, "walk_in": 1, "web": 1}
    assert figures["complaint_rate"] == 0.1667  # 1 of 6
    # TS was answered by nobody and is overdue: 1 of 4.
    assert figures["response_sla_met_rate"] == 0.25
    assert figures["work_orders_completed"] == 4


def test_an_empty_period_gives_nulls_zeros_and_no_money(admin_api):
    figures = kpis(admin_api, **{"from": "2026-10-01", "to": "2026-10-31"})

    assert figures == {
        "from": "2026-10-01",
        "to": "2026-10-31",
        "center": None,
        "tickets_created": 0,
        "by_channel": {},
        "by_kind": {},
        "response_sla_met_rate": None,
        "resolution_sla_met_rate": None,
        "work_orders_completed": 0,
        "first_time_fix_rate": None,
        "repeat_repair_rate_90d": None,
        "avg_turnaround_hours": None,
        "csat_avg": None,
        "csat_count": 0,
        "complaint_rate": None,
        "fees_collected": "0.00",
        "fees_waived": "0.00",
    }


def test_both_ends_of_the_period_are_whole_local_days(admin_api):
    # 12-01 alone: J0's hand-over (10:00), no request, no waiver.
    first = kpis(admin_api, **{"from": "2026-12-01", "to": "2026-12-01"})
    assert (first["tickets_created"], first["work_orders_completed"]) == (0, 1)
    assert (first["fees_collected"], first["avg_turnaround_hours"]) == ("280.00", 73.0)
    assert first["first_time_fix_rate"] == 1.0
    # November: the requests T7, T8, T6, T0, all repairs by phone, nothing handed over.
    november = kpis(admin_api, **{"from": "2026-11-01", "to": "2026-11-30"})
    assert november["tickets_created"] == 4
    assert november["by_kind"] == {"repair": 4}
    assert november["work_orders_completed"] == 0
    # Opened in November: J2, J3 and J0 (J4 on 12-04), none a repeat.
    assert november["repeat_repair_rate_90d"] == 0.0
