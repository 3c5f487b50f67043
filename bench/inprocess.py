"""Serving requests in this process, as a warm Lambda container does, with the emulator's share timed apart.

The handler is imported and invoked here (tests/support/http.py builds the HTTP API v2 event and runs it);
botocore is wrapped so that every DynamoDB call is recorded with its answer's Count and ScannedCount, and
the time spent inside `Endpoint._send` (waiting for the emulator) is summed. So is the time spent in
urllib3's `HTTPConnectionPool.urlopen` outside botocore, on the serving thread: waiting for the Stripe
stand-in, which stripe-python 16.1.0 reaches through its default `RequestsClient` (requests, one of its
dependencies, sends through urllib3). "Own" time is the handler's wall time minus both waits: what the
function itself costs, whatever moto and the stand-in do.
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.client
import botocore.endpoint
import urllib3.connectionpool

from bench.cold_start import World
from local.client import WebClient
from local.emulator import aws_environment

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan"})


@dataclass(frozen=True)
class Call:
    """One DynamoDB call and, for a Query, how many items it read (ScannedCount) and returned (Count)."""

    operation: str
    scanned: int | None = None
    count: int | None = None


@dataclass
class _Recording:
    waited: float = 0.0
    calls: list[Call] = field(default_factory=list)
    stripe: float = 0.0  # seconds in HTTP requests made through urllib3 outside botocore (stripe-python's)
    stripe_statuses: list[int] = field(default_factory=list)  # the HTTP status of each of those requests
    thread: int = field(default_factory=threading.get_ident)  # the serving thread
    depth: int = 0  # timed sends in progress on it: botocore's own urllib3 requests are the emulator's


_recording: _Recording | None = None


def _install() -> None:
    endpoint, client = botocore.endpoint.Endpoint, botocore.client.BaseClient
    if getattr(endpoint._send, "bench_wrapped", False):  # type: ignore[attr-defined]
        return
    send, call = endpoint._send, client._make_api_call  # type: ignore[attr-defined]
    pool = urllib3.connectionpool.HTTPConnectionPool
    pool_urlopen = pool.urlopen

    def timed_send(self: Any, request: Any) -> Any:
        recording = _recording
        mine = recording is not None and recording.thread == threading.get_ident()
        if recording is not None and mine:
            recording.depth += 1
        started = time.perf_counter()
        try:
            return send(self, request)
        finally:
            if recording is not None:
                recording.waited += time.perf_counter() - started
                if mine:
                    recording.depth -= 1

    def timed_urlopen(self: Any, *args: Any, **kwargs: Any) -> Any:
        recording = _recording
        if recording is None or recording.thread != threading.get_ident() or recording.depth:
            return pool_urlopen(self, *args, **kwargs)  # not served here, botocore's, or urllib3's own retry
        recording.depth += 1
        started = time.perf_counter()
        status = 0  # no answer
        try:
            answer = pool_urlopen(self, *args, **kwargs)
            status = int(answer.status)
            return answer
        finally:
            recording.depth -= 1
            recording.stripe += time.perf_counter() - started
            recording.stripe_statuses.append(status)

    def recorded_call(self: Any, operation: str, params: Any) -> Any:
        if _recording is None or self.meta.service_model.service_name != "dynamodb":
            return call(self, operation, params)
        answer: dict[str, Any] = {}
        try:
            answer = call(self, operation, params)
            return answer
        finally:
            _recording.calls.append(Call(operation, answer.get("ScannedCount"), answer.get("Count")))

    timed_send.bench_wrapped = True  # type: ignore[attr-defined]
    setattr(endpoint, "_send", timed_send)  # noqa: B010 - private to botocore: not in its stubs
    setattr(client, "_make_api_call", recorded_call)  # noqa: B010
    setattr(pool, "urlopen", timed_urlopen)  # noqa: B010


def use_world(world: World) -> None:
    """Point this process's handlers at the world's emulator, as tests/conftest.py does for the tests.

    aws_environment() includes the longer DynamoDB read timeout the emulator needs (a Query over 100,000
    items takes it seconds).
    """
    os.environ.update(world.routes[0].environment)
    os.environ.update(aws_environment(world.emulator.url))
    os.environ.update(POWERTOOLS_TRACE_DISABLED="true", POWERTOOLS_LOG_LEVEL="WARNING")
    _install()


def cookies_of(client: WebClient) -> dict[str, str]:
    """The cookies a browser sends to the API (the refresh cookie is scoped to /auth)."""
    return {name: value for name, value in client.jar.items() if name != "refresh_token"}


@dataclass
class Served:
    status: int
    body: str
    total: float  # seconds: the handler's wall time
    emulator: float  # seconds of it spent inside botocore's Endpoint._send
    calls: list[Call]
    stripe: float = 0.0  # seconds of it spent waiting for Stripe (the stand-in)
    stripe_statuses: list[int] = field(default_factory=list)  # the status of each request to Stripe

    @property
    def own(self) -> float:
        return self.total - self.emulator - self.stripe

    @property
    def reads(self) -> int:
        return sum(call.operation in READS for call in self.calls)

    @property
    def writes(self) -> int:
        return len(self.calls) - self.reads

    def json(self) -> Any:
        return json.loads(self.body)

    def query(self) -> Call | None:
        return next((call for call in self.calls if call.operation == "Query"), None)

    def operations(self) -> str:
        return ", ".join(
            f"{name} x{n}" if n > 1 else name for name, n in Counter(c.operation for c in self.calls).items()
        )


def serve(
    method: str,
    path: str,
    cookies: dict[str, str],
    *,
    body: Any = None,
    raw_body: str | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    expected: int = 200,
) -> Served:
    """One request through its handler, in this process; a status other than `expected` is an error."""
    global _recording  # noqa: PLW0603 - one request is recorded at a time
    from tests.support.http import http_event, invoke

    sent = {"x-requested-with": "collectra", **(headers or {})}
    event = http_event(method, path, body=body, raw_body=raw_body, cookies=cookies, headers=sent, query=query)
    _recording = recording = _Recording()
    started = time.perf_counter()
    try:
        answer = invoke(event)
    finally:
        elapsed = time.perf_counter() - started
        _recording = None
    if answer.status != expected:
        raise RuntimeError(f"{method} {path} answered {answer.status}, expected {expected}: {answer.body[:500]}")
    return Served(
        answer.status,
        answer.body,
        elapsed,
        recording.waited,
        recording.calls,
        recording.stripe,
        recording.stripe_statuses,
    )


@contextmanager
def recording() -> Iterator[_Recording]:
    """Record what runs inside on this thread as `serve` records a request (handlers other than HTTP ones):
    the time waiting for the emulator, the DynamoDB calls, the time waiting in urllib3 outside botocore."""
    global _recording  # noqa: PLW0603 - one recording at a time
    _recording = current = _Recording()
    try:
        yield current
    finally:
        _recording = None


def median_p95(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[-1]
