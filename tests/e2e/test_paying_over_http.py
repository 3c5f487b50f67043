"""Paying from the debtor's page over real HTTP, with real concurrency: the local gateway runs each function in
several worker processes, and its Stripe stand-in delivers signed webhooks back to it, as Stripe would."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from collectra.debts.service import ledger_sum
from local.client import WebClient, http_request
from local.gateway import Gateway
from tests.support.stripe_standin import control, press
from tests.support.web import signed_up

pytestmark = pytest.mark.gateway

FORM = {"content-type": "application/x-www-form-urlencoded", "origin": "null"}


def business_with_a_debt(gateway: Gateway, amount: int = 5_000) -> tuple[WebClient, dict[str, Any], str]:
    """A workspace with Stripe connected, one debtor owing `amount` EUR, and the debtor's page token."""
    client, _ = signed_up(gateway, "Payee Co")
    stripe_url = gateway.stripe.url  # type: ignore[attr-defined]
    account_id = client.call("POST", "/workspace/stripe/connect").json()["account_id"]
    control(stripe_url, f"accounts/{account_id}/update", {"charges_enabled": True, "details_submitted": True})
    debtor = client.call("POST", "/debtors", {"name": "Dana Debtor", "email": "dana@example.com"}).json()
    debt = add_debt(client, debtor["id"], "INV-1", amount)
    assert client.call("GET", "/workspace/stripe").json()["charges_enabled"] is True
    token = str(client.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]).rsplit("/", 1)[1]
    return client, debt, token


def add_debt(client: WebClient, debtor_id: str, number: str, amount: int) -> dict[str, Any]:
    body = {
        "debtor_id": debtor_id,
        "invoice_number": number,
        "amount": amount,
        "currency": "EUR",
        "due_on": "2026-11-01",
    }
    answer = client.call("POST", "/debts", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def csrf_of(gateway: Gateway, token: str) -> str:
    status, _, body = http_request(gateway.url, "GET", f"/p/{token}", None, {})
    assert status == 200
    return body.decode().split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def press_pay(gateway: Gateway, token: str, csrf: str, **choice: str) -> str:
    status, headers, body = http_request(
        gateway.url, "POST", f"/p/{token}/pay", urlencode({"csrf_token": csrf, **choice}).encode(), FORM
    )
    assert status == 303, body
    return str(headers["location"])


def eventually[T](read: Callable[[], T], *, until: Callable[[T], bool], seconds: float = 10.0) -> T:
    """What `read` gives once `until` holds of it, or after `seconds` whatever it gives (for the assertion)."""
    deadline = time.monotonic() + seconds
    value = read()
    while not until(value) and time.monotonic() < deadline:
        time.sleep(0.1)
        value = read()
    return value


def timeline(client: WebClient, debt_id: str) -> list[dict[str, Any]]:
    return list(client.call("GET", f"/debts/{debt_id}/timeline").json()["items"])


def test_ten_presses_at_once_make_one_checkout_session_and_all_go_there(gateway: Gateway) -> None:
    client, debt, token = business_with_a_debt(gateway)
    csrf = csrf_of(gateway, token)

    with ThreadPoolExecutor(max_workers=10) as pool:
        locations = list(pool.map(lambda _: press_pay(gateway, token, csrf, debt_id=debt["id"]), range(10)))

    assert len(set(locations)) == 1, locations
    assert urlsplit(locations[0]).path.startswith("/checkout/cs_")
    started = [entry for entry in timeline(client, debt["id"]) if entry["type"] == "payment_started"]
    assert len(started) == 1


def test_two_sessions_paid_anyway_pay_the_debt_once_and_refund_the_second(gateway: Gateway) -> None:
    """Pay one debt, and everything, in two tabs, before Stripe's first webhook can expire the other session."""
    client, debt, token = business_with_a_debt(gateway, amount=7_00)
    other = add_debt(client, debt["debtor_id"], "INV-2", 3_00)
    stripe_url = gateway.stripe.url  # type: ignore[attr-defined]
    csrf = csrf_of(gateway, token)
    alone = press_pay(gateway, token, csrf, debt_id=debt["id"])
    everything = press_pay(gateway, token, csrf, currency="EUR")
    assert alone != everything

    control(stripe_url, "hold")
    assert press(alone, "pay")[0] == 303
    assert press(everything, "pay")[0] == 303
    delivered = control(stripe_url, "release", {"order": "as_created"})["delivered"]
    assert all(item["status"] == 200 for item in delivered), delivered

    # The refund's own event reaches the webhook just after Stripe answered the refund call.
    after = eventually(
        lambda: client.call("GET", f"/debts/{debt['id']}").json(), until=lambda d: d["amount_paid"] <= 7_00
    )
    assert (after["status"], after["amount_paid"], after["overpayment_refunded"]) == ("paid", 7_00, 7_00)
    assert ledger_sum(client_workspace(client), debt["id"]) == 7_00
    types = [entry["type"] for entry in timeline(client, debt["id"])]
    assert types.count("payment_received") == 2
    assert types.count("overpayment_refunded") == 1
    second = client.call("GET", f"/debts/{other['id']}").json()
    assert (second["status"], second["amount_paid"], second["overpayment_refunded"]) == ("paid", 3_00, 0)
    refunds = [
        entry["event"]["data"]["object"]
        for entry in control(stripe_url, "events", method="GET")["events"]
        if entry["event"]["type"] == "charge.refunded"
        and entry["event"]["data"]["object"]["metadata"].get("debtor_id") == debt["debtor_id"]
    ]
    assert [refund["amount_refunded"] for refund in refunds] == [7_00]
    # Back from the second Checkout, the debtor is told why part of it comes back.
    attempt = urlsplit(str(refunds[0]["metadata"]["attempt_id"])).path
    status, _, page = http_request(gateway.url, "GET", f"/p/{token}?payment={attempt}", None, {})
    assert status == 200
    assert "7.00 is being refunded to you automatically" in page.decode().replace("\u20ac", "")


def client_workspace(client: WebClient) -> str:
    return str(client.call("GET", "/workspace").json()["id"])
