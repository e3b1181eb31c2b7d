"""A large import in the background never blocks the desk: while the worker imports thousands of
rows, the hotline goes on taking requests — none fails with "database is locked" — and every
row goes in once (decision 58)."""

import io
import sqlite3
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from aftersales.catalog import services
from aftersales.catalog.models import ImportJob
from aftersales.core.services import issue_token
from aftersales.customers.models import Customer
from aftersales.tickets.models import Ticket
from tests.catalog.test_import import csv_bytes
from tests.conftest import ApiClient
from tests.factories import PASSWORD, make_staff

ROWS = 3000
# Shorter than the 20 s the server waits, and longer than one batch: a writer that waits for a
# whole import instead of a batch fails here.
BUSY_TIMEOUT = 3
MAX_CALLS = 1000


@pytest.fixture
def real_sqlite(transactional_db, tmp_path):  # type: ignore[no-untyped-def]
    """SQLite as the server runs it — a file, in WAL mode, whose writers wait for each other up to
    a busy timeout. The suite's in-memory SQLite cannot show that: its shared cache refuses a
    second writer at once. The schema comes from the test database (SQLite's backup); PostgreSQL
    needs nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "aftersales.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory, settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {
        **settings,
        "NAME": str(path),
        "OPTIONS": {**settings["OPTIONS"], "timeout": BUSY_TIMEOUT},
    }
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = in_memory
        connections.settings["default"] = settings


def test_the_hotline_takes_requests_while_a_large_import_runs_in_the_background(real_sqlite):
    clerk = make_staff("clerk", "admin")
    hotline = ApiClient(
        issue_token(username=make_staff("agent", "hotline").username, password=PASSWORD)[0]
    )
    data = csv_bytes([["姓名", "电话"], *[[f"导入{i}", f"139{i:08d}"] for i in range(ROWS)]])
    job = services.import_job_start(by=clerk, upload=io.BytesIO(data), filename="big.csv")
    # The check is another story (test_import_page): here the file is known good.
    ImportJob.objects.filter(pk=job.pk).update(status="validated", validated_rows=ROWS)
    job = services.import_job_run(job=job, by=clerk, mode="strict")
    assert job.status == "importing"

    answers: list[int] = []
    importing = ImportJob.objects.filter(pk=job.pk, status="importing")

    def desk() -> None:
        """A call every tenth of a second, until the import is done (and five at least)."""
        try:
            n = 0
            while (importing.exists() or n < 5) and n < MAX_CALLS:
                answer = hotline.post(
                    "/tickets",
                    {
                        "kind": "consultation",
                        "channel": "hotline",
                        "summary": "咨询",
                        "customer": {"name": f"来电{n}", "phone": f"137{n:08d}"},
                    },
                )
                answers.append(answer.status_code)
                n += 1
                time.sleep(0.1)
        finally:
            connections.close_all()

    calls = threading.Thread(target=desk)
    calls.start()
    try:
        call_command("worker", once=True, verbosity=0)  # the import's task, slice by slice
    finally:
        calls.join()

    assert 5 <= len(answers) < MAX_CALLS and set(answers) == {201}, answers
    assert Ticket.objects.count() == len(answers)
    job.refresh_from_db()
    assert (job.status, job.rows_imported, job.processed_rows) == ("imported", ROWS, ROWS)
    assert Customer.objects.filter(name__startswith="导入").count() == ROWS
    runs = DBTaskResult.objects.filter(task_path="aftersales.catalog.tasks.import_job_task")
    assert set(runs.values_list("status", flat=True)) == {"SUCCESSFUL"}
