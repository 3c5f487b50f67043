"""The template's functions run in this process, as Lambda runs them: for the tests and the benchmarks.

A function is found by its logical id (or an HTTP route), its handler imported as Lambda's init does (its code
directory and its layers on the path, once per process: a warm container), and each invocation runs with a
Lambda context and exactly that function's resolved environment (collectra.config reads it through
`config.environment_of`), plus the variables that point the AWS SDK at the emulator, which are not the
function's configuration. So a function declared without a variable its code needs fails its test with a
ConfigurationError naming the variable, as it would fail in AWS, instead of reading another function's.

Every AWS API call made in this process passes through one wrapper of botocore's `_make_api_call`: observers
registered with `observe` see each call (`AwsCall`: service, operation, parameters, answer, time, and the
logical id of the function that made it, from `current_function`). An invocation runs in a context of its
own, which threads the handler starts carry (collectra's thread pools run each task in a copy of it), so a
call made on such a thread is the function's too.

`make dev` runs functions in worker processes instead (local.lambda_runtime, local.functions); both build
their events with local.events (SQS, schedules) and local.http_api (HTTP).
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import importlib.util
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import botocore.client
import botocore.endpoint
import s3transfer.futures
from botocore.exceptions import ClientError

from local.cfn import ACCOUNT_ID, REGION
from local.emulator import client
from local.events import failed_message_ids, scheduled_event, sqs_event
from local.functions import layer_dir, sdk_environment
from local.http_api import HttpRequest, RouteTable, build_event, response_from_result
from local.template import (
    LambdaFunction,
    QueueConsumer,
    Route,
    ScheduledFunction,
    lambda_functions,
    load_template,
    queue_consumers,
    routes,
    scheduled_functions,
)

ROOT = Path(__file__).resolve().parents[1]

current_function: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_function", default=None)


# ---------------------------------------------------------------- AWS calls, observed


@dataclass
class AwsCall:
    """One AWS API call made in this process, and by which function (None: outside any invocation)."""

    function: str | None
    service: str  # botocore's name: "dynamodb", "sqs", "s3", "secretsmanager", ...
    operation: str  # the API's: "Query", "SendMessageBatch", ...
    params: Mapping[str, Any]
    answer: Mapping[str, Any] | None = None  # the parsed answer, or an error's response; None until done
    error: str | None = None  # the error's code when AWS refused the call
    seconds: float = 0.0  # the whole call
    waiting: float = 0.0  # of it, inside botocore's Endpoint._send: waiting for AWS (the emulator)


Observer = Callable[[AwsCall], None]
_started: list[Observer] = []
_finished: list[Observer] = []
_calling: contextvars.ContextVar[AwsCall | None] = contextvars.ContextVar("aws_call", default=None)


def observe(finished: Observer, *, started: Observer | None = None) -> Callable[[], None]:
    """Call `finished` after every AWS API call made in this process (and `started` before it, when given),
    on the thread that made it; returns what stops observing."""
    _finished.append(finished)
    if started is not None:
        _started.append(started)

    def stop() -> None:
        _finished.remove(finished)
        if started is not None:
            _started.remove(started)

    return stop


@contextmanager
def observing(finished: Observer, *, started: Observer | None = None) -> Iterator[None]:
    """`observe` for the duration of a `with` block."""
    stop = observe(finished, started=started)
    try:
        yield
    finally:
        stop()


def _install() -> None:
    base, endpoint = botocore.client.BaseClient, botocore.endpoint.Endpoint
    if getattr(base._make_api_call, "observed", False):  # type: ignore[attr-defined]
        return
    make_api_call, send = base._make_api_call, endpoint._send  # type: ignore[attr-defined]

    def observed(self: Any, operation: str, params: Mapping[str, Any]) -> Any:
        call = AwsCall(current_function.get(), self.meta.service_model.service_name, operation, params)
        for observer in list(_started):
            observer(call)
        token = _calling.set(call)
        started = time.perf_counter()
        try:
            answer = make_api_call(self, operation, params)
            call.answer = answer
            return answer
        except ClientError as error:
            call.answer, call.error = error.response, str(error.response.get("Error", {}).get("Code", ""))
            raise
        finally:
            call.seconds = time.perf_counter() - started
            _calling.reset(token)
            for observer in list(_finished):
                observer(call)

    def timed_send(self: Any, request: Any) -> Any:
        call = _calling.get()
        started = time.perf_counter()
        try:
            return send(self, request)
        finally:
            if call is not None:
                call.waiting += time.perf_counter() - started

    observed.observed = True  # type: ignore[attr-defined]
    setattr(base, "_make_api_call", observed)  # noqa: B010 - private to botocore: not in its stubs
    setattr(endpoint, "_send", timed_send)  # noqa: B010
    # S3's transfer manager uploads in threads of its own, which start with an empty context: its tasks run in
    # the submitting invocation's, so the parts it uploads are that function's calls too.
    s3transfer.futures.BoundedExecutor.EXECUTOR_CLS = _InvocationExecutor


class _InvocationExecutor(concurrent.futures.ThreadPoolExecutor):
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


_install()


# ---------------------------------------------------------------- invocations


@dataclass
class LambdaContext:
    """The attributes and method of the Python runtime's context object that code uses."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    deadline: float  # time.monotonic() when the invocation times out
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


