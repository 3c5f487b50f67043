"""Automatic collection of a plan's instalments: set up from the debtor's page (Stripe Checkout in setup mode),
charged off-session on each date (`payments.collection.charge_due`, as the scheduler calls it), booked by Stripe's
signed webhooks, retried as Stripe advises, switched off from the page. Never two charges for one instalment's try:
called twice, from two threads at once, or again after a process died holding the claim.

Stripe is the stand-in; its events are recorded there and delivered here, signed, in the order a test chooses.
"""

from __future__ import annotations

import contextvars
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectra.debts.service import ledger_sum, today_in
from collectra.debts.timeline import actor_user, read_timeline
from collectra.inbox import items as inbox
from collectra.payments import collection
from collectra.plans import service
from collectra.plans.records import Plan
from collectra.store import keys
from collectra.workspaces.records import Workspace
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.support.debtor_page import connect_stripe, page_token, post_form
from tests.support.interleaving import frequent_switches
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, control
from tests.support.world import existing_item, get_item

CARD = "4242424242424242"
NEEDS_AUTHENTICATION = "4000002760003184"
DECLINED = "4000000000000341"
NO_FUNDS = "4000000000009995"
IBAN_OK = "DE89370400440532013000"
IBAN_BOUNCES = "DE62370400440532013001"


@dataclass
class Setup:
    account: Account
    account_id: str  # the workspace's Stripe account
    debtor_id: str
    debt_ids: list[str]
    plan_id: str
    token: str
    now: datetime  # the real time the test started: Stripe's clock and the plan's agree

    def workspace(self) -> Workspace:
        return cast(Workspace, existing_item(keys.workspace(self.account.workspace_id)))

    def plan(self) -> Plan:
        found = service.read(self.account.workspace_id, self.plan_id)
        assert found is not None
        return found

    def charge(self, number: int = 1) -> dict[str, Any]:
        return dict((self.plan().get("charges") or {})[str(number)])

    def paid(self) -> int:
        return sum(int(existing_item(keys.debt(self.account.workspace_id, d))["amount_paid"]) for d in self.debt_ids)

    def charge_due(self, at: datetime) -> str | None:
        return collection.charge_due(self.workspace(), self.plan(), now=at)


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


def new_plan(account: Account, stripe_api: StripeStandIn, outbox: Outbox, *, currency: str = "EUR") -> Setup:
    """A connected workspace; a debtor owing 60.00 and 40.00; a plan of 3 monthly instalments from today, accepted."""
    known = account.browser.call("GET", "/workspace/stripe").json()
    account_id = str(known.get("account_id") or "") or connect_stripe(account.browser, stripe_api, outbox)
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call("POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr"})
    assert answer.status == 201, answer.body
    debtor_id = str(answer.json()["id"])
    debts = [
        new_debt(account, debtor_id, amount=6_000, currency=currency, issued_on="2026-09-01", due_on="2026-10-01"),
        new_debt(account, debtor_id, amount=4_000, currency=currency, issued_on="2026-09-01", due_on="2026-10-15"),
    ]
    now = datetime.now(UTC)
    workspace = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    today = today_in(workspace, now)
    offered = service.offer(
        workspace,
        existing_item(keys.debtor(account.workspace_id, debtor_id)),
        [cast(Any, existing_item(keys.debt(account.workspace_id, debt["id"]))) for debt in debts],
        [today, today + timedelta(days=31), today + timedelta(days=62)],
        actor=actor_user(account.user_id),
        now=now,
    )
    service.accept(workspace, offered, now=now)
    token = page_token(account.browser, debtor_id)
    return Setup(account, account_id, debtor_id, [debt["id"] for debt in debts], offered["id"], token, now)


def switch(setup: Setup, action: str) -> str:
    answer = post_form(setup.token, "plan/automatic", {"action": action, "plan_id": setup.plan_id})
    assert answer.status == 303, answer.body
    return answer.headers["location"]


