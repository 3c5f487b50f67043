"""Serving requests in this process, as a warm Lambda container does, with the emulator's share timed apart.

Handlers run through local.harness, each with its own function's environment. Its observers record every
AWS call made inside a recording (the invocation's context, the threads it starts included): the call, its
answer, and the time it spent waiting for the emulator (inside botocore's `Endpoint._send`); DynamoDB calls
are priced by bench.cost when the recording has a pricer. Waits for the stand-ins are timed here too:
urllib3's `HTTPConnectionPool.urlopen` outside AWS calls is the Stripe stand-in (stripe-python 16.1.0 sends
through requests, which sends through urllib3), `urllib.request.urlopen` the Brevo stand-in (the Brevo
client's). "Own" time is the handler's wall time minus those waits and the pricing: what the function
itself costs, whatever moto and the stand-ins do.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import urllib3.connectionpool

from bench import cost
from bench.cold_start import World
from collectra import config
from local.client import WebClient
from local.harness import AwsCall, Browser, Harness, observe

READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan"})


@dataclass(frozen=True)
class Call:
    """One DynamoDB call and, for a Query, how many items it read (ScannedCount) and returned (Count)."""

    operation: str
    scanned: int | None = None
    count: int | None = None


@dataclass
class Recording:
    """What ran inside `recording()`: its AWS calls, its waits, and (with a pricer) its DynamoDB calls priced."""

    pricer: cost.Pricer | None = None
    calls: list[AwsCall] = field(default_factory=list)
    priced: list[cost.DynamoCall] = field(default_factory=list)
    stripe: float = 0.0  # seconds in HTTP requests made through urllib3 outside AWS calls (stripe-python's)
    stripe_statuses: list[int] = field(default_factory=list)  # the HTTP status of each of those requests
    brevo: float = 0.0  # seconds in urllib.request.urlopen (the Brevo client's)
    brevo_calls: int = 0
    bookkeeping: float = 0.0  # seconds the pricer spent on its calls

    @property
    def emulator(self) -> float:
        return sum(call.waiting for call in self.calls)

    def dynamodb(self) -> list[Call]:
        return [
            Call(call.operation, (call.answer or {}).get("ScannedCount"), (call.answer or {}).get("Count"))
            for call in self.calls
            if call.service == "dynamodb"
        ]

    def others(self) -> Counter[str]:
        """The calls to other services than DynamoDB: "sqs SendMessageBatch", "secretsmanager ...", ..."""
        return Counter(f"{call.service} {call.operation}" for call in self.calls if call.service != "dynamodb")


_recording: ContextVar[Recording | None] = ContextVar("bench_recording", default=None)
_in_aws_call: ContextVar[bool] = ContextVar("bench_in_aws_call", default=False)
_harness: list[Harness] = []


def _started(call: AwsCall) -> None:
    recording = _recording.get()
    if recording is not None:
        _in_aws_call.set(True)  # botocore's own urllib3 requests are the emulator's, not Stripe's
        if recording.pricer is not None:
            recording.pricer.started(call)


def _finished(call: AwsCall) -> None:
    recording = _recording.get()
    if recording is None:
        return
    _in_aws_call.set(False)
    recording.calls.append(call)
    if recording.pricer is not None and (priced := recording.pricer.finished(call)) is not None:
        recording.priced.append(priced)


def _install() -> None:
    pool = urllib3.connectionpool.HTTPConnectionPool
    if getattr(pool.urlopen, "bench_timed", False):
        return
    pool_urlopen, urlopen = pool.urlopen, urllib.request.urlopen

    def timed_urlopen(self: Any, *args: Any, **kwargs: Any) -> Any:
        recording = _recording.get()
        if recording is None or _in_aws_call.get():
            return pool_urlopen(self, *args, **kwargs)
        token = _in_aws_call.set(True)  # urllib3's own retries are inside this wait
        started = time.perf_counter()
        status = 0  # no answer
        try:
            answer = pool_urlopen(self, *args, **kwargs)
            status = int(answer.status)
            return answer
        finally:
            _in_aws_call.reset(token)
            recording.stripe += time.perf_counter() - started
            recording.stripe_statuses.append(status)

    def timed_request(*args: Any, **kwargs: Any) -> Any:
        recording = _recording.get()
        if recording is None:
            return urlopen(*args, **kwargs)
        started = time.perf_counter()
        try:
            return urlopen(*args, **kwargs)
        finally:
            recording.brevo += time.perf_counter() - started
            recording.brevo_calls += 1

    timed_urlopen.bench_timed = True  # type: ignore[attr-defined]
    setattr(pool, "urlopen", timed_urlopen)  # noqa: B010 - mypy refuses assignments to methods
    urllib.request.urlopen = timed_request
    observe(_finished, started=_started)


def pricer(world: World) -> cost.Pricer:
    """A pricer of the world's table (call inside `in_process`)."""
    return cost.Pricer(cost.Images(config.table_name(), world.emulator.url))


