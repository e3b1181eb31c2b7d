"""The dispatcher board (DOMAIN.md §3 on-site, §4 "On-site specifics")."""

from django.urls import path

from aftersales.field import board_views

app_name = "dispatch"
urlpatterns = [
    path("", board_views.board, name="board"),
    path(
        "jobs/<str:number>/suggestions/",
        board_views.job_panel,
        {"panel": "suggest"},
        name="suggestions",
    ),
    path("jobs/<str:number>/assign/", board_views.job_assign, name="assign"),
    path("jobs/<str:number>/window/", board_views.job_panel, {"panel": "schedule"}, name="window"),
    path("jobs/<str:number>/schedule/", board_views.job_schedule, name="schedule"),
    path(
        "jobs/<str:number>/conflicts/",
        board_views.job_panel,
        {"panel": "conflicts"},
        name="conflicts",
    ),
    path("jobs/<str:number>/proposal/", board_views.job_proposal, name="proposal"),
]
