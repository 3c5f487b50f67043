"""`make redrive`: which dead-letter queue a name means (read from the template, never a list of its own), how
dead letters go back (body and message attributes as they were; a failure reported, never looped on), where
(the local stack, or an AWS environment only with credentials and a person's yes), and what a peek shows (ids)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from local import redrive
from local.cfn import CfnLoader
from local.emulator import Emulator, bootstrap, client
from local.ops_target import Target, TargetError, aws_target, confirm
from local.redrive import DeadLetterRoute, UnknownQueue, dead_letter_routes, find_route, ids_only
from local.template import load_template

ROOT = Path(__file__).resolve().parents[2]
APP = load_template(ROOT / "template.yaml")

# A stack of its own: a queue with a dead-letter queue, a FIFO one, and a queue without.
TEMPLATE = """
Parameters:
  EnvironmentName: {Type: String, Default: dev}
Resources:
  JobQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub collectra-${EnvironmentName}-jobs
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt JobDeadLetterQueue.Arn
        maxReceiveCount: 2
  JobDeadLetterQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub collectra-${EnvironmentName}-jobs-dlq
  OrderQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub collectra-${EnvironmentName}-orders.fifo
      FifoQueue: true
      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrderDeadLetterQueue.Arn, maxReceiveCount: 3}
  OrderDeadLetterQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub collectra-${EnvironmentName}-orders-dlq.fifo
      FifoQueue: true
  PlainQueue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub collectra-${EnvironmentName}-plain
"""


def _template() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(TEMPLATE, Loader=CfnLoader)  # noqa: S506 - a SafeLoader
    return loaded


# ---------------------------------------------------------------- names, from the template


def test_every_queue_of_the_app_with_a_dead_letter_queue_is_found_by_its_short_name() -> None:
    routes = {route.short_name: route for route in dead_letter_routes(APP)}
    assert set(routes) == {
        "reminders",
        "planner-shards",
        "member-notices",
        "debtor-lateness",
        "deletions",
        "exports",
        "reset-emails",
    }
    reminders = routes["reminders"]
    assert (reminders.logical_id, reminders.queue_name) == ("ReminderQueue", "collectra-dev-reminders")
    assert (reminders.dead_letter_logical_id, reminders.dead_letter_name) == (
        "ReminderDeadLetterQueue",
        "collectra-dev-reminders-dlq",
    )
    # What the template's RedrivePolicy says, read from it.
    assert {name: route.max_receive_count for name, route in routes.items()} == {
        name: int(APP["Resources"][route.logical_id]["Properties"]["RedrivePolicy"]["maxReceiveCount"])
        for name, route in routes.items()
    }
    assert routes["planner-shards"].max_receive_count == 3 and reminders.max_receive_count == 5


def test_names_resolve_with_the_environments_parameters() -> None:
    prod = find_route(dead_letter_routes(APP, {"EnvironmentName": "prod"}), "reminders")
    assert (prod.queue_name, prod.dead_letter_name) == ("collectra-prod-reminders", "collectra-prod-reminders-dlq")


@pytest.mark.parametrize("name", ["reminders", "ReminderQueue", "collectra-dev-reminders"])
def test_a_queue_is_named_by_its_short_name_logical_id_or_whole_name(name: str) -> None:
    assert find_route(dead_letter_routes(APP), name).logical_id == "ReminderQueue"


@pytest.mark.parametrize("name", ["reminders-dlq", "ReminderDeadLetterQueue", "remind", "Reminders", ""])
def test_a_name_that_is_not_a_queue_with_a_dead_letter_queue_is_refused_with_the_valid_ones(name: str) -> None:
    with pytest.raises(UnknownQueue) as refused:
        find_route(dead_letter_routes(APP), name)
    message = str(refused.value)
    assert f"{name!r} is not a queue with a dead-letter queue" in message
    assert "reminders (ReminderQueue)" in message and "reset-emails (ResetEmailQueue)" in message


def test_a_queue_added_to_the_template_is_found_without_changing_the_command() -> None:
    routes = dead_letter_routes(_template())
    assert [route.short_name for route in routes] == ["jobs", "orders.fifo"]  # PlainQueue has no dead-letter queue
    assert routes[0] == DeadLetterRoute(
        "JobQueue", "jobs", "collectra-dev-jobs", "JobDeadLetterQueue", "collectra-dev-jobs-dlq", 2, fifo=False
    )
    assert routes[1].fifo
    with pytest.raises(UnknownQueue, match=re.escape("jobs (JobQueue), orders.fifo (OrderQueue)")):
        find_route(routes, "plain")


def test_a_redrive_policy_naming_a_queue_outside_the_template_is_an_error() -> None:
    template = _template()
    policy = template["Resources"]["JobQueue"]["Properties"]["RedrivePolicy"]
    policy["deadLetterTargetArn"] = "arn:aws:sqs:us-east-1:123456789012:elsewhere"
    with pytest.raises(ValueError, match=r"JobQueue: its dead-letter queue .*elsewhere is not a queue of the template"):
        dead_letter_routes(template)


# ---------------------------------------------------------------- moving, in the emulator


@pytest.fixture(scope="module")
def aws() -> Iterator[Emulator]:
    with Emulator(port=0) as running:
        yield running


@pytest.fixture
def stage(aws: Emulator) -> str:
    """An environment name of this test's own, its queues made as the local stack makes them."""
    name = f"t{uuid.uuid4().hex[:8]}"
    bootstrap(aws.url, _template(), {"EnvironmentName": name})
    return name