def save_method(setup: Setup, stripe_api: StripeStandIn, outbox: Outbox, number: str) -> str:
    """The debtor switches automatic payment on and saves `number` on Stripe's page; Stripe's events delivered."""
    location = switch(setup, "on")
    assert location.startswith(f"{stripe_api.url}/checkout/cs_"), location
    session_id = urlsplit(location).path.rsplit("/", 1)[1]
    control(stripe_api.url, f"sessions/{session_id}/setup", {"method": number})
    outbox.deliver_new()
    return session_id


def intents_of(stripe_api: StripeStandIn, plan_id: str) -> set[str]:
    """The PaymentIntents Stripe made for the plan: each made one event or more, named in its metadata."""
    events = control(stripe_api.url, "events", method="GET")["events"]
    return {
        entry["event"]["data"]["object"]["id"]
        for entry in events
        if entry["event"]["type"].startswith("payment_intent.")
        and entry["event"]["data"]["object"].get("metadata", {}).get("plan_id") == plan_id
    }


def timeline(setup: Setup, debt_index: int = 0) -> list[str]:
    entries, _ = read_timeline(setup.account.workspace_id, setup.debt_ids[debt_index], cursor=None, limit=200)
    return [entry["type"] for entry in entries]


def failed_item(setup: Setup, number: int = 1) -> dict[str, Any] | None:
    identifier = inbox.item_id("instalment_failed", f"{setup.plan_id}#{number}")
    return get_item(keys.inbox_item(setup.account.workspace_id, identifier))


# ---------------------------------------------------------------- setting up, switching off


