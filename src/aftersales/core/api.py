"""The API's shared parts: bearer auth, the error format, the token endpoint."""

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, TypeAdapter

from aftersales.core import services
from aftersales.core.clients import client_of
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


class Answer(BaseModel):
    """The schema of an answer: pydantic checks the dict a presenter built as it is (and reads
    a plain object's attributes). ninja's `Schema` first wraps each object, nested ones too, in
    a getter made for model instances — 7–9 ms for a page of 50 work orders — so it stays only
    where an answer is read from model instances by `resolve_…` methods, and for requests'
    bodies (decision 78)."""

    model_config = ConfigDict(from_attributes=True)


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


class NotUnicode(ValueError):
    """A JSON body holding text that is not Unicode, at `field` (a dotted path)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def _not_unicode(value: Any, path: tuple[str, ...] = ()) -> str | None:
    """Where in a parsed JSON body a text is not Unicode, or None. JSON may write a lone
    surrogate ("\\ud800"), which parses into a Python str that no database can store and no
    encoder can write."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return ".".join(path) or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _not_unicode(key, path) or _not_unicode(item, (*path, key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _not_unicode(item, (*path, str(i)))
            if found:
                return found
    return None


class JsonParser(Parser):
    """ninja's JSON parser, refusing text that is not Unicode anywhere in a body: the API
    answers 422 naming the field (`http_error` below), before any schema or service sees it."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        where = _not_unicode(data)
        if where is not None:
            raise NotUnicode(where)
        return data


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
        if isinstance(exc.__cause__, NotUnicode):  # raised by JsonParser, wrapped by ninja
            message = _("This text is not valid Unicode.")
            details = {exc.__cause__.field: [message]}
            return respond(request, 422, error_body("validation_error", message, details))
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
def create_token(request: HttpRequest, response: HttpResponse, payload: TokenIn) -> dict[str, Any]:
    """A bearer token for a username and password. Failed logins are limited per username from
    one client and per client (429 `rate_limited` with Retry-After while blocked, even for the
    right password). The answer is a secret: no cache keeps it, nor the Idempotency-Key table."""
    token, expires_at = services.issue_token(
        username=payload.username, password=payload.password, client=client_of(request)
    )
    response["Cache-Control"] = "no-store"
    return {"token": token, "expires_at": expires_at}


@router.post("/logout", response={204: None})
def logout(request: HttpRequest) -> Any:
    """Revoke the token this request carries: it answers 401 from now on. Other tokens of the
    same user keep working."""
    services.revoke_token(bearer_key(request))
    return Status(204, None)


def bearer_key(request: HttpRequest) -> str:
    """The token of a request BearerAuth let through, read from its header as ninja's
    HttpBearer reads it ("Bearer <token>")."""
    return " ".join(request.headers.get("Authorization", "").split(" ")[1:])


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
