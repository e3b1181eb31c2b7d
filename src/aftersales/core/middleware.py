"""Every answer under /api/ that is an error carries the API's error format, whoever produced it;
every answer carries the Content-Security-Policy; a NUL character is refused at the door."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from aftersales.core.api import HTTP_CODES, error_body


class ApiErrorFormatMiddleware:
    """Django and ninja answer some errors themselves (405, 404 of unknown paths, 500 pages) in
    plain text or HTML; rewrite those so an integrator always gets {"error": {...}}."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        messages = {
            404: _("Not found."),
            405: _("This method is not allowed here."),
        }
        message = messages.get(status) or (
            _("Something went wrong on our side.")
            if status >= 500
            else _("The request was refused.")
        )
        code = HTTP_CODES.get(status, "server_error" if status >= 500 else "bad_request")
        body = error_body(code, message)
        if status == 405 and response.has_header("Allow"):
            body["error"]["details"] = {"allowed": response["Allow"].split(", ")}
        return JsonResponse(body, status=status)


class RejectNulMiddleware:
    """A NUL character can be stored by no database text field (PostgreSQL refuses it): answer
    400 at the door rather than fail deep inside. Forms already refuse it field by field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_query = any("\x00" in value for values in request.GET.lists() for value in values[1])
        in_json = request.content_type == "application/json" and (
            b"\x00" in request.body or b"\\u0000" in request.body
        )
        if "\x00" in request.path or in_query or in_json:
            message = _("The request contains a NUL character, which no field can hold.")
            return JsonResponse(error_body("bad_request", message), status=400)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Every answer carries the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY): the
    browser runs only the app's own script files, so text that slipped into a page can never run
    as script. An answer that already names its policy keeps it; an empty setting sends none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy: str = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
