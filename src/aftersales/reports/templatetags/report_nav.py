"""The reports' own navigation (the dashboard, the technicians' scorecards, the center
comparison): each tab keeps the period and the center asked for; the comparison is offered only
to the roles that read every center."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from aftersales.core.roles import role_of
from aftersales.reports import rules

register = template.Library()


@register.inclusion_tag("reports/partials/_nav.html", takes_context=True)
def report_nav(context: dict[str, Any], current: str) -> dict[str, Any]:
    request = context["request"]
    asked = {name: request.GET[name] for name in ("from", "to") if request.GET.get(name)}
    center = request.GET.get("center", "").strip()
    one_center = {**asked, "center": center} if center else asked
    tabs = [
        ("dashboard", _("Overview"), one_center),
        ("technicians", _("Technicians' scorecards"), one_center),
    ]
    if rules.sees_every_center(role_of(request.user)):
        tabs.append(("centers", _("Centers compared"), asked))
    return {
        "tabs": [
            {
                "url": reverse(f"reports:{name}") + (f"?{urlencode(query)}" if query else ""),
                "label": label,
                "current": name == current,
            }
            for name, label, query in tabs
        ]
    }
