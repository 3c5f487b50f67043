"""`make redrive QUEUE=reminders` (`python -m local.redrive reminders`): a queue's dead letters back to the queue.

QUEUE is a queue's short name, its QueueName after `collectra-<env>-` (reminders, planner-shards, member-notices,
debtor-lateness, deletions, exports, reset-emails), or its logical id (ReminderQueue). Its dead-letter queue is the
one template.yaml's RedrivePolicy names: the list is read from the template, so a queue added later is there too; a
name that is not a queue with a dead-letter queue is refused with the valid ones.

Where: the local stack `make dev` runs, by default; with ENV=dev|prod (`--env`), that AWS environment of
samconfig.toml (its region and parameters; credentials required; asks before moving anything unless YES=1).

How: up to ten dead letters at a time are received (hidden meanwhile), sent to the queue with the same body and
message attributes, and deleted from the dead-letter queue once sent, until it has no message left to give. Not SQS's
own redrive (StartMessageMoveTask): the emulator has none, and one way, the one the tests run, is the way used
everywhere (docs/decisions.md). Either way a redriven message is a new message to SQS (new id, new SentTimestamp).
A message sent but not deleted (the command stopped between the two) is in both queues: each consumer takes the same
message twice safely (docs/operations.md, "Dead letters and redrive").

--dry-run counts and moves nothing. --peek shows up to ten dead letters by their ids only (message id, when first
sent, receives, the body's ids: `id`, `*_id` fields, a kind, shard, step or key), for a message that keeps failing:
never the rest of a body, which may hold an address.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from local.cfn import Resolver
from local.dev import TEMPLATE
from local.ops_target import Target, TargetError, add_arguments, confirm, target_of
from local.template import load_template

_QUEUE_TYPE = "AWS::SQS::Queue"
_BATCH = 10  # SQS's most per receive, send batch and delete batch
_HIDDEN_S = 60  # how long a received dead letter stays hidden: a failed send is not retried within one run
_MESSAGE_ATTRIBUTE_FIELDS = ("DataType", "StringValue", "BinaryValue")


@dataclass(frozen=True)
class DeadLetterRoute:
    """A queue of the template and the dead-letter queue its RedrivePolicy names."""

    logical_id: str
    short_name: str  # the QueueName after `collectra-<env>-`
    queue_name: str
    dead_letter_logical_id: str
    dead_letter_name: str
    max_receive_count: int
    fifo: bool = False

    def label(self) -> str:
        return f"{self.short_name} ({self.logical_id})"


class UnknownQueue(LookupError):
    def __init__(self, wanted: str, routes: Sequence[DeadLetterRoute]) -> None:
        names = ", ".join(route.label() for route in routes)
        super().__init__(f"{wanted!r} is not a queue with a dead-letter queue; one of: {names}")


def _policy(value: Any) -> Mapping[str, Any]:
    loaded = json.loads(value) if isinstance(value, str) else value
    if not isinstance(loaded, Mapping):
        raise ValueError(f"a RedrivePolicy must be an object, got {value!r}")
    return loaded


def dead_letter_routes(
    template: Mapping[str, Any], parameters: Mapping[str, str] | None = None
) -> list[DeadLetterRoute]:
    """Every queue of the template with a RedrivePolicy, and its dead-letter queue, names resolved with `parameters`."""
    resolver = Resolver(template, parameters)
    queues = {
        logical_id: resource.get("Properties") or {}
        for logical_id, resource in (template.get("Resources") or {}).items()
        if resource.get("Type") == _QUEUE_TYPE
    }
    by_arn = {resolver.get_att(logical_id, "Arn"): logical_id for logical_id in queues}
    prefix = f"collectra-{resolver.parameters.get('EnvironmentName', '')}-"
    routes = []
    for logical_id, properties in queues.items():
        if not properties.get("RedrivePolicy"):
            continue
        policy = _policy(resolver.resolve(properties["RedrivePolicy"]))
        target = str(policy["deadLetterTargetArn"])
        if target not in by_arn:
            raise ValueError(f"{logical_id}: its dead-letter queue {target} is not a queue of the template")
        name = resolver.get_att(logical_id, "QueueName")
        routes.append(
            DeadLetterRoute(
                logical_id=logical_id,
                short_name=name.removeprefix(prefix),
                queue_name=name,
                dead_letter_logical_id=by_arn[target],
                dead_letter_name=resolver.get_att(by_arn[target], "QueueName"),
                max_receive_count=int(policy["maxReceiveCount"]),
                fifo=str(resolver.resolve(properties.get("FifoQueue", False))).lower() == "true",
            )
        )
    return routes


def find_route(routes: Sequence[DeadLetterRoute], wanted: str) -> DeadLetterRoute:
    """The route of `wanted`: a short name, a logical id or a queue's whole name."""
    for route in routes:
        if wanted in (route.short_name, route.logical_id, route.queue_name):
            return route
    raise UnknownQueue(wanted, routes)


