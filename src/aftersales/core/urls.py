from django.contrib.auth import views as auth_views
from django.urls import include, path

from aftersales.core import views
from aftersales.customers import views as customer_views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", views.search, name="search"),
    path("customers/<int:customer_id>/", customer_views.customer_detail, name="customer_detail"),
    path("warranty/", include("aftersales.warranty.urls")),
    path("", include("aftersales.tickets.urls")),
    path("work-orders/", include("aftersales.workorders.urls")),
    path("callbacks/", include("aftersales.followups.urls")),
    path("complaints/", include("aftersales.complaints.urls")),
    # dispatch/hand-ins/ and field/hand-in/: before the dispatch/ and field/ includes below.
    path("", include("aftersales.dispatch.handin_urls")),
    path("field/", include("aftersales.workorders.field_urls")),
    path("dispatch/", include("aftersales.dispatch.urls")),
]
