"""OpenAPI response documentation in one shape for every route: the success model and the error body."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    """Every error a client can cause: `{"error": {"code", "message", "details"}}`."""

    error: ErrorDetail


CSRF = "Cross-site request refused (missing X-Requested-With: collectra, or a foreign Origin)"

_STANDARD_ERRORS = {
    400: "Malformed request (the body is not JSON)",
    422: "Invalid input; `details` names each field",
}


def responses(
    status: int, description: str, model: type[BaseModel] | None = None, errors: dict[int, str] | None = None
) -> dict[int, OpenAPIResponse]:
    """The `responses=` of a route: its success answer and the errors it can give, all in the error shape."""
    success: dict[str, Any] = {"description": description}
    if model is not None:
        success["content"] = {"application/json": {"model": model}}
    documented: dict[int, Any] = {status: success}
    for code, text in sorted({**_STANDARD_ERRORS, **(errors or {})}.items()):
        documented[code] = {"description": text, "content": {"application/json": {"model": ErrorBody}}}
    return documented
