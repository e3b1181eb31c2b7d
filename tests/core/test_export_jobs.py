"""A long list's export is written in the background (decision 83): its page shows a progress bar
while the worker writes it, then a download link that only the person who asked can use; a
failure says why; the worker's sweep deletes a file kept past its days and fails a job whose
worker died; an erase deletes every kept file."""

import io
from datetime import timedelta

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from openpyxl.worksheet import _writer as openpyxl_writer

from aftersales.core import exports, xlsx
from aftersales.core.errors import Forbidden
from aftersales.core.models import AccessRecord, Event, ExportJob
from aftersales.core.redaction import Redactor
from tests.factories import make_staff

ROWS = 1200  # more than two batches of progress (500 rows each)


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


@pytest.fixture
def numbers(monkeypatch):  # type: ignore[no-untyped-def]
    """A registered export of `ROWS` numbers (or `params["rows"]`); `numbers.during(row, fn)`
    calls `fn` while the writer is at that row; `numbers.fail` raises while rows are read."""

    class Numbers:
        at: dict[int, object] = {}
        fail: Exception | None = None

        def during(self, row: int, fn) -> None:  # type: ignore[no-untyped-def]
            self.at[row] = fn

        def rows(self, count: int):  # type: ignore[no-untyped-def]
            for n in range(1, count + 1):
                if n in self.at:
                    self.at[n]()  # type: ignore[operator]
                if self.fail is not None and n == 3:
                    raise self.fail
                yield [n, f"第{n}行"]

        def build(self, user, params):  # type: ignore[no-untyped-def]
            count = params.get("rows", ROWS)
            header = [translation.gettext("Number"), translation.gettext("Summary")]
            return count, xlsx.Sheet(title="numbers", header=header, rows=self.rows(count))

    numbers = Numbers()
    monkeypatch.setattr(exports, "_EXPORTS", dict(exports._EXPORTS))
    exports.register("numbers", "Numbers", numbers.build)
    return numbers


@pytest.fixture
def clerk(db):  # type: ignore[no-untyped-def]
    return make_staff("clerk", "hotline")


def browser(user, language: str = "en") -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def start(user, params=None, language: str = "en") -> ExportJob:  # type: ignore[no-untyped-def]
    with translation.override(language):
        return exports.export_job_start(
            by=user, name="numbers", params=params or {}, list_url="/numbers/?size=big"
        )


