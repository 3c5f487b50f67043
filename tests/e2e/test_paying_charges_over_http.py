"""Paying late-payment charges from the debtor's page over real HTTP, with real concurrency: "pay the invoice
amount" and "pay everything" pressed many times at once in two tabs make one Checkout Session each."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from collectra import clock, store
from collectra.store import keys
from local.gateway import Gateway
from tests.e2e.test_paying_over_http import business_with_a_debt, csrf_of, press_pay, timeline

pytestmark = pytest.mark.gateway


def test_presses_at_once_in_two_tabs_make_one_session_per_designation(gateway: Gateway) -> None:
    client, first, token = business_with_a_debt(gateway)
    workspace_id = client.call("GET", "/workspace").json()["id"]
    # Given a workspace that claims charges (the stored shape; PATCH /workspace is the settings'), and a late debt.
    late_payment = {"enabled": True, "jurisdiction": "UK", "contractual_rate": "30"}
    store.update(keys.workspace(workspace_id), "SET late_payment = :chosen", values={":chosen": late_payment})
    due = clock.utcnow().astimezone(ZoneInfo("Europe/Paris")).date() - timedelta(days=30)
    body = {"debtor_id": first["debtor_id"], "invoice_number": "INV-LATE", "amount": 10_000, "currency": "GBP"}
    answer = client.call("POST", "/debts", body | {"due_on": due.isoformat()})
    assert answer.status == 201, answer.body
    debt = answer.json()
    csrf = csrf_of(gateway, token)
    designations = ["principal", "all"] * 5

    with ThreadPoolExecutor(max_workers=10) as pool:
        pressed = list(
            pool.map(
                lambda chosen: press_pay(gateway, token, csrf, debt_id=debt["id"], designation=chosen), designations
            )
        )

    sessions = {
        chosen: {url for url, d in zip(pressed, designations, strict=True) if d == chosen}
        for chosen in ("principal", "all")
    }
    assert all(len(urls) == 1 for urls in sessions.values()), sessions
    assert sessions["principal"] != sessions["all"]
    assert all(urlsplit(url).path.startswith("/checkout/cs_") for url in pressed)
    started = [entry for entry in timeline(client, debt["id"]) if entry["type"] == "payment_started"]
    # 100.00 GBP, and with 30 days at 30% (2.47) and the Act's fixed GBP 40: one session each.
    assert sorted(entry["data"]["amount"] for entry in started) == [10_000, 10_000 + 247 + 4_000]
