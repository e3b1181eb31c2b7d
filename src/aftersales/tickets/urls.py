"""The console's pages: service requests, the technical center's queue, handover."""

from django.urls import path

from aftersales.dispatch import views as dispatch_views
from aftersales.knowledge import views as knowledge_views
from aftersales.tickets import views

urlpatterns = [
    path("requests/", views.console, name="console"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/new/customer/", views.intake_customer, name="intake_customer"),
    path("requests/new/unit/", views.intake_unit, name="intake_unit"),
    path("requests/new/unit/register/", views.intake_unit_register, name="intake_unit_register"),
    path("requests/new/warranty/", views.intake_warranty, name="intake_warranty"),
    path("requests/<str:number>/", views.request_detail, name="request_detail"),
    path("requests/<str:number>/act/", views.request_act, name="request_act"),
    path("escalations/", knowledge_views.escalation_queue, name="escalation_queue"),
    path(
        "escalations/<int:case_id>/answer/",
        knowledge_views.escalation_answer,
        name="escalation_answer",
    ),
    path("staff/handover/", dispatch_views.staff_handover, name="staff_handover"),
]
