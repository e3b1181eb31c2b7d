"""The work order pages (front desk, depot, printing)."""

from django.urls import path

from aftersales.workorders import views

app_name = "workorders"
urlpatterns = [
    path("", views.work_order_list, name="list"),
    path("loans/", views.loans, name="loans"),
    path("stock/discrepancies/", views.stock_discrepancies, name="stock_discrepancies"),
    path(
        "stock/discrepancies/<int:pk>/resolve/",
        views.stock_discrepancy_resolve,
        name="stock_discrepancy_resolve",
    ),
    path("<str:number>/", views.work_order_detail, name="detail"),
    path("<str:number>/act/", views.work_order_act, name="act"),
    path("<str:number>/receive/", views.work_order_receive, name="receive"),
    path("<str:number>/photos/", views.photo_upload, name="photo_upload"),
    path(
        "<str:number>/receipt/",
        views.work_order_print,
        {"document": "receipt"},
        name="receipt",
    ),
    path("<str:number>/sheet/", views.work_order_print, {"document": "sheet"}, name="sheet"),
    path("<str:number>/record/", views.work_order_print, {"document": "record"}, name="record"),
    path("<str:number>/photos/<int:photo_id>/", views.photo, name="photo"),
    path("<str:number>/signatures/<str:which>.png", views.signature, name="signature"),
]
