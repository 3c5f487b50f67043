"""A raw HTTP client for the local stack's tests: every header kept, repeated ones included."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


def send(
    base_url: str,
    method: str,
    target: str,
    body: bytes | Iterable[bytes] | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> Reply:
    """One request; `headers` is a list of pairs so a test can repeat a header."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    try:
        chunked = body is not None and not isinstance(body, bytes)
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        if isinstance(body, bytes):
            connection.putheader("Content-Length", str(len(body)))
        elif chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        if isinstance(body, bytes):
            connection.send(body)
        elif body is not None:
            for chunk in body:
                connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


@pytest.fixture(name="http")
def http_client() -> Callable[..., Reply]:
    return send
