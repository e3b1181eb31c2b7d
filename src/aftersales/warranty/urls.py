from django.urls import path

from aftersales.warranty import views

urlpatterns = [
    path("check/", views.warranty_check, name="warranty_check"),
]
