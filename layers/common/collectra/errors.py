"""What can go wrong in the domain, in the business's words.

Handlers never build error bodies: `collectra.http.errors` maps each of these to one HTTP answer.
"""

from __future__ import annotations

from typing import Any


class CollectraError(Exception):
    """Base of every error a client can cause; `code` is stable and machine-readable."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class InvalidInput(CollectraError):
    status = 422
    code = "invalid_input"


class Unauthenticated(CollectraError):
    status = 401
    code = "unauthenticated"


class SessionEnded(Unauthenticated):
    """The credentials presented are dead for good (revoked, reused, forged): the answer also clears them."""

    code = "session_ended"


class Forbidden(CollectraError):
    status = 403
    code = "forbidden"


class NotFound(CollectraError):
    status = 404
    code = "not_found"


class Conflict(CollectraError):
    status = 409
    code = "conflict"


class TooManyRequests(CollectraError):
    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code, details={"retry_after": retry_after})
        self.retry_after = retry_after


class Contention(CollectraError):
    """Others were writing the same records at that very moment, and were still after a few tries.

    Not a `Conflict`: nothing the caller read is stale and no condition failed, so the same request can
    simply be sent again after `retry_after` seconds (the answer's Retry-After header). Code that treats a
    failed condition as "already done" or "changed meanwhile" must not treat this as one.
    """

    status = 409
    code = "conflict"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after
