"""Lambda's other triggers, locally: EventBridge schedules and SQS event source mappings.

A template's `Schedule` events become a Scheduler that invokes their functions every few seconds (a tick
of its own rather than the template's rate: on a laptop one wants to see a run soon) with EventBridge's
"Scheduled Event"; its `SQS` events become QueuePollers that receive batches from the emulator's queue,
invoke the function with Lambda's SQS event, and delete what succeeded, as Lambda's event source mapping
does: with ReportBatchItemFailures all but the messages the function names, otherwise all of them or, if
the invocation fails, none (they come back after the visibility timeout, and after maxReceiveCount
receives the emulator moves them to the dead-letter queue).

Functions run in the gateway's Lambda-like workers (local.lambda_runtime), with the environment the
gateway gives them. EventSources puts it all together for `make dev` and `make remind`.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
import uuid
from base64 import b64encode
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from local.cfn import ACCOUNT_ID, REGION
from local.emulator import client
from local.functions import function_spec
from local.gateway import _LogSink
from local.lambda_runtime import FunctionSpec, InvocationError, LambdaRuntime
from local.template import (
    LambdaFunction,
    QueueConsumer,
    ScheduledFunction,
    load_template,
    queue_consumers,
    scheduled_functions,
)

DEFAULT_TICK_SECONDS = 60.0
_RECEIVE_MAX = 10  # SQS hands out at most 10 messages per ReceiveMessage
_ANSWER_IN_LOG = 300  # characters of a function's answer shown in its log line


# ---------------------------------------------------------------- running functions


@dataclass(frozen=True)
class Invocation:
    """One invocation's outcome: the function's answer, or why there is none."""

    logical_id: str
    ok: bool
    result: Any = None
    error: str | None = None
    duration_ms: float = 0.0

    def summary(self) -> str:
        if not self.ok:
            return f"failed: {self.error}"
        answer = json.dumps(self.result, default=str)
        return answer if len(answer) <= _ANSWER_IN_LOG else answer[: _ANSWER_IN_LOG - 3] + "..."


class FunctionRunner:
    """Invokes a template's functions in Lambda-like workers, warm between invocations."""

    def __init__(
        self,
        base_dir: str | Path,
        *,
        endpoint_url: str | None = None,
        environment: Mapping[str, str] | None = None,
        log: TextIO | None = None,
        max_workers_per_function: int = 1,
    ) -> None:
        self.base_dir = Path(base_dir).resolve()
        self.endpoint_url = endpoint_url
        self.log = _LogSink(log)
        self._environment = dict(environment or {})
        self._max_workers = max_workers_per_function
        self._runtime = LambdaRuntime(self.log, max_workers_per_function)
        self._specs: dict[str, FunctionSpec] = {}
        self._lock = threading.Lock()

    def spec(self, function: LambdaFunction) -> FunctionSpec:
        with self._lock:
            spec = self._specs.get(function.logical_id)
            if spec is None:
                spec = function_spec(
                    function, self.base_dir, endpoint_url=self.endpoint_url, environment=self._environment
                )
                self._specs[function.logical_id] = spec
            return spec

    def invoke(self, function: LambdaFunction, event: Mapping[str, Any]) -> Invocation:
        """Run `function` on `event`; its REPORT line goes to the log, as Lambda's goes to CloudWatch."""
        started = time.perf_counter()
        with self._lock:
            runtime = self._runtime
        try:
            result = runtime.invoke(self.spec(function), event)
        except InvocationError as error:
            elapsed = (time.perf_counter() - started) * 1000
            return Invocation(function.logical_id, ok=False, error=str(error), duration_ms=elapsed)
        elapsed = (time.perf_counter() - started) * 1000
        return Invocation(function.logical_id, ok=True, result=result, duration_ms=elapsed)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return self._runtime.pids()

    def close(self) -> None:
        """Kill every worker (an invocation under way fails); the runner can be used again afterwards."""
        with self._lock:
            runtime, self._runtime = self._runtime, LambdaRuntime(self.log, self._max_workers)
        runtime.close()


