"""报表: the managers' dashboard page — the KPIs of a period and a center beside the previous
period's, and their trends drawn as SVG, one mark per point — on the December of conftest.py."""

import re
from datetime import date

import pytest

from aftersales.reports import rules, selectors
from tests.factories import CenterFactory, make_staff
from tests.queries import statements
from tests.reports.conftest import NOW
from tests.visible import kpi_cards, visible_text

pytestmark = pytest.mark.clock(NOW)


def page_of(client, user, status=200, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get("/reports/", params)
    assert answer.status_code == status
    return answer.content.decode()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def charts_of(html: str) -> dict[str, list[str]]:
    """Each chart → the data-value of each of its marks."""
    found = {}
    for key, body in re.findall(r'data-chart="(\w+)".*?>(.*?)</figure>', html, re.S):
        found[key] = re.findall(r'<circle class="mark"[^>]*data-value="([^"]*)"><title>', body)
    return found


@pytest.fixture
def manager(december):  # type: ignore[no-untyped-def]
    from aftersales.dispatch.models import ServiceCenter

    return make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))


def test_the_branch_manager_sees_the_month_so_far_beside_the_second_half_of_november(
    client, manager
):
    html = page_of(client, manager)

    assert "2026-12-01 至 2026-12-15，与 2026-11-16 至 2026-11-30 对比。" in visible_text(html)
    # The figures of test_kpis.py; November 16–30: T7, T8, T6, T0 created, 3 of 4 answered in
    # time (T6's answer was J4's opening on 12-04), nothing handed over.
    assert kpi_cards(html) == {
        "tickets_created": ("5", "4", "+1"),
        "response_sla_met_rate": ("33.3%", "75.0%", "-41.7 个百分点"),
        "resolution_sla_met_rate": ("66.7%", "0.0%", "+66.7 个百分点"),
        "work_orders_completed": ("4", "0", "+4"),
        "first_time_fix_rate": ("50.0%", "—", "—"),
        "repeat_repair_rate_90d": ("50.0%", "0.0%", "+50.0 个百分点"),
        "avg_turnaround_hours": ("197.6 小时", "—", "—"),
        "csat_avg": ("3.83", "—", "—"),
        "complaint_rate": ("20.0%", "0.0%", "+20.0 个百分点"),
        "fees_collected": ("¥840.00", "¥0.00", "+¥840.00"),
        "fees_waived": ("¥20.00", "¥0.00", "+¥20.00"),
    }
    assert "6 个评分" in visible_text(html)  # under the satisfaction
    assert 'class="kpi-change kpi-worse">+50.0' in html  # more repeat repairs is worse


def test_each_chart_has_one_mark_per_point_of_the_fifteen_days(client, manager):
    charts = charts_of(page_of(client, manager))

    # Every day has a count of each channel present (hotline, walk-in, web): 3 × 15.
    assert len(charts["created_by_channel"]) == 45
    assert sorted(float(v) for v in charts["created_by_channel"] if v != "0") == [1] * 5
    assert len(charts["complaints"]) == 15 and charts["complaints"].count("1") == 1  # T3
    assert len(charts["created_by_kind"]) == 45  # repair, consultation, complaint
    # Paid at the hand-overs of J0 (12-01), J2 (12-09) and J3 (12-10), 280.00 each.
    assert len(charts["fees_collected"]) == 15
    assert [v for v in charts["fees_collected"] if v != "0"] == ["280", "280", "280"]
    # Opened in December: J1 (12-02, a repeat of J0) and J4 (12-04).
    assert charts["repeat_repairs"] == ["1", "0"]
    # Only the days with a population have a point: T1 (12-02, in time), T2 (12-03, late),
    # T3 (12-05, overdue); T4 is not due yet and T5 was cancelled.
    assert charts["response_sla_met"] == ["1", "0", "0"]
    # Handed over repaired: J0 12-01, J1 12-03 (QC failed), J2 12-09 (two arrivals), J3 12-10.
    assert charts["first_time_fix"] == ["1", "0", "0", "1"]
    # Ratings 5 (12-01), 3 (12-03), 5 (12-09), 1 (12-11); survey 4 (12-05); portal 5 (12-12).
    assert charts["csat"] == ["5", "3", "4", "5", "1", "5"]


