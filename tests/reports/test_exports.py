"""The reports' XLSX exports (CONTRACT.md "Reports", last bullet): the same query with
`?format=xlsx` answers a workbook of what the JSON answers — the KPIs one row per figure, the
technicians and the faults one row per item — with a header in the reader's language, under the
same roles, scope and refusals. December at Guangzhou: conftest.py."""

import io

import openpyxl
import pytest

from aftersales.core.xlsx import XLSX_TYPE
from tests.reports.conftest import NOW

pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def admin_api(api_as, december):  # type: ignore[no-untyped-def]
    return api_as("admin", "reader")


def workbook(answer) -> tuple[tuple, list[tuple]]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(answer.getvalue()), read_only=True)
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    return header, rows


def test_the_kpis_are_one_row_per_figure_in_the_readers_words(admin_api):
    answer = admin_api.get("/reports/kpis", format="xlsx", center="gz")

    assert answer["Content-Disposition"] == (
        'attachment; filename="kpis-2026-12-01-2026-12-15.xlsx"'
    )
    header, rows = workbook(answer)
    figures = dict(rows)
    assert header == ("指标", "数值")
    assert figures["服务中心"] == "广州维修中心"
    assert figures["新建请求"] == 5
    assert figures["新建请求 · 电话"] == 3 and figures["新建请求 · 投诉"] == 1
    assert figures["一次修复率"] == 0.5
    assert figures["满意度评分数"] == 6
    assert figures["收费金额"] == 840


def test_the_kpis_of_every_center_say_so(admin_api):
    _header, rows = workbook(admin_api.get("/reports/kpis", format="xlsx"))

    assert dict(rows)["服务中心"] == "全部中心"


def test_the_technicians_are_one_row_each_as_the_json_lists_them(admin_api):
    listed = admin_api.get("/reports/technicians", center="gz").json()["items"]

    header, rows = workbook(admin_api.get("/reports/technicians", format="xlsx", center="gz"))

    assert header[:3] == ("维修技师", "姓名", "完修工单")
    assert [row[0] for row in rows] == [item["technician"] for item in listed]
    li = rows[0]
    assert li[1] == "李师傅" and li[2] == 1 and li[5] == 2.67
    assert li[6] is None  # no arrival: an empty cell, never a 0


def test_the_faults_are_one_row_each_most_frequent_first(admin_api):
    header, rows = workbook(admin_api.get("/reports/faults", format="xlsx"))

    assert header == ("型号", "部件", "故障编码", "工单", "登记产品数", "比率")
    assert rows[0][:5] == ("XH-B", "BOARD-A", "BOARD", 2, 3)
    assert len(rows) == 4


def test_the_accept_header_asks_for_the_workbook_too(admin_api):
    answer = admin_api.client.get(
        "/api/v1/reports/faults", HTTP_ACCEPT=XLSX_TYPE, **admin_api.headers
    )

    assert workbook(answer)[0][0] == "型号"


def test_an_english_reader_gets_english_names(admin_api):
    answer = admin_api.client.get(
        "/api/v1/reports/kpis",
        {"format": "xlsx", "center": "gz"},
        HTTP_ACCEPT_LANGUAGE="en",
        **admin_api.headers,
    )

    header, rows = workbook(answer)
    assert header == ("Figure", "Value")
    assert dict(rows)["Requests created"] == 5


def test_the_exports_keep_the_reports_roles_scope_and_refusals(api_as, december, center):
    hotline = api_as("hotline")
    manager = api_as("branch_manager", "boss", at_center=center)

    backwards = manager.get(
        "/reports/kpis", format="xlsx", **{"from": "2026-12-10", "to": "2026-12-01"}
    )
    other = manager.get("/reports/technicians", format="xlsx", center="sz")
    _header, own = workbook(manager.get("/reports/technicians", format="xlsx"))

    assert hotline.get("/reports/kpis", format="xlsx").status_code == 403
    assert backwards.status_code == 422 and "to" in backwards.json()["error"]["details"]
    assert other.status_code == 404
    assert [row[0] for row in own] == ["li", "wang", "zhang"]  # not Shenzhen's zhao
