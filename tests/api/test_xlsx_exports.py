"""The lists' XLSX exports (CONTRACT.md "Reports", last bullet): the same query as the list with
`?format=xlsx` or `Accept` the XLSX type answers a workbook of every item the filters select —
not one page — with a header in the reader's language, in the caller's scope."""

import io

import openpyxl
import pytest

from aftersales.core.models import AccessRecord
from aftersales.core.pagination import every
from aftersales.core.xlsx import XLSX_TYPE
from aftersales.desk.services import request_create
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, CustomerFactory, make_staff, repair_request

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")

PAGE = 50  # the lists' default page: the exports hold more


def take(by, count: int, *, kind: str = "repair", center: str | None = None) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        request_create(
            by=by,
            kind=kind,
            channel="hotline",
            customer_id=CustomerFactory().pk,
            summary=f"不开机 {i}",
            center=center,
        )


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.content
    book = openpyxl.load_workbook(io.BytesIO(answer.getvalue()), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def hotline(center):  # type: ignore[no-untyped-def]
    return make_staff("agent", "hotline", center)


@pytest.fixture
def shenzhen(db):  # type: ignore[no-untyped-def]
    return CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])


def test_the_requests_export_holds_every_request_not_one_page(api_as, hotline, shenzhen):
    take(hotline, PAGE + 10)
    take(hotline, 3, center="sz")
    admin = api_as("admin")

    answer = admin.get("/tickets", format="xlsx")

    assert answer["Content-Type"] == XLSX_TYPE
    assert answer["Content-Disposition"] == 'attachment; filename="requests-2026-12-15.xlsx"'
    header, *rows = rows_of(answer)
    assert header[:5] == ("单号", "类型", "渠道", "状态", "优先级")
    assert len(rows) == PAGE + 13
    numbers = [row[0] for row in rows]
    assert numbers == list(Ticket.objects.order_by("-pk").values_list("number", flat=True))
    first = rows[-1]
    assert first[1:5] == ("报修", "电话", "新建", "普通")  # codes in words
    assert "深圳维修中心" in {row[9] for row in rows}


def test_the_export_answers_the_accept_header_and_the_readers_language(api_as, hotline):
    take(hotline, 2)
    admin = api_as("admin")

    chinese = admin.client.get("/api/v1/tickets", HTTP_ACCEPT=XLSX_TYPE, **admin.headers)
    english = admin.client.get(
        "/api/v1/tickets", HTTP_ACCEPT=XLSX_TYPE, HTTP_ACCEPT_LANGUAGE="en", **admin.headers
    )

    assert rows_of(chinese)[0][0] == "单号"
    header, *rows = rows_of(english)
    assert header[:4] == ("Number", "Kind", "Channel", "Status")
    assert rows[0][1:4] == ("Repair", "Hotline", "New")


def test_a_branch_managers_export_has_only_its_centers_requests(api_as, hotline, shenzhen):
    take(hotline, 4)
    take(hotline, 3, center="sz")
    manager = api_as("branch_manager", at_center=shenzhen)

    rows = rows_of(manager.get("/tickets", format="xlsx"))[1:]

    assert len(rows) == 3
    assert {row[9] for row in rows} == {"深圳维修中心"}


def test_the_export_keeps_the_lists_filters_and_refusals(api_as, hotline):
    take(hotline, 3)
    take(hotline, 2, kind="consultation")
    admin = api_as("admin")

    rows = rows_of(admin.get("/tickets", format="xlsx", kind="consultation"))[1:]
    bad_flag = admin.get("/tickets", format="xlsx", escalated="maybe")
    bad_format = admin.get("/tickets", format="csv")

    assert [row[1] for row in rows] == ["咨询", "咨询"]
    assert bad_flag.status_code == 422 and "escalated" in bad_flag.json()["error"]["details"]
    assert bad_format.status_code == 422 and "format" in bad_format.json()["error"]["details"]


