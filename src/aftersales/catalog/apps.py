from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "aftersales.catalog"
    label = "catalog"
    verbose_name = _("Products and units")

    # Its master data (core.roles.sync_roles: every staff role reads it, the hotline and the
    # front desk write it).
    master_data_read = ("view_category", "view_faultcode", "view_productmodel", "view_unit")
    master_data_write = ("add_unit", "change_unit")
