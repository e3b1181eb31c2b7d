"""A long work-order list exported in a real browser (decision 83): the button starts a
background export, its page waits for the worker, follows it by itself to the end and offers the
download, which is the workbook of every job.

The worker's part runs here, in the test's process, from the task the button queued (the live
server's database is this test's)."""

import io
import re

import openpyxl
import pytest
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff, repair_request


@pytest.fixture
def long_list(transactional_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Three jobs, where a list of more than two is exported in the background."""
    settings.EXPORT_INLINE_MAX_ROWS = 2
    settings.EXPORT_DIR = tmp_path / "exports"
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    desk = make_staff("wangf", "front_desk", center)
    for _ in range(3):
        work_order_create(ticket=repair_request(desk), by=desk, mode="carry_in")
    return make_staff("zhaom", "branch_manager", center)


def test_a_long_list_is_exported_in_the_background_with_its_progress_and_download(
    page: Page, log_in, zh, long_list
):
    log_in(long_list)
    page.goto("/work-orders/")

    page.get_by_role("link", name=zh("Export to Excel")).click()

    expect(page).to_have_url(re.compile(r"/exports/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(zh("Work orders"))
    expect(page.locator("#export-job")).to_contain_text(zh("Waiting for the background worker"))
    [queued] = DBTaskResult.objects.filter(task_path="aftersales.core.tasks.export_job_task")
    queued.task.call(*queued.args_kwargs["args"])  # the worker's turn

    download_link = page.get_by_role("link", name="work-orders-")
    expect(download_link).to_be_visible(timeout=10_000)  # the page polled its way there
    expect(page.locator("#export-job")).not_to_contain_text(zh("Waiting for the background worker"))
    with page.expect_download() as download:
        download_link.click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    assert header[0] == zh("Number")
    assert sorted(row[0] for row in rows) == sorted(
        WorkOrder.objects.values_list("number", flat=True)
    )
    assert download.value.suggested_filename.startswith("work-orders-")
