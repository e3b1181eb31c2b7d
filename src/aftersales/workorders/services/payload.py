"""Reading an action's payload: the typed helpers every parser uses (a required or optional text,
a choice among allowed values, money, a count, a moment, a day, a list of parts, a signature's
PNG), each raising a 422 on the field it reads, and `Parsed`, what a parser hands its applier.
"""

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput

Parsed = dict[str, Any]


def _text(payload: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = payload.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidInput.field(name, _("This field is required."))
    return value


def _choice(payload: dict[str, Any], name: str, allowed: tuple[str, ...], default: str = "") -> str:
    value = _text(payload, name, required=not default) or default
    if value not in allowed:
        raise InvalidInput.field(
            name, _("Must be one of: %(values)s.") % {"values": ", ".join(allowed)}
        )
    return value


def _money(value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput.field(name, _("Give an amount like 120.00.")) from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput.field(name, _("Give an amount like 120.00 (not negative)."))
    return amount.quantize(Decimal("0.01"))


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput.field(name, _("Give a whole number of at least 1."))
    return value


def _moment(value: Any, name: str) -> datetime:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if moment is None:
        raise InvalidInput.field(name, _("Give a date and time like 2026-11-24T09:00+08:00."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _day(value: Any, name: str) -> date:
    day = value if isinstance(value, date) else parse_date(str(value or ""))
    if day is None:
        raise InvalidInput.field(name, _("Give a date like 2026-11-30."))
    return day


def _parts(value: Any, name: str) -> list[tuple[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput.field(name, _("Give a list of parts: {code, qty}."))
    parts = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not str(item.get("code") or "").strip():
            raise InvalidInput.field(f"{name}.{i}.code", _("Each part needs its code."))
        parts.append(
            (str(item["code"]).strip().upper(), _count(item.get("qty", 1), f"{name}.{i}.qty"))
        )
    return parts


def _png(value: Any, name: str) -> bytes | None:
    """A signature pad's PNG data URL → the image's bytes."""
    if not value:
        return None
    text = str(value)
    prefix = "data:image/png;base64,"
    try:
        if not text.startswith(prefix):
            raise ValueError
        data = base64.b64decode(text[len(prefix) :], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise InvalidInput.field(name, _("Give the signature as a PNG data URL.")) from exc
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InvalidInput.field(name, _("Give the signature as a PNG data URL."))
    return data