# ---------------------------------------------------------------- moving


@dataclass
class Moved:
    received: int = 0
    sent: int = 0
    deleted: int = 0
    not_sent: list[str] = field(default_factory=list)  # "<message id>: <SQS's error code>"
    not_deleted: list[str] = field(default_factory=list)  # sent, so now in both queues

    @property
    def complete(self) -> bool:
        return not self.not_sent and not self.not_deleted


def _entry(number: int, message: Mapping[str, Any], *, fifo: bool) -> dict[str, Any]:
    """What send_message_batch takes to send `message` again: its body and message attributes as they were."""
    entry: dict[str, Any] = {"Id": str(number), "MessageBody": message["Body"]}
    attributes = {
        name: {key: value[key] for key in _MESSAGE_ATTRIBUTE_FIELDS if key in value}
        for name, value in (message.get("MessageAttributes") or {}).items()
    }
    if attributes:
        entry["MessageAttributes"] = attributes
    if fifo:
        system = message.get("Attributes") or {}
        entry["MessageGroupId"] = system["MessageGroupId"]
        entry["MessageDeduplicationId"] = system.get("MessageDeduplicationId") or message["MessageId"]
    return entry


def move(
    sqs: Any,
    dead_letters_url: str,
    queue_url: str,
    *,
    fifo: bool = False,
    limit: int | None = None,
    wait_seconds: int = 1,
    progress: Callable[[Moved], None] | None = None,
) -> Moved:
    """Move the dead letters to the queue (at most `limit`): receive, send, then delete what was sent."""
    moved = Moved()
    tried: set[str] = set()
    while limit is None or moved.received < limit:
        wanted = _BATCH if limit is None else min(_BATCH, limit - moved.received)
        answer = sqs.receive_message(
            QueueUrl=dead_letters_url,
            MaxNumberOfMessages=wanted,
            WaitTimeSeconds=wait_seconds,
            VisibilityTimeout=_HIDDEN_S,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["All"],
        )
        # One that failed to send and came back this run is left for the next: the run ends.
        messages = [message for message in answer.get("Messages") or [] if message["MessageId"] not in tried]
        if not messages:
            break
        tried.update(message["MessageId"] for message in messages)
        moved.received += len(messages)
        entries = [_entry(number, message, fifo=fifo) for number, message in enumerate(messages)]
        sent = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        done = {str(entry["Id"]) for entry in sent.get("Successful") or []}
        moved.sent += len(done)
        moved.not_sent += [
            f"{messages[int(entry['Id'])]['MessageId']}: {entry.get('Code', 'failed')}"
            for entry in sent.get("Failed") or []
        ]
        handles = [
            {"Id": str(number), "ReceiptHandle": message["ReceiptHandle"]}
            for number, message in enumerate(messages)
            if str(number) in done
        ]
        if handles:
            deleted = sqs.delete_message_batch(QueueUrl=dead_letters_url, Entries=handles)
            moved.deleted += len(deleted.get("Successful") or [])
            moved.not_deleted += [messages[int(entry["Id"])]["MessageId"] for entry in deleted.get("Failed") or []]
        if progress is not None:
            progress(moved)
    return moved


# ---------------------------------------------------------------- looking


@dataclass(frozen=True)
class Counts:
    waiting: int
    in_flight: int


def counts(sqs: Any, url: str) -> Counts:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    return Counts(int(attributes.get(names[0], 0)), int(attributes.get(names[1], 0)))


# Besides ids: what kind of message it is, and where it points (a shard, a step, an erasure job's key).
_ALSO_SHOWN = ("kind", "shard", "step", "pk", "sk")


def _shown(key: str, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int | list):
        return False
    if key == "id" or key.endswith(("_id", "_ids")) or key in _ALSO_SHOWN:
        # An id never holds an address; a key might (EMAIL#<address>): such a value is not shown.
        return "@" not in json.dumps(value)
    return False


def ids_only(value: Any) -> dict[str, Any]:
    """A message body's ids (`id`, `*_id(s)` at any depth: `claims[0].debt_id`), its kind, shard, step or key;
    nothing else of it (an email address, a name, an amount)."""
    found: dict[str, Any] = {}

    def walk(item: Any, path: str) -> None:
        if isinstance(item, Mapping):
            for key, inner in item.items():
                where = f"{path}.{key}" if path else str(key)
                if _shown(str(key), inner):
                    found[where] = inner
                else:
                    walk(inner, where)
        elif isinstance(item, list):
            for number, inner in enumerate(item):
                walk(inner, f"{path}[{number}]")

    walk(value, "")
    return found


