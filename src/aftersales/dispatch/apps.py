from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "aftersales.dispatch"
    label = "dispatch"
    verbose_name = _("Service network")

    # Its master data (core.roles.sync_roles: every staff role reads it).
    master_data_read = ("view_servicecenter",)
