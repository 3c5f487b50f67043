"""Schedules and SQS event sources, locally: queues from the template, Lambda's events, partial batches."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from local.emulator import Emulator, bootstrap, client
from local.events import EventSources, Invocation, QueuePoller, failed_message_ids, parse_time
from local.functions import function_spec
from local.gateway import Gateway
from local.template import (
    LambdaFunction,
    function_environments,
    lambda_functions,
    load_template,
    queue_consumers,
    queue_definitions,
    routes,
    scheduled_functions,
)
from tests.support.threaded_log import Log

ROOT = Path(__file__).resolve().parents[2]

TEMPLATE = """
Parameters:
  Stage:
    Type: String
    Default: test
  Every:
    Type: String
    Default: rate(5 minutes)
Globals:
  Function:
    Timeout: 10
    Environment:
      Variables:
        STAGE: !Ref Stage
Resources:
  WorkQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub work-${Stage}
      VisibilityTimeout: 1
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt WorkDeadLetterQueue.Arn
        maxReceiveCount: 2
  WorkDeadLetterQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub work-${Stage}-dlq
      MessageRetentionPeriod: 1209600
  PlainQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub plain-${Stage}
      VisibilityTimeout: 1
  TickFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub tick-${Stage}
      CodeUri: fn/
      Handler: ticker.handler
      MemorySize: 256
      Environment:
        Variables:
          QUEUE_URL: !Ref WorkQueue
          QUEUE_NAME: !GetAtt WorkQueue.QueueName
          QUEUE_ARN: !GetAtt WorkQueue.Arn
      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: !Ref Every
        Off:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Enabled: false
  WorkFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: consumer.handler
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt WorkQueue.Arn
            BatchSize: 10
            FunctionResponseTypes: [ReportBatchItemFailures]
  PlainFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: consumer.handler
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt PlainQueue.Arn
            BatchSize: 3
  HttpFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/
      Handler: consumer.handler
      Environment:
        Variables:
          QUEUE_URL: !Ref WorkQueue
      Events:
        Get:
          Type: HttpApi
          Properties:
            Method: GET
            Path: /x
"""

TICKER = """
import json, os
import boto3


def handler(event, context):
    boto3.client("sqs").send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps({"time": event["time"]}))
    return {"event": event, "queue_url": os.environ["QUEUE_URL"]}
