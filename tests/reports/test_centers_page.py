"""The center comparison (/reports/centers/): every center's KPIs side by side for a period —
each row the API's KPIs of that center, the last row every center's —, the main rates as bars;
only for the roles that read every center; a constant number of statements however many
centers. On the December of conftest.py (Guangzhou's requests, and TS in Shenzhen)."""

import re

import pytest
import time_machine

from aftersales.dispatch.models import ServiceCenter
from aftersales.reports import selectors
from aftersales.reports.presenters import CARDS, FORMAT
from aftersales.tickets.models import Ticket
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff
from tests.queries import statements
from tests.reports.conftest import NOW, at, request
from tests.visible import visible_text

pytestmark = pytest.mark.clock(NOW)

URL = "/reports/centers/"


def page_of(client, user, status=200, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get(URL, params)
    assert answer.status_code == status
    return answer.content.decode()


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def rows_of(html: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Each row of the table (a center's code, "" for no center, "*" for every center) → (its
    name, each KPI → its words)."""
    found = {}
    rows = re.findall(
        r"<tr (data-center=\"([^\"]*)\"|class=\"every-center\"[^>]*)>(.*?)</tr>", html, re.S
    )
    for opening, code, body in rows:
        name = re.search(r'class="name"[^>]*>(.*?)</td>', body, re.S)
        assert name
        figures = dict(re.findall(r'data-figure="(\w+)">(.*?)</td>', body, re.S))
        found["*" if "every-center" in opening else code] = (visible_text(name[1]).strip(), figures)
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


def in_words(figures: dict) -> dict[str, str]:  # type: ignore[type-arg]
    """The API's KPIs as the dashboard's cards word them."""
    return {key: FORMAT[kind](figures[key]) for key, _, kind, _ in CARDS}


def test_each_center_reads_as_counted_by_hand_and_every_center_below(client, december):
    rows = rows_of(page_of(client, december.admin))

    assert list(rows) == ["gz", "sz", "*"]
    name, gz = rows["gz"]
    assert name == "广州维修中心"
    # The figures of test_kpis.py for Guangzhou's December so far.
    assert gz == {
        "tickets_created": "5",
        "response_sla_met_rate": "33.3%",
        "resolution_sla_met_rate": "66.7%",
        "work_orders_completed": "4",
        "first_time_fix_rate": "50.0%",
        "repeat_repair_rate_90d": "50.0%",
        "avg_turnaround_hours": "197.6 小时",
        "csat_avg": "3.83",
        "complaint_rate": "20.0%",
        "fees_collected": "¥840.00",
        "fees_waived": "¥20.00",
    }
    # Shenzhen: TS, never answered (its deadlines past), nothing done.
    assert rows["sz"][1]["tickets_created"] == "1"
    assert rows["sz"][1]["response_sla_met_rate"] == "0.0%"
    assert rows["sz"][1]["first_time_fix_rate"] == "—"
    assert rows["sz"][1]["fees_collected"] == "¥0.00"
    assert rows["*"][0] == "所有中心"
    assert rows["*"][1]["tickets_created"] == "6"
    assert rows["*"][1]["response_sla_met_rate"] == "25.0%"  # 1 of 4


@pytest.mark.parametrize(
    "params",
    [{}, {"from": "2026-11-20", "to": "2026-12-10"}, {"from": "2026-11-01", "to": "2026-11-30"}],
)
def test_each_row_is_the_apis_kpis_of_that_center(client, api_as, december, params):
    api = api_as("admin", "reader")

    rows = rows_of(page_of(client, december.admin, **params))

    for code in ("gz", "sz"):
        answer = api.get("/reports/kpis", center=code, **params)
        assert rows[code][1] == in_words(answer.json())
    assert rows["*"][1] == in_words(api.get("/reports/kpis", **params).json())


def test_the_comparison_adds_up_to_every_centers_kpis(december):
    """The selector's rows are `kpis` of each center (by channel and kind too), to the figure."""
    found = selectors.centers_compared(december.admin, first=None, last=None)

    for row in found["centers"]:
        kpis = selectors.kpis(december.admin, first=None, last=None, center=row["center"])
        assert {**kpis, "name": row["name"]} == {**row, "from": kpis["from"], "to": kpis["to"]}
    every = selectors.kpis(december.admin, first=None, last=None, center=None)
    assert {**found["all"], "from": every["from"], "to": every["to"]} == {**every, "name": None}


def test_requests_of_no_center_have_a_row_of_their_own(client, api_as, december):
    Ticket.objects.filter(number=december.tickets["TS"]).update(center=None)

    rows = rows_of(page_of(client, december.admin))

    assert list(rows) == ["gz", "sz", "", "*"]
    assert rows[""][0] == "无服务中心"
    assert rows[""][1]["tickets_created"] == "1"
    assert rows["sz"][1]["tickets_created"] == "0"
    every = api_as("admin", "reader").get("/reports/kpis").json()
    assert rows["*"][1] == in_words(every)


def test_a_closed_center_appears_only_with_figures_in_the_period(client, december):
    ServiceCenter.objects.filter(code="sz").update(active=False)
    CenterFactory(code="zh", name="珠海服务点", active=False)

    assert list(rows_of(page_of(client, december.admin))) == ["gz", "sz", "*"]
    quiet = page_of(client, december.admin, **{"from": "2026-10-01", "to": "2026-10-31"})
    assert list(rows_of(quiet)) == ["gz", "*"]


def test_the_main_rates_are_bars_with_every_centers_figure_across(client, december):
    html = page_of(client, december.admin)

    assert bars_of(html) == {
        "response_sla_met_rate": ["0.3333", "0"],  # Guangzhou 1 of 3, Shenzhen 0 of 1
        "first_time_fix_rate": ["0.5"],  # Shenzhen completed nothing: no bar
        "repeat_repair_rate_90d": ["0.5"],
        "csat_avg": ["3.83"],
    }
    sla = html[html.index('data-chart="response_sla_met_rate"') :]
    sla = sla[: sla.index("</figure>")]
    assert "<title>广州维修中心：33.3%</title>" in sla
    assert '<line class="reference"' in sla and "所有中心：25.0%" in visible_text(sla)


def test_a_centers_name_opens_its_dashboard_for_the_period(client, december):
    html = page_of(client, december.admin, **{"from": "2026-12-02", "to": "2026-12-09"})

    assert 'href="/reports/?from=2026-12-02&amp;to=2026-12-09&amp;center=gz">广州维修中心' in html


@pytest.mark.parametrize("role", ["admin", "finance", "archive", "tech_center"])
def test_the_roles_that_read_every_center_compare_them(client, center, role):
    page_of(client, make_staff("reader", role, center))


def test_a_branch_manager_is_refused_in_words_and_offered_no_link(client, december):
    manager = make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))

    html = page_of(client, manager, status=403)

    assert "只有可查看所有中心报表的角色才能对比各中心。" in visible_text(main_of(html))
    assert 'href="/reports/"' in main_of(html)  # back to its own reports
    client.force_login(manager)
    dashboard = client.get("/reports/").content.decode()
    assert "/reports/centers/" not in dashboard
    assert 'href="/reports/technicians/"' in dashboard


