from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "aftersales.tickets"
    label = "tickets"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        # Kept per process (core.reference): the SLA policies.
        from aftersales.core.reference import watch
        from aftersales.tickets.models import SlaPolicy

        watch(SlaPolicy)
