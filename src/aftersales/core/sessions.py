"""Staff sessions end after a while without activity (decision 56): `SESSION_IDLE_MINUTES` at a
desk (等保 practice), `FIELD_SESSION_HOURS` on a technician's phone (the working day).

The session keeps when it was last seen active and how long it may stay idle (by the user's
role). The stamp is written again only when it is older than a minute (core.rules
`SESSION_RESTAMP_EVERY`): no database write on every request. A background poll of a page
(an htmx `every …` trigger; app.js marks it with the `X-Poll` header) is not activity: a console
left open expires like any other page, and its next poll takes the browser to the login page.
An expired session is logged out before the view runs, with a message in words; the view then
answers as it does to anyone logged out — a staff page sends to the login page, which returns to
it afterwards (`next`). The API is not concerned: it takes bearer tokens, not sessions."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.core import rules
from aftersales.core.roles import TECHNICIAN, role_of

SEEN_AT = "aftersales_seen_at"  # the last stamp of activity, seconds since the epoch
IDLE_LIMIT = "aftersales_idle_limit"  # seconds this session may stay idle
POLL_HEADER = "HTTP_X_POLL"


def idle_limit_for(user: AbstractBaseUser | AnonymousUser) -> timedelta:
    """How long a session of `user` may stay idle: a technician's lasts the working day."""
    if isinstance(user, User) and role_of(user) == TECHNICIAN:
        return timedelta(hours=settings.FIELD_SESSION_HOURS)
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES)


class IdleSessionMiddleware:
    """Ends a session idle too long; stamps activity (at most once a minute). After
    AuthenticationMiddleware, MessageMiddleware and HtmxMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)
        seen_at = request.session.get(SEEN_AT)
        if seen_at is not None and request.user.is_authenticated:
            now = timezone.now()
            limit = timedelta(seconds=request.session.get(IDLE_LIMIT, 0))
            seen = datetime.fromtimestamp(seen_at, UTC)
            state = rules.session_idle_state(seen, now, limit)
            if state == "expired":
                logout(request)
                messages.info(request, _expired_words(limit))
            elif state == "restamp" and POLL_HEADER not in request.META:
                _stamp(request, now)
        response = self.get_response(request)
        if request.user.is_authenticated and SEEN_AT not in request.session:
            _stamp(request, timezone.now())  # just logged in (the login writes the session anyway)
        return response


def stamp_login(request: object) -> None:
    """A login starts the idle clock again: the old stamp goes, the next request stamps."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SEEN_AT, None)


def _stamp(request: HttpRequest, now: datetime) -> None:
    request.session[SEEN_AT] = now.timestamp()
    request.session[IDLE_LIMIT] = idle_limit_for(request.user).total_seconds()


def _expired_words(limit: timedelta) -> str:
    minutes = round(limit.total_seconds() / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        after = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    else:
        after = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return _(
        "You were logged out after %(after)s without activity. Log in again to go on where "
        "you were."
    ) % {"after": after}
