"""Where messages leave the building: an SMS gateway over HTTP, a recording fake, Django's mail."""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel refused or could not be reached; the message is tried again later."""


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str
    template_id: str
    variables: dict[str, Any]
    sign: str


class SmsGateway(Protocol):
    def send(self, sms: Sms) -> str:
        """Send one SMS; answer the provider's message id; raise DeliveryError on failure."""
        ...


@dataclass
class FakeSmsGateway:
    """Records what it would have sent (laptops, the demo, tests): `FAKE_SMS.sent`."""

    sent: list[Sms] = field(default_factory=list)

    def send(self, sms: Sms) -> str:
        self.sent.append(sms)
        logger.info("fake SMS to %s: 【%s】%s", sms.phone, sms.sign, sms.text)
        return f"fake-{len(self.sent)}"


FAKE_SMS = FakeSmsGateway()


class HttpSmsGateway:
    """POSTs JSON to SMS_GATEWAY_URL with SMS_GATEWAY_KEY as a bearer token.

    Body: {"phone", "sign", "template_id", "params", "text"}; any 2xx answer is a success and its
    JSON "id" (if any) the provider's message id.
    """

    def __init__(self, url: str, key: str, timeout: float = 10.0) -> None:
        self.url, self.key, self.timeout = url, key, timeout

    def send(self, sms: Sms) -> str:
        body = json.dumps(
            {
                "phone": sms.phone,
                "sign": sms.sign,
                "template_id": sms.template_id,
                "params": sms.variables,
                "text": sms.text,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.key}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                payload = answer.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"gateway unreachable: {exc}") from exc
        try:
            return str(json.loads(payload or b"{}").get("id", ""))
        except (ValueError, AttributeError):
            return ""


def sms_gateway() -> SmsGateway:
    """The gateway SMS_BACKEND names: "fake" (default) or "http"."""
    if settings.SMS_BACKEND == "http":
        if not settings.SMS_GATEWAY_URL:
            raise DeliveryError("SMS_BACKEND is http but SMS_GATEWAY_URL is empty")
        return HttpSmsGateway(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY)
    return FAKE_SMS


def send_email(*, to: str, subject: str, text: str) -> None:
    """Through Django's mail (EMAIL_BACKEND; the console by default)."""
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as exc:  # SMTP errors come in many classes; all mean "try later"
        raise DeliveryError(f"mail failed: {exc}") from exc
