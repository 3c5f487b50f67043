"""Drive handlers the way API Gateway does: find the route in template.yaml, build a v2 event, invoke."""

from __future__ import annotations

import base64
import importlib.util
import itertools
import json
import sys
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from local.http_api import HttpRequest, RouteTable, build_event
from local.template import Route, load_template, routes

ROOT = Path(__file__).resolve().parents[2]
# Each browser gets its own source address, so per-address throttling in one test never leaks into another.
_ADDRESSES = (f"100.64.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@dataclass
class LambdaContext:
    function_name: str = "collectra-test"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:collectra-test"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@cache
def template_routes() -> dict[tuple[str, str], Route]:
    return {(route.method, route.path): route for route in routes(load_template(ROOT / "template.yaml"))}


@cache
def handler_module(code_uri: str, handler: str) -> ModuleType:
    """Import a function's handler module as Lambda would: its code directory plus the layer on the path."""
    module_name, _, _ = handler.rpartition(".")
    path = ROOT / code_uri / f"{module_name}.py"
    unique = f"fn_{code_uri.strip('/').replace('/', '_')}_{module_name}"
    for entry in (str(ROOT / "layers/common"), str(ROOT / code_uri)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    spec = importlib.util.spec_from_file_location(unique, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    spec.loader.exec_module(module)
    from tests.support import least_privilege  # a pytest plugin: imported once pytest has registered it

    entry = handler.rpartition(".")[2]
    setattr(module, entry, least_privilege.attributed(getattr(module, entry)))
    return module


def http_event(
    method: str,
    path: str,
    *,
    body: Any = None,
    raw_body: str | bytes | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    source_ip: str = "198.51.100.7",
) -> dict[str, Any]:
    """The payload 2.0 event API Gateway would send, built by the local gateway's own event builder."""
    chosen = {"content-type": "application/json", "user-agent": "Mozilla/5.0 (tests)", "host": "api.test"}
    chosen |= {name.lower(): value for name, value in (headers or {}).items()}
    sent = list(chosen.items())
    if cookies:
        sent.append(("cookie", "; ".join(f"{name}={value}" for name, value in cookies.items())))
    text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else b"")
    data = text.encode() if isinstance(text, str) else text
    target = f"{path}?{urlencode(query)}" if query else path
    matched = RouteTable(template_routes().values()).match(method, path.split("?", 1)[0])
    if matched is None:
        raise LookupError(f"{method} {path} is not a route of template.yaml")
    route, path_parameters = matched
    request = HttpRequest(method, target, sent, data, source_ip=source_ip)
    return build_event(request, route, path_parameters, str(uuid.uuid4()))


def invoke(event: dict[str, Any]) -> Answer:
    """Run the handler of the event's route, as Lambda would, and read its answer as API Gateway would."""
    method, _, route_path = event["routeKey"].partition(" ")
    route = template_routes()[(method, route_path)]
    module = handler_module(route.code_uri, route.handler)
    function = getattr(module, route.handler.rpartition(".")[2])
    raw = function(event, LambdaContext(function_name=route.logical_id))
    return Answer(
        status=raw["statusCode"],
        headers={name.lower(): value for name, value in (raw.get("headers") or {}).items()},
        cookies=list(raw.get("cookies") or []),
        body=base64.b64decode(raw["body"]).decode() if raw.get("isBase64Encoded") else raw.get("body", ""),
    )


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)

    def set_cookies(self) -> dict[str, SetCookie]:
        return {cookie.name: cookie for cookie in map(SetCookie.parse, self.cookies)}


@dataclass
class SetCookie:
    """One Set-Cookie header, parsed: the value and its attributes (names lower-cased)."""

    name: str
    value: str
    attributes: dict[str, str | bool]

    @classmethod
    def parse(cls, header: str) -> SetCookie:
        first, *rest = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        attributes: dict[str, str | bool] = {}
        for part in rest:
            key, has_value, attribute_value = part.partition("=")
            attributes[key.lower()] = attribute_value if has_value else True
        return cls(name, value, attributes)


class Browser:
    """A web client: keeps the cookies it is given and sends them back, with the CSRF header, like the app."""

    def __init__(self, source_ip: str | None = None) -> None:
        self.jar: dict[str, str] = {}
        self.source_ip = source_ip or next(_ADDRESSES)
        self.last: Answer | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        csrf_header: bool = True,
        raw_body: str | bytes | None = None,
        send_cookies: bool = True,
    ) -> Answer:
        sent_headers = {"x-requested-with": "collectra"} if csrf_header else {}
        sent_headers.update(headers or {})
        jar = {name: value for name, value in self.jar.items() if self._cookie_applies(name, path)}
        event = http_event(
            method,
            path,
            body=body,
            raw_body=raw_body,
            cookies=jar if send_cookies else None,
            headers=sent_headers,
            source_ip=self.source_ip,
        )
        answer = invoke(event)
        for cookie in answer.set_cookies().values():
            if cookie.attributes.get("max-age") == "0":
                self.jar.pop(cookie.name, None)
            else:
                self.jar[cookie.name] = cookie.value
        self.last = answer
        return answer

    @staticmethod
    def _cookie_applies(name: str, path: str) -> bool:
        return name != "refresh_token" or path.startswith("/auth")
