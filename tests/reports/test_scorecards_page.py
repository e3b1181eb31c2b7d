"""The technicians' scorecards (/reports/technicians/): each technician of a center with their
figures for a period — the API's own figures, in people's words —, ranked, and drawn side by
side as bars; on the December of conftest.py."""

import re

import pytest

from aftersales.dispatch.models import ServiceCenter
from aftersales.reports.presenters import count, percent, score
from tests.factories import CenterFactory, make_staff
from tests.queries import statements
from tests.reports.conftest import NOW
from tests.visible import visible_text

pytestmark = pytest.mark.clock(NOW)

URL = "/reports/technicians/"


def page_of(client, user, status=200, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get(URL, params)
    assert answer.status_code == status
    return answer.content.decode()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def scorecards_of(html: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """Each row of the table, in order: (username, rank, name, each figure → its words)."""
    found = []
    for username, body in re.findall(r'<tr data-technician="([^"]*)">(.*?)</tr>', html, re.S):
        rank = re.search(r'class="num rank"[^>]*>(.*?)</td>', body, re.S)
        name = re.search(r'class="name"[^>]*>(.*?)</td>', body, re.S)
        assert rank and name
        figures = dict(re.findall(r'data-figure="(\w+)">(.*?)</td>', body, re.S))
        found.append((username, rank[1].strip(), visible_text(name[1]).strip(), figures))
    return found


def bars_of(html: str) -> dict[str, list[str]]:
    """Each bar chart → the data-value of each of its bars."""
    found = {}
    for key, points, body in re.findall(
        r'data-chart="(\w+)" data-points="(\d+)">(.*?)</figure>', html, re.S
    ):
        found[key] = re.findall(r'<rect class="bar"[^>]*data-value="([^"]*)"><title>', body)
        assert int(points) == len(found[key])
    return found


@pytest.fixture
def manager(december):  # type: ignore[no-untyped-def]
    return make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))


def test_each_technician_of_the_center_reads_as_counted_by_hand_most_completed_first(
    client, manager
):
    html = page_of(client, manager)

    # tests/reports/test_technicians.py counts them: 张师傅 J0, J2, J3; 李师傅 J1; 王师傅 nothing.
    assert scorecards_of(html) == [
        (
            "zhang",
            "1",
            "张师傅",
            {
                "work_orders_completed": "3",
                "first_time_fix_rate": "66.7%",
                "repeat_repairs": "1",
                "csat_avg": "5.00",
                "on_time_arrival_rate": "66.7%",
                "reschedules": "1",
            },
        ),
        (
            "li",
            "2",
            "李师傅",
            {
                "work_orders_completed": "1",
                "first_time_fix_rate": "0.0%",
                "repeat_repairs": "0",
                "csat_avg": "2.67",
                "on_time_arrival_rate": "—",
                "reschedules": "0",
            },
        ),
        (
            "wang",
            "3",
            "王师傅",
            {
                "work_orders_completed": "0",
                "first_time_fix_rate": "—",
                "repeat_repairs": "0",
                "csat_avg": "—",
                "on_time_arrival_rate": "—",
                "reschedules": "0",
            },
        ),
    ]
    text = visible_text(main_of(html))
    assert "广州维修中心" in text
    assert "2026-12-01 至 2026-12-15" in text


@pytest.mark.parametrize(
    "params",
    [{}, {"center": "gz"}, {"from": "2026-11-20", "to": "2026-12-10"}, {"from": "2026-10-01"}],
)
def test_the_page_shows_the_apis_figures(client, api_as, december, params):
    api = api_as("admin", "reader")
    answer = api.get("/reports/technicians", **params)
    assert answer.status_code == 200
    says = {
        "work_orders_completed": count,
        "first_time_fix_rate": percent,
        "repeat_repairs": count,
        "csat_avg": score,
        "on_time_arrival_rate": percent,
        "reschedules": count,
    }
    expected = {
        row["technician"]: (row["name"], {key: f(row[key]) for key, f in says.items()})
        for row in answer.json()["items"]
    }

    shown = scorecards_of(page_of(client, december.admin, **params))

    assert {username: (name, figures) for username, _, name, figures in shown} == expected


