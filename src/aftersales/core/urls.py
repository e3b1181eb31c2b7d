"""The kernel's pages under /exports/: a background export's progress and its file."""

from django.urls import path

from aftersales.core import export_views

urlpatterns = [
    path("<int:job_id>/", export_views.export_job, name="export_job"),
    path("<int:job_id>/file", export_views.export_file, name="export_file"),
]
