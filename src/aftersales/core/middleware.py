"""Every answer under /api/ that is an error carries the API's error format, whoever produced it."""

from collections.abc import Callable

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
