from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from aftersales.api import api

admin.site.site_header = _("Aftersales administration")
admin.site.site_title = _("Aftersales")
admin.site.index_title = _("Master data")

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("aftersales.portal.urls")),  # the customer's pages, no login
    path("", include("aftersales.core.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "aftersales.core.views.permission_denied"
handler404 = "aftersales.core.views.not_found"
handler500 = "aftersales.core.views.server_error"
