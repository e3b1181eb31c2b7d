"""The staff shell: the workbench, the global search, and error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftersales.core.selectors import global_search


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The search box answers as you type (a fragment for htmx, a page otherwise)."""
    query = request.GET.get("q", "").strip()
    results = global_search(query)
    template = "core/partials/_search_results.html" if request.htmx else "core/search.html"
    return render(request, template, {"q": query, "results": results})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": {"code": "not_found", "message": _("Not found."), "details": {}}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        body = {"error": {"code": "server_error", "message": _("Something went wrong on our side."), "details": {}}}
        return JsonResponse(body, status=500)
    return render(request, "500.html", status=500)
