"""The daily hand-in pages: the report under /dispatch/hand-ins/, the technician's form under
/field/hand-in/ (included before the other dispatch/ and field/ pages)."""

from django.urls import path

from aftersales.dispatch import handin_views

app_name = "hand_ins"
urlpatterns = [
    path("dispatch/hand-ins/", handin_views.report, name="report"),
    path("field/hand-in/", handin_views.hand_in, name="form"),
]
