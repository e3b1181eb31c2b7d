"""The work order pages (front desk, depot, printing)."""

from django.urls import path

from aftersales.workorders import views

app_name = "workorders"
urlpatterns = [
    path("<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<str:number>/signatures/<str:which>.png", views.signature, name="signature"),
]
