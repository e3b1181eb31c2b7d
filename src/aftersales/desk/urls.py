"""The service desk's pages: the intake screen and the request page (the console and the
intake's fragments: tickets.urls)."""

from django.urls import path

from aftersales.desk import views

urlpatterns = [
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/new/unit/register/", views.intake_unit_register, name="intake_unit_register"),
    path("requests/<str:number>/", views.request_detail, name="request_detail"),
    path("requests/<str:number>/act/", views.request_act, name="request_act"),
    path("work-orders/open/<str:ticket_number>/", views.work_order_open, name="work_order_open"),
]
