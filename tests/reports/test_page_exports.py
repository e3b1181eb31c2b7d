"""The report pages' export buttons: the dashboard's KPIs, the technicians' scorecards, the center
comparison and each figure's list, each the page's own address with its period, its center and
`format=xlsx` — a workbook with a header in the reader's language and one row per item, read and
refused as the page is. December at Guangzhou: conftest.py."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from aftersales.core.xlsx import XLSX_TYPE
from aftersales.dispatch.models import ServiceCenter
from tests.factories import make_staff
from tests.reports.conftest import NOW
from tests.visible import visible_text

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def manager(december):  # type: ignore[no-untyped-def]
    return make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))


def page_of(client, user, url, status=200, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get(url, params)
    assert answer.status_code == status
    return answer.content.decode()


def button(html: str) -> str:
    """The export button's address (its query), as a browser follows it."""
    found = re.search(r'<a class="button secondary" href="(\?[^"]*)">导出 Excel</a>', html)
    assert found, "no export button"
    return found[1].replace("&amp;", "&")


def workbook(answer) -> tuple[tuple, list[tuple]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"] == XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    return header, rows


def export(client, url: str, query: str):  # type: ignore[no-untyped-def]
    return client.get(f"{url}{query}")


# The dashboard ------------------------------------------------------------------------------------


def test_the_dashboards_button_carries_its_period_and_center(client, manager):
    html = page_of(client, manager, "/reports/")

    query = button(html)
    answer = export(client, "/reports/", query)

    assert query == "?from=2026-12-01&to=2026-12-15&center=gz&format=xlsx"
    assert answer["Content-Disposition"] == (
        'attachment; filename="kpis-gz-2026-12-01-2026-12-15.xlsx"'
    )
    header, rows = workbook(answer)
    figures = dict(rows)
    assert header == ("指标", "数值")
    assert figures["起始日期"].date().isoformat() == "2026-12-01"
    assert figures["服务中心"] == "广州维修中心"
    assert figures["新建请求"] == 5 and figures["一次修复率"] == 0.5
    assert figures["收费金额"] == 840


def test_the_dashboards_workbook_is_the_apis(client, api_as, december):
    api = api_as("admin", "reader")
    asked = {"from": "2026-11-20", "to": "2026-12-10"}
    _h, expected = workbook_of_api(api.get("/reports/kpis", format="xlsx", **asked))

    html = page_of(client, december.admin, "/reports/", **asked)
    query = button(html)

    assert query == "?from=2026-11-20&to=2026-12-10&format=xlsx"  # every center
    assert workbook(export(client, "/reports/", query))[1] == expected


def workbook_of_api(answer) -> tuple[tuple, list[tuple]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.getvalue()), read_only=True)
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    return header, rows


def test_the_dashboards_workbook_is_refused_as_the_page(client, manager, december):
    client.force_login(manager)
    assert client.get("/reports/", {"center": "sz", "format": "xlsx"}).status_code == 404
    late = client.get("/reports/", {"from": "2026-12-10", "to": "2026-12-09", "format": "xlsx"})
    assert late.status_code == 422 and late["Content-Type"].startswith("text/html")
    assert "期间的结束日期早于开始日期。" in visible_text(late.content.decode())
    client.force_login(make_staff("hot", "hotline"))
    assert client.get("/reports/", {"format": "xlsx"}).status_code == 403


# The technicians' scorecards ----------------------------------------------------------------------


def test_the_scorecards_workbook_has_a_row_per_technician_in_their_ranking(client, manager):
    html = page_of(client, manager, "/reports/technicians/", **{"from": "2026-12-01"})

    query = button(html)
    header, rows = workbook(export(client, "/reports/technicians/", query))

    assert query == "?from=2026-12-01&to=2026-12-15&center=gz&format=xlsx"
    assert header[:4] == ("维修技师", "姓名", "完修工单", "一次修复率")
    assert [row[:3] for row in rows] == [
        ("zhang", "张师傅", 3),
        ("li", "李师傅", 1),
        ("wang", "王师傅", 0),
    ]
    assert rows[1][3] == 0 and rows[2][3] is None  # a rate of none: an empty cell


