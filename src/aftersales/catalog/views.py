"""The import page in the admin: upload, a progress bar that validates as it polls, then the
import — in the background for a large file, with its own progress bar.

`ImportJobAdmin` routes here (catalog/admin.py); every state change is a `catalog.services` call.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftersales.catalog import rules, services
from aftersales.catalog.importing import MAX_BYTES, MAX_ROWS
from aftersales.catalog.models import ImportJob
from aftersales.core.errors import DomainError

# Importing creates customers and units: whoever may create both may import them.
IMPORT_PERMISSIONS = ("customers.add_customer", "catalog.add_unit")


def may_import(user: object) -> bool:
    return isinstance(user, User) and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )


def _user(request: HttpRequest) -> User:
    if not may_import(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


def _job(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str) -> ImportJob:
    """The caller's job (an admin sees everyone's), or 404: the admin's queryset scopes it."""
    job = model_admin.get_object(request, object_id)
    if job is None:
        raise Http404
    assert isinstance(job, ImportJob)
    return job


def _page(
    request: HttpRequest, model_admin: admin.ModelAdmin, template: str, **context: object
) -> HttpResponse:
    context = {**model_admin.admin_site.each_context(request), "opts": ImportJob._meta, **context}
    return render(request, template, context)


def upload(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    user = _user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            job = services.import_job_start(by=user, upload=file, filename=file.name)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("admin:catalog_importjob_change", job.pk)
    columns = [(c, c in rules.REQUIRED_COLUMNS, aliases) for c, aliases in rules.COLUMNS.items()]
    return _page(
        request,
        model_admin,
        "catalog/import_upload.html",
        title=_("Import customers and units"),
        form=form,
        columns=columns,
        max_mb=MAX_BYTES // (1024 * 1024),
        max_rows=MAX_ROWS,
    )


def job_page(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str) -> HttpResponse:
    """The job's page; for htmx (the import's progress bar polling), its progress fragment."""
    _user(request)
    job = _job(request, model_admin, object_id)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "catalog/partials/_import_job.html", {"job": job})
    return _page(request, model_admin, "catalog/import_job.html", title=job.filename, job=job)


@require_POST
def validate(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str) -> HttpResponse:
    """One poll: validate the next slice of rows and answer the progress fragment."""
    user = _user(request)
    job = services.import_job_validate_next(job=_job(request, model_admin, object_id), by=user)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "catalog/partials/_import_job.html", {"job": job})
    return redirect("admin:catalog_importjob_change", job.pk)


@require_POST
def run(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str) -> HttpResponse:
    user = _user(request)
    job = _job(request, model_admin, object_id)
    try:
        job = services.import_job_run(job=job, by=user, mode=request.POST.get("mode", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if job.status == ImportJob.Status.IMPORTED:
            messages.success(request, _("The import is done."))
        elif job.status == ImportJob.Status.IMPORTING:
            messages.info(
                request, _("The import runs in the background; this page shows how far it is.")
            )
        else:
            messages.error(
                request,
                _(
                    "The import stopped: the data changed since the file was checked. See the errors."
                ),
            )
    return redirect("admin:catalog_importjob_change", job.pk)


@require_POST
def cancel(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str) -> HttpResponse:
    user = _user(request)
    try:
        services.import_job_cancel(job=_job(request, model_admin, object_id), by=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The import was discarded; nothing was imported."))
    return redirect("admin:catalog_importjob_changelist")
