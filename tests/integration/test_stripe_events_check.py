"""Stripe events left unprocessed: a payment whose webhook deliveries failed is booked by the hourly check, once.

Here Stripe is a stand-in of the test's own that delivers every event to POST /webhooks/stripe (through a small
receiver that hands it to the function in this process) and records each delivery's status, so it can say, as Stripe
does, which events were not delivered (`GET /v1/events?delivery_success=false`). The check then asks it, as it asks
Stripe, through the functions' own Stripe client.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError

from collectra import store
from collectra.debts.service import ledger_sum
from collectra.payments import stripe_api
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_KEY, STRIPE_WEBHOOK_SECRET, Account, Clock, new_debt
from tests.integration.test_reminders_isolation import debtor_of, sign_up
from tests.support.debtor_page import page_token, post_form
from tests.support.http import harness
from tests.support.metrics_printed import printed_metrics
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import control, press

CHECK = "StripeEventsCheckFunction"


class _Receiver(BaseHTTPRequestHandler):
    """Stripe's deliveries, handed to the webhook function in this process; its status goes back to Stripe."""

    def do_POST(self) -> None:
        payload = self.rfile.read(int(self.headers.get("content-length") or 0))
        answer = deliver(payload, STRIPE_WEBHOOK_SECRET, header=self.headers.get("stripe-signature"))
        self.send_response(answer.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stripe(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[StripeStandIn]:
    """A Stripe of this test's own, delivering its events to the webhook; the functions reach it for this test."""
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/webhooks/stripe"
    with StripeStandIn(api_key=STRIPE_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET, webhook_url=url) as own:
        monkeypatch.setattr(stripe_api, "_client", [])  # the container's client is built again, for this Stripe
        with harness().redeployed({"STRIPE_API_URL": own.url, "STRIPE_CHECKOUT_ORIGIN": own.url}):
            yield own
    receiver.shutdown()
    receiver.server_close()


def connected(business: Account, stripe: StripeStandIn) -> str:
    answer = business.browser.call("POST", "/workspace/stripe/connect")
    assert answer.status == 200, answer.body
    account_id = str(answer.json()["account_id"])
    control(stripe.url, f"accounts/{account_id}/update", {"charges_enabled": True, "details_submitted": True})
    return account_id


def paid_while_the_table_refuses(business: Account, debt: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The debtor pays; every delivery of Stripe's event meets a table that refuses (the webhook answers 500)."""

    def throttled(_: Any) -> None:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}, "Transact")

    location = post_form(page_token(business.browser, debt["debtor_id"]), "pay", {"debt_id": debt["id"]})
    assert location.status == 303, location.body
    with monkeypatch.context() as refusing:
        refusing.setattr(store, "transact", throttled)
        status, _ = press(location.headers["location"], "pay")
    assert status == 303


def debt_of(business: Account, debt_id: str) -> dict[str, Any]:
    return dict(business.browser.call("GET", f"/debts/{debt_id}").json())


def payments_received(business: Account, debt_id: str) -> int:
    timeline = business.browser.call("GET", f"/debts/{debt_id}/timeline").json()["items"]
    return [entry["type"] for entry in timeline].count("payment_received")


def check(at: Any) -> dict[str, int]:
    return dict(harness().run_schedule(CHECK, at))


def test_a_payment_whose_deliveries_failed_is_booked_by_the_check_an_hour_later_once(  # noqa: PLR0917
    account: Account,
    debtor: dict[str, Any],
    stripe: StripeStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    connected(account, stripe)
    debt = new_debt(account, debtor["id"])

    # Given a payment whose delivery the webhook answered with a 500
    paid_while_the_table_refuses(account, debt, monkeypatch)
    [completed] = [e for e in stripe.events() if e["event"]["type"] == "checkout.session.completed"]
    assert completed["deliveries"] == [500]
    assert debt_of(account, debt["id"])["status"] == "open"

    # Within the hour, Stripe is still retrying: the check leaves it alone
    assert check(clock.now + timedelta(minutes=30))["unprocessed"] == 0
    assert debt_of(account, debt["id"])["status"] == "open"

    # When the check runs an hour later
    capsys.readouterr()
    found = check(clock.now + timedelta(minutes=61))

    # Then it books the payment, once
    assert (found["unprocessed"], found["replayed"], found["failed"], found["accounts_failed"]) == (1, 1, 0, 0)
    metrics = printed_metrics(capsys.readouterr().out)
    assert (metrics["StripeEventsUnprocessed"], metrics["StripeEventsReplayed"]) == ([1], [1])
    assert metrics["StripeEventsAccountsFailed"] == [0]
    paid = debt_of(account, debt["id"])
    assert (paid["status"], paid["amount_paid"]) == ("paid", 12_500)
    assert ledger_sum(account.workspace_id, debt["id"]) == 12_500
    assert payments_received(account, debt["id"]) == 1

    # And a second run, then Stripe's own retry, change nothing twice
    again = check(clock.now + timedelta(minutes=121))
    assert (again["unprocessed"], again["replayed"]) == (1, 1)  # Stripe still reports it; replayed as a duplicate
    assert control(stripe.url, f"events/{completed['event']['id']}/redeliver")["status"] == 200
    assert check(clock.now + timedelta(minutes=181))["unprocessed"] == 0  # delivered at last: Stripe says so
    assert ledger_sum(account.workspace_id, debt["id"]) == 12_500
    assert payments_received(account, debt["id"]) == 1


def test_an_account_whose_events_cannot_be_listed_does_not_stop_the_others(  # noqa: PLR0917
    account: Account,
    debtor: dict[str, Any],
    stripe: StripeStandIn,
    brevo: BrevoStandIn,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing_account = connected(account, stripe)
    failing_debt = new_debt(account, debtor["id"])
    other = sign_up(brevo, "Other & Co")
    connected(other, stripe)
    other_debt = new_debt(other, debtor_of(other)["id"])
    paid_while_the_table_refuses(account, failing_debt, monkeypatch)
    paid_while_the_table_refuses(other, other_debt, monkeypatch)

    # Given Stripe fails every listing of one account's events
    control(stripe.url, "fail", {"method": "GET", "path": "/v1/events", "account": failing_account, "status": 500})

    found = check(clock.now + timedelta(minutes=61))

    assert (found["accounts"], found["accounts_failed"], found["unprocessed"], found["replayed"]) == (3, 1, 1, 1)
    assert debt_of(other, other_debt["id"])["status"] == "paid"
    assert debt_of(account, failing_debt["id"])["status"] == "open"
    [told] = [r for r in caplog.records if r.getMessage() == "listing a Stripe account's undelivered events failed"]
    assert told.__dict__["stripe_account"] == failing_account  # the account's id, and nobody's name or address
    assert debtor["email"] not in caplog.text and debtor["name"] not in caplog.text