@contextmanager
def in_process(world: World) -> Iterator[Harness]:
    """Serve the world's functions in this process; the benchmark's own reads and writes (seeding the table)
    are made with every function's variables, as no one function."""
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    _install()
    _harness.append(world.harness)
    try:
        with config.environment_of(world.harness.everyones_environment()):
            yield world.harness
    finally:
        _harness.remove(world.harness)


def cookies_of(client: WebClient) -> dict[str, str]:
    """The cookies a browser sends to the API (the refresh cookie is scoped to /auth)."""
    return {name: value for name, value in client.jar.items() if name != "refresh_token"}


def browser(client: WebClient | None = None) -> Browser:
    """An in-process browser, signed in as `client` is when given (not recorded)."""
    made = Browser(_harness[-1])
    if client is not None:
        made.jar = cookies_of(client)
    return made


@dataclass
class Served:
    logical_id: str  # the function that served it
    status: int
    body: str
    total: float  # seconds: the handler's wall time
    recorded: Recording

    @property
    def emulator(self) -> float:
        """Seconds of it spent inside botocore's Endpoint._send."""
        return self.recorded.emulator

    @property
    def stripe(self) -> float:
        """Seconds of it spent waiting for Stripe (the stand-in)."""
        return self.recorded.stripe

    @property
    def stripe_statuses(self) -> list[int]:
        return self.recorded.stripe_statuses

    @property
    def calls(self) -> list[Call]:
        return self.recorded.dynamodb()

    @property
    def own(self) -> float:
        return self.total - self.emulator - self.stripe - self.recorded.brevo - self.recorded.bookkeeping

    @property
    def reads(self) -> int:
        return sum(call.operation in READS for call in self.calls)

    @property
    def writes(self) -> int:
        return len(self.calls) - self.reads

    def dollars(self) -> float:
        """What serving it once costs on AWS (bench.cost): the function's duration and request, and the units
        of its DynamoDB calls (those priced: serve with a pricer)."""
        seconds = cost.lambda_seconds(self.own, len(self.recorded.calls), self.recorded.brevo_calls)
        return cost.request_dollars(seconds, cost.memory_gb(self.logical_id), self.recorded.priced)

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
    pricer: cost.Pricer | None = None,
) -> Served:
    """One request through its handler, in this process; a status other than `expected` is an error."""
    harness = _harness[-1]
    sent = {"x-requested-with": "collectra", **(headers or {})}
    event = harness.http_event(method, path, body=body, raw_body=raw_body, cookies=cookies, headers=sent, query=query)
    with recording(pricer) as recorded:
        started = time.perf_counter()
        answer = harness.serve(event)
        elapsed = time.perf_counter() - started
    if answer.status != expected:
        raise RuntimeError(f"{method} {path} answered {answer.status}, expected {expected}: {answer.body[:500]}")
    return Served(harness.route(str(event["routeKey"])).logical_id, answer.status, answer.body, elapsed, recorded)


@contextmanager
def recording(pricer: cost.Pricer | None = None) -> Iterator[Recording]:
    """Record what runs inside (an invocation, and the threads it starts) as `serve` records a request."""
    current = Recording(pricer)
    priced_before = pricer.bookkeeping if pricer is not None else 0.0
    token = _recording.set(current)
    try:
        yield current
    finally:
        _recording.reset(token)
        if pricer is not None:
            current.bookkeeping = pricer.bookkeeping - priced_before


def median_p95(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[-1]