def test_setting_up_saves_the_method_once_whichever_event_comes_first(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    location = switch(setup, "on")
    assert switch(setup, "on") == location  # a second tab, a double click: the same Stripe page
    session_id = urlsplit(location).path.rsplit("/", 1)[1]
    control(stripe_api.url, f"sessions/{session_id}/setup", {"method": CARD})
    events = outbox.new()
    kinds = [event["type"] for event in events]
    assert kinds == ["payment_method.attached", "setup_intent.succeeded", "checkout.session.completed"]

    results = [deliver(event, STRIPE_WEBHOOK_SECRET).json()["result"] for event in reversed(events)]
    again = [deliver(event, STRIPE_WEBHOOK_SECRET).json()["result"] for event in events]

    assert results[:2] == ["applied", "duplicate"] and again[1:] == ["duplicate", "duplicate"]
    collected = setup.plan()["collection"]
    assert collected["mode"] == "automatic" and collected.get("setup_attempt") is None
    assert collected.get("method") == {"type": "card", "brand": "visa", "last4": "4242"}
    assert str(collected.get("customer_id", "")).startswith("cus_")
    assert timeline(setup).count("automatic_collection_on") == 1
    # The session was made for the debtor's Customer, with the plan named in its metadata (and nothing personal).
    session = control(stripe_api.url, "events", method="GET")["events"]
    completed = next(e["event"] for e in session if e["event"]["data"]["object"].get("id") == session_id)
    obj = completed["data"]["object"]
    assert obj["mode"] == "setup" and obj["customer"] == collected["customer_id"]
    assert obj["payment_method_types"] == ["card", "sepa_debit"]  # a plan in euros may use a SEPA mandate too
    assert set(obj["metadata"]) == {"workspace_id", "debtor_id", "plan_id", "setup_attempt"}
    assert switch(setup, "on").endswith("notice=automatic_refused_already_on")


def test_switching_off_detaches_the_method_and_nothing_is_charged_any_more(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, CARD)
    method = setup.plan()["collection"]["payment_method_id"]

    assert switch(setup, "off").endswith("notice=automatic_off")

    events = outbox.new()
    detached = [e for e in events if e["type"] == "payment_method.detached"]
    assert [e["data"]["object"]["id"] for e in detached] == [method]
    collected = setup.plan()["collection"]
    assert collected["mode"] == "manual" and collected.get("customer_id")  # the Customer is kept for next time
    assert timeline(setup).count("automatic_collection_off") == 1
    assert setup.charge_due(setup.now) is None
    assert intents_of(stripe_api, setup.plan_id) == set()
    # On again: the same Customer, a new method.
    save_method(setup, stripe_api, outbox, CARD)
    again = setup.plan()["collection"]
    assert again["customer_id"] == collected["customer_id"] and again["payment_method_id"] != method


# ---------------------------------------------------------------- charging


def test_a_due_instalment_is_charged_and_booked_once_by_the_webhook(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, CARD)

    assert setup.charge_due(setup.now) == "succeeded"
    assert setup.charge_due(setup.now) is None  # on its way: booked when its webhook comes

    charge = setup.charge(1)
    assert (charge["state"], charge["tries"]) == ("succeeded", 1)
    attempt = existing_item(keys.payment_attempt(account.workspace_id, charge["attempt_id"]))
    assert (attempt["channel"], attempt["plan_id"], attempt["instalment"], attempt["amount"]) == (
        "off_session",
        setup.plan_id,
        1,
        3_333,
    )
    assert [(share["debt_id"], share["planned"]) for share in attempt["shares"]] == [(setup.debt_ids[0], 3_333)]
    answers = outbox.deliver_new()
    assert [answer.json()["result"] for answer in answers] == ["applied"]
    assert setup.paid() == 3_333
    assert ledger_sum(account.workspace_id, setup.debt_ids[0]) == 3_333
    assert setup.charge_due(setup.now) is None  # the second instalment is not due yet
    assert len(intents_of(stripe_api, setup.plan_id)) == 1

    # A month later the second instalment is charged, with its own key.
    later = setup.now + timedelta(days=31, hours=1)
    assert setup.charge_due(later) == "succeeded"
    outbox.deliver_new()
    assert setup.paid() == 6_666
    assert len(intents_of(stripe_api, setup.plan_id)) == 2


def test_two_schedulers_at_once_make_one_charge(account: Account, stripe_api: StripeStandIn, outbox: Outbox) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, CARD)
    workspace, plan = setup.workspace(), setup.plan()
    results: list[str | None] = []
    gate = threading.Barrier(2)

    def run() -> None:
        gate.wait()
        results.append(collection.charge_due(workspace, plan, now=setup.now))

    # Each thread in a copy of this context: the functions read their configuration from there (collectra.config).
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(run,)) for _ in range(2)]
    with frequent_switches():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(results, key=str) == [None, "succeeded"]
    assert len(intents_of(stripe_api, setup.plan_id)) == 1
    outbox.deliver_new()
    outbox.deliver_new()  # a redelivered schedule event, and Stripe's events again: nothing more
    assert setup.paid() == 3_333


@pytest.mark.parametrize("died", ["before_stripe", "after_stripe"])
def test_a_scheduler_that_died_holding_the_claim_is_taken_over_with_the_same_key(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox, monkeypatch: pytest.MonkeyPatch, died: str
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, CARD)
    from collectra.payments import stripe_api as api

    real_client = api.client()
    real_create = real_client.v1.payment_intents.create

    def dies(*args: Any, **kwargs: Any) -> Any:
        if died == "after_stripe":
            real_create(*args, **kwargs)  # Stripe charged; the process dies before it hears the answer
        raise SystemExit("the function's process died")

    monkeypatch.setattr(real_client.v1.payment_intents, "create", dies)
    with pytest.raises(SystemExit):
        setup.charge_due(setup.now)
    monkeypatch.setattr(real_client.v1.payment_intents, "create", real_create)
    claimed = setup.charge(1)
    assert claimed["state"] == "charging"

    assert setup.charge_due(setup.now + timedelta(minutes=1)) is None  # the lease holds: another may be charging
    assert setup.charge_due(setup.now + collection.LEASE + timedelta(seconds=1)) == "succeeded"

    taken_over = setup.charge(1)
    assert (taken_over["attempt_id"], taken_over["tries"]) == (claimed["attempt_id"], 1)
    assert len(intents_of(stripe_api, setup.plan_id)) == 1  # the same key: Stripe answered the same PaymentIntent
    outbox.deliver_new()
    assert setup.paid() == 3_333


