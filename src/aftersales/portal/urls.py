from django.urls import path

from aftersales.portal import views

app_name = "portal"
urlpatterns = [
    path("rate/<str:number>/", views.rate, name="rate"),
]
