"""The pickers' endpoints (included by the shell's URLconf at the root)."""

from django.urls import path

from aftersales.dispatch import views

urlpatterns = [
    path("regions/", views.region_options, name="region_options"),
    path("people/", views.people_options, name="people_options"),
]
