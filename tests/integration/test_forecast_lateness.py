"""The forecast predicts from each debtor's own days to pay, through the doors users use: payments and creations
over HTTP, the lateness queue's events (delivered as its event source mapping does, again, and twice at once), and
GET /workspace/analytics/summary's forecast.

The queue is shared by every test of the session: `delivered` hands every message waiting to the consumer and
returns those of the test's own workspace.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from collectra import store
from collectra.store import keys
from local.stripe import StripeStandIn
from tests.conftest import Account, Clock, new_debt
from tests.integration.test_import import import_csv
from tests.integration.test_payments import connect, page_token, paid_by_card
from tests.support.http import harness
from tests.support.meanwhile import meanwhile
from tests.support.stripe_standin import Outbox, control

CONSUMER = "RestampLatenessFunction"


@pytest.fixture
def today(account: Account, clock: Clock) -> date:
    """Noon UTC of the real day, so the business's day and UTC's agree; signed in again at that moment."""
    clock.now = datetime.combine(clock.now.date(), time(12), UTC)
    account.browser = account.new_browser()
    return clock.now.date()


def delivered(workspace_id: str) -> list[dict[str, Any]]:
    """Every message on the lateness queue handed to its consumer; the bodies of those for `workspace_id`."""
    mine: list[dict[str, Any]] = []
    while batch := harness().receive(CONSUMER, limit=10, visibility_timeout=60):
        harness().deliver(CONSUMER, batch)
        mine += [body for m in batch if (body := json.loads(m["Body"]))["workspace_id"] == workspace_id]
    return mine


def message(workspace_id: str, debtor_id: str) -> dict[str, Any]:
    """One message of the queue as SQS hands it over (delivered by hand: again, or twice at once)."""
    body = json.dumps({"workspace_id": workspace_id, "debtor_id": debtor_id})
    return {
        "MessageId": str(uuid.uuid4()),
        "ReceiptHandle": uuid.uuid4().hex,
        "Body": body,
        "MD5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's own checksum of the body
    }


def pay(account: Account, debt: dict[str, Any], amount: int, on: date) -> None:
    answer = account.browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": amount, "received_on": str(on)})
    assert answer.status == 201, answer.body


def forecast(account: Account) -> tuple[list[int], list[int]]:
    """The euro forecast's promised and predicted amounts, week by week from today."""
    answer = account.browser.call("GET", "/workspace/analytics/summary")
    assert answer.status == 200, answer.body
    [euros] = [entry for entry in answer.json()["currencies"] if entry["currency"] == "EUR"]
    return [week["promised"] for week in euros["forecast"]], [week["predicted"] for week in euros["forecast"]]


def stored(account: Account, debt: dict[str, Any]) -> dict[str, Any]:
    found = store.get(keys.debt(account.workspace_id, debt["id"]), consistent=True)
    assert found is not None
    return found


def paid_late(account: Account, debtor: dict[str, Any], today: date, days: int, amount: int = 5_000) -> None:
    """A debt of the debtor's, due `days` ago, paid in full today."""
    due = today - timedelta(days=days)
    debt = new_debt(account, debtor["id"], amount=amount, issued_on=str(due - timedelta(days=30)), due_on=str(due))
    pay(account, debt, amount, today)


def test_a_debtor_who_paid_10_days_late_is_expected_10_days_after_the_next_due_date(
    account: Account, debtor: dict[str, Any], today: date
) -> None:
    paid_late(account, debtor, today, 10)
    next_week = str(today + timedelta(days=7))
    due_next_week = new_debt(account, debtor["id"], amount=8_000, issued_on=str(today), due_on=next_week)
    assert forecast(account)[1] == [0, 8_000, 0, 0, 0, 0, 0, 0]  # not stamped yet: its due date

    assert {body["debtor_id"] for body in delivered(account.workspace_id)} == {debtor["id"]}

    # Due on day 7 (week 1), expected on day 17 (week 2).
    assert forecast(account) == ([0] * 8, [0, 0, 8_000, 0, 0, 0, 0, 0])
    assert stored(account, due_next_week)["expected_late_days"] == 10


def test_a_promise_stays_apart_from_what_the_debtors_history_predicts(
    account: Account, debtor: dict[str, Any], today: date
) -> None:
    paid_late(account, debtor, today, 10)
    debt = new_debt(account, debtor["id"], amount=8_000, issued_on=str(today), due_on=str(today + timedelta(7)))
    delivered(account.workspace_id)
    version = stored(account, debt)["version"]

    body = {"amount": 3_000, "on": str(today + timedelta(days=3)), "version": version}
    assert account.browser.call("POST", f"/debts/{debt['id']}/promise", body).status == 200

    assert forecast(account) == ([3_000, 0, 0, 0, 0, 0, 0, 0], [0, 0, 5_000, 0, 0, 0, 0, 0])


