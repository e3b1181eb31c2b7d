"""The fault statistics of December: the work orders by model, the fault code of their last
diagnosis and each part used, against the scenario's hand count (conftest.py)."""

import pytest

from tests.reports.conftest import NOW

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def admin_api(api_as, december):  # type: ignore[no-untyped-def]
    return api_as("admin", "reader")


def rows(client, **params):  # type: ignore[no-untyped-def]
    answer = client.get("/reports/faults", **params)
    assert answer.status_code == 200, answer.json()
    return answer.json()["items"]


def row(model, part, fault_code, count, units):  # type: ignore[no-untyped-def]
    rate = round(count / units, 4)
    return {
        "model": model,
        "part": part,
        "fault_code": fault_code,
        "count": count,
        "units_registered": units,
        "rate": rate,
    }


def test_diagnosed_in_the_month_by_model_fault_and_part_most_frequent_first(admin_api):
    # Diagnosed in December: J1 (XH-A, SCREEN, the LCD), J2 (XH-B, BOARD, the board and a flex),
    # J3 (XH-B, POWER then BOARD: BOARD, the board), J4 (XH-C, WIFI, no part). J0 was diagnosed in
    # November. XH-A has 1 unit registered, XH-B 3, XH-C 1.
    assert rows(admin_api) == [
        row("XH-B", "BOARD-A", "BOARD", 2, 3),
        row("XH-A", "LCD", "SCREEN", 1, 1),
        row("XH-B", "FLEX", "BOARD", 1, 3),
        row("XH-C", None, "WIFI", 1, 1),
    ]


def test_one_model_or_one_category(admin_api):
    assert rows(admin_api, model="XH-B") == [
        row("XH-B", "BOARD-A", "BOARD", 2, 3),
        row("XH-B", "FLEX", "BOARD", 1, 3),
    ]
    assert len(rows(admin_api, category="mobile_phone")) == 4
    assert rows(admin_api, category="washing_machine") == []


def test_a_work_order_counts_in_the_period_of_its_last_diagnosis(admin_api):
    november = rows(admin_api, **{"from": "2026-11-01", "to": "2026-11-30"})
    assert november == [row("XH-A", None, "SCREEN", 1, 1)]  # J0: no part used
