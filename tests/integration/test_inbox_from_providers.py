"""Inbox items that Brevo, the reminder sender and Stripe open, and what resolves them, through their own doors:
Brevo's webhook, the schedule and the queue, Stripe's signed webhook; a member's correction of the address."""

from __future__ import annotations

from typing import Any

import pytest

from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.integration.test_inbox_life_cycle import inbox, the_item
from tests.integration.test_opt_out_and_brevo_events import (
    DUE_DAY,
    FIRST_REMINDER,
    brevo_event,
    cycle,
    emails_to,
    new_person,
    post_webhook,
)
from tests.integration.test_payments import connect, page_token, paid_by_card, press_pay
from tests.integration.test_reminders_isolation import stored_policy
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, control, press

pytestmark = pytest.mark.usefixtures("own_reminders_only")


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


@pytest.mark.parametrize("event", ["hard_bounce", "invalid_email", "blocked"])
def test_a_bounced_address_opens_one_item_a_corrected_address_closes(
    account: Account, brevo: BrevoStandIn, event: str
) -> None:
    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)

    post_webhook(brevo_event(event, email, person["email"]))
    post_webhook(brevo_event(event, email, person["email"]))  # Brevo delivers it again
    opened = the_item(account, "undeliverable_address")
    version = account.browser.call("GET", f"/debtors/{person['id']}").json()["version"]
    corrected = account.browser.call(
        "PATCH", f"/debtors/{person['id']}", {"version": version, "email": "new@example.fr"}
    )

    assert (opened["state"], opened["debtor_id"], opened["debt_id"]) == ("open", person["id"], None)
    assert opened["detail"] == {"event": event} and person["email"] not in str(opened)
    assert corrected.status == 200, corrected.body
    assert the_item(account, "undeliverable_address")["closed_reason"] == "address_corrected"


def test_a_delivered_email_opens_nothing(account: Account, brevo: BrevoStandIn) -> None:
    person = new_person(account)
    new_debt(account, person["id"], due_on="2027-03-04")
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)

    post_webhook(brevo_event("delivered", email, person["email"]))

    assert inbox(account)["items"] == []


def test_a_template_that_fails_opens_an_item_the_next_email_that_goes_closes(
    account: Account, brevo: BrevoStandIn
) -> None:
    person = new_person(account)
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    broken = {"fr": {"subject": "Rappel", "text": "{{ pay_link }} {{ opt_out_link }} {% if %}"}}
    stored_policy(
        account,
        {
            "steps": [
                {"offset_days": -3, "tone": "friendly", "template": "broken"},
                {"offset_days": 0, "tone": "firm", "template": "firm"},
            ],
            "templates": {"broken": broken},
        },
    )

    cycle(FIRST_REMINDER)
    failed = the_item(account, "reminder_failed")
    cycle(DUE_DAY)

    assert (failed["state"], failed["debt_id"], failed["detail"]["steps"]) == ("open", debt["id"], [0])
    assert len(emails_to(brevo, person)) == 1
    item = the_item(account, "reminder_failed")
    assert (item["state"], item["closed_reason"]) == ("done", "reminder_sent")


def test_an_address_brevo_refuses_opens_a_failed_reminder(account: Account, brevo: BrevoStandIn) -> None:
    person = new_person(account)
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    brevo.fail_next(400, 1)

    cycle(FIRST_REMINDER)

    item = the_item(account, "reminder_failed")
    assert (item["state"], item["debt_id"]) == ("open", debt["id"])
    assert item["detail"]["reason"]


def test_a_declined_card_opens_an_item_a_later_payment_closes(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    token = page_token(account, debtor["id"])

    press(press_pay(token, debt_id=debt["id"]), "decline")
    outbox.deliver_new()
    failed = the_item(account, "payment_failed")
    press(press_pay(token, debt_id=debt["id"]), "pay")
    outbox.deliver_new()

    assert (failed["state"], failed["debt_id"]) == ("open", debt["id"])
    item = the_item(account, "payment_failed")
    assert (item["state"], item["closed_reason"]) == ("done", "payment_recorded")


def test_a_refund_made_in_stripe_and_a_lost_dispute_each_open_an_item(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    account_id = connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    paying = {"account_id": account_id, "debt": debt, "token": page_token(account, debtor["id"])}
    charge = paid_by_card(paying, stripe_api, outbox)

    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 5_000})
    outbox.deliver_new()
    control(stripe_api.url, f"charges/{charge}/dispute")
    [opened] = outbox.new()
    deliver(opened, STRIPE_WEBHOOK_SECRET)
    assert [item["kind"] for item in inbox(account)["items"]] == ["refund"]  # an open dispute is not lost yet
    control(stripe_api.url, f"disputes/{opened['data']['object']['id']}/close", {"status": "lost"})
    events = outbox.new()
    for event in events:
        deliver(event, STRIPE_WEBHOOK_SECRET)
    for event in events:
        deliver(event, STRIPE_WEBHOOK_SECRET)  # Stripe delivers again: nothing more

    listed = inbox(account)
    assert sorted(item["kind"] for item in listed["items"]) == ["dispute_lost", "refund"]
    assert {item["debt_id"] for item in listed["items"]} == {debt["id"]}
