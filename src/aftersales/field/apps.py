from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """Field service: the work of the service network on the jobs — who can take a job and its
    automatic assignment, the dispatcher board, the technician's phone pages and calendar feed,
    the daily hand-in. Above work orders and requests, which it reads and acts on; it owns no
    models (the network's people and hand-ins are dispatch's)."""

    name = "aftersales.field"
    label = "field"
    verbose_name = _("Field service")

    def ready(self) -> None:
        from aftersales.field import reactions  # noqa: F401  (declares them)
