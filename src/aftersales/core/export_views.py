"""A background export's page: its progress bar while it is written, then its download — for the
person who asked only (anyone else: 404). The list pages' buttons are in their own views
(`core.exports.list_answer`)."""

from typing import cast

from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.core import exports
from aftersales.core.errors import NotFound
from aftersales.core.views import HtmxHttpRequest, staff_required


def _page(request: HtmxHttpRequest, job_id: int) -> exports.JobPage:
    try:
        return exports.job_page(cast(User, request.user), job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@staff_required
@require_GET
def export_job(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    """The job's page; for htmx (its progress bar polling), the progress fragment."""
    page = _page(request, job_id)
    if request.htmx:
        return render(request, "core/partials/_export_job.html", {"page": page})
    return render(request, "core/export_job.html", {"page": page})


@staff_required
@require_GET
def export_file(request: HtmxHttpRequest, job_id: int) -> FileResponse:
    try:
        return exports.job_download(request, _page(request, job_id))
    except NotFound as exc:
        raise Http404(exc.message) from exc