def _url(aws: Emulator, name: str) -> str:
    return str(client("sqs", aws.url).get_queue_url(QueueName=name)["QueueUrl"])


def _all(aws: Emulator, name: str) -> list[dict[str, Any]]:
    sqs, found = client("sqs", aws.url), []
    while messages := sqs.receive_message(
        QueueUrl=_url(aws, name), MaxNumberOfMessages=10, VisibilityTimeout=30, MessageAttributeNames=["All"]
    ).get("Messages"):
        found += messages
    return found


def _dead_letters(aws: Emulator, stage: str, count: int) -> None:
    """`count` messages that failed maxReceiveCount times: in the dead-letter queue, as SQS leaves them."""
    sqs, queue = client("sqs", aws.url), _url(aws, f"collectra-{stage}-jobs")
    for number in range(count):
        sqs.send_message(
            QueueUrl=queue,
            MessageBody=json.dumps({"job_id": f"job_{number}"}),
            MessageAttributes={
                "origin": {"DataType": "String", "StringValue": "planner"},
                "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
            },
        )
    # Received and never deleted: after maxReceiveCount receives, the next one moves a message to the DLQ.
    while sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages"):
        pass
    dlq = _url(aws, f"collectra-{stage}-jobs-dlq")
    assert redrive.counts(sqs, dlq) == redrive.Counts(waiting=count, in_flight=0)


