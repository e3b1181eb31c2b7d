from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "aftersales.notifications"
    verbose_name = _("Customer messages")

    def ready(self) -> None:
        from aftersales.core.reference import watch
        from aftersales.notifications import reactions  # noqa: F401  (declares them)
        from aftersales.notifications.models import Template

        watch(Template)  # kept per process (core.reference)
