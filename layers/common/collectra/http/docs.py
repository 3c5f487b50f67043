"""OpenAPI response documentation in one shape for every route: the success model and the error body."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from collectra.models import Model

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse


class ErrorDetail(Model):
    code: str
    message: str
    details: Any = None


class ErrorBody(Model):
    """Every error a client can cause: `{"error": {"code", "message", "details"}}`."""

    error: ErrorDetail


CSRF = "Cross-site request refused (missing X-Requested-With: collectra, or a foreign Origin)"

# What the gate and the validation answer on any route whose body is JSON (collectra.http.gate).
_STANDARD_ERRORS = {
    400: "Malformed request (the body is not UTF-8, not JSON, or nested too deep)",
    415: "The body is not sent as application/json",
    422: "Invalid input; `details` names each field",
}


def responses(
    status: int,
    description: str,
    model: type[BaseModel] | None = None,
    errors: dict[int, str] | None = None,
    *,
    also: dict[int, str] | None = None,
) -> dict[int, OpenAPIResponse]:
    """The `responses=` of a route: its success answer (and `also` other successes with the same body) and the
    errors it can give, all in the error shape."""
    documented: dict[int, Any] = {}
    for code, text in {status: description, **(also or {})}.items():
        # No model: an empty answer (204, or 202 with nothing to say), so no content, not a JSON `null`.
        documented[code] = {"description": text, "content": {"application/json": {"model": model}} if model else {}}
    for code, text in sorted({**_STANDARD_ERRORS, **(errors or {})}.items()):
        documented[code] = {"description": text, "content": {"application/json": {"model": ErrorBody}}}
    return documented


def _error(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": ErrorBody}}}


def page_errors(reads: str | None) -> dict[int, OpenAPIResponse]:
    """What an HTML route answers in the error shape: the validation's 422, and the gate's refusals of a body
    it reads (`reads`, as given to `entry_point`)."""
    errors = {422: _error("Invalid input; `details` names each field")}
    if reads is not None:
        errors |= {
            400: _error("Malformed request (the body is not UTF-8)"),
            415: _error(f"The body is not sent as {reads}"),
        }
    return errors
