"""Pure rules of a privacy erase: what to look for in stored text, and what an open case is."""

from dataclasses import dataclass

from aftersales.core.redaction import Redactor
from aftersales.customers.rules import phone_needle, phone_pattern

# Shorter than this, a name or address would rewrite ordinary words (a one-character name).
MIN_LITERAL = 2


@dataclass(frozen=True)
class Person:
    """What identifies the person in text: their contact data as stored."""

    name: str
    phone: str  # E.164
    address: str = ""
    email: str = ""
    contact_person: str = ""


def redactors(person: Person) -> tuple[Redactor, Redactor]:
    """(own, everywhere): `own` rewrites their name, phone, address, e-mail and contact person
    out of their own records; `everywhere` rewrites their phone number and e-mail — which no one
    else has — out of every record. A name is not unique (another 张伟 is someone else), so
    other people's records keep names (decision 70)."""
    literals = tuple(
        text.strip()
        for text in (person.name, person.address, person.email, person.contact_person)
        if len(text.strip()) >= MIN_LITERAL
    )
    phone = (phone_pattern(person.phone),) if person.phone else ()
    unique = tuple(t for t in (person.email.strip(),) if len(t) >= MIN_LITERAL)
    own = Redactor(literals=literals, patterns=phone)
    everywhere = Redactor(
        literals=unique,
        patterns=phone,
        needles=tuple(
            n for n in (phone_needle(person.phone) if person.phone else "", *unique) if n
        ),
    )
    return own, everywhere
