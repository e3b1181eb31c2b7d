"""A large import runs in the background, batch by batch, each batch committed on its own: the page
shows how far it is, a killed worker's import goes on where it was, and no row goes in twice."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aftersales.catalog import services
from aftersales.catalog.importing import Row
from aftersales.catalog.models import ImportJob, Unit
from aftersales.core.errors import DomainError
from aftersales.core.models import Event
from aftersales.customers.models import Customer
from tests.catalog.test_import import csv_bytes
from tests.factories import ProductModelFactory, UnitFactory, make_staff

ROWS = 50


@pytest.fixture(autouse=True)
def small_batches(monkeypatch, settings, tmp_path):
    """Batches of 20 rows (and no time limit, so each holds exactly 20), no pause between them;
    imports of more than 20 rows go to the background."""
    monkeypatch.setattr(services, "BATCH_ROWS", 20)
    monkeypatch.setattr(services, "INLINE_ROWS", 20)
    monkeypatch.setattr(services, "BATCH_SECONDS", 3600)
    monkeypatch.setattr(services, "SQLITE_PAUSE", 0)
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clerk(db):  # type: ignore[no-untyped-def]
    ProductModelFactory(code="XH-P50")
    return make_staff("clerk", "admin")


def checked_job(clerk, rows=ROWS):  # type: ignore[no-untyped-def]
    """An uploaded file of `rows` customers, each with a unit, checked without an error."""
    data = csv_bytes(
        [
            ["姓名", "电话", "序列号", "型号"],
            *[[f"客户{i}", f"139{i:08d}", f"SN-{i}", "XH-P50"] for i in range(rows)],
        ]
    )
    job = services.import_job_start(by=clerk, upload=io.BytesIO(data), filename="many.csv")
    while job.status == "validating":
        job = services.import_job_validate_next(job=job, by=clerk, max_rows=rows)
    assert job.error_rows == 0
    return job


def one_slice(job):  # type: ignore[no-untyped-def]
    """What the background task does once: a slice of batches (here: one), then the rest queued."""
    job.refresh_from_db()
    return services.import_job_continue(job_id=job.pk, runner=job.runner, seconds=0)


def progress_of(client, job):  # type: ignore[no-untyped-def]
    """The fragment the page's progress bar polls for."""
    url = reverse("admin:catalog_importjob_change", args=[job.pk])
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_large_import_goes_in_the_background_batch_by_batch_and_the_page_follows_it(
    clerk, django_capture_on_commit_callbacks
):
    job = checked_job(clerk)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(clerk)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_run(job=job, by=clerk, mode="strict")

    assert (job.status, job.processed_rows) == ("importing", 0)
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "aftersales.catalog.tasks.import_job_task"
    assert task.args_kwargs["args"] == [job.pk, job.runner]
    waiting = progress_of(page, job)
    assert '<progress max="50" value="0">' in waiting and "every 2s" in waiting
    assert "aftersales worker" in waiting

    with django_capture_on_commit_callbacks(execute=True):
        job = one_slice(job)

    assert (job.status, job.processed_rows, job.rows_imported) == ("importing", 20, 20)
    assert Unit.objects.count() == 20  # committed: the desk sees them already
    assert DBTaskResult.objects.count() == 2  # the slice queued the rest
    assert "20 of 50 rows done" in progress_of(page, job)
    chinese = Client()  # the desk's language
    chinese.force_login(clerk)
    assert "已处理 20 / 50 行" in progress_of(chinese, job)

    while job.status == "importing":
        job = one_slice(job)

    assert (job.status, job.rows_imported, job.error_rows) == ("imported", 50, 0)
    assert (job.customers_created, job.customers_reused, job.units_created) == (50, 0, 50)
    assert Customer.objects.count() == Unit.objects.count() == 50
    done = progress_of(page, job)
    assert "every 2s" not in done and "50 customers created" in done
    assert not job.rows_file
    actions = Event.objects.filter(content_type__model="importjob", object_id=job.pk)
    assert list(actions.values_list("action", flat=True)) == [
        "created",
        "validated",
        "started",
        "imported",
    ]


def test_a_killed_worker_s_import_goes_on_after_its_last_batch_and_no_row_goes_in_twice(
    clerk, monkeypatch, django_capture_on_commit_callbacks
):
    job = services.import_job_run(job=checked_job(clerk), by=clerk, mode="strict")
    job = one_slice(job)  # rows 2–21 committed
    parse_row = services.parse_row

    def killed_at_row_30(row: Row):  # type: ignore[no-untyped-def]
        if row.number == 30:
            raise SystemExit("the worker is killed in the middle of a batch")
        return parse_row(row)

    monkeypatch.setattr(services, "parse_row", killed_at_row_30)
    with pytest.raises(SystemExit):
        one_slice(job)
    monkeypatch.setattr(services, "parse_row", parse_row)

    job.refresh_from_db()
    assert (job.status, job.processed_rows, Unit.objects.count()) == ("importing", 20, 20)
    assert services.import_jobs_resume() == 0  # its lease still holds: it may yet be running

    later = timezone.now() + services.LEASE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.import_jobs_resume() == 1
        [*_, resumed] = DBTaskResult.objects.order_by("enqueued_at")
        [job_id, runner] = resumed.args_kwargs["args"]
        job.refresh_from_db()
        assert runner == job.runner
        while job.status == "importing":
            job = services.import_job_continue(job_id=job_id, runner=runner, seconds=0)

    assert (job.status, job.rows_imported, job.error_rows) == ("imported", 50, 0)
    assert Unit.objects.count() == Customer.objects.count() == 50
    assert job.customers_created == 50