def progress_of(client, job) -> str:  # type: ignore[no-untyped-def]
    """The fragment the page's progress bar polls for."""
    return client.get(f"/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()


def workbook_rows(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    content = b"".join(answer.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_a_long_list_is_written_in_the_background_and_its_page_follows_it(
    clerk, numbers, django_capture_on_commit_callbacks
):
    page = browser(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        job = start(clerk)

    [task] = DBTaskResult.objects.all()
    assert task.task_path == "aftersales.core.tasks.export_job_task"
    assert task.args_kwargs["args"] == [job.pk]
    waiting = page.get(f"/exports/{job.pk}/").content.decode()
    assert "Waiting for the background worker" in waiting
    assert 'hx-trigger="every 1s"' in waiting
    seen = []
    numbers.during(700, lambda: seen.append(progress_of(page, job)))

    exports.export_job_run(job_id=job.pk)

    assert "500 of 1200 rows written" in seen[0]
    assert 'hx-trigger="every 1s"' in seen[0]  # still polling
    ready = page.get(f"/exports/{job.pk}/").content.decode()
    assert "Ready" in ready and "1200 rows" in ready
    assert f'href="/exports/{job.pk}/file"' in ready
    assert "every 1s" not in ready  # done: no more polling
    assert 'href="/numbers/?size=big"' in ready  # back to the list


def test_the_file_is_the_whole_list_with_a_header_in_the_askers_language(clerk, numbers):
    job = start(clerk, language="zh-hans")
    exports.export_job_run(job_id=job.pk)

    answer = browser(clerk, "en").get(f"/exports/{job.pk}/file")

    assert answer.status_code == 200
    assert answer["Content-Type"] == xlsx.XLSX_TYPE
    today = timezone.localdate().isoformat()
    assert answer["Content-Disposition"] == f'attachment; filename="numbers-{today}.xlsx"'
    header, *rows = workbook_rows(answer)
    assert header == ("单号", "摘要")  # the language of the page that asked
    assert len(rows) == ROWS
    assert rows[0] == (1, "第1行") and rows[-1] == (ROWS, f"第{ROWS}行")
    record = AccessRecord.objects.get(kind="list_export")
    assert record.user == clerk and record.subject == "numbers"


def test_only_the_person_who_asked_sees_the_page_and_the_file(clerk, numbers):
    job = start(clerk)
    exports.export_job_run(job_id=job.pk)
    colleague = browser(make_staff("colleague", "hotline"))
    admin = browser(make_staff("boss", "admin"))

    for someone in (colleague, admin):
        assert someone.get(f"/exports/{job.pk}/").status_code == 404
        assert someone.get(f"/exports/{job.pk}/file").status_code == 404
    assert Client().get(f"/exports/{job.pk}/file").status_code == 302  # to the login page
    assert browser(clerk).get(f"/exports/{job.pk}/file").status_code == 200
    assert AccessRecord.objects.filter(kind="list_export").count() == 1  # the owner's only


def test_a_file_not_ready_is_not_served(clerk, numbers):
    job = start(clerk)

    assert browser(clerk).get(f"/exports/{job.pk}/file").status_code == 404


def test_a_failed_export_says_why_and_leaves_no_file(clerk, numbers, export_dir):
    numbers.fail = Forbidden("You may no longer see this list.")
    job = start(clerk)
    temporary = list(openpyxl_writer.ALL_TEMP_FILES)

    job = exports.export_job_run(job_id=job.pk)

    assert job.status == "failed"
    page = browser(clerk).get(f"/exports/{job.pk}/").content.decode()
    assert "Failed" in page and "You may no longer see this list." in page
    assert 'href="/numbers/?size=big&amp;format=xlsx"' in page  # export again
    assert list(export_dir.iterdir()) == []
    assert openpyxl_writer.ALL_TEMP_FILES == temporary  # none left for the worker's lifetime
    assert browser(clerk).get(f"/exports/{job.pk}/file").status_code == 404
    assert Event.objects.filter(action="failed", object_id=job.pk).count() == 1


def test_an_unexpected_failure_is_said_in_words_not_a_traceback(clerk, numbers, caplog):
    numbers.fail = ZeroDivisionError("division by zero")
    job = start(clerk, language="zh-hans")

    job = exports.export_job_run(job_id=job.pk)

    assert job.status == "failed"
    assert "division" not in job.error
    with translation.override("zh-hans"):
        assert job.error == translation.gettext(
            "An unexpected error stopped the export; it is logged for the administrator. Export "
            "again, and tell the administrator if it fails again."
        )
    assert "ZeroDivisionError" in caplog.text  # logged for the administrator


def test_a_second_click_while_it_waits_is_the_same_export(clerk, numbers):
    first = start(clerk, {"rows": 10})

    again = start(clerk, {"rows": 10})
    other = start(clerk, {"rows": 11})

    assert again.pk == first.pk
    assert other.pk != first.pk
    exports.export_job_run(job_id=first.pk)
    assert start(clerk, {"rows": 10}).pk != first.pk  # done: a new one


def test_a_task_run_twice_writes_once(clerk, numbers):
    job = start(clerk, {"rows": 10})

    exports.export_job_run(job_id=job.pk)

    assert exports.export_job_run(job_id=job.pk) is None
    assert Event.objects.filter(action="done", object_id=job.pk).count() == 1


def test_the_sweep_deletes_a_file_past_its_days_and_fails_a_writer_that_died(
    clerk, numbers, settings, export_dir, django_capture_on_commit_callbacks
):
    settings.EXPORT_KEEP_DAYS = 7
    kept = start(clerk, {"rows": 10})
    exports.export_job_run(job_id=kept.pk)
    kept.refresh_from_db()
    file = export_dir / kept.file
    assert file.is_file()
    dead = start(clerk, {"rows": 20})
    ExportJob.objects.filter(pk=dead.pk).update(status="running", progress_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        six_days_on = exports.exports_sweep(now=timezone.now() + timedelta(days=6))
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            seven_days_on = exports.exports_sweep()

    assert six_days_on == {"stopped": 1, "removed": 0}
    assert seven_days_on == {"stopped": 0, "removed": 1}

    kept.refresh_from_db()
    dead.refresh_from_db()
    assert kept.status == "removed" and not file.exists()
    page = browser(clerk).get(f"/exports/{kept.pk}/").content.decode()
    assert "This file is no longer kept" in page
    assert dead.status == "failed" and "worker was stopped" in dead.error


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes connections between tasks
def test_the_worker_writes_a_queued_export(numbers):
    clerk = make_staff("clerk", "hotline")
    job = start(clerk, {"rows": 30})

    call_command("worker", once=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == "done" and job.rows_written == 30 and job.rows_total == 30


def test_a_privacy_erase_deletes_every_kept_file_and_the_phone_in_the_filters(
    clerk, numbers, export_dir, django_capture_on_commit_callbacks
):
    job = start(clerk, {"rows": 5, "q": "13912345678"})
    exports.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (export_dir / job.file).is_file()
    phone = Redactor(literals=("13912345678",), needles=("13912345678",))

    with django_capture_on_commit_callbacks(execute=True):
        exports.exports_privacy_erase(everywhere=phone)

    job.refresh_from_db()
    assert job.status == "removed" and list(export_dir.iterdir()) == []
    assert job.params == {"rows": 5, "q": "[erased]"}
