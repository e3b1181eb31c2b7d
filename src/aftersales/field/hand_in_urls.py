"""The daily hand-in pages: the report under /dispatch/hand-ins/, the technician's form under
/field/hand-in/ (included before the board under dispatch/ and the phone pages under field/)."""

from django.urls import path

from aftersales.field import hand_in_views

app_name = "hand_ins"
urlpatterns = [
    path("dispatch/hand-ins/", hand_in_views.report, name="report"),
    path("field/hand-in/", hand_in_views.hand_in, name="form"),
]
