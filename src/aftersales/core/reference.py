"""Reference data kept per process: what every request reads and an administrator rarely changes
(SLA policies, business calendars and their overrides, 三包 terms, message templates, each staff
member's role and center).

A function that reads it is declared `@cached("name")`: its answer is kept per process, keyed by
its arguments and by the version of the reference data. The version is the one row of
`core.models.ReferenceVersion`. Each app names the tables its cached answers come from
(`watch(Model, …)` in its AppConfig.ready); saving or deleting a row of one of them — in the
admin, in a service, in any process on any machine — writes a new random version in the same
transaction (`changed`). Each process reads the version once per request (an API call gets it
with its token's row: `core.services.user_for_token`), and an answer kept under another version
is read again. So a change is seen by every request that starts after it commits, and a change
rolled back is never seen: the versions are random, so a value once abandoned never comes back.
Outside a request (the worker, a command) the version is read at each use. Changes that bypass
the model's signals (`QuerySet.update`, `bulk_create`, raw SQL) on a watched table call
`changed()` themselves. Decision 60.
"""

import functools
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

from django.core.signals import request_finished, request_started
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from aftersales.core.models import ReferenceVersion

P = ParamSpec("P")
T = TypeVar("T")

ROW = 1  # the primary key of the one version row
MAX_ENTRIES = 10_000  # past this many answers (per-user ones grow with the staff), start afresh


class _Unknown:
    """The version has not been read in this request yet."""


UNKNOWN = _Unknown()


class _Request(threading.local):
    """The version this thread's request reads by (a thread serves one request at a time)."""

    active = False
    version: object = UNKNOWN


class _Held:
    """The answers this process keeps, each keyed with the version it was read under; those of
    an older version are dropped when a newer one is first seen."""

    def __init__(self) -> None:
        self.version: object = UNKNOWN
        self.answers: dict[tuple[object, str, Hashable], Any] = {}


_request = _Request()
_held = _Held()


def version() -> object:
    """The version of the reference data for this request: read once per request (None while no
    change was ever recorded), at each call outside one."""
    seen = _request.version
    if isinstance(seen, _Unknown):
        seen = ReferenceVersion.objects.filter(pk=ROW).values_list("version", flat=True).first()
        if _request.active:
            _request.version = seen
    return seen


def seen(value: object) -> None:
    """The version read along with something else at the start of a request (the API's token)."""
    if _request.active:
        _request.version = value


def cached(name: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Keep the answers of a function of reference data, per process and per version. Its
    arguments are the key (hashable); its answer is shared by every caller after: it must not be
    changed by them."""

    def keep(read: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(read)
        def answer(*args: P.args, **kwargs: P.kwargs) -> T:
            current = version()
            key = (current, name, (args, tuple(sorted(kwargs.items()))))
            if _held.version != current:
                _held.answers, _held.version = {}, current
            try:
                return _held.answers[key]  # type: ignore[no-any-return]
            except KeyError:
                pass
            value = read(*args, **kwargs)
            answers = _held.answers
            if len(answers) >= MAX_ENTRIES:
                answers.clear()
            answers[key] = value
            return value

        return answer

    return keep


def changed(**_signal: Any) -> None:
    """Reference data changed (a watched table, or a caller that bypassed its signals): a new
    version, written in the change's own transaction — committed with it, or undone with it."""
    token = uuid.uuid4().hex
    if not ReferenceVersion.objects.filter(pk=ROW).update(version=token):
        ReferenceVersion.objects.update_or_create(pk=ROW, defaults={"version": token})
    _request.version = token if _request.active else UNKNOWN


def _membership_changed(action: str = "", **_signal: Any) -> None:
    if action.startswith("post_"):
        changed()


def watch(*tables: type[models.Model]) -> None:
    """Cached answers come from these tables: any save or delete of one of their rows is a
    change. A many-to-many table (e.g. `User.groups.through`) counts its adds, removes and
    clears."""
    for table in tables:
        label = table._meta.label
        if table._meta.auto_created:  # a many-to-many table
            m2m_changed.connect(
                _membership_changed, sender=table, dispatch_uid=f"reference-m2m:{label}"
            )
            continue
        post_save.connect(changed, sender=table, dispatch_uid=f"reference-save:{label}")
        post_delete.connect(changed, sender=table, dispatch_uid=f"reference-delete:{label}")


def _request_starts(**_signal: Any) -> None:
    _request.active, _request.version = True, UNKNOWN


def _request_ends(**_signal: Any) -> None:
    _request.active, _request.version = False, UNKNOWN


def follow_requests() -> None:
    """Read the version once per request (core's AppConfig.ready)."""
    request_started.connect(_request_starts, dispatch_uid="reference-request-started")
    request_finished.connect(_request_ends, dispatch_uid="reference-request-finished")


def forget() -> None:
    """Drop every answer this process holds (a fresh process; the test suite between tests)."""
    _held.answers, _held.version = {}, UNKNOWN
    _request.version = UNKNOWN
