"""Fields for picking regions and people by name on a staff form; the form keeps codes/usernames.

A picker is a text box: typing asks the server for matches (`views.region_options`,
`views.people_options`) and choosing one writes “广东省 广州市 天河区 (440106)” into the box, which
the field reads back as 440106. A name typed in full without choosing (天河区) is read too when
exactly one region has it, and a bare code as well, so the form works without JavaScript.
"""

import re
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from aftersales.dispatch.regions import is_region, region_name, regions_matching, regions_named

# “… (440106)” or “…（440106）”: the code a picked option ends with.
_CHOSEN = re.compile(r"[(（]\s*([\w.@+-]+)\s*[)）]\s*$")
# Between several picked values.
_SEPARATORS = re.compile(r"[,，、;；\n]+")
SEPARATOR = "，"

SIX_DIGITS = _("A region is a 6-digit administrative division code.")


def chosen_value(text: str) -> str:
    """What a picked option stands for: “王丽 (wangl)” → wangl; anything else as typed."""
    text = text.strip()
    found = _CHOSEN.search(text)
    return found.group(1) if found else text


def split_values(text: str) -> list[str]:
    """Several picked values (commas, 、, semicolons or lines between them), each read."""
    return [chosen_value(part) for part in _SEPARATORS.split(text or "") if part.strip()]


def region_label(code: str) -> str:
    """How a region code reads in its box: “广东省 广州市 天河区 (440106)”."""
    return f"{region_name(code)} ({code})" if is_region(code) else code


def read_region(text: str) -> str:
    """The region code for what was typed or picked (ValidationError naming what is wrong)."""
    text = chosen_value(text)
    if not text:
        return ""
    if text.isdigit():
        if len(text) != 6:
            raise forms.ValidationError(SIX_DIGITS, code="invalid")
        if not is_region(text):
            raise forms.ValidationError(
                _("%(code)s is not a region code: type the place's name and choose it."),
                code="unknown",
                params={"code": text},
            )
        return text
    named = regions_named(text)
    if len(named) == 1:
        return named[0]
    if named or len(regions_matching(text, 2)) > 1:
        raise forms.ValidationError(
            _("Several regions are called “%(text)s”: choose one from the list."),
            code="ambiguous",
            params={"text": text},
        )
    matches = regions_matching(text, 1)
    if matches:
        return matches[0][0]
    raise forms.ValidationError(
        _("No region is called “%(text)s”."), code="unknown", params={"text": text}
    )


class PickerInput(forms.TextInput):
    """A text box that offers matches from `source` (a URL name) as one types."""

    template_name = "dispatch/widgets/picker.html"

    def __init__(
        self, source: str, *, multiple: bool = False, attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})},
        )
        self.source = source
        self.multiple = multiple

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(source=reverse(self.source), multiple=self.multiple)
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's templates (not the form renderer's, which sees only apps' templates).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class RegionInput(PickerInput):
    """The region picker: a code shows as its name with the code."""

    def __init__(self, *, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__("region_options", multiple=multiple, attrs=attrs)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return SEPARATOR.join(region_label(str(code)) for code in value)
        text = super().format_value(value)
        return region_label(text) if text and text.isdigit() else text


class RegionField(forms.CharField):
    """One region, typed or picked by name; cleans to its 6-digit code ("" when left empty)."""

    widget = RegionInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)  # the picked text; the code is 6 digits
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return read_region(super().clean(value))

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return read_region(data or "") != (initial or "")
        except forms.ValidationError:
            return True


class RegionsField(forms.CharField):
    """Several regions (a center's or a technician's area); cleans to a list of codes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", RegionInput(multiple=True, attrs={"size": 60}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value  # a list of codes: the widget writes their names

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != list(initial or [])
        except forms.ValidationError:
            return True

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        codes: list[str] = []
        errors: list[forms.ValidationError] = []
        for part in _SEPARATORS.split(text or ""):
            try:
                code = read_region(part)
            except forms.ValidationError as exc:
                errors.append(exc)
                continue
            if code and code not in codes:
                codes.append(code)
        if errors:
            raise forms.ValidationError(errors)
        return codes


class PeopleInput(PickerInput):
    """The people picker: typing a name offers “王丽 · 前台 · 广州维修中心”, picking writes
    “王丽 (wangl)”; the form reads the username (`chosen_value`, `split_values`)."""

    def __init__(self, *, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__("people_options", multiple=multiple, attrs=attrs)
