"""Two writers on one record at the same moment (DynamoDB's TransactionConflict): retried a few times with
jitter, then 409 `conflict` with Retry-After, never a 500; for Stripe's webhook a 500, so that Stripe
delivers the event again. A failed condition is a different thing and is never retried."""

from __future__ import annotations

from typing import Any

from collectra.store import contention, keys
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.support.contention import others_writing
from tests.support.debtor_page import connect_stripe
from tests.support.stripe_events import deliver, event
from tests.support.stripe_standin import Outbox
from tests.support.world import item_count


def test_an_edit_that_meets_another_writer_is_tried_again_and_goes_through(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"])

    with others_writing(keys.debt(account.workspace_id, debt["id"]), times=2) as held:
        answer = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": 1, "description": "Corrected"})

    assert answer.status == 200, answer.body
    assert held.attempts == 3  # two cancelled, the third written
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["description"] == "Corrected"


def test_an_edit_that_keeps_meeting_other_writers_is_409_conflict_with_retry_after_and_changes_nothing(
    account: Account, debtor: dict[str, Any]
) -> None:
    debt = new_debt(account, debtor["id"])
    before = item_count()

    with others_writing(keys.debt(account.workspace_id, debt["id"]), times=100) as held:
        answer = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": 1, "description": "Corrected"})

    assert answer.status == 409, answer.body
    assert answer.json()["error"]["code"] == "conflict"
    assert answer.headers["retry-after"] == str(contention.RETRY_AFTER_S)
    assert held.attempts == contention.ATTEMPTS
    assert item_count() == before
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["version"] == 1
    # Sent again once the others are done, the same request goes through
    again = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": 1, "description": "Corrected"})
    assert again.status == 200


def test_a_failed_condition_is_answered_at_once_not_tried_again(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    debt = new_debt(account, debtor["id"])
    dynamodb_calls.clear()

    taken = account.browser.call(
        "POST",
        "/debts",
        {
            "debtor_id": debtor["id"],
            "invoice_number": debt["invoice_number"],
            "amount": 1,
            "currency": "EUR",
            "due_on": "2026-12-01",
        },
    )

    assert taken.status == 409
    assert taken.json()["error"]["code"] == "invoice_number_taken"
    assert dynamodb_calls.count("TransactWriteItems") == 1


def test_stripes_event_meeting_other_writers_is_a_500_so_stripe_sends_it_again(
    account: Account, stripe_api: StripeStandIn
) -> None:
    account_id = connect_stripe(account.browser, stripe_api, Outbox(stripe_api.url), enabled=False)
    update = event(
        "account.updated",
        {"id": account_id, "object": "account", "charges_enabled": True, "details_submitted": True},
        account=account_id,
    )

    with others_writing(keys.workspace(account.workspace_id), times=100):
        first = deliver(update, STRIPE_WEBHOOK_SECRET)
    again = deliver(update, STRIPE_WEBHOOK_SECRET)  # Stripe's retry, once the others are done

    assert first.status == 500
    assert (again.status, again.json()["result"]) == (200, "applied")
    assert account.browser.call("GET", "/workspace/stripe").json()["charges_enabled"] is True
