"""Each technician of the Guangzhou center with their December figures, against the scenario's
hand count (conftest.py; CONTRACT.md "Reports")."""

import pytest

from tests.reports.conftest import NOW

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def admin_api(api_as, december):  # type: ignore[no-untyped-def]
    return api_as("admin", "reader")


def rows(client, **params):  # type: ignore[no-untyped-def]
    answer = client.get("/reports/technicians", **params)
    assert answer.status_code == 200, answer.json()
    return answer.json()["items"]


def test_each_technician_of_the_center_counts_as_by_hand(admin_api):
    assert rows(admin_api, center="gz") == [
        {
            "technician": "li",
            "name": "李师傅",
            "work_orders_completed": 1,  # J1 (J4: no fault found)
            "first_time_fix_rate": 0.0,  # J1 failed QC once
            "repeat_repairs": 0,
            # J1 rated 3 at the hand-over and 4 by phone, J4 rated 1 → 8 / 3.
            "csat_avg": 2.67,
            "on_time_arrival_rate": None,  # carry-in jobs only: no arrival
            "reschedules": 0,
        },
        {
            "technician": "wang",
            "name": "王师傅",
            "work_orders_completed": 0,
            "first_time_fix_rate": None,
            "repeat_repairs": 0,
            "csat_avg": None,
            "on_time_arrival_rate": None,
            "reschedules": 0,
        },
        {
            "technician": "zhang",
            "name": "张师傅",
            "work_orders_completed": 3,  # J0, J2, J3
            "first_time_fix_rate": 0.6667,  # J0, J3; J2 needed two arrivals
            "repeat_repairs": 1,  # J1 repeats J0, which he handed over
            # J0 5, J2 5 at the hand-over (J3 declined), T8's portal rating of J3 5 → 15 / 3.
            "csat_avg": 5.0,
            # J2 10:30 in 10–12, J2 16:30 after 14–16, J3 14:30 in the moved 14–16 → 2 / 3.
            "on_time_arrival_rate": 0.6667,
            "reschedules": 1,  # J3's window moved on 12-01 (J2's second visit is a new booking)
        },
    ]


def test_every_center_lists_shenzhens_technician_too(admin_api):
    assert [row["technician"] for row in rows(admin_api)] == ["li", "wang", "zhang", "zhao"]


def test_a_period_before_any_work_gives_zeros_and_nulls(admin_api):
    [li, *_] = rows(admin_api, center="gz", **{"from": "2026-10-01", "to": "2026-10-31"})
    assert li == {
        "technician": "li",
        "name": "李师傅",
        "work_orders_completed": 0,
        "first_time_fix_rate": None,
        "repeat_repairs": 0,
        "csat_avg": None,
        "on_time_arrival_rate": None,
        "reschedules": 0,
    }