def test_a_redelivered_message_and_two_consumers_at_once_change_nothing_twice(
    account: Account, debtor: dict[str, Any], today: date
) -> None:
    paid_late(account, debtor, today, 10)
    debts = [
        new_debt(account, debtor["id"], amount=1_000 * n, issued_on=str(today), due_on=str(today + timedelta(7)))
        for n in (1, 2)
    ]
    start = threading.Barrier(2)

    def consume() -> None:
        start.wait()
        harness().deliver(CONSUMER, [message(account.workspace_id, debtor["id"])], delete=False)

    consumers = [threading.Thread(target=consume) for _ in range(2)]
    for consumer in consumers:
        consumer.start()
    for consumer in consumers:
        consumer.join()
    harness().deliver(CONSUMER, [message(account.workspace_id, debtor["id"])], delete=False)  # SQS hands it again
    delivered(account.workspace_id)  # and what the writes themselves queued

    assert [stored(account, debt)["version"] for debt in debts] == [2, 2]  # created, stamped once
    assert forecast(account)[1] == [0, 0, 3_000, 0, 0, 0, 0, 0]


def test_a_payment_that_lands_while_the_consumer_works_is_not_overwritten_with_the_older_lateness(
    account: Account, debtor: dict[str, Any], today: date
) -> None:
    paid_late(account, debtor, today, 10)
    upcoming = new_debt(account, debtor["id"], amount=8_000, issued_on=str(today), due_on=str(today + timedelta(7)))
    delivered(account.workspace_id)
    month_ago = today - timedelta(days=30)
    another = new_debt(account, debtor["id"], amount=2_000, issued_on=str(month_ago), due_on=str(month_ago))
    stale = message(account.workspace_id, debtor["id"])

    def paid_and_restamped() -> None:
        pay(account, another, 2_000, today)  # 30 days late: the debtor's average is now 20
        # Another consumer handles the message the payment queued (the queue itself is drained after the block).
        harness().deliver(CONSUMER, [message(account.workspace_id, debtor["id"])], delete=False)

    # A consumer read the debtor at 10 days late; before it reads their debts, the above happens: the upcoming
    # debt it then reads carries 20, on a version its write would match.
    with meanwhile(CONSUMER, "Query", paid_and_restamped):
        harness().deliver(CONSUMER, [stale], delete=False)
    delivered(account.workspace_id)

    assert stored(account, upcoming)["expected_late_days"] == 20
    assert forecast(account)[1] == [0, 0, 0, 8_000, 0, 0, 0, 0]  # day 7 + 20: week 3


def test_an_import_queues_each_existing_debtor_once_and_their_debts_are_stamped(
    account: Account, debtor: dict[str, Any], today: date
) -> None:
    paid_late(account, debtor, today, 10)
    delivered(account.workspace_id)
    due = (today + timedelta(days=7)).strftime("%d/%m/%Y")
    rows = "".join(
        f"F-{n}-{uuid.uuid4().hex[:6]};{name};{email};100,00;EUR;{due};\n"
        for n, (name, email) in enumerate([("Émile Zola", "emile@example.fr")] * 3 + [("George Sand", "g@example.fr")])
    )
    header = "N° facture;Nom du client;Courriel;Montant;Devise;Date d'échéance;Date de facture\n"
    assert import_csv(account, header + rows).json()["created"] == 4

    assert delivered(account.workspace_id) == [{"workspace_id": account.workspace_id, "debtor_id": debtor["id"]}]
    # Émile's three expected 10 days after day 7 (week 2); George has no history: his due date (week 1).
    assert forecast(account)[1] == [0, 10_000, 30_000, 0, 0, 0, 0, 0]


def test_a_card_payment_sets_the_lateness_and_its_refund_takes_it_back(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    outbox = Outbox(stripe_api.url)
    paying: dict[str, Any] = {
        "account_id": connect(account, stripe_api, outbox),
        "debt": new_debt(account, debtor["id"]),
    }
    paying["token"] = page_token(account, debtor["id"])
    paid = paying["debt"]  # due 2026-11-01, paid today by card through the debtor's page (the Stripe webhook)
    debtor_id = paid["debtor_id"]
    charge = paid_by_card(paying, stripe_api, outbox)
    today = date.fromisoformat(account.browser.call("GET", "/workspace/analytics/summary").json()["today"])
    upcoming = new_debt(account, debtor_id, amount=8_000, issued_on=str(today), due_on=str(today + timedelta(7)))
    delivered(account.workspace_id)
    late = account.browser.call("GET", f"/debtors/{debtor_id}").json()["days_to_pay"]["average_days_late"]
    assert late > 30 and stored(account, upcoming)["expected_late_days"] == late

    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 5_000})
    outbox.deliver_new()  # the debt is partly paid again: the debtor has paid nothing, late or not
    assert {body["debtor_id"] for body in delivered(account.workspace_id)} == {debtor_id}

    assert stored(account, upcoming)["expected_late_days"] == 0
    # What the refund reopened, due long ago, is expected now (week 0); the upcoming debt on its due date (week 1).
    assert forecast(account)[1] == [5_000, 8_000, 0, 0, 0, 0, 0, 0]


def test_a_payment_sqs_would_not_queue_is_still_recorded(
    account: Account, debtor: dict[str, Any], today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    debt = new_debt(account, debtor["id"], amount=5_000, issued_on=str(today), due_on=str(today))

    def refused(variable: str, bodies: list[str]) -> None:
        raise RuntimeError(f"{variable}: SQS refused {len(bodies)} message(s)")

    monkeypatch.setattr("collectra.queues.send", refused)
    pay(account, debt, 5_000, today)  # 201: the payment stands, and its client has no reason to send it again

    assert stored(account, debt)["status"] == "paid"
