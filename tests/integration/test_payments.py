# ruff: noqa: RUF001  (French text has typographic apostrophes)
"""Paying from the debtor's page through Stripe Checkout, and Stripe's webhooks settling the debts once.

Stripe is the stand-in (`local/stripe/`), reached by the functions exactly as Stripe would be; its events
are recorded there and delivered here, signed, to POST /webhooks/stripe, so tests choose their order.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit
from urllib.request import urlopen

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectra import config, store
from collectra.debts.service import ledger_sum
from collectra.pages.messages import message
from collectra.store import keys
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, Clock, new_debt
from tests.integration import test_debtor_page_charges as charges
from tests.support import debtor_page
from tests.support.debtor_page import connect_stripe, post_form
from tests.support.http import Browser
from tests.support.ledger import lines_booked
from tests.support.metrics_printed import printed_metrics
from tests.support.stripe_events import deliver, event, signature
from tests.support.stripe_standin import Outbox, control, press


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


def connect(account: Account, stripe_api: StripeStandIn, outbox: Outbox, *, enabled: bool = True) -> str:
    return connect_stripe(account.browser, stripe_api, outbox, enabled=enabled)


def page_token(account: Account, debtor_id: str) -> str:
    return debtor_page.page_token(account.browser, debtor_id)


def press_pay(token: str, **choice: str) -> str:
    """The debtor presses a Pay button on their page; returns where they are sent (303)."""
    answer = post_form(token, "pay", choice)
    assert answer.status == 303, answer.body
    return answer.headers["location"]


def debt_of(account: Account, debt_id: str) -> dict[str, Any]:
    return dict(account.browser.call("GET", f"/debts/{debt_id}").json())


def timeline_types(account: Account, debt_id: str) -> list[str]:
    return [entry["type"] for entry in account.browser.call("GET", f"/debts/{debt_id}/timeline").json()["items"]]


@pytest.fixture
def paying(account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox) -> dict[str, Any]:
    """A connected workspace, a debt of 125.00 EUR, and its debtor's page token."""
    account_id = connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    return {"account_id": account_id, "debt": debt, "token": page_token(account, debtor["id"])}


# ---------------------------------------------------------------- connecting