class _Loop:
    """A background thread running `tick` until stopped."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def request_stop(self) -> None:
        """Ask the thread to stop after what it is doing (stop() also waits for it)."""
        self._stopping.set()

    def stop(self) -> None:
        self.request_stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------- EventBridge schedules


def event_time(moment: datetime) -> str:
    """EventBridge's `time`: UTC, to the second, with a Z."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """An ISO 8601 time ("2026-12-24T09:00:00Z", "2026-12-24T10:00+01:00"); without an offset, UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def scheduled_event(scheduled: ScheduledFunction, moment: datetime) -> Any:
    """What the rule sends its function at `moment`: the Scheduled Event, or the rule's own Input."""
    if scheduled.input is not None:
        return json.loads(scheduled.input)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": event_time(moment),
        "region": REGION,
        "resources": [scheduled.rule_arn],
        "detail": {},
    }


class Scheduler(_Loop):
    """Invokes each enabled scheduled function every `interval_seconds` (the first time one interval after
    start()), with the Scheduled Event of that moment."""

    def __init__(
        self,
        runner: FunctionRunner,
        functions: Sequence[ScheduledFunction],
        *,
        interval_seconds: float = DEFAULT_TICK_SECONDS,
    ) -> None:
        if interval_seconds <= 0:
            raise ValueError("the scheduler's interval must be positive")
        super().__init__("scheduler")
        self.runner = runner
        self.functions = tuple(functions)
        self.interval_seconds = interval_seconds

    def run_once(self, moment: datetime | None = None) -> list[Invocation]:
        """Invoke every enabled scheduled function now, as if its rule fired at `moment` (default: now)."""
        when = moment or datetime.now(UTC)
        return [self.invoke(scheduled, when) for scheduled in self.functions if scheduled.enabled]

    def invoke(self, scheduled: ScheduledFunction, moment: datetime) -> Invocation:
        outcome = self.runner.invoke(scheduled.function, scheduled_event(scheduled, moment))
        self.runner.log(
            f"[scheduler] {scheduled.logical_id} {scheduled.event_id} ({scheduled.schedule}, time "
            f"{event_time(moment)}) -> {outcome.summary()} ({outcome.duration_ms:.0f} ms)"
        )
        return outcome

    def _run(self) -> None:
        while not self._stopping.wait(self.interval_seconds):
            moment = datetime.now(UTC)
            for scheduled in self.functions:
                if self._stopping.is_set():
                    break
                if not scheduled.enabled:
                    continue
                try:
                    self.invoke(scheduled, moment)
                except Exception:
                    self.runner.log(
                        f"[scheduler] {scheduled.logical_id} not invoked:\n{traceback.format_exc().rstrip()}"
                    )


# ---------------------------------------------------------------- SQS event source mappings


def _lambda_message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    """An SQS message attribute as Lambda writes it into the event (camelCase, binary as base64)."""
    converted: dict[str, Any] = {
        "stringListValues": list(value.get("StringListValues") or []),
        "binaryListValues": [b64encode(item).decode() for item in value.get("BinaryListValues") or []],
        "dataType": value.get("DataType", "String"),
    }
    if "StringValue" in value:
        converted["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        converted["binaryValue"] = b64encode(value["BinaryValue"]).decode()
    return converted


def sqs_record(message: Mapping[str, Any], queue_arn: str, *, receive_count: int | None = None) -> dict[str, Any]:
    """One received message (boto3's ReceiveMessage shape) as a record of Lambda's SQS event;
    `receive_count` replaces its ApproximateReceiveCount (a test faking earlier deliveries)."""
    attributes = dict(message.get("Attributes") or {})
    if receive_count is not None:
        attributes["ApproximateReceiveCount"] = str(receive_count)
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": {
            name: _lambda_message_attribute(value) for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }
    if "MD5OfMessageAttributes" in message:
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def sqs_event(
    messages: Iterable[Mapping[str, Any]], queue_arn: str, *, receive_count: int | None = None
) -> dict[str, Any]:
    return {"Records": [sqs_record(message, queue_arn, receive_count=receive_count) for message in messages]}


def failed_message_ids(result: Any, message_ids: Sequence[str]) -> tuple[set[str], str | None]:
    """The messages a ReportBatchItemFailures answer says failed, and why the whole batch failed, if it did.

    As Lambda reads it: no answer, no `batchItemFailures` or an empty one is a success; an identifier that is
    empty or not one of the batch's, or an answer that is not an object, fails the whole batch.
    """
    if result is None:
        return set(), None
    if not isinstance(result, dict):
        return set(message_ids), "the answer is not a batch response object"
    failures = result.get("batchItemFailures")
    if not failures:
        return set(), None
    if not isinstance(failures, list):
        return set(message_ids), "batchItemFailures is not a list"
    failed: set[str] = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not isinstance(identifier, str) or identifier not in message_ids:
            return set(message_ids), f"itemIdentifier {identifier!r} is not a message of the batch"
        failed.add(identifier)
    return failed, None


