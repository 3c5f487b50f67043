"""Configure each handler's resolver the same way, and wrap it in the Powertools entry-point stack.

A handler module writes `app = APIGatewayHttpResolver(enable_validation=True)` literally (so the OpenAPI
merge can find it), then `configure(app)`, its route, and `handler = entry_point(app)`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from collectra import clock, config
from collectra.access import route_permission
from collectra.auth.principal import Principal
from collectra.errors import CollectraError
from collectra.http import gate
from collectra.http.cookies import ACCESS_TOKEN, read
from collectra.http.errors import (
    error_response,
    from_domain_error,
    from_unexpected_error,
    from_validation_error,
)
from collectra.http.route_groups import group_of
from collectra.http.viewer import request_viewer_ip
from collectra.observability import entry, logger
from collectra.workspaces.callers import load_principal

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def _not_found(_: Exception) -> Response[str]:
    return error_response(404, "not_found", "There is nothing here.")


def configure(app: APIGatewayHttpResolver) -> APIGatewayHttpResolver:
    app.exception_handler(CollectraError)(from_domain_error)
    app.exception_handler(RequestValidationError)(from_validation_error)
    app.exception_handler(Exception)(from_unexpected_error)
    app.not_found(_not_found)
    return app


def entry_point(app: APIGatewayHttpResolver, *, reads: str | None = gate.JSON) -> Handler:
    """The Lambda handler, through `observability.entry` (logs carrying the request id, metrics flushed, garbage
    collection back on after the first request).

    `reads` is the media type of the route's body (JSON unless a form or a file; None: any body is ignored).
    Every request passes `gate.refusal` first (CSRF, authentication, a readable body), before the resolver's
    own validation. Every answer is counted for its route group (`_count`): the gate's, the resolver's, and an
    error that escapes both (Lambda fails the invocation, API Gateway answers 500).
    """

    @entry(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        status = 500
        try:
            refused = gate.refusal(event, reads)
            result = _proxy_result(refused) if refused is not None else app.resolve(event, context)
            status = int(result.get("statusCode", 200))
            return result
        finally:
            _count(str(event.get("routeKey", "")), status, started)

    return cast(Handler, handler)


def _count(route_key: str, status: int, started: float) -> None:
    """`ApiRequests`, `Api4xx`, `Api5xx` and `ApiLatency` (ms since the handler started) for the request's route
    group, printed at once as one EMF line of their own: dimensions `service` and `route_group`, kept off the
    request's other metrics (which keep `service` only, as their alarms read them). Never fails the request."""
    group = group_of(route_key)
    if group is None:
        return
    try:
        counted = EphemeralMetrics(namespace=config.metrics_namespace(), service=config.service_name())
        counted.add_dimension(name="route_group", value=group)
        counted.add_metric(name="ApiRequests", unit=MetricUnit.Count, value=1)
        counted.add_metric(name="Api4xx", unit=MetricUnit.Count, value=int(400 <= status < 500))
        counted.add_metric(name="Api5xx", unit=MetricUnit.Count, value=int(status >= 500))
        elapsed = round((time.perf_counter() - started) * 1000, 1)
        counted.add_metric(name="ApiLatency", unit=MetricUnit.Milliseconds, value=elapsed)
        counted.flush_metrics()
    except Exception:
        logger.warning("route group metrics not emitted", exc_info=True)


def _proxy_result(response: Response[str]) -> dict[str, Any]:
    """A payload format 2.0 result, as the resolver would have built it, for an answer given before it runs."""
    headers = {name: value if isinstance(value, str) else ",".join(value) for name, value in response.headers.items()}
    return {
        "statusCode": response.status_code,
        "headers": headers,
        "cookies": [str(cookie) for cookie in response.cookies],
        "body": response.body,
        "isBase64Encoded": False,
    }


def current_principal(app: APIGatewayHttpResolver) -> Principal:
    """The signed-in caller of the current request, allowed by `access.ROUTES` to call it.

    `Unauthenticated` without a live session, `Forbidden` if the caller's role lacks the route's permission.
    """
    principal, _ = current_principal_and(app, lambda _: [])
    return principal


def current_principal_and(
    app: APIGatewayHttpResolver, also: Callable[[str], list[dict[str, str]]]
) -> tuple[Principal, list[dict[str, Any] | None]]:
    """The caller, and the items of their workspace that `also(workspace_id)` names, in one read."""
    event = app.current_event
    return load_principal(
        read(event.cookies, ACCESS_TOKEN),
        permission=route_permission(str(event.raw_event.get("routeKey", ""))),
        now=clock.utcnow(),
        also=also,
    )


def source_ip(app: APIGatewayHttpResolver) -> str:
    """The caller's IP address for per-address counters (sign-in, invitations, debtor pages' guessing).

    Behind CloudFront, the viewer's address CloudFront states, if the request carries the origin secret
    (collectra.http.viewer); otherwise API Gateway's source address.
    """
    event = app.current_event
    return request_viewer_ip(event.headers, str(event.request_context.http.source_ip))


def json_response(body: BaseModel, *, status: int = 200, cookies: list[Cookie] | None = None) -> Response[Any]:
    """A JSON answer; the resolver checks `body` against the route's declared model and serialises it."""
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": "no-store"},
        cookies=cookies,
    )


def no_content(*, status: int = 204, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(status_code=status, body="", headers={"Cache-Control": "no-store"}, cookies=cookies)
