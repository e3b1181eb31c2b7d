"""The console's pages: service requests (the intake screen and the request page: desk.urls)."""

from django.urls import path

from aftersales.tickets import views

urlpatterns = [
    path("requests/", views.console, name="console"),
    path("requests/new/customer/", views.intake_customer, name="intake_customer"),
    path("requests/new/unit/", views.intake_unit, name="intake_unit"),
    path("requests/new/warranty/", views.intake_warranty, name="intake_warranty"),
]
