"""A reminder run fanned out by shard, through the doors AWS uses: the schedule's event to the planner, the shard
planner's queue (slices, a redelivered slice, a continuation), SQS to the sender. Every email is counted from the
Brevo stand-in's outbox. 2027-03-01 is a Monday: step -3 of a debt due on 2027-03-04 is due at 09:00 in Paris.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import Account, new_debt
from tests.support.reminders import SHARDS, deliver_slice, drain, plan, receive_slices

pytestmark = pytest.mark.usefixtures("own_reminders_only")

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def new_person(account: Account) -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def emails_to(brevo: BrevoStandIn, person: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]


def slices_of(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(message["Body"]) for message in messages]


def claim_status(account: Account, debt: dict[str, Any]) -> str | None:
    from collectra import store
    from collectra.store import keys

    item = store.get(keys.reminder_claim(account.workspace_id, debt["id"], 0), consistent=True)
    return None if item is None else str(item["status"])


def schedule_fires(now: datetime) -> list[dict[str, Any]]:
    """The schedule's event to the planner; the slices it queued (received, so they stay in flight)."""
    from tests.support.http import harness

    answer = harness().run_schedule("ReminderPlannerFunction", now)
    assert answer["shards"] == 16
    taken: list[dict[str, Any]] = []
    while batch := receive_slices():
        taken += batch
    return taken


def test_the_schedule_queues_one_slice_per_shard_at_its_time(account: Account) -> None:
    messages = schedule_fires(NOW)
    deliver_slice(messages)  # planned, so the queue is left empty

    assert sorted(piece["shard"] for piece in slices_of(messages)) == list(range(16))
    assert {piece["now"] for piece in slices_of(messages)} == {"2027-03-01T08:00:00Z"}
    assert all(piece["start"] is None for piece in slices_of(messages))


def test_a_redelivered_slice_sends_nothing_twice(account: Account, brevo: BrevoStandIn) -> None:
    from collectra.store import keys

    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    new_debt(account, person["id"], due_on="2027-03-04")
    messages = schedule_fires(NOW)
    [mine] = [m for m in messages if slices_of([m])[0]["shard"] == keys.reminder_shard(person["id"])]

    assert deliver_slice([mine], delete=False) == []
    assert deliver_slice([mine]) == []  # SQS hands the same slice over again
    deliver_slice([m for m in messages if m is not mine])
    drain()

    assert len(emails_to(brevo, person)) == 1  # both debts, one debtor: one email, once


def test_a_slice_out_of_time_queues_what_it_claimed_and_hands_its_shard_on(
    account: Account, brevo: BrevoStandIn
) -> None:
    from collectra.reminders.planner import RESERVE
    from collectra.store import keys

    # Given three debtors whose debts are in one shard (by the pigeonhole: 17 debtors, 16 shards)
    by_shard: dict[int, list[dict[str, Any]]] = {}
    while not any(len(people) >= 3 for people in by_shard.values()):
        person = new_person(account)
        by_shard.setdefault(keys.reminder_shard(person["id"]), []).append(person)
    shard, people = next((shard, people) for shard, people in by_shard.items() if len(people) >= 3)
    debts = [new_debt(account, person["id"], due_on="2027-03-04") for person in people[:3]]
    messages = schedule_fires(NOW)
    [mine] = [m for m in messages if slices_of([m])[0]["shard"] == shard]
    deliver_slice([m for m in messages if m is not mine])

    # When its slice starts with no more time than the planner keeps in reserve
    assert deliver_slice([mine], remaining_ms=int(RESERVE.total_seconds() * 1000)) == []

    # Then it planned one debtor, queued its claim (nothing is left claimed-but-unqueued) and queued the rest
    statuses = [claim_status(account, debt) for debt in debts]
    assert (statuses.count("queued"), statuses.count(None)) == (1, 2)
    [continuation] = receive_slices()
    onward = slices_of([continuation])[0]
    assert (onward["shard"], onward["now"], onward["read"]) == (shard, "2027-03-01T08:00:00Z", 1)
    drain()
    assert sum(len(emails_to(brevo, person)) for person in people[:3]) == 1

    # And the continuation plans the rest, each once: handed over twice, and beside a whole new run of that moment
    assert deliver_slice([continuation], delete=False) == []
    plan(NOW)
    assert deliver_slice([continuation]) == []
    drain()
    assert [len(emails_to(brevo, person)) for person in people[:3]] == [1, 1, 1]
    assert [claim_status(account, debt) for debt in debts] == ["sent"] * 3


def test_a_workspace_over_its_daily_quota_stays_off_the_queue_until_the_next_day(
    account: Account, brevo: BrevoStandIn
) -> None:
    from collectra import store
    from collectra.reminders import quota

    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    day = quota.today_key(account.workspace_id, NOW)
    store.put({**day, "quota": 5, "sent": 5, "expires_at": 2_000_000_000})  # today's emails all sent

    summary = plan(NOW)
    drain()

    assert summary["claimed"] == 0 and summary["skipped"] == {"daily_quota": 1}
    assert emails_to(brevo, person) == []
    plan(datetime(2027, 3, 2, 8, 0, tzinfo=UTC))  # the next day, when its window opens
    drain()
    assert len(emails_to(brevo, person)) == 1


def test_a_run_stops_reading_a_shard_at_its_share_of_the_runs_cap(account: Account, brevo: BrevoStandIn) -> None:
    from collectra.reminders.planner import share_of_run
    from collectra.store import keys
    from tests.support.http import harness

    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    shard = keys.reminder_shard(person["id"])
    body = json.dumps({"shard": shard, "now": "2027-03-01T08:00:00Z", "start": None, "read": share_of_run()})
    harness()._sqs().send_message(QueueUrl=harness().consumers["PlanShardFunction"].queue_url, MessageBody=body)

    deliver_slice(receive_slices())

    assert receive_slices() == []  # no continuation: the next run goes on
    drain()
    assert emails_to(brevo, person) == []


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"shard": 16, "now": "2027-03-01T08:00:00Z"}),  # no such shard
        json.dumps({"shard": 3}),  # no moment
        json.dumps({"shard": 3, "now": "the first of March"}),
    ],
)
def test_a_malformed_slice_fails_alone_and_the_rest_of_its_batch_is_planned(
    account: Account, brevo: BrevoStandIn, body: str
) -> None:
    from collectra.store import keys
    from tests.support.http import harness

    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    good = json.dumps({"shard": keys.reminder_shard(person["id"]), "now": "2027-03-01T08:00:00Z", "start": None})
    queue_url = harness().consumers["PlanShardFunction"].queue_url
    for message in (body, good):
        harness()._sqs().send_message(QueueUrl=queue_url, MessageBody=message)
    taken = receive_slices()
    [bad] = [message for message in taken if message["Body"] == body]

    failures = deliver_slice(taken, delete=False)

    # Only the malformed slice goes back to SQS (and on to the dead-letter queue after its retries)
    assert failures == [{"itemIdentifier": bad["MessageId"]}]
    harness().delete(SHARDS, taken)
    drain()
    assert len(emails_to(brevo, person)) == 1
