"""Action payloads: each action's own pydantic schema (so the OpenAPI document shows its fields),
the field types they share, and `read_payload`, the one way a service reads what it was given
into that schema — refusing with the contract's 422, every offending field named, in the
person's words (the pages show the same messages beside the same fields).

A dispatcher reads the payload after its transition table and the role have allowed the action
(409 and 403 come first), and before the guards; unknown fields are ignored.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar, get_args

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from aftersales.core.errors import InvalidInput


class Payload(BaseModel):
    """The base of every action's payload: unknown fields ignored, texts trimmed."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True)


P = TypeVar("P", bound=Payload)


def read_payload(
    schema: type[P], fields: dict[str, Any], context: dict[str, Any] | None = None
) -> P:
    """`fields` read into `schema`, or InvalidInput (422) naming each offending field; a schema
    whose required fields depend on the subject (a complaint's `resolve`) reads `context`."""
    try:
        return schema.model_validate(fields, context=context)
    except ValidationError as exc:
        details: dict[str, list[str]] = {}
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "body"
            details.setdefault(name, []).append(_worded(error))
        message = _("Please correct: %(fields)s.") % {"fields": ", ".join(details)}
        raise InvalidInput(message, details=details) from None


def _worded(error: Any) -> str:
    """A pydantic error in the person's words (our own types raise theirs already worded)."""
    kind = error["type"]
    if kind == "missing":
        return _("This field is required.")
    if kind in ("literal_error", "enum"):
        values = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        return _("Must be one of: %(values)s.") % {"values": ", ".join(values)}
    worded = WORDED.get(kind.split("_")[0])
    return worded() if worded else str(error["msg"])


WORDED = {
    "string": lambda: _("Give a text."),
    "bool": lambda: _("Say yes or no (true or false)."),
    "int": lambda: _("Give a whole number."),
    "list": lambda: _("Give a list."),
    "dict": lambda: _("Give an object with its fields."),
    "model": lambda: _("Give an object with its fields."),
    "datetime": lambda: _("Give a date and time like 2026-11-24T09:00+08:00."),
    "date": lambda: _("Give a date like 2026-11-30."),
    "decimal": lambda: _("Give an amount like 120.00."),
}


def refuse(kind: str, message: str) -> PydanticCustomError:
    # The message is already in the person's words; braces would be read as placeholders.
    return PydanticCustomError(kind, message.replace("{", "(").replace("}", ")"))


def by_action(union: object) -> dict[str, type[Payload]]:
    """An `Annotated[A | B | …, Field(discriminator="action")]` union → {action name: schema}."""
    schemas: tuple[type[Payload], ...] = get_args(get_args(union)[0])
    return {
        name: schema
        for schema in schemas
        for name in get_args(schema.model_fields["action"].annotation)
    }


def missing(schema: type[Payload], name: str) -> ValidationError:
    """A field a validator of the whole payload finds wanting ("This field is required."),
    named as a field's own error is: for fields required only in some cases."""
    return ValidationError.from_exception_data(
        schema.__name__, [InitErrorDetails(type="missing", loc=(name,), input=None)]
    )


# --- the bounds of every input (docs/api.md "Bounds"; docs/decisions.md 53) --------------------
# Each is written once, here: the types below carry them into every API schema and action
# payload, `read_value` into the services and `Within` into the pages' forms and the models (the
# admin).

MONEY_MAX = Decimal("99999999.99")  # fits every amount column (10 digits, 2 of them places)
CENT = Decimal("0.01")
COUNT_MAX = 9_999  # a quantity or a tally: fits every count column (small integers included)
DAYS_MAX = 36_500  # a hundred years: days in repair, a warranty extension, goodwill days
EARLIEST_DAY, LATEST_DAY = date(1990, 1, 1), date(2099, 12, 31)


def read_value(kind: Any, name: str, value: Any) -> Any:
    """`value` read as one of the types below (Money, Days, Day…), or InvalidInput (422) naming
    `name`: for a service given a value outside a payload."""
    if id(kind) not in _ADAPTERS:  # building one costs more than reading a value (imports)
        _ADAPTERS[id(kind)] = TypeAdapter(kind)
    try:
        return _ADAPTERS[id(kind)].validate_python(value)
    except ValidationError as exc:
        raise InvalidInput.field(name, _worded(exc.errors()[0])) from None


_ADAPTERS: dict[int, TypeAdapter[Any]] = {}