def test_a_runner_whose_lease_was_taken_over_imports_nothing_more(clerk):
    job = services.import_job_run(job=checked_job(clerk), by=clerk, mode="strict")
    first = job.runner
    later = timezone.now() + services.LEASE + timedelta(seconds=1)

    with time_machine.travel(later, tick=False):
        services.import_jobs_resume()  # the first runner seemed dead: a second one has the job
        job.refresh_from_db()
        second = job.runner
        services.import_job_continue(job_id=job.pk, runner=second, seconds=0)
        late = services.import_job_continue(job_id=job.pk, runner=first, seconds=0)

    assert second != first
    assert (late.runner, late.processed_rows, Unit.objects.count()) == (second, 20, 20)


def test_customers_made_in_one_batch_and_used_in_a_later_one_count_once(clerk):
    UnitFactory(serial="OLD-1", customer__phone="+8613700137000")
    data = csv_bytes(
        [
            ["姓名", "电话"],
            *[[f"客户{i}", f"139{i:08d}"] for i in range(25)],
            ["客户0", "13900000000"],  # made by the first batch
            ["老客户", "13700137000"],  # on file before
            ["老客户", "13700137000"],
        ]
    )
    job = services.import_job_start(by=clerk, upload=io.BytesIO(data), filename="c.csv")
    while job.status == "validating":
        job = services.import_job_validate_next(job=job, by=clerk)
    job = services.import_job_run(job=job, by=clerk, mode="strict")
    while job.status == "importing":
        job = one_slice(job)

    assert (job.rows_imported, job.customers_created, job.customers_reused) == (28, 25, 1)


def test_a_strict_import_whose_data_changes_midway_stops_at_that_row_keeping_the_batches_before(
    clerk,
):
    job = services.import_job_run(job=checked_job(clerk), by=clerk, mode="strict")
    job = one_slice(job)  # rows 2–21
    UnitFactory(serial="SN-25")  # row 27's serial, registered meanwhile

    job = one_slice(job)

    assert (job.status, job.processed_rows, job.rows_imported) == ("stopped", 20, 20)
    assert [(e["row"], e["column"]) for e in job.errors] == [(27, "序列号")]
    assert not Unit.objects.filter(serial="SN-20").exists()  # row 22: its batch went back

    job = services.import_job_run(job=job, by=clerk, mode="good_rows_only")
    while job.status == "importing":
        job = one_slice(job)

    assert (job.status, job.rows_imported, job.error_rows) == ("imported", 49, 1)
    assert Unit.objects.filter(serial__startswith="SN-").count() == 50  # 49 imported + SN-25


def test_a_stopped_import_goes_on_only_without_the_rows_with_errors(clerk):
    job = services.import_job_run(job=checked_job(clerk), by=clerk, mode="strict")
    ImportJob.objects.filter(pk=job.pk).update(status="stopped", runner="", lease_until=None)
    job.refresh_from_db()

    with pytest.raises(DomainError):
        services.import_job_run(job=job, by=clerk, mode="strict")

    assert ImportJob.objects.get(pk=job.pk).status == "stopped"


def test_a_strict_import_from_the_command_line_keeps_the_batches_before_a_row_that_fails(
    clerk, monkeypatch
):
    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    rows = [
        Row(n, {"name": f"导入{n}", "phone": f"139{n:08d}", "serial": f"SN-{n}", "model": "XH-P50"})
        for n in range(2, 9)
    ]

    def progress(phase, done, total):  # type: ignore[no-untyped-def]
        if (phase, done) == ("import", 1):
            UnitFactory(serial="SN-7")  # row 7's serial, registered once the import began

    result = services.import_rows(
        by=None,
        rows=rows,
        labels={"name": "姓名", "phone": "电话", "serial": "序列号", "model": "型号"},
        progress=progress,
    )

    assert (result.stopped_at, result.rows_imported, result.committed) == (7, 4, True)
    assert [(e.row, e.column) for e in result.errors] == [(7, "序列号")]
    imported = Customer.objects.filter(name__startswith="导入").order_by("name")
    assert list(imported.values_list("name", flat=True)) == ["导入2", "导入3", "导入4", "导入5"]


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes connections between tasks
def test_an_import_whose_worker_died_is_finished_by_the_next_worker(clerk):
    job = services.import_job_run(job=checked_job(clerk), by=clerk, mode="strict")
    DBTaskResult.objects.update(status="RUNNING")  # claimed by a worker that was then killed

    call_command("worker", once=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("importing", 0)  # its lease may still hold

    with time_machine.travel(timezone.now() + services.LEASE + timedelta(seconds=1)):
        call_command("worker", once=True, verbosity=0)  # the sweep hands it to a new task

    job.refresh_from_db()
    assert (job.status, job.rows_imported, job.error_rows) == ("imported", ROWS, 0)
    assert Unit.objects.count() == Customer.objects.count() == ROWS
