"""Who reads the reports and of which center, the period asked for, and the cost of a report
(CONTRACT.md "Reports")."""

import pytest
import time_machine

from tests.factories import CenterFactory
from tests.queries import statements
from tests.reports.conftest import NOW

pytestmark = pytest.mark.clock(NOW)

REPORTS = ("/reports/kpis", "/reports/technicians", "/reports/faults")


@pytest.mark.parametrize("role", ["admin", "finance", "archive", "tech_center"])
@pytest.mark.parametrize("path", REPORTS)
def test_these_roles_read_every_center(api_as, center, role, path):
    CenterFactory(code="sz")
    client = api_as(role)
    assert client.get(path).status_code == 200
    if path != "/reports/faults":
        assert client.get(path, center="sz").status_code == 200


@pytest.mark.parametrize(
    "role", ["hotline", "dispatcher", "technician", "front_desk", "complaints"]
)
@pytest.mark.parametrize("path", REPORTS)
def test_other_roles_are_refused(api_as, role, path):
    answer = api_as(role).get(path)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
    assert answer.json()["error"]["message"] == "您的角色无权查看报表。"


def test_without_a_token_it_is_401(anonymous, db):
    assert anonymous.get("/reports/kpis").status_code == 401


def test_a_branch_manager_reads_its_own_center_by_default(api_as, december):
    manager = api_as("branch_manager", "boss-gz")
    own = manager.get("/reports/kpis")
    assert own.status_code == 200
    assert (own.json()["center"], own.json()["tickets_created"]) == ("gz", 5)
    named = manager.get("/reports/kpis", center="gz").json()
    assert named == own.json()
    technicians = manager.get("/reports/technicians").json()["items"]
    assert [t["technician"] for t in technicians] == ["li", "wang", "zhang"]


def test_a_branch_manager_does_not_see_another_center(api_as, center):
    CenterFactory(code="sz")
    manager = api_as("branch_manager", "boss-gz")
    for path in ("/reports/kpis", "/reports/technicians"):
        answer = manager.get(path, center="sz")
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"


def test_a_branch_manager_counts_its_own_centers_faults(api_as, december):
    shenzhen = api_as("branch_manager", "boss-sz", at_center=CenterFactory(code="sz"))
    assert shenzhen.get("/reports/faults").json() == {"items": []}
    assert shenzhen.get("/reports/kpis").json()["tickets_created"] == 1  # TS


def test_an_unknown_center_is_not_found(api_as, center):
    answer = api_as("admin").get("/reports/kpis", center="nowhere")
    assert answer.status_code == 404


@pytest.mark.parametrize("path", REPORTS)
@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2026-12-10", "2026-12-09"),  # the end before the start
        ("2025-12-01", "2026-12-02"),  # 366 days apart
    ],
)
def test_a_period_ending_before_it_starts_or_of_366_days_names_to(
    api_as, center, path, first, last
):
    answer = api_as("admin").get(path, **{"from": first, "to": last})
    assert answer.status_code == 422, answer.json()
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["details"]) == ["to"]
    assert error["message"] in (
        "期间的结束日期早于开始日期。",
        "报表最多涵盖 366 天：请选择更短的期间。",
    )


def test_365_days_apart_is_the_longest_period(api_as, center):
    client = api_as("admin")
    for first, last, status in [
        ("2025-12-01", "2026-12-01", 200),  # 365 days apart
        ("2024-01-01", "2024-12-31", 200),  # a leap year, both ends included: 365 days apart
        ("2024-01-01", "2025-01-01", 422),  # 366 days apart
    ]:
        answer = client.get("/reports/kpis", **{"from": first, "to": last})
        assert answer.status_code == status, (first, last)


def test_a_date_that_is_not_one_names_its_field(api_as, center):
    answer = api_as("admin").get("/reports/kpis", **{"from": "yesterday"})
    assert answer.status_code == 422
    assert list(answer.json()["error"]["details"]) == ["from"]


def test_the_default_period_is_this_month_so_far_in_the_business_time_zone(api_as, center):
    with time_machine.travel("2026-11-30T17:30:00+00:00", tick=False):
        # 2026-12-01 01:30 in Shanghai: December has begun there.
        figures = api_as("admin").get("/reports/kpis").json()
    assert (figures["from"], figures["to"]) == ("2026-12-01", "2026-12-01")


@pytest.mark.parametrize("path", REPORTS)
def test_a_report_costs_the_same_statements_for_a_month_of_many_jobs_as_for_none(
    api_as, december, path
):
    client = api_as("admin", "reader")
    busy, _ = statements(client.get, path, **{"from": "2026-11-01", "to": "2026-12-15"})
    quiet, _ = statements(client.get, path, **{"from": "2026-10-01", "to": "2026-10-31"})
    assert busy == quiet
    assert busy <= 12


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_a_date_beyond_the_bounds_names_its_field(api_as, center, day):
    answer = api_as("admin").get("/reports/technicians", **{"from": "2026-01-01", "to": day})
    assert answer.status_code == 422
    assert list(answer.json()["error"]["details"]) == ["to"]
