"""The dispatcher board (DOMAIN.md §3 on-site, §4 "On-site specifics")."""

from django.urls import path

from aftersales.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.board, name="board"),
    path(
        "jobs/<str:number>/suggestions/",
        views.job_panel,
        {"panel": "suggest"},
        name="suggestions",
    ),
    path("jobs/<str:number>/assign/", views.job_assign, name="assign"),
    path("jobs/<str:number>/window/", views.job_panel, {"panel": "schedule"}, name="window"),
    path("jobs/<str:number>/schedule/", views.job_schedule, name="schedule"),
    path("jobs/<str:number>/conflicts/", views.job_panel, {"panel": "conflicts"}, name="conflicts"),
    path("jobs/<str:number>/proposal/", views.job_proposal, name="proposal"),
]
