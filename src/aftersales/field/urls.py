"""The technician's phone pages (/field/)."""

from django.urls import path

from aftersales.field import views

app_name = "field"
urlpatterns = [
    path("", views.day, name="day"),
    path("<str:number>/", views.job, name="job"),
    path("<str:number>/act/", views.act, name="act"),
    path("<str:number>/finish/", views.finish, name="finish"),
    path("<str:number>/photos/", views.photos, name="photos"),
]