@dataclass(frozen=True)
class Batch:
    """One batch: the messages received, those deleted (done), and the invocation (none if nothing came)."""

    logical_id: str
    message_ids: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    invocation: Invocation | None = None

    @property
    def failed(self) -> tuple[str, ...]:
        """Messages left in the queue, to come back after the visibility timeout."""
        return tuple(message_id for message_id in self.message_ids if message_id not in self.deleted)


@dataclass(frozen=True)
class QueueCounts:
    visible: int
    in_flight: int  # received, neither deleted nor visible again yet
    delayed: int


@dataclass(frozen=True)
class Drained:
    """What drain() did, and what is left in the queue."""

    queue_name: str
    batches: tuple[Batch, ...] = field(default_factory=tuple)
    remaining: QueueCounts = field(default_factory=lambda: QueueCounts(0, 0, 0))
    timed_out: bool = False

    @property
    def received(self) -> int:
        return sum(len(batch.message_ids) for batch in self.batches)

    @property
    def deleted(self) -> int:
        return sum(len(batch.deleted) for batch in self.batches)

    @property
    def failed(self) -> int:
        return sum(len(batch.failed) for batch in self.batches)

    @property
    def answers(self) -> list[Any]:
        """The function's answer to each batch (None for a failed invocation)."""
        return [batch.invocation.result for batch in self.batches if batch.invocation is not None]


