"""The kernel's state changes: timeline events, human numbers, API tokens."""

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from aftersales.core import accounts, reference
from aftersales.core.clients import client_of
from aftersales.core.errors import DomainError
from aftersales.core.models import (
    AccessKind,
    AccessRecord,
    ApiToken,
    Event,
    IdempotencyRecord,
    NumberSequence,
    ReferenceVersion,
)
from aftersales.core.reactions import react
from aftersales.core.redaction import Redactor, rewrite


def record_event(
    *,
    subject: models.Model,
    action: str,
    actor: User | None,
    note: str = "",
    customer_visible: bool = False,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one row to `subject`'s timeline. Every service calls this once per state change;
    the higher apps' reactions to the event run here (core.reactions)."""
    event = Event.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        action=action,
        actor=actor,
        note=note,
        customer_visible=customer_visible,
        data=data or {},
        at=at or timezone.now(),
    )
    react(event, subject)
    return event


def record_access(
    request: HttpRequest | None,
    *,
    kind: AccessKind,
    subject: object,
    by: User | None = None,
    detail: str | None = None,
) -> None:
    """Note that someone saw or exported a customer's personal data (who, when, what): one
    INSERT and nothing else, so the pages and endpoints that call it stay one query from what they
    were. Who is `by`, else the request's signed-in user (None: anonymous or the system); the
    client is the request's (`core.clients.client_of`); `detail` defaults to the request's path.
    Not a timeline event: reading changes nothing, and the administrator alone reads these."""
    user = by if by is not None else getattr(request, "user", None)
    if request is not None and detail is None:
        detail = request.path
    AccessRecord.objects.create(
        user=user if isinstance(user, User) else None,
        kind=kind,
        subject=str(subject)[:100],
        client=client_of(request)[:64] if request is not None else "",
        detail=(detail or "")[:200],
    )


def next_number(prefix: str, *, at: datetime | None = None) -> str:
    """A short number people read aloud: prefix + YYMMDD + a 4-digit count of that day.

    The count is taken with one statement, an upsert that adds 1 to the day's row (making it
    at 1) and returns it. The row stays locked until the caller's transaction ends, so
    concurrent callers never share a number and a rolled-back one is given again (no gaps):
    call it inside the transaction that saves the numbered object, as late as it can — the
    lock is held from here to the commit (decision 61).
    """
    day = timezone.localdate(at or timezone.now())
    table, prefix_, day_, last_ = map(
        connection.ops.quote_name, (NumberSequence._meta.db_table, "prefix", "day", "last")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({prefix_}, {day_}, {last_}) VALUES (%s, %s, 1) "
            f"ON CONFLICT ({prefix_}, {day_}) DO UPDATE SET {last_} = {table}.{last_} + 1 "
            f"RETURNING {last_}",
            [prefix, connection.ops.adapt_datefield_value(day)],
        )
        (last,) = cursor.fetchone()
    return f"{prefix}{day:%y%m%d}{last:04d}"


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, username: str, password: str, client: str | None = None) -> tuple[str, datetime]:
    """Exchange credentials for a bearer token; the clear key is returned once and never stored.
    From a `client` (the API: core.clients.client_of) the failed-login limits apply
    (core.accounts.login: 429 while blocked); None is a caller inside the server (tests, bench),
    not counted. The token keeps the fingerprint of the password it was issued under."""
    if client is None:
        found = authenticate(username=username, password=password)
        user = found if isinstance(found, User) and found.is_active else None
    else:
        user = accounts.login(client=client, username=username, password=password)
    if user is None:
        raise DomainError(_("Wrong username or password."), code="unauthorized", status=401)
    key = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(key),
        expires_at=expires_at,
        password_fingerprint=accounts.password_fingerprint(user),
    )
    return key, expires_at


def user_for_token(key: str) -> User | None:
    """The active user a live token belongs to, or None: not revoked, not expired, and issued
    under the user's present password (one query: the user comes with the token, and so does
    the version of the reference data this request reads by, core.reference)."""
    token = (
        ApiToken.objects.select_related("user")
        .annotate(
            reference_version=Subquery(
                ReferenceVersion.objects.filter(pk=reference.ROW).values("version")[:1]
            )
        )
        .filter(key_hash=_hash_token(key), revoked=False, expires_at__gt=timezone.now())
        .first()
    )
    if token is None:
        return None
    reference.seen(token.reference_version)  # type: ignore[attr-defined]
    if not token.user.is_active:
        return None
    if not constant_time_compare(
        token.password_fingerprint, accounts.password_fingerprint(token.user)
    ):
        return None
    return token.user


def revoke_token(key: str) -> None:
    """Stop one token from working (the API's logout)."""
    ApiToken.objects.filter(key_hash=_hash_token(key)).update(revoked=True)


def revoke_tokens(user: User) -> int:
    """Stop every token of `user` from working (on deactivation or handover)."""
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


# What a privacy erase rewrites in the kernel (the privacy registry lists it; decision 72).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    Event: ("note", "data"),
    AccessRecord: ("subject", "detail"),
    LogEntry: ("object_repr", "change_message"),
}


@transaction.atomic
def kernel_privacy_erase(
    *, subjects: dict[type[models.Model], list[int]], own: Redactor, everywhere: Redactor
) -> int:
    """A privacy erase's part in the kernel (decision 70): the timelines of the person's own
    records (`subjects`: each model's ids) and the admin's log of them lose their name, phone and
    address in notes and data; every event, access record and admin log entry loses their phone
    number (who did what and when stays); a replayable answer (`Idempotency-Key`) that holds any
    of it is dropped. A pure data rewrite, no event: the erase writes its one event on the
    customer's timeline."""
    changed = 0
    for model, ids in subjects.items():
        content_type = ContentType.objects.get_for_model(model)
        changed += rewrite(
            Event.objects.filter(content_type=content_type, object_id__in=ids),
            PRIVATE_TEXT[Event],
            own,
        )
        changed += rewrite(
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(pk) for pk in ids]
            ),
            PRIVATE_TEXT[LogEntry],
            own,
        )
    for model, fields in PRIVATE_TEXT.items():
        changed += rewrite(model._default_manager.all(), fields, everywhere)
    stale = [
        pk
        for pk, body in IdempotencyRecord.objects.values_list("pk", "response_body").iterator()
        if own.found_in(_decoded(bytes(body)))
    ]
    IdempotencyRecord.objects.filter(pk__in=stale).delete()
    return changed + len(stale)


def _decoded(body: bytes) -> Any:
    """A stored answer as text and, when it is JSON, as data (its strings unescaped)."""
    text = body.decode("utf-8", errors="replace")
    try:
        return [text, json.loads(text)]
    except ValueError:
        return text