def peek(sqs: Any, dead_letters_url: str, how_many: int = _BATCH) -> list[str]:
    """Up to `how_many` (ten at most) dead letters, one line each, by ids only; they stay where they are."""
    answer = sqs.receive_message(
        QueueUrl=dead_letters_url,
        MaxNumberOfMessages=min(how_many, _BATCH),
        WaitTimeSeconds=1,
        VisibilityTimeout=0,
        MessageSystemAttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
    )
    lines = []
    for message in answer.get("Messages") or []:
        system = message.get("Attributes") or {}
        sent = datetime.fromtimestamp(int(system.get("SentTimestamp", 0)) / 1000, UTC).isoformat(timespec="seconds")
        try:
            body = json.dumps(ids_only(json.loads(message["Body"])), sort_keys=True)
        except ValueError:
            body = "(not JSON)"
        lines.append(
            f"{message['MessageId']}  first sent {sent}, received {system.get('ApproximateReceiveCount', '?')} "
            f"time(s)  {body}"
        )
    return lines


# ---------------------------------------------------------------- the command


def _queue_url(sqs: Any, name: str) -> str:
    return str(sqs.get_queue_url(QueueName=name)["QueueUrl"])


def run(target: Target, wanted: str, *, dry_run: bool, yes: bool, peek_only: bool, template_path: str) -> int:
    template = load_template(template_path)
    declared = template.get("Parameters") or {}
    routes = dead_letter_routes(
        template, {name: value for name, value in target.parameters.items() if name in declared}
    )
    try:
        route = find_route(routes, wanted)
    except UnknownQueue as unknown:
        print(unknown, file=sys.stderr)
        return 2
    sqs = target.client("sqs")
    try:
        queue_url, dead_letters_url = _queue_url(sqs, route.queue_name), _queue_url(sqs, route.dead_letter_name)
    except BotoCoreError as error:
        print(f"{target.description} does not answer ({error}): is `make dev` running?", file=sys.stderr)
        return 1
    except ClientError as error:
        print(
            f"{target.description} has no queue {route.queue_name} or {route.dead_letter_name}: {error}",
            file=sys.stderr,
        )
        return 1
    dead, live = counts(sqs, dead_letters_url), counts(sqs, queue_url)
    print(f"{route.label()} on {target.description}:")
    print(f"  {route.dead_letter_name}: {dead.waiting} waiting, {dead.in_flight} in flight")
    limit = f"maxReceiveCount {route.max_receive_count}"
    print(f"  {route.queue_name}: {live.waiting} waiting, {live.in_flight} in flight ({limit})")
    if peek_only:
        lines = peek(sqs, dead_letters_url)
        print("\n".join(f"  {line}" for line in lines) if lines else "  no dead letter to show")
        return 0
    if dry_run:
        print(f"  dry run: nothing moved ({dead.waiting} would be)")
        return 0
    if dead.waiting == 0:
        print("  nothing to move")
        return 0
    question = (
        f"Move about {dead.waiting} message(s) from {route.dead_letter_name} back to {route.queue_name} "
        f"in {target.description}?"
    )
    if not confirm(question, target=target, yes=yes):
        print("  nothing moved", file=sys.stderr)
        return 1

    hundreds = [0]

    def report(moved: Moved) -> None:  # on AWS, a line every hundred messages
        if moved.received // 100 > hundreds[0]:
            hundreds[0] = moved.received // 100
            print(f"  ... {moved.sent} sent so far", flush=True)

    moved = move(sqs, dead_letters_url, queue_url, fifo=route.fifo, progress=report if target.is_aws else None)
    left = counts(sqs, dead_letters_url)
    print(
        f"  moved {moved.deleted} to {route.queue_name} ({moved.received} received, {moved.sent} sent, "
        f"{moved.deleted} deleted from the dead-letter queue); left there: {left.waiting} waiting, "
        f"{left.in_flight} in flight"
    )
    for failure in moved.not_sent:
        print(f"  not sent, still in the dead-letter queue: {failure}", file=sys.stderr)
    for message_id in moved.not_deleted:
        print(f"  sent but not deleted, so in both queues (taken twice safely): {message_id}", file=sys.stderr)
    return 0 if moved.complete else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.redrive", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("queue", nargs="?", help="short name (reminders) or logical id (ReminderQueue)")
    parser.add_argument("--dry-run", action="store_true", help="count the dead letters; move nothing")
    parser.add_argument("--peek", action="store_true", help="show up to ten dead letters by their ids only")
    parser.add_argument("--template", default=str(TEMPLATE))
    add_arguments(parser)
    arguments = parser.parse_args(argv)
    if not arguments.queue:
        routes = dead_letter_routes(load_template(arguments.template))
        print("QUEUE=... one of: " + ", ".join(route.label() for route in routes), file=sys.stderr)
        return 2
    try:
        target = target_of(arguments)
    except TargetError as problem:
        print(problem, file=sys.stderr)
        return 1
    return run(
        target,
        arguments.queue,
        dry_run=arguments.dry_run,
        yes=arguments.yes,
        peek_only=arguments.peek,
        template_path=arguments.template,
    )


if __name__ == "__main__":
    sys.exit(main())
