"""Stripe's error answers: `{"error": {"type", "code", "message", "param"}}` with the status Stripe gives.

The status picks the exception stripe-python raises (400 InvalidRequestError, 401 AuthenticationError,
403 PermissionError, 404 InvalidRequestError), so Collectra's code meets here what it meets against Stripe.
"""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """An answer in Stripe's error shape; `status` picks the exception stripe-python raises."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        type: str = "invalid_request_error",
        extra: dict[str, Any] | None = None,
        kept: bool = False,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.type = status, message, code, param, type
        # More of the error (a card error's decline_code, payment_intent, payment_method), and whether the request
        # ran before it failed: Stripe keeps such an answer under its idempotency key, as it keeps a success.
        self.extra, self.kept = dict(extra or {}), kept

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return {"error": error | self.extra}


def invalid(message: str, param: str | None = None, code: str | None = None) -> StripeError:
    return StripeError(400, message, code=code, param=param)


def missing(param: str) -> StripeError:
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing", param=param)


def no_such(kind: str, object_id: str, param: str, status: int = 404) -> StripeError:
    return StripeError(status, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def unsupported(what: str, param: str) -> StripeError:
    # Valid for Stripe but not modelled here: refused loudly rather than answered wrongly.
    return invalid(f"The Stripe stand-in does not support {what}.", param)
