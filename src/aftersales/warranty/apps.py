from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "aftersales.warranty"
    label = "warranty"
    verbose_name = _("三包 warranty")

    # Its master data (core.roles.sync_roles: every staff role reads it).
    master_data_read = (
        "view_policy",
        "view_policycategory",
        "view_policypart",
        "view_performancefault",
        "view_policyversion",
    )
