"""Stripe amounts in every currency: refused when the debt is recorded, converted where they cross to Stripe.

Through the real handlers and the Stripe stand-in, which refuses amounts the way Stripe does (a KWD amount
not ending in 0, ISK not in whole krónur).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import stripe
from stripe.params.checkout import SessionCreateParams

from collectra.debts.service import ledger_sum
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.support import debtor_page
from tests.support.debtor_page import connect_stripe, post_form
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, control, press


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


@pytest.fixture
def connected(account: Account, stripe_api: StripeStandIn, outbox: Outbox) -> str:
    """The account's workspace takes card payments through its Stripe account; that account's id."""
    return connect_stripe(account.browser, stripe_api, outbox)


def debt_body(debtor_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "debtor_id": debtor_id,
        "invoice_number": "INV-FX-1",
        "amount": 12_500,
        "currency": "EUR",
        "due_on": "2026-11-01",
    } | fields


def stripe_client(stripe_api: StripeStandIn) -> stripe.StripeClient:
    return stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)


# ---------------------------------------------------------------- recording a debt


@pytest.mark.parametrize(
    ("currency", "amount", "field", "said"),
    [
        ("IQD", 250_000, "body.currency", "Stripe cannot charge in IQD"),
        ("KWD", 12_345, "body.amount", "12.345 KWD"),
        ("MGA", 1_250_050, "body.amount", "12500.50 MGA"),
    ],
)
def test_a_stripe_connected_workspace_cannot_record_a_debt_stripe_cannot_charge(
    account: Account, debtor: dict[str, Any], connected: str, *, currency: str, amount: int, field: str, said: str
) -> None:
    answer = account.browser.call("POST", "/debts", debt_body(debtor["id"], currency=currency, amount=amount))

    assert answer.status == 422, answer.body
    error = answer.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == ("stripe_amount_refused", field)
    assert said in error["message"]
    assert account.browser.call("GET", "/debts").json()["items"] == []


def test_correcting_an_amount_to_one_stripe_cannot_take_is_refused(
    account: Account, debtor: dict[str, Any], connected: str
) -> None:
    debt = new_debt(account, debtor["id"], currency="KWD", amount=12_340)

    answer = account.browser.call("PATCH", f"/debts/{debt['id']}", {"version": debt["version"], "amount": 12_345})

    assert answer.status == 422, answer.body
    assert answer.json()["error"]["code"] == "stripe_amount_refused"
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["amount"] == 12_340


def test_a_csv_row_stripe_cannot_charge_is_a_row_error_and_the_others_are_imported(
    account: Account, connected: str
) -> None:
    csv = (
        "Invoice Number,Customer Name,Customer Email,Amount,Currency,Due Date\n"
        "FX-1,Émile Zola,emile@example.fr,250.000,IQD,2027-01-15\n"
        "FX-2,Émile Zola,emile@example.fr,12.345,KWD,2027-01-15\n"
        "FX-3,Émile Zola,emile@example.fr,12.340,KWD,2027-01-15\n"
    )

    answer = account.browser.call(
        "POST", "/debts/import?locale=en", raw_body=csv, headers={"content-type": "text/csv; charset=utf-8"}
    )

    assert answer.status == 200, answer.body
    report = answer.json()
    assert (report["created"], report["rejected"]) == (1, 2)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(2, "Currency"), (3, "Amount")]
    assert "IQD" in report["errors"][0]["reason"] and "end in 0" in report["errors"][1]["reason"]
    [imported] = account.browser.call("GET", "/debts").json()["items"]
    assert (imported["invoice_number"], imported["amount"], imported["currency"]) == ("FX-3", 12_340, "KWD")


# ---------------------------------------------------------------- paying


@pytest.mark.parametrize(
    ("currency", "amount", "stripes"),
    [
        ("ISK", 5_000, 500_000),  # 5000 krónur: zero decimals in ISO 4217, two (00) in Stripe
        ("MGA", 1_250_000, 12_500),  # 12500.00 ariary: two decimals in ISO 4217, none in Stripe
    ],
)
def test_a_debt_in_a_special_currency_is_charged_as_stripe_writes_it_and_settled_exactly(
    account: Account,
    debtor: dict[str, Any],
    stripe_api: StripeStandIn,
    outbox: Outbox,
    connected: str,
    *,
    currency: str,
    amount: int,
    stripes: int,
) -> None:
    debt = new_debt(account, debtor["id"], currency=currency, amount=amount)
    token = debtor_page.page_token(account.browser, debtor["id"])
    checkout = post_form(token, "pay", {"debt_id": debt["id"]}).headers["location"]

    session = stripe_client(stripe_api).v1.checkout.sessions.retrieve(
        checkout.rsplit("/", 1)[1], options={"stripe_account": connected}
    )
    assert (session.amount_total, session.currency) == (stripes, currency.lower())

    press(checkout, "pay")
    [completed] = outbox.new()
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"

    paid = account.browser.call("GET", f"/debts/{debt['id']}").json()
    assert (paid["status"], paid["amount_paid"], paid["amount_outstanding"]) == ("paid", amount, 0)
    assert ledger_sum(account.workspace_id, debt["id"]) == amount


def test_a_refund_in_isk_is_booked_in_kronur(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox, connected: str
) -> None:
    debt = new_debt(account, debtor["id"], currency="ISK", amount=5_000)
    token = debtor_page.page_token(account.browser, debtor["id"])
    press(post_form(token, "pay", {"debt_id": debt["id"]}).headers["location"], "pay")
    [completed] = outbox.new()
    deliver(completed, STRIPE_WEBHOOK_SECRET)
    intent = stripe_client(stripe_api).v1.payment_intents.retrieve(
        completed["data"]["object"]["payment_intent"], options={"stripe_account": connected}
    )

    control(stripe_api.url, f"charges/{intent.latest_charge}/refund", {"amount": 100_000})  # 1000 krónur
    outbox.deliver_new()

    after = account.browser.call("GET", f"/debts/{debt['id']}").json()
    assert (after["status"], after["amount_paid"]) == ("partially_paid", 4_000)
    assert ledger_sum(account.workspace_id, debt["id"]) == 4_000


def test_pay_refuses_before_stripe_an_amount_stripe_cannot_take(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    # Recorded before the workspace connected Stripe, when any ISO amount was fine.
    debt = new_debt(account, debtor["id"], currency="KWD", amount=12_345)
    connect_stripe(account.browser, stripe_api, outbox)
    token = debtor_page.page_token(account.browser, debtor["id"])

    answer = post_form(token, "pay", {"debt_id": debt["id"]})

    assert (answer.status, answer.headers["location"]) == (303, f"/p/{token}?notice=pay_refused_amount_not_payable")
    timeline = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    assert "payment_started" not in [entry["type"] for entry in timeline]


def test_the_stripe_stand_in_refuses_a_three_decimal_amount_not_ending_in_0(
    stripe_api: StripeStandIn, account: Account, connected: str
) -> None:
    params: SessionCreateParams = {
        "mode": "payment",
        "success_url": "https://example.com/done",
        "line_items": [
            {"quantity": 1, "price_data": {"currency": "kwd", "unit_amount": 12_345, "product_data": {"name": "x"}}}
        ],
    }

    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe_client(stripe_api).v1.checkout.sessions.create(params=params, options={"stripe_account": connected})

    assert refused.value.param == "line_items[0][price_data][unit_amount]"
    assert "KWD" in json.dumps(refused.value.json_body)
