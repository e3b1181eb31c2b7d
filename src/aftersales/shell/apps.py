from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The thin shell on top: root URLs, the API's assembly, the menu, the workbench, the search
    box, the demo data and the worker. It owns no models; nothing below imports it."""

    name = "aftersales.shell"
    label = "shell"
    verbose_name = _("Shell")
