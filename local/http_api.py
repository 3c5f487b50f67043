"""What API Gateway's HTTP API does around a Lambda proxy integration, as pure functions.

Route selection, the payload format 2.0 event, the interpretation of the function's result and the
CORS behaviour; the socket handling lives in local.gateway.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from local.cfn import ACCOUNT_ID
from local.template import CorsConfiguration, Route

API_ID = "local"

_TEXTUAL_TYPES = frozenset({"application/json", "application/x-www-form-urlencoded"})
_HOP_BY_HOP = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive"})
_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass
class HttpRequest:
    method: str
    target: str  # path and query exactly as received: "/auth/login?x=1"
    headers: list[tuple[str, str]]
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"

    @property
    def raw_path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def raw_query(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name]
        return ",".join(values) if values else None


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def json_response(status: int, payload: Any) -> HttpResponse:
    return HttpResponse(status, [("content-type", "application/json")], json.dumps(payload).encode())


# API Gateway's own error bodies, byte for byte what clients see in AWS.
def not_found() -> HttpResponse:
    return json_response(404, {"message": "Not Found"})


def internal_server_error() -> HttpResponse:
    return json_response(500, {"message": "Internal Server Error"})


# ---------------------------------------------------------------- routing


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    priority: tuple[int, int, int]


def _compile(route: Route) -> _CompiledRoute:
    segments = [s for s in route.path.split("/") if s]
    names: list[str] = []
    parts: list[str] = []
    for segment in segments:
        match = _PARAMETER.fullmatch(segment)
        if match is None:
            parts.append(re.escape(segment))
            continue
        name = match.group(1)
        greedy = name.endswith("+")
        names.append(name.rstrip("+"))
        # Numbered groups: parameter names may hold characters a regex group name cannot.
        parts.append("(.+)" if greedy else "([^/]+)")
    pattern = re.compile("/" + "/".join(parts))
    literal = sum(1 for s in segments if _PARAMETER.fullmatch(s) is None)
    greedy_route = any(name.endswith("+") for name in _PARAMETER.findall(route.path))
    # API Gateway prefers the most specific route: no greedy variable, more literal segments, an
    # explicit method over ANY.
    priority = (int(greedy_route), -literal, int(route.method == "ANY"))
    return _CompiledRoute(route, pattern, tuple(names), priority)


class RouteTable:
    def __init__(self, routes: Iterable[Route]) -> None:
        all_routes = list(routes)
        self._default = next((r for r in all_routes if r.path == "$default"), None)
        compiled = [_compile(r) for r in all_routes if r.path != "$default"]
        self._routes = sorted(compiled, key=lambda c: c.priority)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for candidate in self._routes:
            if candidate.route.method not in (method, "ANY"):
                continue
            found = candidate.pattern.fullmatch(path)
            if found:
                return candidate.route, dict(zip(candidate.names, found.groups(), strict=True))
        return (self._default, {}) if self._default else None


# ---------------------------------------------------------------- the event


def is_textual(content_type: str | None) -> bool:
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in _TEXTUAL_TYPES or media_type.endswith(("+json", "+xml"))


def _joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    joined: dict[str, str] = {}
    for key, value in pairs:
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    return joined


def new_request_id() -> str:
    return str(uuid.uuid4())


def build_event(
    request: HttpRequest,
    route: Route,
    path_parameters: Mapping[str, str],
    request_id: str,
    now: float | None = None,
) -> dict[str, Any]:
    """The payload format 2.0 event for `request`, field for field as HTTP API sends it."""
    now = time.time() if now is None else now
    # HTTP API hands the function a percent-decoded path (unlike REST APIs and function URLs).
    path = unquote(request.raw_path)
    headers = _joined((key.lower(), value) for key, value in request.headers if key.lower() != "cookie")
    headers["x-forwarded-for"] = ",".join(filter(None, (headers.get("x-forwarded-for"), request.source_ip)))
    headers.setdefault("x-forwarded-proto", "http")
    headers.setdefault("x-amzn-trace-id", f"Root=1-{int(now):08x}-{secrets.token_hex(12)}")
    domain = headers.get("host", "localhost")
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": path,
        "rawQueryString": request.raw_query,
    }
    cookies = [
        cookie.strip()
        for key, value in request.headers
        if key.lower() == "cookie"
        for cookie in value.split(";")
        if cookie.strip()
    ]
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = parse_qsl(request.raw_query, keep_blank_values=True)
    if query:
        event["queryStringParameters"] = _joined(query)
    event["requestContext"] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": domain,
        "domainPrefix": domain.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request_id,
        "routeKey": route.route_key,
        "stage": "$default",
        "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
        "timeEpoch": int(now * 1000),
    }
    if request.body:
        if is_textual(request.header("content-type")):
            try:
                event["body"], event["isBase64Encoded"] = request.body.decode("utf-8"), False
            except UnicodeDecodeError:
                event["body"], event["isBase64Encoded"] = base64.b64encode(request.body).decode(), True
        else:
            event["body"], event["isBase64Encoded"] = base64.b64encode(request.body).decode(), True
    if path_parameters:
        event["pathParameters"] = {name: unquote(value) for name, value in path_parameters.items()}
    event.setdefault("isBase64Encoded", False)
    return event


# ---------------------------------------------------------------- the function's result


class InvalidResult(ValueError):
    """The function returned something API Gateway cannot turn into a response (it answers 500)."""


def response_from_result(result: Any) -> HttpResponse:
    """API Gateway's reading of a payload format 2.0 result."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # Without a statusCode the whole result is the JSON body; a string is sent as is.
        text = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, [("content-type", "application/json")], text.encode())
    status = result["statusCode"]
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise InvalidResult(f"statusCode {status!r} is not an HTTP status")
    headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), str(v)) for v in values)
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or [])
    headers = [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP]
    body = result.get("body")
    if body is None:
        raw = b""
    elif result.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(str(body), validate=True)
        except binascii.Error as exc:
            raise InvalidResult("isBase64Encoded body is not base64") from exc
    else:
        raw = (body if isinstance(body, str) else json.dumps(body)).encode()
    return HttpResponse(status, headers, raw)