@pytest.mark.parametrize(
    ("number", "state", "code", "retried"),
    [
        (NEEDS_AUTHENTICATION, "action_required", "authentication_required", False),
        (DECLINED, "failed", "generic_decline", False),
        (NO_FUNDS, "failed", "insufficient_funds", True),
    ],
)
def test_a_declined_charge_is_recorded_once_and_retried_only_as_stripe_advises(  # noqa: PLR0917
    account: Account, stripe_api: StripeStandIn, outbox: Outbox, number: str, state: str, code: str, retried: bool
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, number)

    assert setup.charge_due(setup.now) == state

    charge = setup.charge(1)
    assert (charge["state"], charge["decline_code"], charge["tries"]) == (state, code, 1)
    assert (charge.get("next_try_at") is not None) is retried
    plan = setup.plan()
    assert plan.get("next_look_at") is not None  # the scheduler looks at once and emails the debtor the link
    item = failed_item(setup)
    assert item is not None and item["state"] == "open" and item["detail"]["number"] == 1
    answers = outbox.deliver_new()  # Stripe's payment_failed says it again: nothing more
    assert [answer.json()["result"] for answer in answers] == ["applied"]
    assert timeline(setup).count("instalment_charge_failed") == 1
    assert timeline(setup).count("payment_failed") == 1  # the attempt's own note
    assert setup.charge(1)["state"] == state
    attempt = existing_item(keys.payment_attempt(account.workspace_id, charge["attempt_id"]))
    assert attempt["status"] == "failed"
    assert setup.charge_due(setup.now + timedelta(days=1)) is None
    if not retried:
        assert setup.charge_due(setup.now + timedelta(days=30)) is None
        return
    # insufficient_funds: again after 2 days, then 4, three tries in all.
    assert setup.charge_due(setup.now + timedelta(days=2, minutes=1)) == "failed"
    second = setup.charge(1)
    assert second["tries"] == 2 and second["attempt_id"] != charge["attempt_id"]
    assert setup.charge_due(setup.now + timedelta(days=6, minutes=2)) == "failed"
    third = setup.charge(1)
    assert (third["tries"], third.get("next_try_at")) == (3, None)
    assert setup.charge_due(setup.now + timedelta(days=30)) is None
    assert len(intents_of(stripe_api, setup.plan_id)) == 3
    outbox.deliver_new()
    opened = [i for i in [failed_item(setup)] if i is not None]
    assert len(opened) == 1  # one inbox item for the instalment, however many tries


@pytest.mark.parametrize(("iban", "outcome"), [(IBAN_OK, "succeeded"), (IBAN_BOUNCES, "failed")])
def test_a_sepa_debit_is_on_its_way_then_lands_or_bounces(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox, iban: str, outcome: str
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, iban)
    assert setup.plan()["collection"].get("method") == {"type": "sepa_debit", "last4": iban[-4:]}

    assert setup.charge_due(setup.now) == "processing"
    outbox.deliver_new()
    assert setup.charge(1)["state"] == "processing"
    assert setup.charge_due(setup.now + timedelta(days=3)) is None  # on its way: never charged again meanwhile
    intent = setup.charge(1)["payment_intent_id"]

    control(stripe_api.url, f"payment_intents/{intent}/settle")
    outbox.deliver_new()

    if outcome == "succeeded":
        assert (setup.charge(1)["state"], setup.paid()) == ("succeeded", 3_333)
        assert failed_item(setup) is None
    else:
        charge = setup.charge(1)
        assert (charge["state"], charge["decline_code"], setup.paid()) == ("failed", "insufficient_funds", 0)
        assert charge.get("next_try_at") is not None
        assert failed_item(setup) is not None
        assert timeline(setup).count("instalment_charge_failed") == 1


