"""`aftersales serve`: the production web server — gunicorn's sync workers, a fixed pool.

gunicorn runs inside this process (its `BaseApplication`), not exec'd as a second program: the
refusal below, the request timeout and the app are read from the one Django configuration already
loaded, and Ctrl-C or SIGTERM reach gunicorn's arbiter directly (decision 50).
"""

import os
from argparse import ArgumentParser
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import connections
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication


class Command(BaseCommand):
    help = (
        "Serve the site with a production WSGI server: WEB_CONCURRENCY gunicorn sync workers "
        "(default 2) on HOST:PORT (default 127.0.0.1:8000), each request limited to "
        "REQUEST_TIMEOUT seconds, the access log on standard output."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            help="PORT or HOST:PORT to listen on (default: HOST and PORT from the environment).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
            raise CommandError(
                _(
                    "Refusing to serve with DEBUG off and the built-in development SECRET_KEY: "
                    "set SECRET_KEY in the environment or write a random key to %(path)s."
                )
                % {"path": settings.SECRET_KEY_FILE}
            )
        bind = _bind(options["addrport"])
        try:
            workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
        except ValueError:
            workers = 0
        if workers < 1:
            raise CommandError(_("WEB_CONCURRENCY must be a whole number of at least 1."))
        # The arbiter keeps no connection: each forked worker opens its own, and only one.
        connections.close_all()
        Server(
            get_internal_wsgi_application,
            {
                "bind": [bind],
                "workers": workers,
                "worker_class": "sync",  # one request at a time: one connection per worker
                "timeout": settings.REQUEST_TIMEOUT,
                "accesslog": "-",
                "errorlog": "-",
                "proc_name": "aftersales",
                # Whether a request came over HTTPS is Django's call (PROXY_TLS_HEADER), not the
                # server's: trust no forwarded header here.
                "forwarded_allow_ips": "",
                # gunicorn's control socket sits at one path per user: two servers would collide.
                "control_socket_disable": True,
            },
        ).run()


def _bind(addrport: str | None) -> str:
    """PORT or HOST:PORT (IPv6 in brackets), else HOST and PORT from the environment."""
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    if addrport:
        if addrport.isdigit():
            port = addrport
        else:
            host, sep, port = addrport.rpartition(":")
            if not sep or not host:
                raise CommandError(_("Give PORT or HOST:PORT, e.g. 127.0.0.1:8000."))
    if not port.isdigit():
        raise CommandError(_("Give PORT or HOST:PORT, e.g. 127.0.0.1:8000."))
    return f"{host}:{port}"


class Server(BaseApplication):
    """gunicorn with its settings given here; each worker loads the app after the fork."""

    def __init__(self, load_app: Callable[[], Any], options: dict[str, Any]) -> None:
        self.load_app = load_app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.load_app()