"""

CONSUMER = """
def handler(event, context):
    failures = []
    for record in event["Records"]:
        if record["body"] == "raise":
            raise RuntimeError("cannot send")
        if record["body"].startswith("fail"):
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures, "event": event}
"""


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("events-app")
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "fn").mkdir()
    (root / "fn/ticker.py").write_text(TICKER)
    (root / "fn/consumer.py").write_text(CONSUMER)
    return root


@pytest.fixture(scope="module")
def template(app_dir: Path) -> dict[str, Any]:
    return load_template(app_dir / "template.yaml")


@pytest.fixture(scope="module")
def aws() -> Iterator[Emulator]:
    with Emulator(port=0) as running:
        yield running


@pytest.fixture
def stage(aws: Emulator, template: dict[str, Any]) -> str:
    """A stage of its own for each test, so that each has its own queues."""
    name = f"t{uuid.uuid4().hex[:10]}"
    bootstrap(aws.url, template, {"Stage": name})
    return name


@pytest.fixture
def log() -> Log:
    return Log()


@pytest.fixture
def sources(app_dir: Path, aws: Emulator, stage: str, log: Log) -> Iterator[EventSources]:
    running = EventSources(
        app_dir / "template.yaml", endpoint_url=aws.url, overrides={"Stage": stage}, tick_seconds=0.2, log=log
    )
    yield running
    running.stop()


def poller_of(sources: EventSources, logical_id: str) -> QueuePoller:
    (poller,) = [p for p in sources.pollers if p.consumer.logical_id == logical_id]
    return poller


def send(aws: Emulator, queue_url: str, *bodies: str, **extra: Any) -> list[str]:
    sqs = client("sqs", aws.url)
    return [sqs.send_message(QueueUrl=queue_url, MessageBody=body, **extra)["MessageId"] for body in bodies]


def queue_counts(aws: Emulator, queue_name: str) -> tuple[int, int]:
    sqs = client("sqs", aws.url)
    url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return int(attributes[names[0]]), int(attributes[names[1]])


# ---------------------------------------------------------------- the template's queues and functions


def test_queue_definitions_put_the_dead_letter_queue_first_and_name_it_in_the_redrive(
    template: dict[str, Any],
) -> None:
    definitions = queue_definitions(template, {"Stage": "x"})
    names = [d["QueueName"] for d in definitions]
    assert names.index("work-x-dlq") < names.index("work-x")
    by_name = {d["QueueName"]: d for d in definitions}
    work = by_name["work-x"]["Attributes"]
    assert work["VisibilityTimeout"] == "1"
    assert json.loads(work["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:work-x-dlq",
        "maxReceiveCount": 2,
    }
    assert by_name["work-x-dlq"]["Attributes"] == {"MessageRetentionPeriod": "1209600"}


def test_the_apps_reminder_queue_redrives_to_its_dead_letter_queue() -> None:
    definitions = queue_definitions(load_template(ROOT / "template.yaml"))
    names = [d["QueueName"] for d in definitions]
    # Each dead-letter queue is made before the queue that redrives to it (the other queues: their own tests).
    assert names.index("collectra-dev-reminders-dlq") < names.index("collectra-dev-reminders")
    reminders = definitions[names.index("collectra-dev-reminders")]["Attributes"]
    assert reminders["VisibilityTimeout"] == "180"
    assert json.loads(reminders["RedrivePolicy"])["maxReceiveCount"] == 5


def test_bootstrap_creates_the_queues_with_their_redrive_idempotently(
    aws: Emulator, template: dict[str, Any], stage: str
) -> None:
    bootstrap(aws.url, template, {"Stage": stage})  # a second time: nothing changes, nothing fails

    sqs = client("sqs", aws.url)
    url = sqs.get_queue_url(QueueName=f"work-{stage}")["QueueUrl"]
    assert url == f"{aws.url}/123456789012/work-{stage}"
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "1"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": f"arn:aws:sqs:us-east-1:123456789012:work-{stage}-dlq",
        "maxReceiveCount": 2,
    }
    dlq = sqs.get_queue_url(QueueName=f"work-{stage}-dlq")["QueueUrl"]
    dlq_attributes = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]
    assert dlq_attributes["QueueArn"] == f"arn:aws:sqs:us-east-1:123456789012:work-{stage}-dlq"


def test_a_queues_ref_is_its_url_in_the_emulator_when_the_endpoint_is_known(template: dict[str, Any]) -> None:
    local = function_environments(template, {"Stage": "x"}, endpoint_url="http://127.0.0.1:5000")["TickFunction"]
    assert local["QUEUE_URL"] == "http://127.0.0.1:5000/123456789012/work-x"
    assert local["QUEUE_NAME"] == "work-x"
    assert local["QUEUE_ARN"] == "arn:aws:sqs:us-east-1:123456789012:work-x"
    assert local["STAGE"] == "x"
    # Without it, the AWS form (boto3 still sends it to AWS_ENDPOINT_URL).
    aws_form = function_environments(template, {"Stage": "x"})["TickFunction"]["QUEUE_URL"]
    assert aws_form == "https://sqs.us-east-1.amazonaws.com/123456789012/work-x"
    (route,) = routes(template, {"Stage": "x"}, endpoint_url="http://127.0.0.1:5000")
    assert route.environment["QUEUE_URL"] == "http://127.0.0.1:5000/123456789012/work-x"


def test_scheduled_functions_and_queue_consumers_come_from_the_events(template: dict[str, Any]) -> None:
    tick, off = scheduled_functions(template, {"Every": "rate(1 minute)"})
    assert (tick.logical_id, tick.event_id, tick.schedule, tick.enabled) == (
        "TickFunction",
        "Tick",
        "rate(1 minute)",
        True,
    )
    assert (tick.function.handler, tick.function.code_uri, tick.function.memory_size) == ("ticker.handler", "fn/", 256)
    assert tick.function.timeout == 10
    assert tick.rule_arn == "arn:aws:events:us-east-1:123456789012:rule/collectra-local-TickFunctionTick"
    assert off.enabled is False

    work, plain = queue_consumers(template, {"Stage": "x"}, endpoint_url="http://127.0.0.1:5000")
    assert (work.logical_id, work.queue_name, work.batch_size, work.report_batch_item_failures) == (
        "WorkFunction",
        "work-x",
        10,
        True,
    )
    assert work.queue_arn == "arn:aws:sqs:us-east-1:123456789012:work-x"
    assert work.queue_url == "http://127.0.0.1:5000/123456789012/work-x"
    assert (plain.batch_size, plain.report_batch_item_failures) == (3, False)


def test_the_apps_planner_shard_planner_and_sender_are_a_schedule_and_queue_consumers() -> None:
    template = load_template(ROOT / "template.yaml")
    planner = next(s for s in scheduled_functions(template) if s.logical_id == "ReminderPlannerFunction")
    assert (planner.logical_id, planner.function.handler, planner.schedule) == (
        "ReminderPlannerFunction",
        "planner.handler",
        "rate(15 minutes)",
    )
    consumers = {c.logical_id: c for c in queue_consumers(template, endpoint_url="http://127.0.0.1:5000")}
    sender = consumers["ReminderSenderFunction"]
    assert (sender.logical_id, sender.function.handler, sender.batch_size) == (
        "ReminderSenderFunction",
        "sender.handler",
        10,
    )
    assert sender.report_batch_item_failures is True
    assert sender.queue_name == "collectra-dev-reminders"
    shards = consumers["PlanShardFunction"]
    assert (shards.queue_name, shards.batch_size, shards.report_batch_item_failures) == (
        "collectra-dev-planner-shards",
        1,
        True,
    )
    environments = function_environments(template, endpoint_url="http://127.0.0.1:5000")
    assert environments["ReminderPlannerFunction"]["PLANNER_SHARD_QUEUE_URL"] == shards.queue_url
    # A slice queues its debtors' messages, and the slice that continues its shard.
    assert environments["PlanShardFunction"]["REMINDER_QUEUE_URL"] == sender.queue_url
    assert environments["PlanShardFunction"]["PLANNER_SHARD_QUEUE_URL"] == shards.queue_url
    # `make dev` polls the export queue too, one export per invocation, with the worker's own timeout.
    exports = consumers["ExportWorkerFunction"]
    assert (exports.queue_name, exports.batch_size, exports.report_batch_item_failures) == (
        "collectra-dev-exports",
        1,
        True,
    )
    assert exports.function.timeout == 900
    assert environments["RequestExportFunction"]["EXPORT_QUEUE_URL"] == exports.queue_url


def test_an_http_function_runs_the_same_whether_the_gateway_or_an_event_calls_it(
    app_dir: Path, template: dict[str, Any]
) -> None:
    endpoint = "http://127.0.0.1:9"
    gateway = Gateway(app_dir / "template.yaml", endpoint_url=endpoint, environment={"EXTRA": "1"}, port=0)
    (route,) = gateway.routes
    function = lambda_functions(template, endpoint_url=endpoint)["HttpFunction"]

    ours = function_spec(function, app_dir, endpoint_url=endpoint, environment={"EXTRA": "1"})

    assert ours == gateway._spec(route)


def test_failed_message_ids_read_the_answer_as_lambda_does() -> None:
    ids = ["a", "b", "c"]
    assert failed_message_ids(None, ids) == (set(), None)
    assert failed_message_ids({}, ids) == (set(), None)
    assert failed_message_ids({"batchItemFailures": []}, ids) == (set(), None)
    assert failed_message_ids({"batchItemFailures": [{"itemIdentifier": "b"}]}, ids) == ({"b"}, None)
    for whole_batch in (
        {"batchItemFailures": [{"itemIdentifier": "zz"}]},
        {"batchItemFailures": [{"itemIdentifier": ""}]},
        {"batchItemFailures": [{"id": "a"}]},
        {"batchItemFailures": "a"},
        "not an object",
    ):
        failed, reason = failed_message_ids(whole_batch, ids)
        assert failed == set(ids)
        assert reason


def test_parse_time_reads_z_and_offsets_as_utc() -> None:
    assert parse_time("2026-12-24T09:00:00Z") == datetime(2026, 12, 24, 9, tzinfo=UTC)
    assert parse_time("2026-12-24T10:00:00+01:00") == datetime(2026, 12, 24, 9, tzinfo=UTC)
    assert parse_time("2026-12-24T09:00") == datetime(2026, 12, 24, 9, tzinfo=UTC)


# ---------------------------------------------------------------- the scheduler


def test_run_schedules_sends_the_scheduled_event_at_the_chosen_time(
    sources: EventSources, aws: Emulator, stage: str, log: Log
) -> None:
    (run,) = sources.run_schedules(datetime(2026, 12, 24, 9, 0, 0, tzinfo=UTC))  # the disabled rule does not run

    assert run.ok, run.error
    event = run.result["event"]
    assert set(event) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}
    assert event["detail-type"] == "Scheduled Event"
    assert (event["source"], event["account"], event["region"], event["version"]) == (
        "aws.events",
        "123456789012",
        "us-east-1",
        "0",
    )
    assert event["time"] == "2026-12-24T09:00:00Z"
    assert event["resources"] == ["arn:aws:events:us-east-1:123456789012:rule/collectra-local-TickFunctionTick"]
    assert event["detail"] == {}
    uuid.UUID(event["id"])
    assert run.result["queue_url"] == f"{aws.url}/123456789012/work-{stage}"
    assert queue_counts(aws, f"work-{stage}") == (1, 0)  # the function reached the emulator's queue
    assert "[scheduler] TickFunction Tick (rate(5 minutes), time 2026-12-24T09:00:00Z) -> {" in log.text()
    assert "[TickFunction] REPORT RequestId:" in log.text()


def test_the_scheduler_ticks_on_its_thread_until_stopped(sources: EventSources, log: Log) -> None:
    sources.scheduler.start()
    deadline = time.monotonic() + 10
    while log.text().count("[scheduler] TickFunction") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    sources.stop()
    ticks = log.text().count("[scheduler] TickFunction")
    assert ticks >= 2
    time.sleep(0.3)
    assert log.text().count("[scheduler] TickFunction") == ticks
    assert sources.runner.pids() == []
    assert not sources.scheduler.running


# ---------------------------------------------------------------- the SQS event source


def test_a_batch_is_lambdas_sqs_event_and_only_the_reported_failure_comes_back(
    sources: EventSources, aws: Emulator, stage: str
) -> None:
    poller = poller_of(sources, "WorkFunction")
    queue_url = poller.consumer.queue_url
    (first,) = send(
        aws,
        queue_url,
        "ok-1",
        MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "reminder"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    failing, second = send(aws, queue_url, "fail-1", "ok-2")

    batch = poller.poll_once()

    assert batch.invocation is not None
    assert batch.invocation.ok
    assert set(batch.message_ids) == {first, failing, second}
    assert set(batch.deleted) == {first, second}
    assert batch.failed == (failing,)
    records = {r["messageId"]: r for r in batch.invocation.result["event"]["Records"]}
    record = records[first]
    assert set(record) >= {
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    }
    assert (record["body"], record["eventSource"], record["awsRegion"]) == ("ok-1", "aws:sqs", "us-east-1")
    assert record["eventSourceARN"] == f"arn:aws:sqs:us-east-1:123456789012:work-{stage}"
    assert record["md5OfBody"] == hashlib.md5(b"ok-1").hexdigest()  # noqa: S324 - SQS's checksum
    assert len(record["md5OfMessageAttributes"]) == 32
    assert set(record["attributes"]) >= {
        "ApproximateReceiveCount",
        "SentTimestamp",
        "SenderId",
        "ApproximateFirstReceiveTimestamp",
    }
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["kind"] == {
        "stringValue": "reminder",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert record["messageAttributes"]["blob"]["binaryValue"] == "AAE="
    assert records[second]["messageAttributes"] == {}

    # In flight until the visibility timeout (1 s), then back: only the failed one.
    assert poller.poll_once().message_ids == ()
    time.sleep(1.1)
    again = poller.poll_once()
    assert again.message_ids == (failing,)
    assert again.invocation is not None
    (record,) = again.invocation.result["event"]["Records"]
    assert record["attributes"]["ApproximateReceiveCount"] == "2"

    # maxReceiveCount is 2: the next receive moves it to the dead-letter queue.
    time.sleep(1.1)
    drained = poller.drain(timeout=5)
    assert drained.received == 0
    assert not drained.timed_out
    assert queue_counts(aws, f"work-{stage}") == (0, 0)
    assert queue_counts(aws, f"work-{stage}-dlq") == (1, 0)


def test_a_failed_invocation_deletes_nothing(sources: EventSources, aws: Emulator, stage: str, log: Log) -> None:
    poller = poller_of(sources, "WorkFunction")
    ids = send(aws, poller.consumer.queue_url, "ok", "raise")

    batch = poller.poll_once()

    assert batch.invocation is not None
    assert not batch.invocation.ok
    assert "cannot send" in (batch.invocation.error or "")
    assert batch.deleted == ()
    assert set(batch.failed) == set(ids)
    # Both still on the queue: in flight, or already back if the failed invocation outlasted the 1 s visibility
    # timeout (a cold worker on a loaded machine does).
    assert sum(queue_counts(aws, f"work-{stage}")) == 2
    assert "[sqs] WorkFunction <- work-" in log.text()
    assert "0 deleted, 2 left to retry" in log.text()


def test_an_invalid_item_identifier_fails_the_whole_batch(
    sources: EventSources, aws: Emulator, stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    poller = poller_of(sources, "WorkFunction")
    send(aws, poller.consumer.queue_url, "ok")
    original = poller.runner.invoke

    def answer_nonsense(function: LambdaFunction, event: Mapping[str, Any]) -> Invocation:
        outcome = original(function, event)
        return Invocation(outcome.logical_id, True, {"batchItemFailures": [{"itemIdentifier": "nope"}]})

    monkeypatch.setattr(poller.runner, "invoke", answer_nonsense)
    batch = poller.poll_once()
    assert batch.deleted == ()
    assert queue_counts(aws, f"work-{stage}") == (0, 1)


def test_without_report_batch_item_failures_a_success_deletes_the_whole_batch(
    sources: EventSources, aws: Emulator, stage: str
) -> None:
    poller = poller_of(sources, "PlainFunction")
    send(aws, poller.consumer.queue_url, "ok-1", "fail-1", "ok-2", "ok-3")

    drained = poller.drain(timeout=10)

    assert [len(b.message_ids) for b in drained.batches] == [3, 1]  # BatchSize 3
    assert (drained.received, drained.deleted, drained.failed) == (4, 4, 0)
    assert (drained.remaining.visible, drained.remaining.in_flight) == (0, 0)
    assert queue_counts(aws, f"plain-{stage}") == (0, 0)


def test_drain_stops_when_only_in_flight_messages_are_left(sources: EventSources, aws: Emulator) -> None:
    poller = poller_of(sources, "WorkFunction")
    send(aws, poller.consumer.queue_url, *[f"ok-{n}" for n in range(12)], "fail-x")

    started = time.monotonic()
    drained = poller.drain(timeout=10)

    assert time.monotonic() - started < 1.0  # it did not wait for the visibility timeout
    assert (drained.received, drained.deleted, drained.failed) == (13, 12, 1)
    assert (drained.remaining.visible, drained.remaining.in_flight) == (0, 1)
    assert not drained.timed_out


def test_schedule_then_drain_runs_the_chain_like_make_remind(sources: EventSources, aws: Emulator, stage: str) -> None:
    sources.run_schedules(datetime(2026, 12, 24, 9, 0, 0, tzinfo=UTC))
    work, plain = sources.drain(timeout=10)

    assert (work.received, work.deleted) == (1, 1)
    (answer,) = work.answers
    assert json.loads(answer["event"]["Records"][0]["body"]) == {"time": "2026-12-24T09:00:00Z"}
    assert plain.received == 0


def test_pollers_consume_on_their_threads_and_stop_cleanly(
    sources: EventSources, aws: Emulator, stage: str, log: Log
) -> None:
    poller = poller_of(sources, "PlainFunction")
    sources.start()
    send(aws, poller.consumer.queue_url, "ok-1", "ok-2")
    deadline = time.monotonic() + 10
    while queue_counts(aws, f"plain-{stage}") != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert queue_counts(aws, f"plain-{stage}") == (0, 0)

    started = time.monotonic()
    sources.stop()
    assert time.monotonic() - started < 3
    assert not any(p.running for p in sources.pollers)
    assert sources.runner.pids() == []
    assert "[sqs] PlainFunction <- plain-" in log.text()


def test_remind_runs_the_schedules_then_drains_and_sums_up(sources: EventSources, aws: Emulator, stage: str) -> None:
    from local import remind

    moment = datetime(2026, 12, 24, 9, 0, 0, tzinfo=UTC)
    send(aws, poller_of(sources, "WorkFunction").consumer.queue_url, "fail-once")
    runs, drained = remind.run(sources, moment, timeout=10)

    assert [run.ok for run in runs] == [True]
    work = drained[0]
    # The failure came back after the 1 s visibility timeout, failed again, and went to the dead-letter queue.
    assert [len(batch.message_ids) for batch in work.batches] == [2, 1]
    assert (work.received, work.deleted, work.failed) == (3, 1, 2)
    assert (work.remaining.visible, work.remaining.in_flight) == (0, 0)
    lines = remind.summary(moment, runs, drained, (3, 4), [remind._dead_letters(p) for p in sources.pollers])
    text = "\n".join(lines)
    assert "Reminder run at 2026-12-24T09:00:00Z" in text
    assert f"work-{stage}: 3 message(s) handled here in 2 batch(es), 1 done, 2 failed" in text
    assert f"dead-letter queue work-{stage}-dlq: 1" in text
    assert "Brevo outbox: 4 email(s) (+1)" in text