def test_the_page_counts_what_the_figures_count(client, manager):
    html = page_of(client, manager)

    for key, values in charts_of(html).items():
        assert f'data-chart="{key}" data-points="{len(values)}"' in html
    legend = visible_text(html[html.index('data-chart="created_by_channel"') :])
    assert legend.index("电话") < legend.index("现场") < legend.index("网站")


def test_a_period_over_62_days_is_drawn_by_week(client, december):
    html = page_of(
        client, december.admin, **{"from": "2026-09-01", "to": "2026-12-15", "center": "gz"}
    )

    charts = charts_of(html)
    # 09-01 (a Tuesday) to the Sunday 09-06, then 15 weeks from Monday 09-07 to 12-15.
    assert len(charts["complaints"]) == 16
    created = sum(int(v) for v in charts["created_by_channel"])
    assert created == 9 == int(kpi_cards(html)["tickets_created"][0])
    assert "每个点为期间内的一周（周一至周日）。" in visible_text(html)


def test_the_trends_add_up_to_the_kpis(december):
    for center in ("gz", None):
        kpis = selectors.kpis(december.admin, first=None, last=None, center=center)
        trends = selectors.trends(december.admin, first=None, last=None, center=center)

        total = selectors.Tally()
        for point in trends.tallies:  # grouped by day, where the KPIs group by center
            total.add(point)
        assert total.kpis() == {k: v for k, v in kpis.items() if k not in ("from", "to", "center")}
        assert (
            sum(map(sum, trends.by("by_channel").values()))
            == kpis["tickets_created"]
            == 6 - (center == "gz")
        )


def test_the_branch_manager_sees_only_its_own_center(client, manager, december):
    html = page_of(client, manager)
    select = re.search(r'<select name="center".*?</select>', html, re.S)
    assert select is not None and "disabled" in select[0]
    assert "广州维修中心" in select[0] and "深圳维修中心" not in select[0]

    page_of(client, manager, status=404, center="sz")
    shenzhen = make_staff("boss-sz", "branch_manager", CenterFactory(code="sz"))
    assert kpi_cards(page_of(client, shenzhen))["tickets_created"][0] == "1"  # TS


def test_every_center_is_the_default_of_the_others(client, december):
    html = page_of(client, december.admin)

    assert kpi_cards(html)["tickets_created"][0] == "6"  # TS in Shenzhen too
    assert "所有中心" in visible_text(main_of(html))


@pytest.mark.parametrize("role", ["admin", "finance", "archive", "tech_center", "branch_manager"])
def test_the_roles_that_read_reports_have_it_in_the_menu(client, center, role):
    html = page_of(client, make_staff("reader", role, center))

    assert '<a href="/reports/" aria-current="page">报表</a>' in html


@pytest.mark.parametrize(
    "role", ["hotline", "dispatcher", "technician", "front_desk", "complaints"]
)
def test_other_roles_are_refused_and_have_no_menu_entry(client, center, role):
    user = make_staff("other", role, center)
    page_of(client, user, status=403)

    home = client.get("/")
    assert 'href="/reports/"' not in home.content.decode()


def test_no_word_on_the_page_is_left_in_english(client, manager):
    text = visible_text(main_of(page_of(client, manager)))

    assert re.findall(r"[A-Za-z]{2,}", text) == ["Excel"]  # the export button: 导出 Excel


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    assert rules.previous_period(date(2026, 12, 1), date(2026, 12, 15)) == (
        date(2026, 11, 16),
        date(2026, 11, 30),
    )
    assert rules.previous_period(date(2026, 3, 1), date(2026, 3, 1)) == (
        date(2026, 2, 28),
        date(2026, 2, 28),
    )


def test_the_page_costs_the_same_statements_for_a_busy_period_as_for_an_empty_one(client, december):
    client.force_login(december.admin)
    busy, _ = statements(client.get, "/reports/", {"from": "2026-11-01", "to": "2026-12-15"})
    quiet, _ = statements(client.get, "/reports/", {"from": "2026-10-01", "to": "2026-10-31"})

    assert busy == quiet
    # The session, the user, the centers; six for the KPIs, twice; the trends' four.
    assert busy <= 19