def test_connecting_twice_makes_one_account_and_only_stripes_event_enables_charges(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    first = account.browser.call("POST", "/workspace/stripe/connect").json()
    second = account.browser.call("POST", "/workspace/stripe/connect").json()

    assert first["account_id"] == second["account_id"]
    assert first["url"].startswith(stripe_api.url + "/connect/onboarding/")
    assert account.browser.call("GET", "/workspace/stripe").json()["charges_enabled"] is False
    # Leaving (or finishing) onboarding lands in the app's payments settings, at the API's own origin.
    with urlopen(first["url"]) as page:
        onboarding = page.read().decode()
    back = html.escape(f"{config.public_base_url()}/app/settings/payments?stripe=return", quote=True)
    assert f"href='{back}'" in onboarding

    control(stripe_api.url, f"accounts/{first['account_id']}/update", {"charges_enabled": True})
    outbox.deliver_new()

    status = account.browser.call("GET", "/workspace/stripe").json()
    assert (status["connected"], status["charges_enabled"], status["platform_fee_basis_points"]) == (True, True, 0)


def test_a_member_cannot_connect_stripe_and_a_stale_account_event_changes_nothing(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    account_id = connect(account, stripe_api, outbox)
    late = event(
        "account.updated", {"id": account_id, "object": "account", "charges_enabled": False}, account=account_id
    )
    late["created"] -= 3600  # an older snapshot, delivered after the newer one

    assert deliver(late, STRIPE_WEBHOOK_SECRET).json()["result"] == "stale"
    assert account.browser.call("GET", "/workspace/stripe").json()["charges_enabled"] is True


def test_a_deauthorized_account_disconnects_the_workspace(
    account: Account, stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    account_id = connect(account, stripe_api, outbox)
    control(stripe_api.url, f"accounts/{account_id}/deauthorize")
    outbox.deliver_new()

    status = account.browser.call("GET", "/workspace/stripe").json()
    assert (status["connected"], status["charges_enabled"]) == (False, False)


# ---------------------------------------------------------------- paying from the page


def test_pay_sends_the_debtor_to_checkout_for_exactly_what_is_outstanding_and_reuses_it(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    debt = paying["debt"]
    account.browser.call(
        "POST",
        f"/debts/{debt['id']}/payments",
        {"amount": 2_500, "method": "bank_transfer", "received_on": "2026-11-02"},
    )

    location = press_pay(paying["token"], debt_id=debt["id"])
    again = press_pay(paying["token"], debt_id=debt["id"])

    assert location.startswith(f"{stripe_api.url}/checkout/cs_") and again == location
    session_id = location.rsplit("/", 1)[1]
    session = _session(stripe_api, paying["account_id"], session_id)
    assert (session["amount_total"], session["currency"], session["mode"]) == (10_000, "eur", "payment")
    assert session["metadata"]["debt_ids"] == debt["id"] and session["client_reference_id"].startswith("pay_")
    assert session["expires_at"] - session["created"] <= 31 * 60
    assert f"/p/{paying['token']}?payment=" in session["success_url"]
    assert timeline_types(account, debt["id"]).count("payment_started") == 1


def _session(stripe_api: StripeStandIn, account_id: str, session_id: str) -> dict[str, Any]:
    import stripe

    client = stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)
    found = client.v1.checkout.sessions.retrieve(session_id, options={"stripe_account": account_id})
    session: dict[str, Any] = json.loads(json.dumps(found.to_dict()))
    return session


@pytest.mark.parametrize(
    ("situation", "reason"),
    [
        ("not_connected", "payments_unavailable"),
        ("disputed", "debt_disputed"),
        ("paid", "nothing_to_pay"),
        ("mixed", "mixed_currencies"),
    ],
)
def test_pay_is_refused_with_a_clear_page_not_an_error(
    account: Account, debtor: dict[str, Any], *, stripe_api: StripeStandIn, outbox: Outbox, situation: str, reason: str
) -> None:
    if situation != "not_connected":
        connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    choice = {"debt_id": debt["id"]}
    if situation == "disputed":
        account.browser.call("POST", f"/debts/{debt['id']}/dispute", {"note": "wrong amount"})
    elif situation == "paid":
        account.browser.call(
            "POST", f"/debts/{debt['id']}/payments", {"amount": 12_500, "method": "cheque", "received_on": "2026-11-02"}
        )
        new_debt(account, debtor["id"])  # another, still open: the page keeps its forms
    elif situation == "mixed":
        new_debt(account, debtor["id"], currency="USD")
        choice = {}
    token = page_token(account, debtor["id"])

    location = press_pay(token, **choice)

    assert location == f"/p/{token}?notice=pay_refused_{reason}"
    shown = Browser().call("GET", location)
    assert shown.status == 200
    assert html.escape(message("fr", f"pay_refused_{reason}", creditor="Hopper & Co")) in shown.body


def test_a_pay_form_from_another_day_or_site_changes_nothing(account: Account, paying: dict[str, Any]) -> None:
    answer = Browser().call(
        "POST",
        f"/p/{paying['token']}/pay",
        raw_body=f"csrf_token=forged&debt_id={paying['debt']['id']}",
        headers={"content-type": "application/x-www-form-urlencoded", "origin": "null"},
        csrf_header=False,
    )
    assert answer.status == 422
    assert "payment_started" not in timeline_types(account, paying["debt"]["id"])


# ---------------------------------------------------------------- settling


def test_paying_settles_the_debt_once_with_its_ledger_and_timeline(
    account: Account, paying: dict[str, Any], outbox: Outbox, dynamodb_calls: list[str]
) -> None:
    debt, token = paying["debt"], paying["token"]
    status, back = press(press_pay(token, debt_id=debt["id"]), "pay")
    assert status == 303 and back is not None

    [completed] = outbox.new()
    dynamodb_calls.clear()
    first = deliver(completed, STRIPE_WEBHOOK_SECRET)
    calls = list(dynamodb_calls)
    again = deliver(completed, STRIPE_WEBHOOK_SECRET)

    assert completed["type"] == "checkout.session.completed"
    assert (first.json()["result"], again.json()["result"]) == ("applied", "duplicate")
    # The event's record is written in the same transaction; then the payment's open inbox items, resolved (none).
    assert calls == ["BatchGetItem", "TransactWriteItems", "Query"]
    paid = debt_of(account, debt["id"])
    assert (paid["status"], paid["amount_paid"], paid["amount_outstanding"]) == ("paid", 12_500, 0)
    assert ledger_sum(account.workspace_id, debt["id"]) == 12_500
    assert timeline_types(account, debt["id"]).count("payment_received") == 1
    back_page = Browser().call("GET", urlsplit(back).path + "?" + urlsplit(back).query)
    assert "nous avons reçu votre paiement de 125,00" in back_page.body


def test_a_declined_card_leaves_the_debt_open_and_says_so_on_the_timeline(
    account: Account, paying: dict[str, Any], outbox: Outbox
) -> None:
    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "decline")
    outbox.deliver_new()

    assert debt_of(account, paying["debt"]["id"])["status"] == "open"
    assert "payment_failed" in timeline_types(account, paying["debt"]["id"])


def test_a_delayed_payment_holds_reminders_then_a_failure_leaves_the_debt_open_and_the_attempt_failed(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    debt, token = paying["debt"], paying["token"]
    checkout = press_pay(token, debt_id=debt["id"])
    _, back = press(checkout, "delayed")
    outbox.deliver_new()
    assert debt_of(account, debt["id"])["payment_processing"] is True
    assert press_pay(token, debt_id=debt["id"]) == f"/p/{token}?notice=pay_refused_payment_processing"

    control(stripe_api.url, f"sessions/{checkout.rsplit('/', 1)[1]}/async", {"outcome": "failed"})
    outbox.deliver_new()

    after = debt_of(account, debt["id"])
    assert (after["status"], after["payment_processing"], after["amount_paid"]) == ("open", False, 0)
    assert back is not None
    shown = Browser().call("GET", urlsplit(back).path + "?" + urlsplit(back).query).body
    assert "n’a pas abouti" in shown


def test_a_refund_after_payment_reopens_the_debt_and_the_ledger_follows(
    account: Account,
    paying: dict[str, Any],
    stripe_api: StripeStandIn,
    outbox: Outbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    debt = paying["debt"]
    charge = paid_by_card(paying, stripe_api, outbox)
    assert printed_metrics(capsys.readouterr().out).get("PaymentsSettled") == [1]

    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 5_000})
    [refunded] = outbox.new()
    deliver(refunded, STRIPE_WEBHOOK_SECRET)
    deliver(refunded, STRIPE_WEBHOOK_SECRET)  # Stripe delivering it again: counted once
    counted = printed_metrics(capsys.readouterr().out)
    assert (counted.get("PaymentsRefunded"), counted.get("PaymentsSettled")) == ([1], None)

    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"]) == ("partially_paid", 7_500)
    assert ledger_sum(account.workspace_id, debt["id"]) == 7_500
    assert "payment_refund" in timeline_types(account, debt["id"])


def test_a_refunded_debt_no_longer_counts_in_its_debtors_days_to_pay(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    debtor_id = paying["debt"]["debtor_id"]
    charge = paid_by_card(paying, stripe_api, outbox)
    paid = account.browser.call("GET", f"/debtors/{debtor_id}").json()["days_to_pay"]
    assert paid["paid_debts"] == 1 and paid["average"] is not None  # from the debt's invoice date to today

    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 5_000})
    outbox.deliver_new()

    shown = account.browser.call("GET", f"/debtors/{debtor_id}").json()
    assert shown["days_to_pay"] == {"average": None, "paid_debts": 0, "average_days_late": None}
    assert shown["open_debts"] == 1


def test_a_lost_card_dispute_reopens_the_debt(
    account: Account,
    paying: dict[str, Any],
    stripe_api: StripeStandIn,
    outbox: Outbox,
    capsys: pytest.CaptureFixture[str],
) -> None:
    debt = paying["debt"]
    charge = paid_by_card(paying, stripe_api, outbox)

    control(stripe_api.url, f"charges/{charge}/dispute")
    [opened] = outbox.new()
    capsys.readouterr()
    deliver(opened, STRIPE_WEBHOOK_SECRET)
    assert printed_metrics(capsys.readouterr().out).get("PaymentsDisputed") == [1]
    assert debt_of(account, debt["id"])["status"] == "paid"  # a dispute is not lost until it is closed
    control(stripe_api.url, f"disputes/{opened['data']['object']['id']}/close", {"status": "lost"})
    outbox.deliver_new()

    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"]) == ("open", 0)
    types = timeline_types(account, debt["id"])
    assert "card_dispute_opened" in types and "payment_chargeback" in types


def paid_by_card(paying: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox) -> str:
    """The debtor pays the debt by card and its webhook is delivered; the charge's id."""
    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "pay")
    [completed] = outbox.new()
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    return _charge_of(stripe_api, paying["account_id"], completed)


