"""One exception type for refused business actions, mapped in one place to the API and the pages."""

from typing import Any


class DomainError(Exception):
    """A refusal a person can act on: a machine `code`, a human `message`, HTTP `status`."""

    status = 409
    code = "conflict"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details or {}


class NotFound(DomainError):
    status, code = 404, "not_found"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class Duplicate(DomainError):
    status, code = 409, "duplicate"


class RateLimited(DomainError):
    """429: too many tries; `retry_after` whole seconds to wait (the Retry-After header)."""

    status, code = 429, "rate_limited"

    def __init__(
        self, message: str, *, retry_after: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, details={"retry_after": retry_after, **(details or {})})
        self.retry_after = retry_after


class InvalidInput(DomainError):
    """422: `details` names each offending field with its messages."""

    status, code = 422, "validation_error"

    @classmethod
    def field(cls, name: str, message: str) -> "InvalidInput":
        return cls(message, details={name: [message]})
