"""The root URLconf: the API, the admin site, the portal, the staff shell and every app's pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from aftersales.core import account_views
from aftersales.shell import views
from aftersales.shell.api import api

admin.site.site_header = _("Aftersales administration")
admin.site.site_title = _("Aftersales")
admin.site.index_title = _("Master data")
admin.site.login_form = account_views.AdminLoginForm  # the failed-login limits here too

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("aftersales.portal.urls")),  # the customer's pages, no login
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("search/", views.search, name="search"),
    path("", include("aftersales.dispatch.urls")),  # the pickers: regions/ and people/
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("warranty/units/<path:serial>/", views.unit_detail, name="unit_detail"),
    path("warranty/", include("aftersales.warranty.urls")),
    path("", include("aftersales.tickets.urls")),
    path("", include("aftersales.desk.urls")),
    path("escalations/", include("aftersales.knowledge.urls")),
    path("work-orders/", include("aftersales.workorders.urls")),
    path("callbacks/", include("aftersales.followups.urls")),
    path("complaints/", include("aftersales.complaints.urls")),
    path("reports/", include("aftersales.reports.urls")),
    path("exports/", include("aftersales.core.urls")),  # a long list's export in the background
    path("staff/handover/", views.staff_handover, name="staff_handover"),
    # dispatch/hand-ins/ and field/hand-in/: before the dispatch/ and field/ includes below.
    path("", include("aftersales.field.hand_in_urls")),
    path("field/", include("aftersales.field.urls")),
    path("dispatch/", include("aftersales.field.board_urls")),
]
# No URL serves MEDIA_ROOT, in any mode: photos, signatures and import files are private, and
# reach the browser only through the views that check who asks (workorders:photo, :signature).

handler403 = "aftersales.shell.views.permission_denied"
handler404 = "aftersales.shell.views.not_found"
handler500 = "aftersales.shell.views.server_error"
