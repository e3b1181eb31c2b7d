"""The technical center's pages: the escalation queue and the answer to a case."""

from django.urls import path

from aftersales.knowledge import views

urlpatterns = [
    path("", views.escalation_queue, name="escalation_queue"),
    path("<int:case_id>/answer/", views.escalation_answer, name="escalation_answer"),
]
