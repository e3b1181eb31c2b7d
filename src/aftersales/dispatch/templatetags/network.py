"""The service network in templates: `{% load network %}`, then `{{ code|region }}` for a
region's full name (广东省 广州市 天河区) and `{{ user|person }}` for 王丽 · 前台 · 广州维修中心."""

from django import template
from django.contrib.auth.models import User

from aftersales.dispatch.people import person_label
from aftersales.dispatch.regions import region_name

register = template.Library()


@register.filter
def region(code: str | None) -> str:
    """A region code in words; an unknown code as it is, none as ""."""
    return region_name(code or "")


@register.filter
def regions(codes: list[str] | None) -> str:
    """Several region codes in words, separated by 、."""
    return "、".join(region_name(c) for c in codes or [])


@register.filter
def person(user: User | None) -> str:
    """A staff member by name, role and center."""
    return person_label(user) if user else ""
