from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _

from aftersales.core.columns import refuse_overlong_text


class CoreConfig(AppConfig):
    name = "aftersales.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Groups need the permissions, which Django creates after migrating: sync roles then.
        post_migrate.connect(_sync_roles, sender=self)
        # Every text fits its column, whoever saves it (core.columns; a 422, not a 500).
        pre_save.connect(refuse_overlong_text, dispatch_uid="core_text_fits")
        # The limiters (core.throttle: logins, the portal's lookups) count in the database
        # cache: make its table (if missing) wherever `migrate` runs — `make run`, a deployment,
        # the test database. The command skips a table that exists.
        post_migrate.connect(_create_cache_table, dispatch_uid="core_cache_table")
        # A login is activity: the idle clock of the session starts again (core.sessions).
        user_logged_in.connect(_stamp_login, dispatch_uid="core_session_login_stamp")
        # Reference data kept per process (core.reference): the version is read once per
        # request; the kernel's own tables of it are the calendars and who holds which role.
        from django.contrib.auth.models import Group, User

        from aftersales.core import reference
        from aftersales.core.models import BusinessCalendar, CalendarOverride

        reference.follow_requests()
        reference.watch(BusinessCalendar, CalendarOverride, Group, User.groups.through)


def _sync_roles(**kwargs: object) -> None:
    from aftersales.core.roles import sync_roles

    sync_roles()


def _create_cache_table(using: str = "default", **kwargs: object) -> None:
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _stamp_login(request: object = None, **kwargs: object) -> None:
    from aftersales.core.sessions import stamp_login

    stamp_login(request)
