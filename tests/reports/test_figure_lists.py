"""The list behind each figure of the dashboard (decision 85): a KPI card's value is a link to the
requests, work orders or scores it counts — for a rate, those it misses — and the list's length
is the figure's own count. The December of conftest.py, hand-counted there."""

import re

import pytest

from aftersales.dispatch.models import ServiceCenter
from aftersales.reports import rules
from tests.factories import make_staff
from tests.queries import statements
from tests.reports.conftest import NOW
from tests.visible import visible_text

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def manager(december):  # type: ignore[no-untyped-def]
    return make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))


def listed(client, user, key, status=200, **params):  # type: ignore[no-untyped-def]
    """The numbers (requests, work orders) of a figure's list, in its order, and the page."""
    client.force_login(user)
    answer = client.get(f"/reports/figures/{key}/", params)
    assert answer.status_code == status
    html = answer.content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")] if "<tbody>" in html else ""
    rows = [
        re.findall(r'<a class="mono" href="[^"]+">([^<]+)</a>', row)
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return rows, html


def test_each_card_of_the_dashboard_links_to_its_list_for_the_same_period(client, manager):
    client.force_login(manager)
    html = client.get("/reports/", {"from": "2026-12-01", "to": "2026-12-15"}).content.decode()

    links = dict(re.findall(r'data-kpi="(\w+)".*?<a href="([^"]+)"', html, re.S))
    assert sorted(links) == sorted(rules.FIGURE_SUBJECTS)
    assert (
        links["csat_avg"]
        == "/reports/figures/csat_avg/?from=2026-12-01&amp;to=2026-12-15&amp;center=gz"
    )


def test_the_requests_that_missed_their_response_are_the_late_and_the_unanswered(
    client, manager, december
):
    rows, html = listed(client, manager, "response_sla_met_rate")

    # 1 of 3 answered in time: T2 answered late, T3 (a complaint) never; newest first.
    t = december.tickets
    assert [row[0] for row in rows] == [t["T3"], t["T2"]]
    assert "响应超过期限或未响应的请求" in visible_text(html)
    assert "2026-12-01 至 2026-12-15。" in visible_text(html)


def test_each_list_holds_what_its_figure_counts(client, manager, december):
    t, j = december.tickets, december.jobs
    expected = {
        "tickets_created": [t["T4"], t["TS"], t["T5"], t["T3"], t["T2"], t["T1"]][::1],
        "resolution_sla_met_rate": [t["T3"]],  # 2 of 3 resolved in time
        "complaint_rate": [t["T3"]],
        "work_orders_completed": [j["J3"], j["J2"], j["J1"], j["J0"]],
        "first_time_fix_rate": [j["J2"], j["J1"]],  # two arrivals; a failed QC
        "repeat_repair_rate_90d": [j["J1"]],
        "avg_turnaround_hours": [j["J2"], j["J3"], j["J0"], j["J1"]],  # 344 h, 343, 73, 30
        "fees_collected": [j["J3"], j["J2"], j["J0"]],
        "fees_waived": [j["J3"]],
    }
    expected["tickets_created"].remove(t["TS"])  # Shenzhen's
    for key, numbers in expected.items():
        rows, _ = listed(client, manager, key)
        assert [row[0] for row in rows] == numbers, key


def test_the_low_scores_are_the_ratings_and_answers_of_three_or_below(client, manager, december):
    rows, html = listed(client, manager, "csat_avg")

    # Rated 1 at J4's hand-over (12-11), 3 at J1's (12-03); J1's survey (4) and the rest are
    # satisfied scores.
    j = december.jobs
    assert [row[-1] for row in rows] == [j["J4"], j["J1"]]
    text = visible_text(html)
    assert "2026-12-11 10:00 1 交付时评分" in text


def test_a_list_is_read_in_constant_statements(client, december):
    client.force_login(december.admin)
    for key in rules.FIGURE_SUBJECTS:
        few, _ = statements(client.get, f"/reports/figures/{key}/", {"to": "2026-12-02"})
        many, _ = statements(client.get, f"/reports/figures/{key}/")
        assert few == many, key


def test_the_scope_is_the_dashboard_s(client, manager, december):
    listed(client, manager, "tickets_created", status=404, center="sz")
    rows, _ = listed(client, december.admin, "tickets_created", center="sz")
    assert [row[0] for row in rows] == [december.tickets["TS"]]
    listed(
        client,
        make_staff("agent", "hotline", ServiceCenter.objects.get(code="gz")),
        "tickets_created",
        status=403,
    )
    listed(client, manager, "no_such_figure", status=404)


def test_the_menu_shows_the_reports_open_on_a_figure_s_list(client, manager):
    _, html = listed(client, manager, "csat_avg")

    assert '<a href="/reports/" aria-current="page">报表</a>' in html
    assert html.count('aria-current="page"') == 1


@pytest.mark.parametrize("key", sorted(rules.FIGURE_SUBJECTS))
def test_no_word_on_a_list_is_left_in_english(client, manager, key):
    _, html = listed(client, manager, key)

    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"\b(SR|WO)\d+", "", visible_text(main))  # the requests' and jobs' numbers
    assert set(re.findall(r"[A-Za-z]{2,}", text)) <= {"Excel"}  # the export button's word