def test_dead_letters_go_back_with_their_body_and_message_attributes(aws: Emulator, stage: str) -> None:
    _dead_letters(aws, stage, 13)  # more than one batch
    sqs = client("sqs", aws.url)
    progress: list[int] = []

    moved = redrive.move(
        sqs,
        _url(aws, f"collectra-{stage}-jobs-dlq"),
        _url(aws, f"collectra-{stage}-jobs"),
        wait_seconds=0,
        progress=lambda done: progress.append(done.sent),
    )

    assert (moved.received, moved.sent, moved.deleted, moved.complete) == (13, 13, 13, True)
    assert progress == [10, 13]
    back = _all(aws, f"collectra-{stage}-jobs")
    assert sorted(json.loads(message["Body"])["job_id"] for message in back) == sorted(f"job_{n}" for n in range(13))
    assert all(
        message["MessageAttributes"]
        == {
            "origin": {"DataType": "String", "StringValue": "planner"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        }
        for message in back
    )
    assert _all(aws, f"collectra-{stage}-jobs-dlq") == []


def test_a_limit_moves_that_many(aws: Emulator, stage: str) -> None:
    _dead_letters(aws, stage, 4)
    sqs = client("sqs", aws.url)
    moved = redrive.move(
        sqs, _url(aws, f"collectra-{stage}-jobs-dlq"), _url(aws, f"collectra-{stage}-jobs"), limit=3, wait_seconds=0
    )
    assert moved.deleted == 3
    assert redrive.counts(sqs, _url(aws, f"collectra-{stage}-jobs-dlq")) == redrive.Counts(waiting=1, in_flight=0)


class _RefusesOne:
    """SQS, except that the queue refuses the first message's send (as a throttled or failing SendMessage would)."""

    def __init__(self, sqs: Any) -> None:
        self._sqs = sqs
        self.refused: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sqs, name)

    def send_message_batch(self, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        if self.refused is None:
            self.refused = Entries[0]["MessageBody"]
        kept = [entry for entry in Entries if entry["MessageBody"] != self.refused]
        answer = self._sqs.send_message_batch(QueueUrl=QueueUrl, Entries=kept) if kept else {}
        failed = [
            {"Id": e["Id"], "Code": "RequestThrottled", "SenderFault": False}
            for e in Entries
            if e["MessageBody"] == self.refused
        ]
        return {"Successful": answer.get("Successful", []), "Failed": failed}


def test_a_dead_letter_that_cannot_be_sent_stays_and_is_reported_not_retried_forever(aws: Emulator, stage: str) -> None:
    _dead_letters(aws, stage, 3)
    sqs = _RefusesOne(client("sqs", aws.url))
    dlq = _url(aws, f"collectra-{stage}-jobs-dlq")

    moved = redrive.move(sqs, dlq, _url(aws, f"collectra-{stage}-jobs"), wait_seconds=0)

    assert (moved.received, moved.sent, moved.deleted, len(moved.not_sent)) == (3, 2, 2, 1)
    assert moved.not_sent[0].endswith(": RequestThrottled") and not moved.complete
    assert redrive.counts(sqs, dlq) == redrive.Counts(waiting=0, in_flight=1)  # back after the hiding time


def test_a_fifo_queues_dead_letters_go_back_in_their_groups(aws: Emulator, stage: str) -> None:
    sqs = client("sqs", aws.url)
    dlq = _url(aws, f"collectra-{stage}-orders-dlq.fifo")
    for number in range(2):
        sqs.send_message(
            QueueUrl=dlq, MessageBody=f"order {number}", MessageGroupId="g1", MessageDeduplicationId=f"d{number}"
        )
    route = find_route(dead_letter_routes(_template(), {"EnvironmentName": stage}), "orders.fifo")

    moved = redrive.move(sqs, dlq, _url(aws, route.queue_name), fifo=route.fifo, wait_seconds=0)

    assert moved.deleted == 2
    back = sqs.receive_message(
        QueueUrl=_url(aws, route.queue_name), MaxNumberOfMessages=10, MessageSystemAttributeNames=["MessageGroupId"]
    )["Messages"]
    assert [(m["Body"], m["Attributes"]["MessageGroupId"]) for m in back] == [("order 0", "g1"), ("order 1", "g1")]


# ---------------------------------------------------------------- the command


@pytest.fixture
def template_file(tmp_path: Path) -> str:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    return str(path)


@pytest.fixture
def local_stack(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make dev`'s ports point at this emulator, as the command finds the local stack."""
    monkeypatch.setenv("COLLECTRA_MOTO_PORT", aws.url.rsplit(":", 1)[1])


def test_the_command_counts_moves_and_refuses_on_the_local_stack(
    aws: Emulator, local_stack: None, template_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The local stack's environment is dev: its queues, as `make dev` makes them.
    bootstrap(aws.url, _template(), {"EnvironmentName": "dev"})
    client("sqs", aws.url).purge_queue(QueueUrl=_url(aws, "collectra-dev-jobs-dlq"))
    _dead_letters(aws, "dev", 2)

    assert redrive.main(["jobs", "--dry-run", "--template", template_file]) == 0
    dry = capsys.readouterr().out
    assert "jobs (JobQueue) on the local stack (emulator http://127.0.0.1:" in dry
    assert "collectra-dev-jobs-dlq: 2 waiting" in dry and "dry run: nothing moved (2 would be)" in dry

    assert redrive.main(["--peek", "JobQueue", "--template", template_file]) == 0
    peeked = capsys.readouterr().out
    assert peeked.count('{"job_id": "job_') == 2

    assert redrive.main(["jobs", "--template", template_file]) == 0
    assert "moved 2 to collectra-dev-jobs (2 received, 2 sent, 2 deleted" in capsys.readouterr().out
    assert len(_all(aws, "collectra-dev-jobs")) == 2

    assert redrive.main(["jobs-dlq", "--template", template_file]) == 2
    assert "one of: jobs (JobQueue), orders.fifo (OrderQueue)" in capsys.readouterr().err


def test_no_queue_named_lists_the_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert redrive.main([]) == 2
    listed = capsys.readouterr().err
    assert listed.startswith("QUEUE=... one of: ") and "reminders (ReminderQueue), " in listed


def test_the_emulator_not_running_is_said_plainly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLLECTRA_MOTO_PORT", "1")  # nothing listens there
    assert redrive.main(["reminders", "--dry-run"]) == 1
    assert "is `make dev` running?" in capsys.readouterr().err


class _Session:
    def __init__(self, credentials: object | None) -> None:
        self.credentials = credentials

    def get_credentials(self) -> object | None:
        return self.credentials

    def __call__(self, region_name: str | None = None) -> _Session:
        self.region = region_name
        return self


def test_an_aws_environment_needs_credentials_and_names_its_stack_and_parameters() -> None:
    with pytest.raises(TargetError, match="no AWS credentials"):
        aws_target("prod", str(ROOT / "samconfig.toml"), session_factory=_Session(None))
    with pytest.raises(TargetError, match="no environment 'staging'"):
        aws_target("staging", str(ROOT / "samconfig.toml"), session_factory=_Session(object()))
    session = _Session(object())
    prod = aws_target("prod", str(ROOT / "samconfig.toml"), session_factory=session)
    assert prod.description == "AWS prod (stack collectra-prod, eu-west-1)" and session.region == "eu-west-1"
    assert prod.is_aws and prod.parameters["EnvironmentName"] == "prod"
    assert (
        find_route(dead_letter_routes(APP, prod.parameters), "exports").dead_letter_name == "collectra-prod-exports-dlq"
    )


def test_aws_is_changed_only_on_a_persons_yes_or_with_yes() -> None:
    aws = Target("AWS prod", {"EnvironmentName": "prod"})
    local = Target("the local stack", {}, endpoint_url="http://127.0.0.1:5000")
    asked: list[str] = []

    def answer(reply: str) -> Callable[[str], str]:
        def ask(question: str) -> str:
            asked.append(question)
            return reply

        return ask

    assert confirm("Move 3?", target=aws, yes=False, ask=answer("y")) is True
    assert confirm("Move 3?", target=aws, yes=False, ask=answer("")) is False
    assert confirm("Move 3?", target=aws, yes=False, ask=answer("no")) is False
    assert asked == ["Move 3? [y/N] "] * 3
    assert confirm("Move 3?", target=aws, yes=True, ask=answer("n")) is True
    assert confirm("Move 3?", target=local, yes=False, ask=answer("n")) is True
    assert len(asked) == 3


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], "python -m local.redrive reminders"),
        (["ENV=prod"], "python -m local.redrive reminders --env prod"),
        (["ENV=prod", "YES=1", "DRY_RUN=1"], "python -m local.redrive reminders --env prod --yes --dry-run"),
        (["PEEK=1"], "python -m local.redrive reminders --peek"),
    ],
)
def test_make_redrive_acts_on_aws_only_when_env_is_given(arguments: list[str], expected: str) -> None:
    # The Makefile's ENV defaults to dev for `make deploy`: that default must not send a redrive to AWS.
    shown = subprocess.run(
        [str(shutil.which("make")), "-n", "redrive", "QUEUE=reminders", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    [line] = [line for line in shown.splitlines() if "local.redrive" in line]
    assert line.split("/bin/", 1)[1].split() == expected.split()


# ---------------------------------------------------------------- ids only


def test_a_peek_shows_a_bodys_ids_and_never_an_address() -> None:
    reminder = {
        "workspace_id": "ws_1",
        "debtor_id": "dbt_1",
        "claims": [{"debt_id": "dbt_a", "step": 3}],
        "planned_at": "2027-03-01T09:00:00+00:00",
    }
    assert ids_only(reminder) == {
        "workspace_id": "ws_1",
        "debtor_id": "dbt_1",
        "claims[0].debt_id": "dbt_a",
        "claims[0].step": 3,
    }
    assert ids_only({"email": "grace@example.com"}) == {}  # a reset email's request: nothing to show
    assert ids_only({"pk": "WS#ws_1", "sk": "ERASURE#WORKSPACE"}) == {"pk": "WS#ws_1", "sk": "ERASURE#WORKSPACE"}
    assert ids_only({"pk": "EMAIL#grace@example.com", "user_id": "usr_1"}) == {"user_id": "usr_1"}
    assert ids_only({"shard": 4, "now": "2027-03-01T09:00:00Z", "start": {"pk": "REMIND#04"}}) == {
        "shard": 4,
        "start.pk": "REMIND#04",
    }


class _EmulatorAsAws:
    """A boto3 Session whose clients reach the emulator: the command's AWS path, run here."""

    def __init__(self, aws: Emulator) -> None:
        self.url = aws.url

    def client(self, service: str, region_name: str | None = None) -> Any:
        return client(service, self.url)


def test_on_aws_nothing_moves_without_a_yes_and_a_long_redrive_says_how_far_it_got(
    aws: Emulator, stage: str, template_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _dead_letters(aws, stage, 120)
    target = Target("AWS test", {"EnvironmentName": stage}, region="us-east-1", session=_EmulatorAsAws(aws))
    dlq = _url(aws, f"collectra-{stage}-jobs-dlq")

    # No terminal to ask (as under pytest), no --yes: refused, nothing moved.
    assert redrive.run(target, "jobs", dry_run=False, yes=False, peek_only=False, template_path=template_file) == 1
    assert "Not asked: no terminal (YES=1 to go on without asking)" in capsys.readouterr().err
    assert redrive.counts(client("sqs", aws.url), dlq).waiting == 120

    assert redrive.run(target, "jobs", dry_run=False, yes=True, peek_only=False, template_path=template_file) == 0
    said = capsys.readouterr().out
    assert "  ... 100 sent so far" in said and "moved 120 to" in said