def _charge_of(stripe_api: StripeStandIn, account_id: str, completed: dict[str, Any]) -> str:
    import stripe

    client = stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)
    intent = client.v1.payment_intents.retrieve(
        completed["data"]["object"]["payment_intent"], options={"stripe_account": account_id}
    )
    return str(intent.latest_charge)


def test_settling_one_session_expires_the_debtors_other_open_session_for_that_debt(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    account_id = connect(account, stripe_api, outbox)
    first, second = new_debt(account, debtor["id"]), new_debt(account, debtor["id"])
    token = page_token(account, debtor["id"])
    everything = press_pay(token, currency="EUR")
    only_first = press_pay(token, debt_id=first["id"])
    assert everything != only_first

    press(only_first, "pay")
    outbox.deliver_new()

    assert _session(stripe_api, account_id, everything.rsplit("/", 1)[1])["status"] == "expired"
    outbox.deliver_new()  # the expiry's own event
    assert debt_of(account, second["id"])["status"] == "open"


def test_an_event_from_another_account_or_for_no_attempt_of_ours_changes_nothing(
    account: Account, paying: dict[str, Any], outbox: Outbox
) -> None:
    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "pay")
    [completed] = outbox.new()
    forged = {**completed, "id": "evt_forged_account", "account": "acct_someone_else"}
    foreign = event(
        "checkout.session.completed", {"id": "cs_x", "metadata": {}, "payment_status": "paid"}, account="acct_x"
    )
    unknown = event("customer.created", {"id": "cus_1"}, account=None)

    assert deliver(forged, STRIPE_WEBHOOK_SECRET).json()["result"] == "wrong_account"
    assert deliver(foreign, STRIPE_WEBHOOK_SECRET).json()["result"] == "not_ours"
    assert deliver(unknown, STRIPE_WEBHOOK_SECRET).json()["result"] == "ignored"
    assert debt_of(account, paying["debt"]["id"])["status"] == "open"


