"""The list pages' exports (decision 83): which lists can be exported, the choice between the
workbook at once and a background job, the job's run, its file, its page's reads and its sweep.

Each app registers its lists from its AppConfig (`register`): a name, a title and a
`build(user, params)` that gives the rows to count and the `core.xlsx.Sheet` to write, in that
user's scope — the page's own selector with the page's filters, the API's presenter. A page's
export button is the page's own URL with `format=xlsx`; its view hands the filters it read to
`list_answer`, which writes a list of at most `EXPORT_INLINE_MAX_ROWS` rows in the request, as the
API does, and for a longer one starts an `ExportJob` that `aftersales worker` writes into
`EXPORT_DIR`, its page showing the progress and then the download. A lower app's page names a
higher app's export by its registered name only, never the app."""

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from aftersales.core import xlsx
from aftersales.core.errors import DomainError, NotFound
from aftersales.core.models import AccessKind, ExportJob
from aftersales.core.redaction import Redactor, rewrite
from aftersales.core.services import record_access, record_event

logger = logging.getLogger(__name__)

# What a registered export builds for a user and the page's filters: the rows to count (a
# queryset, or their number) and the sheet that writes them.
Build = Callable[[User, dict[str, Any]], tuple["QuerySet[Any] | int", xlsx.Sheet]]

# The writer records its progress every this many rows (a batch of `core.pagination.every`).
PROGRESS_ROWS = 500
# A writer that recorded no progress for this long died with its worker (a batch takes well
# under a second): the sweep fails its job, saying so.
STALE = timedelta(minutes=15)
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)

# The job's filters and its list's address may hold a search for a person's phone: a privacy
# erase rewrites them (`exports_privacy_erase`), the person's export shows them as mentions.
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {ExportJob: ("params", "list_url")}


@dataclass(frozen=True)
class Export:
    name: str  # the file's first word and the access record's subject: "work-orders"
    title: Any  # what the job's page calls the list (lazily translated)
    build: Build


_EXPORTS: dict[str, Export] = {}


def register(name: str, title: Any, build: Build) -> None:
    """Declare a list the pages export (an app's AppConfig.ready); the name is the key a page
    passes to `list_answer`, the file's first word and the access record's subject."""
    _EXPORTS[name] = Export(name=name, title=title, build=build)


# The button --------------------------------------------------------------------------------------


def list_answer(request: HttpRequest, *, name: str, params: dict[str, Any]) -> HttpResponseBase:
    """A list page's export, with the filters the page read (`params`, JSON values): at most
    `EXPORT_INLINE_MAX_ROWS` rows → the workbook now, streamed like the API's exports (and its
    access record); more → a background job (`export_job_start`) and a redirect to its page."""
    user = request.user
    assert isinstance(user, User)  # the pages are staff_required
    found, sheet = _EXPORTS[name].build(user, params)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    if _count(found, cap=limit + 1) <= limit:
        return xlsx.list_export(request, name=name, filters=_words(params), sheet=sheet)
    query = request.GET.copy()
    query.pop("format", None)
    job = export_job_start(
        by=user,
        name=name,
        params=params,
        list_url=f"{request.path}?{query.urlencode()}" if query else request.path,
    )
    return redirect("export_job", job_id=job.pk)


def _count(found: "QuerySet[Any] | int", *, cap: int | None = None) -> int:
    """How many rows: all of them, or up to `cap` (enough to decide, at the cost of `cap`)."""
    if isinstance(found, int):
        return found
    return (found[:cap] if cap is not None else found).count()


def _words(params: dict[str, Any]) -> str:
    """The filters as the access record's detail: `status=open open=True`."""
    return " ".join(f"{key}={value}" for key, value in params.items() if value not in ("", None))


# The job -----------------------------------------------------------------------------------------


