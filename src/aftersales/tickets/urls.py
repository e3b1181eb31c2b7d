"""The console's pages: service requests."""

from django.urls import path

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
]