def test_the_scorecards_workbook_speaks_the_readers_language(client, manager):
    client.force_login(manager)
    answer = client.get("/reports/technicians/", {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en")

    header, _rows = workbook(answer)
    assert header[:3] == ("Technician", "Name", "Work orders completed")


def test_the_scorecards_workbook_is_refused_as_the_page(client, manager):
    client.force_login(manager)
    assert (
        client.get("/reports/technicians/", {"center": "sz", "format": "xlsx"}).status_code == 404
    )
    too_long = {"from": "2025-12-01", "to": "2026-12-02", "format": "xlsx"}
    assert client.get("/reports/technicians/", too_long).status_code == 422
    client.force_login(make_staff("tech-x", "technician", ServiceCenter.objects.get(code="gz")))
    assert client.get("/reports/technicians/", {"format": "xlsx"}).status_code == 403


# The center comparison ----------------------------------------------------------------------------


def test_the_comparisons_workbook_has_a_row_per_center_and_every_centers(client, december):
    html = page_of(client, december.admin, "/reports/centers/", **{"to": "2026-12-14"})

    query = button(html)
    header, rows = workbook(export(client, "/reports/centers/", query))

    assert query == "?from=2026-12-01&to=2026-12-14&format=xlsx"
    assert header[:3] == ("服务中心", "新建请求", "响应及时率")
    assert len(header) == 12  # the center, then the dashboard's eleven cards
    by_center = {row[0]: row for row in rows}
    assert [row[0] for row in rows] == ["广州维修中心", "深圳维修中心", "所有中心"]
    assert by_center["广州维修中心"][1] == 4 and by_center["深圳维修中心"][1] == 1
    assert by_center["所有中心"][1] == 5
    assert by_center["广州维修中心"][header.index("一次修复率")] == 0.5
    assert by_center["深圳维修中心"][header.index("一次修复率")] is None
    assert by_center["所有中心"][header.index("收费金额")] == Decimal("840")


def test_the_comparisons_workbook_is_refused_to_a_branch_manager(client, manager):
    client.force_login(manager)
    answer = client.get("/reports/centers/", {"format": "xlsx"})

    assert answer.status_code == 403 and answer["Content-Type"].startswith("text/html")


# A figure's list ----------------------------------------------------------------------------------


def test_a_figures_workbook_holds_every_row_not_only_those_shown(
    client, manager, december, monkeypatch
):
    from aftersales.reports import rules

    monkeypatch.setattr(rules, "FIGURE_LIST_ROWS", 2)
    url = "/reports/figures/work_orders_completed/"
    html = page_of(client, manager, url)
    shown = html[html.index("<thead>") : html.index("</thead>")]

    query = button(html)
    answer = export(client, url, query)

    assert query == "?from=2026-12-01&to=2026-12-15&center=gz&format=xlsx"
    assert answer["Content-Disposition"] == (
        'attachment; filename="work-orders-completed-gz-2026-12-01-2026-12-15.xlsx"'
    )
    assert html.count('<a class="mono" href="/work-orders/') == 2  # the page: the first two
    header, rows = workbook(answer)
    assert list(header) == re.findall(r"<th>([^<]+)</th>", shown)  # the page's own columns
    j = december.jobs
    assert sorted(row[0] for row in rows) == sorted(j[n] for n in ("J0", "J1", "J2", "J3"))
    paid = {row[0]: row[header.index("已付")] for row in rows}
    assert paid[j["J0"]] == 280 and paid[j["J1"]] == 0  # numbers, to be summed


def test_the_low_scores_workbook_holds_the_ratings_and_the_surveys(client, manager, december):
    html = page_of(client, manager, "/reports/figures/csat_avg/")

    header, rows = workbook(export(client, "/reports/figures/csat_avg/", button(html)))

    assert header[:3] == ("时间", "评分", "评价方式")
    assert sorted((row[1], row[4]) for row in rows) == [
        (1, december.jobs["J4"]),
        (3, december.jobs["J1"]),
    ]


def test_the_requests_workbook_is_one_row_per_request(client, december):
    url = "/reports/figures/tickets_created/"
    html = page_of(client, december.admin, url, center="gz")

    header, rows = workbook(export(client, url, button(html)))

    assert header[0] == "请求"
    t = december.tickets
    assert sorted(row[0] for row in rows) == sorted(t[n] for n in ("T1", "T2", "T3", "T4", "T5"))


def test_an_empty_figure_offers_no_export(client, manager):
    html = page_of(
        client,
        manager,
        "/reports/figures/fees_waived/",
        **{"from": "2026-10-01", "to": "2026-10-31"},
    )

    assert "format=xlsx" not in html


def test_a_figures_workbook_is_refused_as_the_page(client, manager):
    client.force_login(manager)
    url = "/reports/figures/work_orders_completed/"
    assert client.get(url, {"center": "sz", "format": "xlsx"}).status_code == 404
    assert client.get("/reports/figures/nothing/", {"format": "xlsx"}).status_code == 404
    late = {"from": "2026-12-10", "to": "2026-12-09", "format": "xlsx"}
    assert client.get(url, late).status_code == 422
    client.force_login(make_staff("desk-x", "front_desk", ServiceCenter.objects.get(code="gz")))
    assert client.get(url, {"format": "xlsx"}).status_code == 403