def export_job_start(
    *, by: User, name: str, params: dict[str, Any], list_url: str = ""
) -> ExportJob:
    """Queue the export of a long list for `aftersales worker` (its task after the commit), in the
    asker's language. The same person's same export with the same filters still waiting or being
    written is that job again, not a second one (a button clicked twice)."""
    with transaction.atomic():
        for job in ExportJob.objects.select_for_update().filter(
            created_by=by, export=name, status__in=ACTIVE
        ):
            if job.params == params:
                return job
        job = ExportJob.objects.create(
            created_by=by,
            export=name,
            params=params,
            list_url=list_url[:500],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        record_event(subject=job, action="requested", actor=by, data={"export": name})
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from aftersales.core.tasks import export_job_task

    export_job_task.enqueue(job_id)


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write a queued job's workbook (the task of `aftersales worker`): claim it, count its rows,
    write them into a file of its own under `EXPORT_DIR`, recording how many are written every
    `PROGRESS_ROWS`, then mark it done — or failed, with the reason in the asker's words. A job
    already claimed (a task run twice) is left to its writer: None."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING,
        started_at=now,
        progress_at=now,
        file=f"{job_id}-{get_random_string(12).lower()}.xlsx",
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            written = _write(job)
        except Exception as exc:
            if not isinstance(exc, DomainError):
                logger.exception("export %s failed", job.pk)
            return _fail(job, _reason(exc))
    return _finish(job, written)


def _write(job: ExportJob) -> int:
    """The job's workbook into `EXPORT_DIR`: written as a hidden `.NAME.partial`, mode 0600
    (customers' data), and renamed when whole; the number of rows written."""
    export = _EXPORTS.get(job.export)
    if export is None:
        raise DomainError(_("This list can no longer be exported."))
    found, sheet = export.build(job.created_by, job.params)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=_count(found), progress_at=timezone.now())
    folder = Path(settings.EXPORT_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial_path = _partial_path(job)
    counted = xlsx.Sheet(sheet.title, sheet.header, _recording(job.pk, sheet.rows))
    descriptor = os.open(partial_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            written = xlsx.write(out, [counted])
        os.replace(partial_path, folder / job.file)
    except BaseException:
        partial_path.unlink(missing_ok=True)
        raise
    return written


def _recording(job_id: int, rows: Iterable[Any]) -> Iterator[Any]:
    """The rows as they are written, the count recorded every `PROGRESS_ROWS` (the page reads it)."""
    written = 0
    for row in rows:
        yield row
        written += 1
        if written % PROGRESS_ROWS == 0:
            ExportJob.objects.filter(pk=job_id).update(
                rows_written=written, progress_at=timezone.now()
            )


def _reason(exc: Exception) -> str:
    """Why a job failed, in words (the asker's language is active)."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, OSError):
        return _("The file could not be written (%(reason)s). Tell the administrator.") % {
            "reason": exc.strerror or exc.__class__.__name__
        }
    return _(
        "An unexpected error stopped the export; it is logged for the administrator. Export "
        "again, and tell the administrator if it fails again."
    )


def _finish(job: ExportJob, written: int) -> ExportJob:
    now = timezone.now()
    with transaction.atomic():
        done = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            rows_written=written,
            rows_total=written,  # the file's own count, should the list have changed meanwhile
            progress_at=now,
            finished_at=now,
        )
        if done:
            record_event(subject=job, action="done", actor=None, data={"rows": written})
        else:  # failed meanwhile (the sweep thought it dead, an erase): the file goes
            transaction.on_commit(partial(_path(job).unlink, missing_ok=True))
    job.refresh_from_db()
    return job


def _fail(job: ExportJob, reason: str, *, since: datetime | None = None) -> ExportJob:
    """Fail a job still waiting or being written (`since`: only if its writer recorded no
    progress after that), with `reason` in words; what it had written goes."""
    now = timezone.now()
    with transaction.atomic():
        found = ExportJob.objects.filter(pk=job.pk, status__in=ACTIVE)
        if since is not None:
            found = found.filter(progress_at__lt=since)
        if found.update(status=ExportJob.Status.FAILED, error=reason, finished_at=now, file=""):
            record_event(
                subject=job, action="failed", actor=None, data={"rows_written": job.rows_written}
            )
            if job.file:
                transaction.on_commit(partial(_partial_path(job).unlink, missing_ok=True))
    job.refresh_from_db()
    return job


def _path(job: ExportJob) -> Path:
    return Path(settings.EXPORT_DIR) / job.file


def _partial_path(job: ExportJob) -> Path:
    return Path(settings.EXPORT_DIR) / f".{job.file}.partial"


# Its page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobPage:
    job: ExportJob
    title: Any  # the list's
    download_name: str
    kept_until: datetime | None  # a ready file's last day

    @property
    def again_url(self) -> str:
        """The list's export button again, with the same filters ("" if the list is not known)."""
        url = self.job.list_url
        if not url:
            return ""
        return f"{url}{'&' if '?' in url else '?'}format=xlsx"


def job_page(user: User, job_id: int) -> JobPage:
    """A job of `user`'s own (anyone else's, or none: NotFound), with what its page shows."""
    job = ExportJob.objects.filter(pk=job_id, created_by=user).first()
    if job is None:
        raise NotFound(_("No export with this number."))
    export = _EXPORTS.get(job.export)
    done = job.status == ExportJob.Status.DONE and job.finished_at is not None
    return JobPage(
        job=job,
        title=export.title if export else job.export,
        download_name=f"{job.export}-{timezone.localdate(job.created_at).isoformat()}.xlsx",
        kept_until=job.finished_at + timedelta(days=settings.EXPORT_KEEP_DAYS)
        if done and job.finished_at
        else None,
    )


def job_download(request: HttpRequest, page: JobPage) -> FileResponse:
    """A ready job's file, to the person who asked (the caller checked: `job_page`), and its
    access record (a list of customers' data taken away); not ready or gone: NotFound."""
    job = page.job
    if job.status != ExportJob.Status.DONE or not job.file or not _path(job).is_file():
        raise NotFound(_("This export's file is not there."))
    record_access(
        request,
        kind=AccessKind.LIST_EXPORT,
        subject=job.export,
        detail=f"#{job.pk} {_words(job.params)}",
    )
    return FileResponse(
        _path(job).open("rb"),
        as_attachment=True,
        filename=page.download_name,
        content_type=xlsx.XLSX_TYPE,
    )


# The sweep ---------------------------------------------------------------------------------------


def exports_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The worker's sweep: a job whose writer went silent for `STALE` failed (its worker was
    stopped or killed; the reason says to export again), and a ready file older than
    `EXPORT_KEEP_DAYS` days is deleted (its job: no longer kept)."""
    now = now or timezone.now()
    stopped = 0
    for job in ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, progress_at__lt=now - STALE
    ):
        with translation.override(job.language):
            reason = _(
                "The export stopped: the background worker was stopped while writing it. Export again."
            )
        if _fail(job, reason, since=now - STALE).status == ExportJob.Status.FAILED:
            stopped += 1
    removed = 0
    old = ExportJob.objects.filter(
        status=ExportJob.Status.DONE,
        finished_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    for job in old:
        with transaction.atomic():
            if ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).update(
                status=ExportJob.Status.REMOVED, file=""
            ):
                record_event(subject=job, action="removed", actor=None)
                transaction.on_commit(partial(_path(job).unlink, missing_ok=True))
                removed += 1
    return {"stopped": stopped, "removed": removed}


def exports_privacy_erase(*, everywhere: Redactor) -> int:
    """A privacy erase's part in the exports (decision 70): every kept file is deleted — a list
    that may hold the person, and any list can be exported again —, a job being written is
    failed (it may have written them already; the reason says to export again), and every job's
    filters lose their phone number. No event on the customer's records: the erase writes its
    one event on the customer's timeline."""
    kept = ExportJob.objects.filter(status=ExportJob.Status.DONE).exclude(file="")
    for job in kept.only("pk", "file"):
        transaction.on_commit(partial(_path(job).unlink, missing_ok=True))
    changed = kept.update(status=ExportJob.Status.REMOVED, file="")
    for job in ExportJob.objects.filter(status=ExportJob.Status.RUNNING):
        with translation.override(job.language):
            reason = _("A person's data was erased while this export was written. Export again.")
        changed += _fail(job, reason).status == ExportJob.Status.FAILED
    return changed + rewrite(ExportJob.objects.all(), PRIVATE_TEXT[ExportJob], everywhere)
