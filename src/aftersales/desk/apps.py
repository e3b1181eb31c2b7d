from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The service desk: the request as people take and work it, with what belongs to it — a
    complaint's own record and steps, its escalation cases, its work orders — combined from the
    apps below (the intake screen, the request page, the request API). Above the case apps, a
    peer of field; it owns no models."""

    name = "aftersales.desk"
    label = "desk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from aftersales.desk import exports  # noqa: F401  (registers the console's and complaints')
