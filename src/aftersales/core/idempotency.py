"""`Idempotency-Key` on API POSTs: the same key and body within 24 h replays the first answer."""

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core.models import IdempotencyRecord

API_PREFIX = "/api/"
REPLAY_WINDOW = timedelta(hours=24)


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


class IdempotencyMiddleware:
    """Keys are scoped to the caller (its Authorization header) so two clients never collide."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "").strip()
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)

        caller = hashlib.sha256(request.headers.get("Authorization", "").encode()).hexdigest()
        body_hash = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        IdempotencyRecord.objects.filter(
            caller=caller, key=key, created_at__lt=timezone.now() - REPLAY_WINDOW
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    caller=caller, key=key[:255], path=request.path[:500], body_hash=body_hash
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.get(caller=caller, key=key[:255])
            if first.body_hash != body_hash:
                return _conflict(_("This Idempotency-Key was already used with another request."))
            if first.status is None:
                return _conflict(_("The first request with this Idempotency-Key is still running."))
            return HttpResponse(
                bytes(first.response_body), status=first.status, content_type=first.content_type
            )

        response = self.get_response(request)
        if response.status_code >= 500 or response.status_code in (401, 429):
            record.delete()  # nothing to replay: let the client try again
        else:
            record.status = response.status_code
            record.response_body = response.content
            record.content_type = response.get("Content-Type", "application/json")
            record.save(update_fields=["status", "response_body", "content_type"])
        return response
