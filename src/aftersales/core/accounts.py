"""Accounts: logging in under the failed-login limits, passwords through Django's validators,
and the fingerprint that ties an API token to the password it was issued under (decision 55)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from aftersales.core.errors import InvalidInput
from aftersales.core.throttle import Limit, Tally, refusal


def login_limits() -> tuple[Limit, Limit]:
    """(per username from one client, per client whatever the usernames), from the settings."""
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    return (
        Limit("login:user-client", allowed=settings.LOGIN_FAILURES_PER_USER, window=window),
        Limit("login:client", allowed=settings.LOGIN_FAILURES_PER_CLIENT, window=window),
    )


def login(
    *, client: str, username: str, password: str, request: HttpRequest | None = None
) -> User | None:
    """The active user these credentials name, or None — counted against the limits of
    `client`: a username that failed too often from this client, or a client that failed too
    often, is refused (RateLimited, 429) before the password is even checked, so the right
    password does not get through either. Another client is never refused for it: a stranger
    cannot lock a colleague out. A failure counts for the pair and the client; a success forgets
    the pair's failures (not the client's)."""
    per_user, per_client = login_limits()
    # Case-folded: "Hotline" and "hotline" are one name to the limit (never more tries).
    tally = Tally((per_user, f"{username.casefold()}\n{client}"), (per_client, client))
    now = timezone.now()
    until = tally.blocked_until(now)
    if until is not None:
        raise refusal(until, now, _try_again)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        tally.record_failure(now)
        return None
    tally.forgive(per_user)
    return user


def _try_again(time: str, minutes: int) -> str:
    return ngettext(
        "Too many failed logins. Please try again after %(time)s (in %(minutes)d minute).",
        "Too many failed logins. Please try again after %(time)s (in %(minutes)d minutes).",
        minutes,
    ) % {"time": time, "minutes": minutes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, in words its catalogs translate: Django 5.2.20 rewrote the message with "%d",
    which its zh_Hans catalog does not have yet (it has "%(min_length)d"), so a Chinese page
    showed it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def password_check(password: str, user: User) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) on a password about to
    be set for `user` (saved or not): InvalidInput naming `password`, in the validators' words."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(
            " ".join(exc.messages), details={"password": list(exc.messages)}
        ) from exc


def password_fingerprint(user: AbstractBaseUser) -> str:
    """A digest of the user's stored password hash: a token keeps the one of its issue and stops
    working when it no longer matches — whoever changed the password, wherever (our pages, the
    admin, `changepassword`, a hasher upgrade at login). Unkeyed: the hash it digests is itself
    salted, and rotating SECRET_KEY need not end every token."""
    return hashlib.sha256(f"aftersales.api-token:{user.password}".encode()).hexdigest()
