"""The reports' pages: the managers' dashboard (报表) under /reports/."""

from django.urls import path

from aftersales.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("technicians/", views.technicians, name="technicians"),
    path("centers/", views.centers_compared, name="centers"),
    path("figures/<slug:key>/", views.figure, name="figure"),
]