class QueuePoller(_Loop):
    """Lambda's event source mapping from one queue of the emulator to one function."""

    def __init__(self, runner: FunctionRunner, consumer: QueueConsumer, *, wait_seconds: int = 1) -> None:
        if runner.endpoint_url is None:
            raise ValueError("queues live in the emulator: the runner needs its endpoint_url")
        super().__init__(f"sqs-{consumer.queue_name}")
        self.runner = runner
        self.consumer = consumer
        # Short long-polls: an idle poller costs little and stop() does not wait long.
        self.wait_seconds = wait_seconds
        self._sqs = client("sqs", runner.endpoint_url)

    def poll_once(self, wait_seconds: int = 0) -> Batch:
        """Receive up to BatchSize messages, invoke the function with them, delete those it handled."""
        messages = self._receive(wait_seconds)
        logical_id = self.consumer.logical_id
        if not messages:
            return Batch(logical_id)
        if self._stopping.is_set():
            # Received as the poller stops: handed back at once rather than after the visibility timeout.
            self._release(messages)
            return Batch(logical_id)
        ids = tuple(message["MessageId"] for message in messages)
        invocation = self.runner.invoke(self.consumer.function, sqs_event(messages, self.consumer.queue_arn))
        reason = None
        if not invocation.ok:
            failed = set(ids)
        elif self.consumer.report_batch_item_failures:
            failed, reason = failed_message_ids(invocation.result, ids)
        else:
            failed = set()
        done = [message for message in messages if message["MessageId"] not in failed]
        deleted = self._delete(done)
        batch = Batch(logical_id, ids, deleted, invocation)
        outcome = f"{len(batch.deleted)} deleted, {len(batch.failed)} left to retry"
        if reason:
            outcome += f" (the whole batch: {reason})"
        self.runner.log(
            f"[sqs] {logical_id} <- {self.consumer.queue_name}: {len(ids)} message(s) -> "
            f"{invocation.summary() if not invocation.ok else 'ok'}; {outcome} ({invocation.duration_ms:.0f} ms)"
        )
        return batch

    def counts(self) -> QueueCounts:
        names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
        names.append("ApproximateNumberOfMessagesDelayed")
        attributes = self._sqs.get_queue_attributes(QueueUrl=self.consumer.queue_url, AttributeNames=names)[
            "Attributes"
        ]
        return QueueCounts(*(int(attributes.get(name, 0)) for name in names))

    def drain(self, timeout: float = 60.0) -> Drained:
        """Poll until no message is waiting (in-flight ones may remain: they failed, or another consumer
        has them) or `timeout` seconds have passed; delayed messages are waited for."""
        deadline = time.monotonic() + timeout
        batches: list[Batch] = []
        while True:
            batch = self.poll_once()
            if batch.message_ids:
                batches.append(batch)
            else:
                counts = self.counts()
                if counts.visible == 0 and counts.delayed == 0:
                    return Drained(self.consumer.queue_name, tuple(batches), counts)
            if time.monotonic() >= deadline:
                return Drained(self.consumer.queue_name, tuple(batches), self.counts(), timed_out=True)
            if not batch.message_ids:
                time.sleep(0.05)

    def _receive(self, wait_seconds: int) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        wait = wait_seconds
        while len(messages) < self.consumer.batch_size:
            wanted = min(_RECEIVE_MAX, self.consumer.batch_size - len(messages))
            answer = self._sqs.receive_message(
                QueueUrl=self.consumer.queue_url,
                MaxNumberOfMessages=wanted,
                WaitTimeSeconds=wait,
                # All system attributes (ApproximateReceiveCount, SentTimestamp, ...): the event has them.
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            received = answer.get("Messages") or []
            messages += received
            if len(received) < wanted:
                break
            wait = 0  # what is there now makes the batch; Lambda's batching window is not emulated
        return messages

    def _delete(self, messages: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
        deleted: list[str] = []
        for start in range(0, len(messages), _RECEIVE_MAX):
            chunk = messages[start : start + _RECEIVE_MAX]
            entries = [{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(chunk)]
            answer = self._sqs.delete_message_batch(QueueUrl=self.consumer.queue_url, Entries=entries)
            for entry in answer.get("Successful") or []:
                deleted.append(chunk[int(entry["Id"])]["MessageId"])
            for entry in answer.get("Failed") or []:
                self.runner.log(f"[sqs] could not delete a message of {self.consumer.queue_name}: {entry}")
        return tuple(deleted)

    def _release(self, messages: Sequence[Mapping[str, Any]]) -> None:
        for start in range(0, len(messages), _RECEIVE_MAX):
            chunk = messages[start : start + _RECEIVE_MAX]
            entries = [
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0} for n, m in enumerate(chunk)
            ]
            self._sqs.change_message_visibility_batch(QueueUrl=self.consumer.queue_url, Entries=entries)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once(self.wait_seconds)
            except Exception as error:
                if self._stopping.is_set():
                    break
                self.runner.log(f"[sqs] polling {self.consumer.queue_name} failed: {error}")
                self._stopping.wait(1.0)


# ---------------------------------------------------------------- all of a template's


class EventSources:
    """The template's schedules and queue consumers, running against the emulator at `endpoint_url`.

    `start()` runs the scheduler (every `tick_seconds`) and one poller per enabled SQS event on background
    threads; `run_schedules()` and `drain()` do the same work on the caller's thread, once.
    """

    def __init__(
        self,
        template_path: str | Path,
        *,
        endpoint_url: str,
        overrides: Mapping[str, str] | None = None,
        environment: Mapping[str, str] | None = None,
        tick_seconds: float = DEFAULT_TICK_SECONDS,
        poll_wait_seconds: int = 1,
        log: TextIO | None = None,
    ) -> None:
        template_file = Path(template_path).resolve()
        template = load_template(template_file)
        self.runner = FunctionRunner(template_file.parent, endpoint_url=endpoint_url, environment=environment, log=log)
        self.scheduler = Scheduler(
            self.runner,
            scheduled_functions(template, overrides, endpoint_url=endpoint_url),
            interval_seconds=tick_seconds,
        )
        self.pollers = [
            QueuePoller(self.runner, consumer, wait_seconds=poll_wait_seconds)
            for consumer in queue_consumers(template, overrides, endpoint_url=endpoint_url)
            if consumer.enabled
        ]

    def start(self) -> None:
        self.scheduler.start()
        for poller in self.pollers:
            poller.start()

    def stop(self) -> None:
        """Stop the threads; workers are killed first, so a long invocation does not hold the stop up."""
        loops: list[_Loop] = [self.scheduler, *self.pollers]
        for loop in loops:
            loop.request_stop()
        self.runner.close()
        for loop in loops:
            loop.stop()
        self.runner.close()

    def run_schedules(self, moment: datetime | None = None) -> list[Invocation]:
        """Invoke every scheduled function once, as if its rule fired at `moment` (default: now)."""
        return self.scheduler.run_once(moment)

    def drain(self, timeout: float = 60.0) -> list[Drained]:
        """Drain each consumer's queue through its function (see QueuePoller.drain), one after the other."""
        deadline = time.monotonic() + timeout
        return [poller.drain(max(0.0, deadline - time.monotonic())) for poller in self.pollers]

    def __enter__(self) -> EventSources:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
