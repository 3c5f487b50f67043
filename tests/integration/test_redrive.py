"""`make redrive QUEUE=reminders` through the doors: a reminder whose sending keeps failing goes to the reminder
queue's dead-letter queue after maxReceiveCount receives, as SQS moves it; once Brevo is back, the command moves it
back and the sender sends it once, however many times the same message comes (redriven twice, or also still in the
queue). Counted in Brevo's outbox, and in the sends Brevo accepted: the stand-in drops a repeated idempotency key, so
the outbox alone would not show a second send.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local import redrive
from local.brevo import BrevoStandIn
from local.emulator import Emulator, client
from tests.conftest import Account, new_debt
from tests.support.http import harness
from tests.support.reminders import SENDER, deliver, drain, plan, receive

pytestmark = pytest.mark.usefixtures("own_reminders_only")

QUEUE, DEAD_LETTERS = "collectra-dev-reminders", "collectra-dev-reminders-dlq"


@pytest.fixture
def person(account: Account) -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


@pytest.fixture
def brevo_accepted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The recipients of every send Brevo accepted, as the sender asked it (a failed send is not counted)."""
    from collectra.email import brevo

    accepted: list[str] = []
    real = brevo.send

    def counted(message: brevo.Message) -> str:
        message_id = real(message)
        accepted.append(message.to_email)
        return message_id

    monkeypatch.setattr(brevo, "send", counted)
    return accepted


@pytest.fixture
def local_stack(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command finds the local stack by `make dev`'s ports: here, the tests' emulator."""
    monkeypatch.setenv("COLLECTRA_MOTO_PORT", emulator.url.rsplit(":", 1)[1])


def _sqs(emulator: Emulator) -> Any:
    return client("sqs", emulator.url)


def _waiting(emulator: Emulator, name: str) -> int:
    sqs = _sqs(emulator)
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return redrive.counts(sqs, url).waiting


def _dead_letters_of(emulator: Emulator, debtor_id: str) -> list[dict[str, Any]]:
    """The dead letters about the debtor, left where they are (received with no hiding)."""
    sqs = _sqs(emulator)
    url = sqs.get_queue_url(QueueName=DEAD_LETTERS)["QueueUrl"]
    answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
    return [m for m in answer.get("Messages", []) if json.loads(m["Body"])["debtor_id"] == debtor_id]


def _sent_to(brevo: BrevoStandIn, person: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]


def _reminders_sent(account: Account, debt: dict[str, Any]) -> int:
    items = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    return [item["type"] for item in items].count("reminder_sent")


@pytest.mark.usefixtures("local_stack")
def test_a_reminder_redriven_after_brevo_came_back_is_sent_once(
    account: Account,
    person: dict[str, Any],
    *,
    brevo: BrevoStandIn,
    brevo_accepted: list[str],
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from collectra.reminders import sender

    monkeypatch.setattr(sender, "BACKOFF_SECONDS", 0)  # the sender's own retries, without their waits
    drain()  # what earlier tests left on the shared queue
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    plan(datetime(2027, 3, 1, 8, 0, tzinfo=UTC))

    brevo.fail_next(503, 1_000)  # Brevo is down
    try:
        receives = 0
        while batch := receive():  # Lambda's event source mapping: received, handed over, failed, visible again
            answer = deliver(batch)
            assert len(answer["batchItemFailures"]) == len(batch)
            receives += 1
    finally:
        brevo.fail_next(503, 0)  # Brevo is back
    # SQS moved it on the receive after the fifth (the reminder queue's maxReceiveCount).
    assert receives == 5
    [dead] = _dead_letters_of(emulator, person["id"])
    assert _sent_to(brevo, person) == [] and brevo_accepted == []

    # It was also still in the queue: a redrive that stopped between its send and its delete leaves it in both.
    _sqs(emulator).send_message(QueueUrl=harness().consumers[SENDER].queue_url, MessageBody=dead["Body"])

    assert redrive.main(["reminders"]) == 0
    said = capsys.readouterr().out
    assert "reminders (ReminderQueue) on the local stack" in said and f"moved 1 to {QUEUE}" in said
    assert _dead_letters_of(emulator, person["id"]) == []
    assert drain() == 2  # the redriven message and its copy

    assert [m["to"][0]["email"] for m in _sent_to(brevo, person)] == [person["email"]]
    assert brevo_accepted == [person["email"]]
    assert _reminders_sent(account, debt) == 1

    # The same message redriven a second time (it had reached the dead-letter queue twice): nothing more.
    dead_letters_url = _sqs(emulator).get_queue_url(QueueName=DEAD_LETTERS)["QueueUrl"]
    _sqs(emulator).send_message(QueueUrl=dead_letters_url, MessageBody=dead["Body"])
    assert redrive.main(["reminders"]) == 0
    assert drain() == 1
    assert redrive.main(["reminders"]) == 0  # and one more: nothing left to move
    assert "nothing to move" in capsys.readouterr().out

    assert len(_sent_to(brevo, person)) == 1 and brevo_accepted == [person["email"]]
    assert _reminders_sent(account, debt) == 1
    assert _waiting(emulator, QUEUE) == 0