# ---------------------------------------------------------------- CORS


class Cors:
    """API Gateway's CORS for HTTP APIs: it answers preflights itself and owns the CORS headers."""

    def __init__(self, config: CorsConfiguration) -> None:
        self.config = config

    def allows_origin(self, origin: str) -> bool:
        for allowed in self.config.allow_origins:
            if allowed == "*" or allowed.lower() == origin.lower():
                return True
            # "https://*" and "http://*" allow any origin of that scheme.
            if allowed.endswith("://*") and origin.lower().startswith(allowed[:-1].lower()):
                return True
        return False

    @staticmethod
    def is_preflight(request: HttpRequest) -> bool:
        return (
            request.method == "OPTIONS"
            and request.header("origin") is not None
            and request.header("access-control-request-method") is not None
        )

    def preflight(self, request: HttpRequest) -> HttpResponse:
        origin = request.header("origin") or ""
        method = (request.header("access-control-request-method") or "").upper()
        asked = [h.strip().lower() for h in (request.header("access-control-request-headers") or "").split(",")]
        asked = [h for h in asked if h]
        methods, allowed_headers = self.config.allow_methods, self.config.allow_headers
        method_ok = "*" in methods or method in methods
        headers_ok = "*" in allowed_headers or all(h in allowed_headers for h in asked)
        response = HttpResponse(204)
        if not (self.allows_origin(origin) and method_ok and headers_ok):
            # The browser gets no CORS headers, so it refuses the actual request.
            return response
        response.headers += self._origin_headers(origin)
        response.headers.append(("access-control-allow-methods", method if "*" in methods else ",".join(methods)))
        if asked or allowed_headers:
            shown = asked if "*" in allowed_headers else list(allowed_headers)
            response.headers.append(("access-control-allow-headers", ",".join(shown)))
        if self.config.max_age is not None:
            response.headers.append(("access-control-max-age", str(self.config.max_age)))
        return response

    def apply(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # The function's own CORS headers are dropped, as API Gateway ignores them once CORS is set.
        response.headers = [(k, v) for k, v in response.headers if not k.lower().startswith("access-control-")]
        origin = request.header("origin")
        if origin and self.allows_origin(origin):
            response.headers += self._origin_headers(origin)
            if self.config.expose_headers:
                response.headers.append(("access-control-expose-headers", ",".join(self.config.expose_headers)))
        return response

    def _origin_headers(self, origin: str) -> list[tuple[str, str]]:
        wildcard = "*" in self.config.allow_origins and not self.config.allow_credentials
        headers = [("access-control-allow-origin", "*" if wildcard else origin)]
        if self.config.allow_credentials:
            headers.append(("access-control-allow-credentials", "true"))
        if not wildcard:
            headers.append(("vary", "Origin"))
        return headers
