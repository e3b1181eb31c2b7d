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

    def ready(self) -> None:
        # Kept per process (core.reference): each category's terms (a publish makes a version).
        from aftersales.catalog.models import Category
        from aftersales.core.reference import watch
        from aftersales.warranty.models import Policy, PolicyCategory, PolicyPart, PolicyVersion

        watch(Policy, PolicyCategory, PolicyPart, PolicyVersion, Category)