# ---------------------------------------------------------------- signatures


def test_signatures_are_checked_over_the_raw_body(account: Account, paying: dict[str, Any], outbox: Outbox) -> None:
    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "pay")
    [completed] = outbox.new()
    payload = json.dumps(completed).encode()
    tampered = payload.replace(b'"amount_total": 12500', b'"amount_total": 99999')
    assert tampered != payload

    refused = [
        deliver(completed, "whsec_wrong"),
        deliver(tampered, STRIPE_WEBHOOK_SECRET, header=signature(payload, STRIPE_WEBHOOK_SECRET)),
        deliver(completed, STRIPE_WEBHOOK_SECRET, at=int(completed["created"]) - 301 - 60),
        deliver(payload, STRIPE_WEBHOOK_SECRET, header=""),
        deliver({**completed, "livemode": True}, STRIPE_WEBHOOK_SECRET),
    ]
    assert [answer.status for answer in refused] == [400] * 5
    assert debt_of(account, paying["debt"]["id"])["status"] == "open"

    rotated = signature(payload, "whsec_old_one", extra_secrets=(STRIPE_WEBHOOK_SECRET,))
    accepted = deliver(payload, STRIPE_WEBHOOK_SECRET, header=rotated, base64_body=True)
    assert accepted.status == 200 and accepted.json()["result"] == "applied"
    assert debt_of(account, paying["debt"]["id"])["status"] == "paid"


