"""Pure rules about customers' contact data."""

import re

import phonenumbers


def normalize_phone(raw: str, region: str = "CN") -> str:
    """Any common spelling of a phone number → E.164 (`+8613800138000`); ValueError if not a number.

    Accepts spaces, dashes, dots and brackets, a `+86`/`0086`/`86` prefix, and landlines with their
    area code (`010-12345678`).
    """
    text = re.sub(r"[\s\-().（）]", "", raw or "")
    if not text:
        raise ValueError("empty")
    # A bare "86…" of 13 digits is a Chinese mobile number written with its country code.
    if region == "CN" and re.fullmatch(r"861\d{10}", text):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How staff read a number aloud: `+8613800138000` → `138 0013 8000`, `+862088886666` → `020 8888 6666`."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        national = str(number.national_number)
        if len(national) == 11 and national.startswith("1"):
            return f"{national[:3]} {national[3:7]} {national[7:]}"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_digits(query: str) -> str | None:
    """The digits to look for when someone types part of a phone number into a search box."""
    digits = re.sub(r"[\s\-().+]", "", query or "")
    if len(digits) < 4 or not digits.isdigit():
        return None
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def mask_phone(e164: str) -> str:
    """`+8613812341234` → `138****1234`, for anything a customer sees without logging in."""
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    if len(national) < 8:
        return "*" * len(national)
    return f"{national[:3]}****{national[-4:]}"


# A privacy erase (decision 70) leaves a placeholder where the phone was: unique (it carries the
# customer's id), within the column's 20 characters, and no number anyone could dial or find.
ERASED_PHONE_PREFIX = "erased-"


def erased_phone(customer_id: int) -> str:
    return f"{ERASED_PHONE_PREFIX}{customer_id}"


def is_erased_phone(phone: str) -> bool:
    return phone.startswith(ERASED_PHONE_PREFIX)


def phone_pattern(e164: str) -> re.Pattern[str]:
    """The number in the spellings people write in notes: `+86 138 1234 5678`, `13812345678`,
    `138-1234-5678`, `020-8888 6666` (one space, dash or dot between any two digits), never as
    part of a longer run of digits."""
    national = e164[3:] if e164.startswith("+86") else e164.lstrip("+")
    digits = r"[\s\-.]?".join(re.escape(d) for d in national)
    return re.compile(rf"(?<!\d)(?:(?:\+|00)?86[\s\-.]?)?0?{digits}(?!\d)")


def phone_needle(e164: str) -> str:
    """A short run of digits every spelling of `phone_pattern` contains (its last four)."""
    return e164[-4:]
