"""The technician's phone pages (/field/)."""

from django.urls import path

from aftersales.workorders import field_views

app_name = "field"
urlpatterns = [
    path("", field_views.day, name="day"),
    path("<str:number>/", field_views.job, name="job"),
    path("<str:number>/act/", field_views.act, name="act"),
    path("<str:number>/finish/", field_views.finish, name="finish"),
    path("<str:number>/photos/", field_views.photos, name="photos"),
]