@pytest.mark.parametrize("role", ["hotline", "dispatcher", "technician", "complaints"])
def test_other_roles_are_refused(client, center, role):
    html = page_of(client, make_staff("other", role, center), status=403)

    assert "您的角色无权查看报表。" in visible_text(html)
    assert "/reports/" not in main_of(html)


def test_the_dashboard_links_to_both_keeping_the_period_and_the_center(client, december):
    client.force_login(december.admin)
    html = client.get("/reports/", {"from": "2026-12-02", "to": "2026-12-09", "center": "gz"})
    tabs = re.search(r'<nav class="tabs report-tabs".*?</nav>', html.content.decode(), re.S)

    assert tabs is not None
    assert 'href="/reports/technicians/?from=2026-12-02&amp;to=2026-12-09&amp;center=gz"' in tabs[0]
    assert 'href="/reports/centers/?from=2026-12-02&amp;to=2026-12-09"' in tabs[0]
    assert 'aria-current="page">概览' in tabs[0]


def test_no_word_on_the_page_is_left_in_english(client, december):
    text = visible_text(main_of(page_of(client, december.admin)))

    assert re.findall(r"[A-Za-z]{2,}", text) == ["Excel"]  # the export button: 导出 Excel


def _a_center_at_work(admin, code: str) -> None:  # type: ignore[no-untyped-def]
    """A center with a request of December and a job opened for it."""
    CenterFactory(code=code, name=f"{code} 服务点")
    number = request(admin, at(12, 3, "09:00"), center=code).number
    with time_machine.travel(at(12, 3, "09:30"), tick=False):
        work_order_create(ticket=Ticket.objects.get(number=number), by=admin, mode="carry_in")


def test_five_centers_cost_the_same_statements_as_two(client, december):
    client.force_login(december.admin)
    two, answer = statements(client.get, URL)
    assert len(rows_of(answer.content.decode())) == 3

    for code in ("fs", "zh", "dg"):
        _a_center_at_work(december.admin, code)
    five, answer = statements(client.get, URL)

    assert len(rows_of(answer.content.decode())) == 6
    assert five == two
    # The session, the user; the requests, hand-overs, jobs opened, surveys, waivers; centers.
    assert two <= 9
