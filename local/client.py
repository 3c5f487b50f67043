"""A web client for the local API, over real HTTP: keeps its cookies, sends the CSRF header like the app.

Used by the demo seed, the HTTP tests through the gateway and the benchmarks.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

CSRF_HEADERS = {"x-requested-with": "collectra"}


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def set_cookies(self) -> list[str]:
        return self.headers.get_all("set-cookie") or []


@dataclass
class WebClient:
    base_url: str
    jar: dict[str, str] = field(default_factory=dict)
    origin: str | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        sent = {"accept": "application/json", **CSRF_HEADERS, **(headers or {})}
        if self.origin:
            sent["origin"] = self.origin
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent["content-type"] = "application/json"
        cookies = [f"{name}={value}" for name, value in self.jar.items() if _applies(name, path)]
        if cookies:
            sent["cookie"] = "; ".join(cookies)
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                reply = Reply(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.headers, error.read())
        self._keep(reply.set_cookies)
        return reply

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            pair, *attributes = header.split(";")
            name, _, value = pair.strip().partition("=")
            if any(a.strip().lower() == "max-age=0" for a in attributes):
                self.jar.pop(name, None)
            else:
                self.jar[name] = value


def _applies(name: str, path: str) -> bool:
    # The refresh cookie is scoped to Path=/auth, as the browser would scope it.
    return name != "refresh_token" or path.startswith("/auth")


def http_request(
    base_url: str, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """One request, redirects not followed: the status, the headers (names in lower case) and the body."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, {name.lower(): value for name, value in answer.getheaders()}, answer.read()
    finally:
        connection.close()
