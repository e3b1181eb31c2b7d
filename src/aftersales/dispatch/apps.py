from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "aftersales.dispatch"
    label = "dispatch"
    verbose_name = _("Service network")

    # Its master data (core.roles.sync_roles: every staff role reads it).
    master_data_read = ("view_servicecenter",)

    def ready(self) -> None:
        # Kept per process (core.reference): who works in which center, and the centers.
        from aftersales.core.reference import watch
        from aftersales.dispatch.models import ServiceCenter, StaffProfile

        watch(ServiceCenter, StaffProfile)