# ---------------------------------------------------------------- order and concurrency


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["completed", "refunded", "dispute_opened", "dispute_won", "completed_again"]))
def test_any_order_of_a_payments_events_ends_in_the_same_state(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, order: list[str]
) -> None:
    """One payment's events (paid, partly refunded, disputed and won, delivered twice) in any order."""
    outbox = Outbox(stripe_api.url)
    account_id = str(account.browser.call("GET", "/workspace/stripe").json()["account_id"] or "")
    if not account_id:
        account_id = connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    press(press_pay(page_token(account, debtor["id"]), debt_id=debt["id"]), "pay")
    [completed] = outbox.new()
    charge = _charge_of(stripe_api, account_id, completed)
    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 2_000})
    control(stripe_api.url, f"charges/{charge}/dispute")
    [refunded, opened] = outbox.new()
    control(stripe_api.url, f"disputes/{opened['data']['object']['id']}/close", {"status": "won"})
    [won] = outbox.new()
    events = {
        "completed": completed,
        "refunded": refunded,
        "dispute_opened": opened,
        "dispute_won": won,
        "completed_again": completed,
    }

    for name in order:
        assert deliver(events[name], STRIPE_WEBHOOK_SECRET).status == 200

    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"]) == ("partially_paid", 10_500)
    assert ledger_sum(account.workspace_id, debt["id"]) == 10_500
    assert timeline_types(account, debt["id"]).count("payment_received") == 1


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["completed", "refunded", "dispute_opened", "dispute_won", "completed_again"]))
def test_any_order_of_an_everything_payments_events_books_the_same_charge_lines(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, order: list[str]
) -> None:
    """The same events for a payment of principal, interest and compensation (designation "all", UK charges):
    whatever their order, each line books the same, and the lines add up to what the attempt booked."""
    outbox = Outbox(stripe_api.url)
    account_id = str(account.browser.call("GET", "/workspace/stripe").json()["account_id"] or "")
    if not account_id:
        account_id = connect(account, stripe_api, outbox)
        charges.claim_charges(account, "UK")  # principal first: money back leaves compensation, then interest
    debt = charges.late_debt(account, debtor["id"], "GBP")
    press(press_pay(page_token(account, debtor["id"]), debt_id=debt["id"], designation="all"), "pay")
    [completed] = outbox.new()
    charge = _charge_of(stripe_api, account_id, completed)
    control(stripe_api.url, f"charges/{charge}/refund", {"amount": 2_000})
    control(stripe_api.url, f"charges/{charge}/dispute")
    [refunded, opened] = outbox.new()
    control(stripe_api.url, f"disputes/{opened['data']['object']['id']}/close", {"status": "won"})
    [won] = outbox.new()
    events = {
        "completed": completed,
        "refunded": refunded,
        "dispute_opened": opened,
        "dispute_won": won,
        "completed_again": completed,
    }

    for name in order:
        assert deliver(events[name], STRIPE_WEBHOOK_SECRET).status == 200

    stored = charges.stored(account, debt["id"])
    lines = (stored["amount_paid"], stored["interest_paid"], stored["compensation_paid"])
    assert lines == (charges.AMOUNT, charges.INTEREST, charges.UK_COMPENSATION - 2_000)
    # The ledger's lines, money back taken off: the same whether the refund came before the payment or after.
    assert lines_booked(account.workspace_id, debt["id"]) == {
        None: charges.AMOUNT,
        "interest": charges.INTEREST,
        "compensation": charges.UK_COMPENSATION - 2_000,
    }
    attempt = store.get(keys.payment_attempt(account.workspace_id, completed["data"]["object"]["client_reference_id"]))
    assert attempt is not None and sum(lines) == attempt["booked"][debt["id"]] == charges.UK_EVERYTHING - 2_000
    assert ledger_sum(account.workspace_id, debt["id"]) == charges.AMOUNT
    assert timeline_types(account, debt["id"]).count("payment_received") == 1