def test_every_center_ranks_shenzhens_technician_with_the_same_standing_as_wang(client, december):
    rows = scorecards_of(page_of(client, december.admin))

    assert [(username, rank) for username, rank, _, _ in rows] == [
        ("zhang", "1"),
        ("li", "2"),
        ("wang", "3"),
        ("zhao", "3"),  # nothing completed either: the same rank, by username
    ]


def test_the_bars_compare_the_technicians_in_their_ranking(client, manager):
    html = page_of(client, manager)

    bars = bars_of(html)
    assert bars["work_orders_completed"] == ["3", "1", "0"]  # a bar for each technician
    assert bars["first_time_fix_rate"] == ["0.6667", "0"]  # 王师傅 completed nothing: no bar
    chart = html[html.index('data-chart="first_time_fix_rate"') :]
    assert "<title>张师傅：66.7%</title>" in chart
    assert visible_text(chart[: chart.index("</figure>")]).count("—") == 1  # 王师傅's row


def test_the_tabs_keep_the_period_and_the_center(client, december):
    html = page_of(client, december.admin, **{"from": "2026-12-02", "to": "2026-12-09"})
    tabs = re.search(r'<nav class="tabs report-tabs".*?</nav>', html, re.S)

    assert tabs is not None
    assert 'href="/reports/?from=2026-12-02&amp;to=2026-12-09"' in tabs[0]
    assert 'href="/reports/centers/?from=2026-12-02&amp;to=2026-12-09"' in tabs[0]
    assert 'aria-current="page">技师绩效' in tabs[0]
    one = page_of(client, december.admin, center="sz")
    assert 'href="/reports/?center=sz"' in one
    assert 'href="/reports/centers/"' in one  # every center side by side: no center


def test_the_branch_manager_sees_only_its_own_center_and_no_comparison(client, manager):
    html = page_of(client, manager)
    select = re.search(r'<select name="center".*?</select>', html, re.S)

    assert select is not None and "disabled" in select[0]
    assert "深圳维修中心" not in select[0]
    assert "zhao" not in html
    assert "/reports/centers/" not in html
    page_of(client, manager, status=404, center="sz")


def test_a_branch_manager_of_no_center_is_refused(client, db):
    page_of(client, make_staff("lost", "branch_manager", None), status=403)


@pytest.mark.parametrize("role", ["hotline", "dispatcher", "technician", "front_desk"])
def test_other_roles_are_refused(client, center, role):
    page_of(client, make_staff("other", role, center), status=403)


def test_a_center_without_technicians_says_so(client, december):
    CenterFactory(code="fs", name="佛山服务点")

    html = page_of(client, december.admin, center="fs")

    assert "data-technician" not in html
    assert "没有以该中心为所属中心的技师。" in visible_text(main_of(html))


def test_no_word_on_the_page_is_left_in_english(client, manager):
    text = visible_text(main_of(page_of(client, manager)))

    assert re.findall(r"[A-Za-z]{2,}", text) == ["Excel"]  # the export button: 导出 Excel


def test_the_page_costs_the_same_statements_for_a_busy_period_as_for_an_empty_one(client, december):
    client.force_login(december.admin)
    busy, _ = statements(client.get, URL, {"from": "2026-11-01", "to": "2026-12-15"})
    quiet, _ = statements(client.get, URL, {"from": "2026-10-01", "to": "2026-10-31"})

    assert busy == quiet


def test_each_name_opens_the_technicians_work_orders(client, manager, december):
    html = page_of(client, manager)

    links = dict(
        re.findall(
            r'<tr data-technician="(\w+)">.*?class="name"[^>]*><a href="([^"]+)"', html, re.S
        )
    )
    assert links == {
        "zhang": "/work-orders/?technician=zhang",
        "li": "/work-orders/?technician=li",
        "wang": "/work-orders/?technician=wang",
    }
    jobs = client.get(links["zhang"]).content.decode()
    listed = re.findall(r'<a class="mono" href="/work-orders/[^/]+/">([^<]+)</a>', jobs)
    assert sorted(listed) == sorted(december.jobs[j] for j in ("J0", "J2", "J3"))
    assert "技师：张师傅" in visible_text(jobs)
