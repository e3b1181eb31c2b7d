"""How a service's refusal reads on a form: the one mapping for every page and the admin."""

from collections.abc import Callable
from typing import cast

from django import forms

from aftersales.core.errors import DomainError


def add_refusal(
    form: forms.BaseForm, exc: DomainError, field_for: Callable[[str], str] = str
) -> None:
    """A refused input (422) shows each message on the field it names (`field_for` renames a
    payload name to the form's field); anything else, or a name the form has no field for, shows
    the refusal's message above the form."""
    placed = False
    if exc.status == 422:
        for name, messages in exc.details.items():
            field = field_for(name)
            if field in form.fields:
                for message in messages if isinstance(messages, list) else [messages]:
                    form.add_error(field, str(message))
                placed = True
    if not placed:
        form.add_error(None, exc.message)


class RefusalMixin:
    """A form that shows a service's refusal (`add_refusal`); `refusal_fields` renames payload
    names the form calls otherwise, and `field_for` may compute the name."""

    refusal_fields: dict[str, str] = {}

    def field_for(self, name: str) -> str:
        return self.refusal_fields.get(name, name)

    def add_refusal(self, exc: DomainError) -> None:
        add_refusal(cast(forms.BaseForm, self), exc, self.field_for)
