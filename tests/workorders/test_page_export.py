"""The work-order list's export button (decision 83): it carries the page's filters; a short
list downloads at once, one row per job with a header in the reader's language; a long one
becomes a background export and the page that follows it."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from aftersales.core.models import AccessRecord, ExportJob
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff, repair_request

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")


@pytest.fixture
def jobs(center):  # type: ignore[no-untyped-def]
    """Three carry-in jobs and one on-site job at gz, one job at sz; the last one cancelled."""
    desk = make_staff("desk", "front_desk", center)
    for mode in ("carry_in", "carry_in", "carry_in", "on_site"):
        work_order_create(ticket=repair_request(desk), by=desk, mode=mode)
    sz = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    sz_desk = make_staff("sz-desk", "front_desk", sz)
    work_order_create(ticket=repair_request(sz_desk), by=sz_desk, mode="carry_in")
    WorkOrder.objects.filter(pk=WorkOrder.objects.order_by("pk").values("pk")[:1]).update(
        status="cancelled"
    )


def page_as(user, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


def export_link(html: str) -> str:
    found = re.search(r'<a class="button secondary" href="([^"]*format=xlsx)">([^<]*)</a>', html)
    assert found, "no export button"
    return found.group(1).replace("&amp;", "&")


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    content = b"".join(answer.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_button_carries_the_filters_and_downloads_what_they_select(jobs, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    html = manager.get("/work-orders/", {"status": "created", "open": "on"}).content.decode()
    link = export_link(html)
    answer = manager.get(f"/work-orders/{link}")

    assert link == "?status=created&open=on&format=xlsx"
    assert ">导出 Excel<" in html
    assert answer["Content-Disposition"] == 'attachment; filename="work-orders-2026-12-15.xlsx"'
    header, *rows = rows_of(answer)
    assert header[:5] == ("单号", "请求", "序列号", "服务方式", "状态")
    expected = WorkOrder.objects.filter(center=center, status="created").order_by("-pk")
    assert [row[0] for row in rows] == [wo.number for wo in expected]  # gz's only, newest first
    assert len(rows) == 3 and {row[4] for row in rows} == {"已开单"}
    record = AccessRecord.objects.get(kind="list_export")
    assert record.subject == "work-orders" and record.detail == "status=created open=True"


def test_the_header_is_in_the_readers_language(jobs):
    admin = page_as(make_staff("root", "admin"), "en")

    header, *rows = rows_of(admin.get("/work-orders/", {"format": "xlsx"}))

    assert header[:5] == ("Number", "Request", "Serial number", "Service mode", "Status")
    assert len(rows) == WorkOrder.objects.count() == 5


def test_an_empty_list_offers_no_export(db):
    admin = page_as(make_staff("root", "admin"))

    html = admin.get("/work-orders/").content.decode()

    assert "format=xlsx" not in html


def test_a_list_longer_than_the_limit_is_exported_in_the_background(
    jobs, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_DIR = tmp_path
    user = make_staff("root", "admin")
    admin = page_as(user, "en")

    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.get("/work-orders/", {"open": "on", "format": "xlsx"})

    job = ExportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/exports/{job.pk}/"
    assert (job.created_by, job.export, job.params) == (
        user,
        "work-orders",
        {"status": "", "open": True},
    )
    assert job.list_url == "/work-orders/?open=on"
    assert "Export: Work orders" in admin.get(answer["Location"]).content.decode()
    assert not AccessRecord.objects.exists()  # nothing taken away yet

    from aftersales.core.exports import export_job_run

    export_job_run(job_id=job.pk)
    header, *rows = rows_of(admin.get(f"/exports/{job.pk}/file"))
    assert header[0] == "Number"
    assert len(rows) == 4  # the open ones (the cancelled job is not)
    assert AccessRecord.objects.get(kind="list_export").subject == "work-orders"