@deconstructible
class Within:
    """A Django validator holding a value to one of the types below, by name, with the same
    words: a form field's or a model field's (so the admin's form holds it too; a migration
    records the name) — `validators=[Within("Money")]`. An empty value is the field's business."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.adapter: TypeAdapter[Any] = TypeAdapter(BOUNDED[kind])

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        try:
            self.adapter.validate_python(value)
        except ValidationError as exc:
            raise DjangoValidationError(_worded(exc.errors()[0]), code="bounds") from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Within) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


# --- the shared field types -----------------------------------------------------------------


@dataclass(frozen=True)
class OneOf:
    """A choice among `values` (a rules tuple), as `Annotated[str, OneOf(VALUES)]`: the OpenAPI
    document lists them; anything else → "Must be one of: …". With `blank=True` the field may
    be left empty (absent, null or "" reads as "")."""

    values: tuple[str, ...]
    blank: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        checked = core_schema.no_info_after_validator_function(self._check, handler(source))
        if not self.blank:
            return checked
        return core_schema.no_info_before_validator_function(_text_or_empty, checked)

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        return {**handler(schema), "enum": list(self.values)}

    def _check(self, value: str) -> str:
        if value in self.values or (self.blank and value == ""):
            return value
        raise refuse(
            "choice", _("Must be one of: %(values)s.") % {"values": ", ".join(self.values)}
        )


def _text_or_empty(value: Any) -> Any:
    return "" if value is None else value


def _required_text(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise refuse("required", _("This field is required."))
    return value


# Optional text: absent or null is "".
Text = Annotated[str, BeforeValidator(_text_or_empty)]
# Text that must be there, not blank.
RequiredText = Annotated[str, BeforeValidator(_required_text)]


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise refuse("money", _("Give an amount like 120.00."))
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise refuse("money", _("Give an amount like 120.00.")) from None
    if not amount.is_finite() or not 0 <= amount <= MONEY_MAX:
        raise refuse(
            "money", _("Give an amount from 0.00 to %(most)s.") % {"most": f"{MONEY_MAX:,}"}
        )
    if amount != amount.quantize(CENT):
        raise refuse("money", _("Give an amount with at most two decimal places, like 120.00."))
    return amount.quantize(CENT)


# An amount of money, given as "120.00" (or a number): 0.00 to MONEY_MAX, two places at most.
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,8}(\.\d{1,2})?$",
            "example": "120.00",
            "description": f"0.00 to {MONEY_MAX}",
        }
    ),
]


def _whole(value: Any, least: int, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        message = _("Give a whole number from %(least)s to %(most)s.")
        raise refuse("whole", message % {"least": f"{least:,}", "most": f"{most:,}"})
    return value


def _count(value: Any) -> int:
    return _whole(value, 1, COUNT_MAX)


# A quantity: a whole number from 1 to COUNT_MAX.
Count = Annotated[
    int,
    BeforeValidator(_count),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": COUNT_MAX}),
]


def _tally(value: Any) -> int:
    return _whole(value, 0, COUNT_MAX)


# How many times something happened, or how many there are: 0 to COUNT_MAX.
Tally = Annotated[
    int,
    BeforeValidator(_tally),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": COUNT_MAX}),
]


def _days(value: Any) -> int:
    return _whole(value, 0, DAYS_MAX)


# A number of days (in repair, of a warranty extension…): 0 to DAYS_MAX, a hundred years.
Days = Annotated[
    int,
    BeforeValidator(_days),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": DAYS_MAX}),
]


def _in_years(day: date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        message = _("Give a date from %(earliest)s to %(latest)s.")
        raise refuse("day", message % {"earliest": EARLIEST_DAY, "latest": LATEST_DAY})


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _moment(value: Any) -> datetime:
    if isinstance(value, str):
        from django.utils.dateparse import parse_datetime

        try:
            value = parse_datetime(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise refuse("moment", _("Give a date and time like 2026-11-24T09:00+08:00."))
    _in_years(value.date())  # as written: no zone arithmetic near year 1 or 9999
    return _aware(value)


# A moment with its offset (without one: the server's time zone), on a day from EARLIEST_DAY
# to LATEST_DAY.
Moment = Annotated[
    datetime,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _day(value: Any) -> date:
    if isinstance(value, str):
        from django.utils.dateparse import parse_date

        try:
            value = parse_date(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise refuse("day", _("Give a date like 2026-11-30."))
    _in_years(value)
    return value


# A calendar day, from EARLIEST_DAY to LATEST_DAY.
Day = Annotated[date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]


def _png(value: Any) -> bytes | None:
    """A signature pad's PNG data URL → the image's bytes."""
    if not value:
        return None
    text, prefix = str(value), "data:image/png;base64,"
    try:
        if not text.startswith(prefix):
            raise ValueError
        data = base64.b64decode(text[len(prefix) :], validate=True)
    except (ValueError, binascii.Error):
        raise refuse("png", _("Give the signature as a PNG data URL.")) from None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise refuse("png", _("Give the signature as a PNG data URL."))
    return data


# A signature: a PNG data URL ("data:image/png;base64,…"), read into the image's bytes.
Signature = Annotated[
    bytes | None,
    BeforeValidator(_png),
    WithJsonSchema({"type": "string", "description": "data:image/png;base64,…"}),
]


def _score(value: Any) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3, 4, 5):
        raise refuse("score", _("The rating is 1 to 5."))
    return int(value)


# A rating or a score: 1 to 5.
Score = Annotated[
    int, BeforeValidator(_score), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5})
]


# The types `Within` knows by name.
BOUNDED: dict[str, Any] = {
    "Money": Money,
    "Count": Count,
    "Tally": Tally,
    "Days": Days,
    "Day": Day,
    "Moment": Moment,
}
