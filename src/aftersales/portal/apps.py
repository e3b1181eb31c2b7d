from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "aftersales.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        # The failed-lookup limiter counts in the database cache: make its table (if missing)
        # wherever `migrate` runs — `make run`, a deployment, the test database. Not limited to
        # this app as sender: Django sends post_migrate only for apps with models, which the
        # portal has none of; the command skips a table that exists.
        post_migrate.connect(_create_cache_table, dispatch_uid="portal_cache_table")


def _create_cache_table(using: str = "default", **kwargs: object) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