def test_the_complaints_export_has_the_complaints_own_columns(api_as, hotline):
    take(hotline, 2, kind="complaint")
    take(hotline, 1)
    admin = api_as("admin")

    answer = admin.get("/tickets", format="xlsx", kind="complaint")

    assert answer["Content-Disposition"] == 'attachment; filename="complaints-2026-12-15.xlsx"'
    header, *rows = rows_of(answer)
    assert header[-4:] == ("类别", "阶段", "责任", "承诺答复时间")
    assert len(rows) == 2
    assert {row[17:19] for row in rows} == {("其他", "待处理")}  # category, stage


def test_a_role_that_may_not_list_gets_no_workbook(api_as, anonymous, hotline):
    take(hotline, 1)

    assert anonymous.get("/tickets", format="xlsx").status_code == 401
    assert AccessRecord.objects.filter(kind="list_export").count() == 0


def test_an_export_is_written_in_the_access_record(api_as, hotline):
    take(hotline, 1)
    admin = api_as("admin", username="boss")

    admin.get("/tickets", format="xlsx", status="new")

    record = AccessRecord.objects.get(kind="list_export")
    assert record.user.username == "boss"
    assert record.subject == "requests"
    assert "status='new'" in record.detail


def test_the_work_order_export_holds_every_job_in_the_callers_scope(api_as, hotline, shenzhen):
    for _ in range(PAGE + 10):
        work_order_create(ticket=repair_request(hotline), by=hotline, mode="carry_in")
    sz_desk = make_staff("sz-desk", "hotline", shenzhen)
    for _ in range(2):
        work_order_create(ticket=repair_request(sz_desk), by=sz_desk, mode="carry_in")
    admin = api_as("admin")
    manager = api_as("branch_manager", at_center=shenzhen)

    answer = admin.get("/work-orders", format="xlsx")
    header, *rows = rows_of(answer)
    own = rows_of(manager.get("/work-orders", format="xlsx"))[1:]

    assert answer["Content-Disposition"] == 'attachment; filename="work-orders-2026-12-15.xlsx"'
    assert header[:5] == ("单号", "请求", "序列号", "服务方式", "状态")
    assert len(rows) == PAGE + 12
    assert rows[-1][3:5] == ("送修", "已开单")
    assert rows[-1][11] == 0  # amount due: a number, not text
    assert len(own) == 2 and {row[5] for row in own} == {"深圳维修中心"}


def test_the_work_order_export_keeps_the_lists_filters(api_as, hotline):
    for mode in ("carry_in", "carry_in", "on_site"):
        work_order_create(ticket=repair_request(hotline), by=hotline, mode=mode)
    admin = api_as("admin")

    rows = rows_of(admin.get("/work-orders", format="xlsx", mode="on_site"))[1:]

    assert [row[3] for row in rows] == ["上门"]


def test_the_follow_up_export_holds_every_call(api_as, hotline):
    ticket = repair_request(hotline)
    due = ticket.created_at
    FollowUp.objects.bulk_create(
        FollowUp(kind=FollowUp.Kind.SATISFACTION_SURVEY, ticket=ticket, due_at=due)
        for _ in range(PAGE + 5)
    )
    admin = api_as("admin")

    answer = admin.get("/followups", format="xlsx", status="open")

    assert answer["Content-Disposition"] == 'attachment; filename="follow-ups-2026-12-15.xlsx"'
    header, *rows = rows_of(answer)
    assert header[:5] == ("类型", "请求", "工单", "到期时间", "状态")
    assert len(rows) == PAGE + 5
    assert rows[0][0] == "满意度调查" and rows[0][1] == ticket.number


def test_every_reads_a_list_in_batches_newest_first(hotline):
    take(hotline, 7)

    numbers = [t.number for t in every(Ticket.objects.all(), size=3)]

    assert numbers == list(Ticket.objects.order_by("-pk").values_list("number", flat=True))
