from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's rights over their data (PIPL): export everything held about them, erase their
    name, phone and address. It reads and changes every app's rows, so it sits just below the
    shell (docs/architecture.md); each app's rows change through that app's own
    `*_privacy_erase` service. It owns no models."""

    name = "aftersales.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
