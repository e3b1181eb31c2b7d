"""`Idempotency-Key` on API POSTs: the same key and body within 24 h replays the first answer.

A key whose first request is still running holds a lease a little longer than the web server
lets a request run (`lease()`, from settings.REQUEST_TIMEOUT): a retry within it is told "still
running"; a retry after it — the first request died with its worker — takes the key over and runs
(one winner among concurrent retries: a conditional UPDATE). Answers that carry a secret are never
stored nor replayed: nothing under `SECRET_PATHS` (the bearer token) is recorded, nor any answer
marked `Cache-Control: no-store`. Anonymous callers (no Authorization header: the portal) have a
key space per client. Decision 57.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.clients import client_of
from aftersales.core.models import IdempotencyRecord

API_PREFIX = "/api/"
REPLAY_WINDOW = timedelta(hours=24)
# Past the server's request timeout, so a lease never runs out under a request still running.
LEASE_MARGIN = timedelta(seconds=30)
# Answers that are credentials (a bearer token), or end them: never recorded, so a retry with the
# same key asks again and gets its own answer, and no token is ever written to the table.
SECRET_PATHS = ("/api/v1/auth/",)
# Answers the client may retry: not stored, so the retry runs.
NOT_STORED = frozenset({401, 429})


def lease() -> timedelta:
    """How long a key whose request is running stays taken: the request timeout and a margin."""
    return timedelta(seconds=settings.REQUEST_TIMEOUT) + LEASE_MARGIN


def caller_of(request: HttpRequest) -> str:
    """The key space of a request: its Authorization header, else (anonymous) its client, so two
    clients never collide — two anonymous clients neither."""
    authorization = request.headers.get("Authorization", "")
    scope = authorization if authorization else f"anonymous {client_of(request)}"
    return hashlib.sha256(scope.encode()).hexdigest()


def _conflict(message: str) -> JsonResponse:
    return JsonResponse(
        {
            "error": {
                "code": "conflict",
                "message": message,
                "details": {"header": "Idempotency-Key"},
            }
        },
        status=409,
    )


def _still_running() -> JsonResponse:
    return _conflict(_("The first request with this Idempotency-Key is still running."))


def _secret(response: HttpResponse) -> bool:
    directives = response.get("Cache-Control", "").lower().split(",")
    return any(d.strip().split("=")[0] == "no-store" for d in directives)


class IdempotencyMiddleware:
    """Keys are scoped to the caller (`caller_of`) so two clients never collide."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "").strip()[:255]
        if (
            request.method != "POST"
            or not key
            or not request.path.startswith(API_PREFIX)
            or request.path.startswith(SECRET_PATHS)
        ):
            return self.get_response(request)

        caller = caller_of(request)
        body_hash = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        now = timezone.now()
        IdempotencyRecord.objects.filter(
            caller=caller, key=key, created_at__lt=now - REPLAY_WINDOW
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    caller=caller,
                    key=key,
                    path=request.path[:500],
                    body_hash=body_hash,
                    created_at=now,
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.filter(caller=caller, key=key).first()
            if first is None:  # its request failed (5xx) meanwhile and let go of the key
                return _still_running()
            if first.body_hash != body_hash:
                return _conflict(_("This Idempotency-Key was already used with another request."))
            if first.status is not None:
                return HttpResponse(
                    bytes(first.response_body), status=first.status, content_type=first.content_type
                )
            if not self._take_over(first, now):
                return _still_running()
            record = first

        response = self.get_response(request)
        self._finish(record, response)
        return response

    @staticmethod
    def _take_over(record: IdempotencyRecord, now: datetime) -> bool:
        """A running key whose lease ran out becomes this request's: its request died. Among
        concurrent retries, the one whose UPDATE finds the record unchanged wins."""
        if record.created_at > now - lease():
            return False
        taken = IdempotencyRecord.objects.filter(
            pk=record.pk, status__isnull=True, created_at=record.created_at
        ).update(created_at=now)
        record.created_at = now
        return bool(taken)

    @staticmethod
    def _finish(record: IdempotencyRecord, response: HttpResponse) -> None:
        """Store the answer for replay — unless it is one to retry or a secret. Only while the
        record is still this request's: a request that outlived its lease and was taken over
        leaves the record to the retry that took it."""
        mine = IdempotencyRecord.objects.filter(
            pk=record.pk, status__isnull=True, created_at=record.created_at
        )
        if response.status_code >= 500 or response.status_code in NOT_STORED or _secret(response):
            mine.delete()  # nothing to replay: let the client try again
        else:
            mine.update(
                status=response.status_code,
                response_body=response.content,
                content_type=response.get("Content-Type", "application/json"),
            )
