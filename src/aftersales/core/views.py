"""The staff shell: the workbench, the global search, and error pages."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from aftersales.core.roles import role_of
from aftersales.core.selectors import global_search

View = Callable[..., HttpResponseBase]


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for the type checker)."""

    htmx: HtmxDetails


def staff_required(view: View) -> View:
    """Pages are for staff: anonymous → the login page; signed in without a role → 403."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if request.htmx:
                # A redirect would swap the login page into the search drop-down: send the whole
                # browser there instead, and back to the page it was on afterwards.
                back_to = request.htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(redirect_to_login(back_to).url)
            return redirect_to_login(request.get_full_path())
        if role_of(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    from aftersales.complaints.selectors import complaint_list
    from aftersales.core.roles import ADMIN, BRANCH_MANAGER, TECHNICIAN
    from aftersales.followups.selectors import verification_mismatches
    from aftersales.workorders.selectors import field_incidents

    if role_of(request.user) == TECHNICIAN:
        return redirect("field:day")  # a technician's workbench is their day on the phone
    user = request.user
    incidents = field_incidents(user) if isinstance(user, User) else []
    mismatches, complaints = [], []
    if role_of(user) in (ADMIN, BRANCH_MANAGER) and isinstance(user, User):
        now = timezone.now()
        mismatches = verification_mismatches(user, since=now - timedelta(days=30))
        complaints = complaint_list(user, view="manager", now=now)
    context = {"incidents": incidents, "mismatches": mismatches, "complaints": complaints}
    return render(request, "core/home.html", context)


@staff_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The search box answers as you type (a fragment for htmx, a page otherwise)."""
    query = request.GET.get("q", "").strip()
    results = global_search(query)
    template = "core/partials/_search_results.html" if request.htmx else "core/search.html"
    return render(request, template, {"q": query, "results": results})


# Error pages. Under /api/ the ApiErrorFormatMiddleware turns these into the API's error format.


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: its processors read the session and the user, i.e. the database,
    # which may be what just failed.
    return HttpResponseServerError(render_to_string("500.html"))