def test_two_webhooks_for_the_same_debt_at_once_both_count_exactly(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sessions paid for the same debt; the second webhook lands between the first's read and write."""
    from collectra import store

    connect(account, stripe_api, outbox)
    debt = new_debt(account, debtor["id"])
    other = new_debt(account, debtor["id"], amount=5_000)
    token = page_token(account, debtor["id"])
    alone, everything = press_pay(token, debt_id=debt["id"]), press_pay(token, currency="EUR")
    press(alone, "pay")
    press(everything, "pay")
    first, second = [e for e in outbox.new() if e["type"] == "checkout.session.completed"]

    real_transact = store.transact
    interleaved: list[Callable[[], None]] = [lambda: _assert_applied(deliver(second, STRIPE_WEBHOOK_SECRET))]

    def transact_after_the_other_webhook(operations: Any) -> None:
        if interleaved:
            interleaved.pop()()
        real_transact(operations)

    monkeypatch.setattr(store, "transact", transact_after_the_other_webhook)
    assert deliver(first, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    monkeypatch.setattr(store, "transact", real_transact)

    paid_twice = debt_of(account, debt["id"])
    assert (paid_twice["status"], paid_twice["amount_paid"]) == ("paid", 25_000)  # until Stripe says it refunded
    assert ledger_sum(account.workspace_id, debt["id"]) == 25_000
    [refunded] = outbox.new()  # the overpayment, refunded through Stripe by whichever webhook came second
    assert refunded["type"] == "charge.refunded" and refunded["data"]["object"]["amount_refunded"] == 12_500
    assert deliver(refunded, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"

    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"], after["overpayment_refunded"]) == ("paid", 12_500, 12_500)
    assert ledger_sum(account.workspace_id, debt["id"]) == 12_500
    assert timeline_types(account, debt["id"]).count("payment_received") == 2
    assert timeline_types(account, debt["id"]).count("overpayment_refunded") == 1
    assert debt_of(account, other["id"])["amount_paid"] == 5_000


def two_paid_sessions(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """A debt of 125.00 and another of 50.00; the first paid alone and with everything, in two tabs: the two
    sessions' completion events, not delivered yet."""
    outbox = Outbox(stripe_api.url)
    if not account.browser.call("GET", "/workspace/stripe").json()["account_id"]:
        connect(account, stripe_api, outbox)
    debt, other = new_debt(account, debtor["id"]), new_debt(account, debtor["id"], amount=5_000)
    token = page_token(account, debtor["id"])
    alone, everything = press_pay(token, debt_id=debt["id"]), press_pay(token, currency="EUR")
    press(alone, "pay")
    press(everything, "pay")
    completed = [e for e in outbox.new() if e["type"] == "checkout.session.completed"]
    return debt, other, completed


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["first", "second", "first_again", "second_again"]), refund_twice=st.booleans())
def test_any_order_of_two_paid_sessions_pays_the_debt_once_and_refunds_the_rest_once(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, order: list[str], refund_twice: bool
) -> None:
    debt, other, (first, second) = two_paid_sessions(account, debtor, stripe_api)
    outbox = Outbox(stripe_api.url)
    events = {"first": first, "second": second, "first_again": first, "second_again": second}

    for name in order:
        assert deliver(events[name], STRIPE_WEBHOOK_SECRET).status == 200
    refunds = outbox.new()
    for refund in refunds * (2 if refund_twice else 1):
        assert deliver(refund, STRIPE_WEBHOOK_SECRET).status == 200

    assert [(e["type"], e["data"]["object"]["amount_refunded"]) for e in refunds] == [("charge.refunded", 12_500)]
    for owed, expected in ((debt, 12_500), (other, 5_000)):
        after = debt_of(account, owed["id"])
        assert (after["status"], after["amount_paid"]) == ("paid", expected)
        assert ledger_sum(account.workspace_id, owed["id"]) == expected
    assert debt_of(account, debt["id"])["overpayment_refunded"] == 12_500
    assert timeline_types(account, debt["id"]).count("overpayment_refunded") == 1


def test_a_workspace_that_keeps_overpayments_is_not_refunded(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    answer = account.browser.call("PATCH", "/workspace", {"refund_overpayments": False})
    assert answer.status == 200 and answer.json()["refund_overpayments"] is False
    debt, _, (first, second) = two_paid_sessions(account, debtor, stripe_api)
    outbox = Outbox(stripe_api.url)

    for completed in (first, second):
        assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"

    assert outbox.new() == []  # no refund asked of Stripe
    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"], after["overpayment_refunded"]) == ("paid", 25_000, 0)
    assert account.browser.call("PATCH", "/workspace", {"refund_overpayments": None}).status == 422


def test_a_refund_stripe_could_not_make_is_asked_again_when_stripe_redelivers(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stripe

    from collectra.payments import stripe_api as stripe_platform

    debt, _, (first, second) = two_paid_sessions(account, debtor, stripe_api)
    outbox = Outbox(stripe_api.url)
    assert deliver(first, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    real = stripe_platform.client

    class Unreachable:
        def __getattr__(self, _: str) -> Any:
            # stripe-python's error constructors carry no annotations.
            raise stripe.APIConnectionError("Stripe is unreachable")  # type: ignore[no-untyped-call]

    monkeypatch.setattr(stripe_platform, "client", Unreachable)
    assert deliver(second, STRIPE_WEBHOOK_SECRET).status == 500  # so Stripe delivers it again
    monkeypatch.setattr(stripe_platform, "client", real)
    assert outbox.new() == []

    assert deliver(second, STRIPE_WEBHOOK_SECRET).json()["result"] == "duplicate"
    assert deliver(second, STRIPE_WEBHOOK_SECRET).json()["result"] == "duplicate"
    [refunded] = outbox.new()
    assert deliver(refunded, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    assert debt_of(account, debt["id"])["amount_paid"] == 12_500


def _assert_applied(answer: Any) -> None:
    assert answer.json()["result"] == "applied", answer.body


def test_the_page_reports_a_payment_only_from_collectras_records(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    location = press_pay(paying["token"], debt_id=paying["debt"]["id"])
    session = _session(stripe_api, paying["account_id"], location.rsplit("/", 1)[1])
    attempt = dict(parse_qsl(urlsplit(session["success_url"]).query))["payment"]

    shown = Browser().call("GET", f"/p/{paying['token']}?payment={attempt}").body  # back before any webhook
    someone_elses = Browser().call("GET", f"/p/{paying['token']}?payment=pay_0000000000000000000000000a")

    assert "Nous attendons la confirmation" in shown
    assert someone_elses.status == 200 and "Nous attendons" not in someone_elses.body


def test_a_throttled_table_answers_500_so_stripe_retries_and_the_retry_settles_once(
    account: Account, paying: dict[str, Any], outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from collectra import store

    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "pay")
    [completed] = outbox.new()

    def throttled(_: Any) -> None:
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "TransactWriteItems"
        )

    monkeypatch.setattr(store, "transact", throttled)
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).status == 500
    monkeypatch.undo()
    assert debt_of(account, paying["debt"]["id"])["status"] == "open"

    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    assert debt_of(account, paying["debt"]["id"])["amount_paid"] == 12_500


def test_the_workspaces_platform_fee_goes_to_stripe_with_the_payment(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    from collectra import store
    from collectra.store import keys

    # Set by Collectra's operators, not by the business (there is no API for it).
    store.update(keys.workspace(account.workspace_id), "SET platform_fee_basis_points = :bps", values={":bps": 150})
    press(press_pay(paying["token"], debt_id=paying["debt"]["id"]), "pay")
    [completed] = outbox.new()

    import stripe

    client = stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)
    intent = client.v1.payment_intents.retrieve(
        completed["data"]["object"]["payment_intent"], options={"stripe_account": paying["account_id"]}
    )
    assert intent.application_fee_amount == 188  # 1.5 % of 125.00, rounded
    assert account.browser.call("GET", "/workspace/stripe").json()["platform_fee_basis_points"] == 150


# ---------------------------------------------------------------- one session per basket


def test_a_press_that_died_holding_the_claim_delays_paying_only_until_the_claim_lapses(
    account: Account, paying: dict[str, Any], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra import store
    from collectra.debts.records import Debt
    from collectra.payments import checkout
    from collectra.payments.quote import quote
    from collectra.store import keys

    debt = debt_of(account, paying["debt"]["id"])
    principal_only = quote(cast(Debt, debt), None, "principal")
    basket = checkout.basket_of([checkout.Quoted(cast(Debt, debt), principal_only, None)], "principal")
    claim = {"attempt_id": "pay_dead", "basket": basket, "debt_ids": [debt["id"]]}
    store.update(
        keys.debtor(account.workspace_id, debt["debtor_id"]),
        "SET checkouts = :claims, checkout_version = :one",
        values={":claims": {"pay_dead": claim | {"expires_at": int(clock.now.timestamp()) + 30}}, ":one": 1},
    )
    monkeypatch.setattr(checkout, "WAIT_SECONDS", 0.3)

    waited = press_pay(paying["token"], debt_id=debt["id"])
    clock.advance(seconds=31)
    taken_over = press_pay(paying["token"], debt_id=debt["id"])

    assert urlsplit(waited).query == "notice=pay_refused_payment_processing"
    assert "/checkout/cs_" in taken_over
    assert timeline_types(account, debt["id"]).count("payment_started") == 1


def test_a_session_made_while_the_debt_changed_is_expired_and_never_shown(
    account: Account, paying: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra.payments import checkout

    debt_id = paying["debt"]["id"]
    real_record = checkout._record

    def business_records_a_payment_meanwhile(*args: Any, **kwargs: Any) -> None:
        body = {"amount": 2_500, "method": "bank_transfer", "received_on": "2026-11-20"}
        assert account.browser.call("POST", f"/debts/{debt_id}/payments", body).status == 201
        real_record(*args, **kwargs)

    monkeypatch.setattr(checkout, "_record", business_records_a_payment_meanwhile)
    refused = press_pay(paying["token"], debt_id=debt_id)
    monkeypatch.setattr(checkout, "_record", real_record)

    assert urlsplit(refused).query == "notice=pay_refused_payment_changed"
    assert "payment_started" not in timeline_types(account, debt_id)
    [expired] = outbox.new()
    assert expired["type"] == "checkout.session.expired"
    again = press_pay(paying["token"], debt_id=debt_id)  # for what is owed now
    assert _session(stripe_api, paying["account_id"], again.rsplit("/", 1)[1])["amount_total"] == 10_000


def test_a_signed_event_that_cannot_be_read_is_acknowledged_and_changes_nothing(
    account: Account, paying: dict[str, Any], outbox: Outbox, capsys: pytest.CaptureFixture[str]
) -> None:
    debt = paying["debt"]
    press(press_pay(paying["token"], debt_id=debt["id"]), "pay")
    [completed] = outbox.new()
    garbled = json.loads(json.dumps(completed))
    garbled["id"] = completed["id"] + "x"
    garbled["data"]["object"]["amount_total"] = "twelve thousand"
    capsys.readouterr()

    answer = deliver(garbled, STRIPE_WEBHOOK_SECRET)

    # Acknowledged (Stripe would retry in vain), and said; the debt is as it was.
    assert (answer.status, answer.json()["result"]) == (200, "unreadable")
    assert printed_metrics(capsys.readouterr().out).get("StripeEvent_unreadable") == [1]
    after = debt_of(account, debt["id"])
    assert (after["status"], after["amount_paid"]) == ("open", 0)
    # The event Stripe really sent is applied as ever.
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"
    assert debt_of(account, debt["id"])["status"] == "paid"
