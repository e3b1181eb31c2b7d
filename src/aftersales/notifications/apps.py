from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "aftersales.notifications"
    verbose_name = _("Customer messages")

    def ready(self) -> None:
        from aftersales.notifications import reactions  # noqa: F401  (declares them)
