"""The API's shared parts: bearer auth, the error format, the token endpoint."""

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, TypeAdapter

from aftersales.core import services
from aftersales.core.errors import DomainError, Forbidden, RateLimited
from aftersales.core.roles import role_of

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user  # type: ignore[assignment]
        return user


def require_staff(request: HttpRequest) -> User:
    """The calling staff member; 403 for an account without a role."""
    user = request.user
    if not isinstance(user, User) or role_of(user) is None:
        raise Forbidden(_("Your account has no staff role."))
    return user


def require_perm(request: HttpRequest, perm: str) -> User:
    """The calling staff member, when their role holds `perm`; 403 otherwise."""
    user = require_staff(request)
    if not user.has_perm(perm):
        raise Forbidden(_("Your role may not do this."))
    return user


def _validation_details(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    details: dict[str, list[str]] = {}
    for err in errors:
        # loc is like ("body", "payload", "phone") or ("query", "limit"): name the field.
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        field = ".".join(loc) or "body"
        details.setdefault(field, []).append(str(err.get("msg", "invalid")))
    return details


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal answers {"error": {"code", "message", "details"}}; bad input is never a 500."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        response = respond(request, exc.status, error_body(exc.code, exc.message, exc.details))
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = _validation_details(exc.errors)
        message = _("Please correct: %(fields)s.") % {"fields": ", ".join(details)}
        return respond(request, 422, error_body("validation_error", message, details))

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            error_body("unauthorized", _("Log in first: a valid bearer token is required.")),
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_CODES.get(exc.status_code, "error")
        message = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
        return respond(request, exc.status_code, error_body(code, message))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


@router.post("/token", auth=None, response={200: TokenOut})
def create_token(request: HttpRequest, payload: TokenIn) -> dict[str, Any]:
    token, expires_at = services.issue_token(username=payload.username, password=payload.password)
    return {"token": token, "expires_at": expires_at}


class ActionBody(BaseModel):
    """The body of `POST …/actions` as a handler takes it: `action`, and the other fields left
    as given — the service reads them into the action's own schema once its transition table and
    the role allowed the action (409 and 403 before 422: CONTRACT.md). Its OpenAPI schema is
    `ACTIONS`, the union of the actions schemas on `action`, so the document shows each one's
    fields. A subclass names its union: `ACTIONS = Annotated[A | B, Field(discriminator=…)]`."""

    model_config = ConfigDict(extra="allow")
    ACTIONS: ClassVar[Any]

    action: str

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        return handler(TypeAdapter(cls.ACTIONS).core_schema)

    def fields(self) -> dict[str, Any]:
        """The payload: every field given but `action`."""
        return {k: v for k, v in self.model_dump().items() if k != "action"}


class PageQuery(Schema):
    """`?limit=` and `?cursor=` of a list (core.pagination.keyset_page reads them)."""

    limit: int | None = None
    cursor: str | None = None
