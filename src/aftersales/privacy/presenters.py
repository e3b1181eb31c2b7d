"""How the rows held about a person read in their export: every stored field, as JSON values."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone


def plain(value: Any) -> Any:
    """A stored value as JSON: times in the business time zone with their offset, dates
    `YYYY-MM-DD`, money as a decimal string, files by their stored name."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, memoryview | bytes):
        return None
    return value


def row(
    obj: models.Model, usernames: dict[int, str], numbers: dict[tuple[type, int], str]
) -> dict[str, Any]:
    """Every concrete field of the row. A person (staff) is named by username; a request or work
    order by its number; anything else it points to by its id."""
    out: dict[str, Any] = {"id": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.BinaryField):
            continue
        if field.is_relation:
            ref = getattr(obj, field.attname)
            target: Any = field.related_model
            if ref is not None and target is User:
                ref = usernames.get(ref, ref)
            elif ref is not None and (target, ref) in numbers:
                ref = numbers[(target, ref)]
            out[field.name] = ref
        else:
            out[field.name] = plain(getattr(obj, field.attname))
    return out


def event(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "at": plain(e.at),
        "actor": e.actor.username if e.actor else None,
        "action": e.action,
        "note": e.note,
        "customer_visible": e.customer_visible,
        "data": e.data,
    }