def test_a_plan_in_another_currency_saves_cards_only(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    setup = new_plan(account, stripe_api, outbox, currency="GBP")
    location = switch(setup, "on")
    session_id = urlsplit(location).path.rsplit("/", 1)[1]
    page = stripe_api_page(stripe_api, session_id)
    assert "id='card-4242'" in page and "sepa_debit" not in page


def stripe_api_page(stripe_api: StripeStandIn, session_id: str) -> str:
    from urllib.request import urlopen

    with urlopen(f"{stripe_api.url}/checkout/{session_id}") as page:
        return str(page.read().decode())


# ---------------------------------------------------------------- any order


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    order=st.permutations(
        ["processing_1", "failed_1", "processing_2", "succeeded_2", "succeeded_2_again", "failed_1_again"]
    )
)
def test_any_order_of_an_instalments_events_books_it_once(
    account: Account, stripe_api: StripeStandIn, order: list[str]
) -> None:
    """Try 1 by a SEPA debit that bounces, try 2 (two days later, a new mandate) that lands: their events, and
    some again, in any order, book the instalment once and leave the plan's charge succeeded."""
    outbox = Outbox(stripe_api.url)
    setup = new_plan(account, stripe_api, outbox)
    save_method(setup, stripe_api, outbox, IBAN_BOUNCES)
    assert setup.charge_due(setup.now) == "processing"
    control(stripe_api.url, f"payment_intents/{setup.charge(1)['payment_intent_id']}/settle")
    processing_1, failed_1 = outbox.new()
    deliver(failed_1, STRIPE_WEBHOOK_SECRET)  # the plan knows try 1 failed: its retry is due in two days
    switch(setup, "off")
    save_method(setup, stripe_api, outbox, IBAN_OK)
    assert setup.charge_due(setup.now + timedelta(days=2, minutes=1)) == "processing"
    control(stripe_api.url, f"payment_intents/{setup.charge(1)['payment_intent_id']}/settle")
    processing_2, succeeded_2 = [e for e in outbox.new() if e["type"].startswith("payment_intent.")]
    events = {
        "processing_1": processing_1,
        "failed_1": failed_1,
        "processing_2": processing_2,
        "succeeded_2": succeeded_2,
        "succeeded_2_again": succeeded_2,
        "failed_1_again": failed_1,
    }

    for name in order:
        assert deliver(events[name], STRIPE_WEBHOOK_SECRET).status == 200

    assert setup.paid() == 3_333
    assert ledger_sum(account.workspace_id, setup.debt_ids[0]) == 3_333
    assert timeline(setup).count("payment_received") == 1
    assert timeline(setup).count("instalment_charge_failed") == 1
    charge = setup.charge(1)
    assert (charge["state"], charge["tries"]) == ("succeeded", 2)
    assert len(intents_of(stripe_api, setup.plan_id)) == 2
    item = failed_item(setup)  # opened by try 1, done once the instalment is paid
    assert item is not None and item["state"] == "done"


def test_the_form_is_refused_without_its_csrf_token_or_for_a_plan_not_the_debtors(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    setup = new_plan(account, stripe_api, outbox)
    other = new_plan(account, stripe_api, outbox)

    expired = post_form(setup.token, "plan/automatic", {"action": "on", "plan_id": setup.plan_id}, csrf="forged")
    not_theirs = post_form(setup.token, "plan/automatic", {"action": "on", "plan_id": other.plan_id})
    unknown = post_form(setup.token, "plan/automatic", {"action": "maybe", "plan_id": setup.plan_id})

    assert expired.status == 422
    assert not_theirs.status == 303 and not_theirs.headers["location"].endswith("automatic_refused_plan_not_active")
    assert unknown.status == 303 and unknown.headers["location"].endswith("automatic_refused_plan_not_active")
    assert setup.plan()["collection"] == {"mode": "manual"} and other.plan()["collection"] == {"mode": "manual"}
