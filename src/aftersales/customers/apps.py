from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "aftersales.customers"
    label = "customers"
    verbose_name = _("Customers")

    # Its master data (core.roles.sync_roles: every staff role reads it, the hotline and the
    # front desk write it).
    master_data_read = ("view_customer",)
    master_data_write = ("add_customer", "change_customer")
