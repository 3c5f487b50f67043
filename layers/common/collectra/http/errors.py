"""The one place that turns errors into HTTP answers: `{"error": {"code", "message", "details"}}`."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.shared.cookies import Cookie

from collectra.errors import CollectraError, Contention, SessionEnded, TooManyRequests
from collectra.http.cookies import signed_out
from collectra.observability import logger


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: Any = None,
    headers: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    body = {"error": {"code": code, "message": message, "details": details}}
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps(body),
        headers={"Cache-Control": "no-store", **(headers or {})},
        cookies=cookies,
    )


def from_domain_error(error: CollectraError) -> Response[str]:
    # Both say when the same request may be sent again: a throttle's wait, a contended record's short pause.
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests | Contention) else None
    cookies = signed_out() if isinstance(error, SessionEnded) else None
    return error_response(
        error.status, error.code, error.message, details=error.details, headers=headers, cookies=cookies
    )


def from_validation_error(error: RequestValidationError) -> Response[str]:
    """422 naming each offending field (`body.email`, `query.limit`); 400 when the body is not JSON at all."""
    if any(tuple(problem.get("loc", ()))[:1] == ("response",) for problem in error.errors()):
        # Powertools reports an answer that does not match its declared model this way: our bug, not the client's.
        return from_unexpected_error(error)
    problems = []
    for problem in error.errors():
        kind = problem.get("type")
        if kind == "json_invalid":
            return error_response(
                400, "malformed_json", "The request body is not valid JSON.", details=[{"field": "body"}]
            )
        location = ".".join(str(part) for part in problem.get("loc", ()))
        # A regex in an error message helps nobody: say what is wrong in words.
        message = "has the wrong format" if kind == "string_pattern_mismatch" else problem.get("msg", "is invalid")
        problems.append({"field": location, "message": message, "type": kind})
    fields = ", ".join(p["field"] for p in problems)
    return error_response(422, "invalid_input", f"Invalid input: {fields}.", details=problems)


def from_unexpected_error(error: Exception) -> Response[str]:
    logger.exception("unhandled error", extra={"error_type": type(error).__name__})
    return error_response(500, "internal_error", "Something went wrong on our side. Please try again.")
