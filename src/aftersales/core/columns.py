"""Every text fits its column: a CharField's `max_length` is the bound of the text stored in it,
checked before every save (CoreConfig connects `refuse_overlong_text` to `pre_save`) and refused
with a 422 naming the field — so no API body, page or import meets the database's own refusal,
which is a 500 on PostgreSQL ("value too long") while SQLite keeps the text whole. The models
are the one place the lengths are written (docs/decisions.md 53). `bulk_create` sends no signal:
a service that bulk-creates what a person typed calls `check_text_fits` itself."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from aftersales.core.errors import InvalidInput


def check_text_fits(
    instance: models.Model, fields: Iterable[str] | None = None, *, prefix: str = ""
) -> None:
    """InvalidInput naming (`prefix` + the field's name) the first text longer than its column;
    only `fields` when given (a save's `update_fields`)."""
    only = set(fields) if fields is not None else None
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField) or not field.max_length:
            continue
        if only is not None and field.name not in only and field.attname not in only:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            message = _("At most %(most)d characters.") % {"most": field.max_length}
            raise InvalidInput.field(prefix + field.name, message)


def refuse_overlong_text(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: Iterable[str] | None = None,
    **kwargs: Any,
) -> None:
    if not raw:  # fixtures load as they are
        check_text_fits(instance, update_fields)
