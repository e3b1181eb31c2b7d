"""The pickers' matches: regions and staff as one types their name (staff pages only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aftersales.core.roles import ROLES
from aftersales.core.views import staff_required
from aftersales.dispatch.people import people_matching
from aftersales.dispatch.regions import regions_matching

LIMIT = 12


@staff_required
@require_GET
def region_options(request: HttpRequest) -> HttpResponse:
    """GET /regions/?q=天河 → options “广东省 广州市 天河区 (440106)”, counties first."""
    q = request.GET.get("q", "").strip()[:50]
    options = [
        {"value": f"{name} ({code})", "label": name, "code": code}
        for code, name in regions_matching(q, LIMIT)
    ]
    return render(request, "dispatch/partials/_picker_options.html", {"options": options, "q": q})


@staff_required
@require_GET
def people_options(request: HttpRequest) -> HttpResponse:
    """GET /people/?q=王&role=technician → active staff by name, with their role and center."""
    q = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    found = people_matching(q, LIMIT, role if role in ROLES else "")
    options = [
        {"value": f"{label.split(' · ')[0]} ({username})", "label": label, "code": username}
        for username, label in found
    ]
    return render(request, "dispatch/partials/_picker_options.html", {"options": options, "q": q})
