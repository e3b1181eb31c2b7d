from django.urls import path

from aftersales.complaints import views

urlpatterns = [path("", views.complaint_list, name="complaint_list")]