@dataclass
class Answer:
    """A function's answer to an HTTP request, as API Gateway reads it."""

    status: int
    headers: dict[str, str]  # lower-case names; Set-Cookie is in `cookies`
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


class Harness:
    """The functions of a template, each invoked in this process with its own environment.

    `endpoint_url` is the emulator's: queue URLs in the functions' environments are its own, and the AWS SDK
    is pointed at it (`aws_environment`, which `__enter__` also puts in os.environ, where botocore reads it).
    Without it, events can be built but the functions reach no AWS.
    """

    def __init__(
        self,
        template_path: str | Path = ROOT / "template.yaml",
        *,
        endpoint_url: str | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        template_file = Path(template_path).resolve()
        template = load_template(template_file)
        self.base_dir = template_file.parent
        self.endpoint_url = endpoint_url
        self.functions: dict[str, LambdaFunction] = lambda_functions(template, overrides, endpoint_url=endpoint_url)
        self.routes: list[Route] = routes(template, overrides, endpoint_url=endpoint_url)
        self._route_table = RouteTable(self.routes)
        consumers = queue_consumers(template, overrides, endpoint_url=endpoint_url)
        self.consumers: dict[str, QueueConsumer] = {consumer.logical_id: consumer for consumer in consumers}
        self.schedules: dict[str, ScheduledFunction] = {
            scheduled.logical_id: scheduled
            for scheduled in scheduled_functions(template, overrides, endpoint_url=endpoint_url)
        }
        self.sdk_environment = sdk_environment(endpoint_url)
        self._handlers: dict[str, Callable[[Any, Any], Any]] = {}
        self._init = threading.Lock()
        self._saved: list[dict[str, str]] = []

    def __enter__(self) -> Harness:
        """Point this process's AWS SDK at the emulator (until `__exit__`)."""
        self._saved.append(dict(os.environ))
        os.environ.update(self.sdk_environment)
        return self

    def __exit__(self, *_: object) -> None:
        saved = self._saved.pop()
        os.environ.clear()
        os.environ.update(saved)

    def environment(self, logical_id: str) -> dict[str, str]:
        """What the function's code reads: its own resolved variables and the SDK's."""
        return {**self.functions[logical_id].environment, **self.sdk_environment}

    def everyones_environment(self) -> dict[str, str]:
        """Every function's variables together: for code that reaches into the system as no one function does
        (a test reading the table, a benchmark seeding it)."""
        merged: dict[str, str] = {}
        for function in self.functions.values():
            merged |= function.environment
        return {**merged, **self.sdk_environment}

    @contextmanager
    def redeployed(
        self, variables: Mapping[str, str | None], *, functions: Iterable[str] | None = None
    ) -> Iterator[None]:
        """For the block, the functions (by default those that declare one of `variables`) run with these
        values, a variable set to None left out: a test's stand-in for a deployment with other settings."""
        chosen = (
            set(functions)
            if functions is not None
            else {logical_id for logical_id, f in self.functions.items() if set(variables) & set(f.environment)}
        )
        before = dict(self.functions)
        for logical_id in chosen:
            function = self.functions[logical_id]
            changed = {**function.environment, **variables}
            kept = {name: value for name, value in changed.items() if value is not None}
            self.functions[logical_id] = replace(function, environment=kept)
        try:
            yield
        finally:
            self.functions.update(before)

    def invoke(self, logical_id: str, event: Any, *, remaining_ms: int | None = None) -> Any:
        """Run the function on `event`, as Lambda would; what its handler returns (or raises).

        `remaining_ms` is the time the context says is left at the start (default: the function's Timeout).
        """
        function = self.functions[logical_id]
        left = function.timeout * 1000 if remaining_ms is None else remaining_ms
        name = function.function_name or logical_id
        context = LambdaContext(
            function_name=name,
            memory_limit_in_mb=function.memory_size,
            invoked_function_arn=f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}",
            deadline=time.monotonic() + left / 1000,
        )
        return contextvars.copy_context().run(self._run, function, event, context)

    def init(self, logical_id: str) -> None:
        """Lambda's init of the function, before its first invocation (which otherwise does it)."""
        contextvars.copy_context().run(self._run, self.functions[logical_id], None, None)

    def _run(self, function: LambdaFunction, event: Any, context: LambdaContext | None) -> Any:
        """In the invocation's own context: the function's handler on `event` (None: its init only)."""
        self._on_path(function)
        from collectra import config  # from the function's layer, now on the path

        current_function.set(function.logical_id)
        with config.environment_of(self.environment(function.logical_id)):
            handler = self._handler(function)
            return None if context is None else handler(event, context)

    def _handler(self, function: LambdaFunction) -> Callable[[Any, Any], Any]:
        """The function's handler, imported on its first invocation (Lambda's init) in that invocation's
        context; the same module serves every function with the same code and handler."""
        key = f"{function.code_uri}:{function.handler}"
        with self._init:  # concurrent first invocations: one imports, the others wait for it
            if key not in self._handlers:
                module = self.module(function)
                self._handlers[key] = getattr(module, function.handler.rpartition(".")[2])
        return self._handlers[key]

    def module(self, function: LambdaFunction) -> ModuleType:
        """Import the function's handler module as Lambda would: its code directory and layers on the path."""
        module_name = function.handler.rpartition(".")[0]
        code_dir = self._on_path(function)
        # Handler modules of different folders may share a name: each gets one of its own.
        unique = f"fn_{function.code_uri.strip('/').replace('/', '_')}_{module_name}"
        if unique in sys.modules:
            return sys.modules[unique]
        spec = importlib.util.spec_from_file_location(unique, code_dir / f"{module_name}.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"{function.logical_id}: no handler module {module_name} in {code_dir}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[unique] = module
        spec.loader.exec_module(module)
        return module

    def _on_path(self, function: LambdaFunction) -> Path:
        """Put the function's code directory and layers on sys.path; its code directory."""
        code_dir = (self.base_dir / function.code_uri).resolve()
        for entry in [str(code_dir), *(str(layer_dir((self.base_dir / layer).resolve())) for layer in function.layers)]:
            if entry not in sys.path:
                sys.path.insert(0, entry)
        return code_dir

    # ------------------------------------------------------------ HTTP

    def http_event(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        raw_body: str | bytes | None = None,
        cookies: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        source_ip: str = "198.51.100.7",
    ) -> dict[str, Any]:
        """The payload 2.0 event API Gateway would send for the request, built as the local gateway builds it."""
        chosen = {"content-type": "application/json", "user-agent": "Mozilla/5.0 (tests)", "host": "api.test"}
        chosen |= {name.lower(): value for name, value in (headers or {}).items()}
        sent = list(chosen.items())
        if cookies:
            sent.append(("cookie", "; ".join(f"{name}={value}" for name, value in cookies.items())))
        text = raw_body if raw_body is not None else (json.dumps(body) if body is not None else b"")
        data = text.encode() if isinstance(text, str) else text
        target = f"{path}?{urlencode(query)}" if query else path
        matched = self._route_table.match(method, path.split("?", 1)[0])
        if matched is None:
            raise LookupError(f"{method} {path} is not a route of the template")
        route, path_parameters = matched
        request = HttpRequest(method, target, sent, data, source_ip=source_ip)
        return build_event(request, route, path_parameters, str(uuid.uuid4()))

    def route(self, route_key: str) -> Route:
        """The route of an event's `routeKey` ("GET /debts/{id}")."""
        return next(route for route in self.routes if route.route_key == route_key)

    def serve(self, event: Mapping[str, Any]) -> Answer:
        """Run the function of the event's route, and read its answer as API Gateway would."""
        response = response_from_result(self.invoke(self.route(str(event["routeKey"])).logical_id, event))
        cookies = [value for name, value in response.headers if name.lower() == "set-cookie"]
        headers = {name.lower(): value for name, value in response.headers if name.lower() != "set-cookie"}
        return Answer(response.status, headers, cookies, response.body.decode())

    # ------------------------------------------------------------ schedules and queues

    def run_schedule(self, logical_id: str, moment: datetime) -> Any:
        """One run of a scheduled function, as its rule fires it at `moment`."""
        return self.invoke(logical_id, scheduled_event(self.schedules[logical_id], moment))

    def receive(self, logical_id: str, *, limit: int = 10, visibility_timeout: int = 0) -> list[dict[str, Any]]:
        """Up to `limit` messages of the function's queue, taken as its event source mapping takes them."""
        answer = self._sqs().receive_message(
            QueueUrl=self.consumers[logical_id].queue_url,
            MaxNumberOfMessages=limit,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
            VisibilityTimeout=visibility_timeout,
        )
        return list(answer.get("Messages") or [])

    def sqs_event(
        self, logical_id: str, messages: Sequence[Mapping[str, Any]], *, receive_count: int | None = None
    ) -> dict[str, Any]:
        """Lambda's event for `messages` of the function's queue; `receive_count` fakes earlier deliveries."""
        return sqs_event(messages, self.consumers[logical_id].queue_arn, receive_count=receive_count)

    def deliver(
        self,
        logical_id: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        receive_count: int | None = None,
        remaining_ms: int | None = None,
        delete: bool = True,
    ) -> Any:
        """Hand the messages to the function; like the event source mapping, delete those it did not report
        failed (all of them, unless the invocation raised); the function's answer."""
        event = self.sqs_event(logical_id, messages, receive_count=receive_count)
        answer = self.invoke(logical_id, event, remaining_ms=remaining_ms)
        consumer = self.consumers[logical_id]
        if delete:
            failed: set[str] = set()
            if consumer.report_batch_item_failures:
                failed, whole_batch = failed_message_ids(answer, [str(message["MessageId"]) for message in messages])
                if whole_batch:
                    raise AssertionError(f"{logical_id} failed the whole batch: {whole_batch}")
            self.delete(logical_id, [message for message in messages if message["MessageId"] not in failed])
        return answer

    def delete(self, logical_id: str, messages: Sequence[Mapping[str, Any]]) -> None:
        """Delete received messages from the function's queue (handled, or lost as if SQS had lost them)."""
        for message in messages:
            self._sqs().delete_message(
                QueueUrl=self.consumers[logical_id].queue_url, ReceiptHandle=message["ReceiptHandle"]
            )

    def drain(self, logical_id: str) -> int:
        """Deliver what is on the function's queue until nothing is; how many messages it was handed."""
        handed = 0
        while batch := self.receive(logical_id, limit=min(self.consumers[logical_id].batch_size, 10)):
            self.deliver(logical_id, batch)
            handed += len(batch)
        return handed

    def _sqs(self) -> Any:
        if self.endpoint_url is None:
            raise RuntimeError("queues live in the emulator: the harness needs its endpoint_url")
        return client("sqs", self.endpoint_url)


class Browser:
    """A web client of the functions in this process: keeps the cookies it is given and sends them back, with
    the CSRF header, like the web app."""

    def __init__(self, harness: Harness, source_ip: str = "198.51.100.7") -> None:
        self.harness = harness
        self.jar: dict[str, str] = {}
        self.source_ip = source_ip
        self.last: Answer | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        csrf_header: bool = True,
        raw_body: str | bytes | None = None,
        send_cookies: bool = True,
        query: Mapping[str, str] | None = None,
    ) -> Answer:
        sent_headers = {"x-requested-with": "collectra"} if csrf_header else {}
        sent_headers.update(headers or {})
        jar = {name: value for name, value in self.jar.items() if self._cookie_applies(name, path)}
        event = self.harness.http_event(
            method,
            path,
            body=body,
            raw_body=raw_body,
            cookies=jar if send_cookies else None,
            headers=sent_headers,
            query=query,
            source_ip=self.source_ip,
        )
        answer = self.harness.serve(event)
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
