from django.urls import path

from aftersales.followups import views

urlpatterns = [
    path("", views.callback_queue, name="callback_queue"),
    path("<int:followup_id>/record/", views.callback_record, name="callback_record"),
    path("reconcile/", views.reconcile, name="reconcile"),
]
