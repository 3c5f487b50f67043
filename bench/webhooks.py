"""Stripe webhook handling: time and DynamoDB calls per event, on the events real payments make.

    python -m bench.webhooks            (BENCH_WEBHOOK_PAYMENTS payments of each kind, 50 by default)

Set-up, none of it timed: a workspace connects its Stripe account (the stand-in in `local/stripe/`,
which only records its events here), then for each of PAYMENTS debtors, a debt of 125.00 EUR is paid
from the debtor's page by card (Pay, then the stand-in's Pay button), partly refunded (20.00), disputed,
and the dispute lost; every other one of those debtors has a second debt and an open Checkout Session
for both, which settling the first must expire at Stripe. PAYMENTS more debtors pay by bank transfer
(the Delayed button), which then succeeds. The account's payouts are also toggled a few times.

Then every event the stand-in recorded is delivered, signed as Stripe signs it, in the order Stripe
created it, to POST /webhooks/stripe served in this process (bench.inprocess), followed by a second
delivery of each checkout.session.completed (Stripe delivers at least once), and by the events the
webhook itself caused (the expired sessions). "Own" time excludes the time inside botocore's
Endpoint._send (the emulator) and the time waiting for the stand-in (the expiry calls).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import stripe

from bench.cold_start import World, webhook_headers
from bench.cost import Pricer, projections, write_units
from bench.inprocess import Served, browser, in_process, median_p95, pricer, serve
from local.client import http_request

PAYMENTS = int(os.environ.get("BENCH_WEBHOOK_PAYMENTS", "50"))  # printed with every figure
ACCOUNT_UPDATES = 10
AMOUNT, SECOND_DEBT, REFUND = 12_500, 5_000, 2_000
# The target: at most 3 DynamoDB calls per event, plus the record that the event was applied,
# which is written in the same transaction as the change: so at most 3 calls in all.
TARGET_CALLS = 3
FORM = {"content-type": "application/x-www-form-urlencoded", "origin": "null"}


@dataclass
class Delivery:
    label: str
    served: Served
    result: str


@dataclass
class Setup:
    """What the set-up made: which sessions are which, and how long making them took."""

    account_id: str
    card_sessions: list[str] = field(default_factory=list)
    expiring: set[str] = field(default_factory=set)  # card sessions whose settlement expires another one
    expiring_intents: set[str] = field(default_factory=set)  # and their PaymentIntents
    delayed_sessions: list[str] = field(default_factory=list)
    card_debts: list[str] = field(default_factory=list)  # the debts paid by card (then refunded, disputed, lost)
    delayed_debts: list[str] = field(default_factory=list)  # the debts paid by bank transfer
    seconds: float = 0.0


def press(checkout_url: str, outcome: str) -> None:
    """The debtor's button on the stand-in's hosted checkout page: pay or delayed (a bank transfer)."""
    form = urlencode({"outcome": outcome}).encode()
    path = urlsplit(checkout_url).path
    status, _, _ = http_request(checkout_url, "POST", path, form, {"Content-Type": FORM["content-type"]})
    assert status == 303, (checkout_url, outcome, status)


class Business:
    """The workspace's owner, calling the API's handlers in this process (not recorded)."""

    def __init__(self, world: World) -> None:
        client, _ = world.new_account()
        self.browser = browser(client)
        self.numbers = iter(range(1, 1_000_000))

    def call(self, method: str, path: str, body: Any = None, expected: int = 200) -> Any:
        answer = self.browser.call(method, path, body)
        assert answer.status == expected, (method, path, answer.status, answer.body[:300])
        return answer.json() if answer.body else None

    def debtor_with_debts(self, amounts: list[int]) -> tuple[str, list[str]]:
        """The page token of a new debtor, and the ids of their debts, one per amount (EUR cents)."""
        n = next(self.numbers)
        debtor = self.call("POST", "/debtors", {"name": f"Debtor {n:04d}", "email": f"d{n:04d}@example.com"}, 201)
        debt_ids = []
        for k, amount in enumerate(amounts):
            body = {
                "debtor_id": debtor["id"],
                "invoice_number": f"INV-{n:04d}-{k}",
                "amount": amount,
                "currency": "EUR",
                "issued_on": "2026-10-01",
                "due_on": "2026-11-01",
            }
            debt_ids.append(self.call("POST", "/debts", body, 201)["id"])
        link = self.call("POST", f"/debtors/{debtor['id']}/link", expected=201)
        return str(link["url"]).rsplit("/p/", 1)[1], debt_ids


def press_pay(token: str, **choice: str) -> str:
    """The debtor presses Pay on their page (in this process); the Checkout URL they are sent to."""
    debtor = browser()
    page = debtor.call("GET", f"/p/{token}").body
    form = {"csrf_token": page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0], **choice}
    answer = debtor.call("POST", f"/p/{token}/pay", raw_body=urlencode(form), headers=FORM, csrf_header=False)
    location = answer.headers.get("location", "")
    assert answer.status == 303, (answer.status, answer.body[:300])
    assert "/checkout/" in location, location  # not back to the page with a notice
    return location


def set_up(world: World, business: Business, account_id: str) -> Setup:
    started = time.perf_counter()
    setup = Setup(account_id)
    for k in range(ACCOUNT_UPDATES):
        world.stripe_control(f"accounts/{account_id}/update", {"payouts_enabled": k % 2 == 0})
    for n in range(PAYMENTS):
        second = n % 2 == 1
        token, debt_ids = business.debtor_with_debts([AMOUNT, SECOND_DEBT] if second else [AMOUNT])
        if second:
            press_pay(token, currency="EUR")  # left open: settling the first debt must expire it
        checkout = press_pay(token, debt_id=debt_ids[0])
        press(checkout, "pay")
        setup.card_debts.append(debt_ids[0])
        session = checkout.rsplit("/", 1)[1]
        setup.card_sessions.append(session)
        if second:
            setup.expiring.add(session)
    for _ in range(PAYMENTS):
        token, debt_ids = business.debtor_with_debts([AMOUNT])
        checkout = press_pay(token, debt_id=debt_ids[0])
        press(checkout, "delayed")
        setup.delayed_debts.append(debt_ids[0])
        setup.delayed_sessions.append(checkout.rsplit("/", 1)[1])
    api = stripe.StripeClient(world.stripe.api_key, base_addresses={"api": world.stripe.url}, max_network_retries=0)
    on_account: Any = {"stripe_account": account_id}
    for session_id in setup.card_sessions:
        paid = api.v1.checkout.sessions.retrieve(session_id, options=on_account)
        intent = api.v1.payment_intents.retrieve(str(paid.payment_intent), options=on_account)
        if session_id in setup.expiring:
            setup.expiring_intents.add(intent.id)
        charge = str(intent.latest_charge)
        world.stripe_control(f"charges/{charge}/refund", {"amount": REFUND})
        dispute = world.stripe_control(f"charges/{charge}/dispute")["object"]["id"]
        world.stripe_control(f"disputes/{dispute}/close", {"status": "lost"})
    for session_id in setup.delayed_sessions:
        world.stripe_control(f"sessions/{session_id}/async", {"outcome": "succeeded"})
    setup.seconds = time.perf_counter() - started
    return setup


def deliver(world: World, event: dict[str, Any], costs: Pricer | None = None) -> tuple[Served, str]:
    """One event, signed now as Stripe signs it, to POST /webhooks/stripe in this process (its DynamoDB calls
    priced by `costs`)."""
    payload = json.dumps(event, indent=2).encode()  # as the stand-in (and Stripe) sends it
    headers = webhook_headers(world.signature(payload))
    served = serve("POST", "/webhooks/stripe", {}, raw_body=payload.decode(), headers=headers, pricer=costs)
    return served, str(served.json()["result"])


def label_of(event: dict[str, Any], setup: Setup) -> str:
    kind, obj = str(event["type"]), event["data"]["object"]
    if kind == "checkout.session.completed":
        extra = ", expires another session" if obj["id"] in setup.expiring else ""
        return f"{kind} ({obj['payment_status']}{extra})"
    if kind.startswith("charge.") and obj.get("payment_intent") in setup.expiring_intents:
        return f"{kind} (the debtor has another session)"
    return kind


def new_events(world: World, seen: set[str]) -> list[dict[str, Any]]:
    fresh = [entry["event"] for entry in world.stripe.events() if entry["event"]["id"] not in seen]
    seen.update(event["id"] for event in fresh)
    return fresh


def deliver_all(world: World, setup: Setup, seen: set[str], costs: Pricer) -> list[Delivery]:
    events = new_events(world, seen)
    deliveries: list[Delivery] = []
    for event in events:
        served, result = deliver(world, event, costs)
        deliveries.append(Delivery(label_of(event, setup), served, result))
    for event in events:  # Stripe delivers at least once: each payment's event again
        if event["type"] == "checkout.session.completed":
            served, result = deliver(world, event, costs)
            deliveries.append(Delivery("checkout.session.completed (again)", served, result))
    caused = new_events(world, seen)  # what the webhook made Stripe do: the other sessions, expired
    while caused:
        for event in caused:
            served, result = deliver(world, event, costs)
            deliveries.append(Delivery(f"{event['type']} (caused by a settlement)", served, result))
        caused = new_events(world, seen)
    return deliveries


def _spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}-{high}"


def _operations(rows: list[Delivery]) -> str:
    patterns = Counter(
        ", ".join(f"{name} x{n}" for name, n in Counter(call.operation for call in row.served.calls).items()) or "-"
        for row in rows
    )
    if len(patterns) == 1:
        return next(iter(patterns))
    return " | ".join(f"{pattern} ({n})" for pattern, n in patterns.most_common())


def end_state(business: Business, setup: Setup) -> str:
    """What the debts say once every event is delivered: the webhook did its job, not only answered 200."""
    cards = [business.call("GET", f"/debts/{debt_id}") for debt_id in setup.card_debts]
    transfers = [business.call("GET", f"/debts/{debt_id}") for debt_id in setup.delayed_debts]
    reopened = sum(debt["status"] == "open" and debt["amount_paid"] == 0 for debt in cards)
    paid = sum(debt["status"] == "paid" and debt["amount_paid"] == AMOUNT for debt in transfers)
    return (
        f"End state: {reopened}/{len(cards)} card debts open again with nothing paid (refunded in part, the rest "
        f"lost in the dispute); {paid}/{len(transfers)} bank-transfer debts paid."
    )


def report(setup: Setup, deliveries: list[Delivery], seconds: float) -> bool:
    print(
        f"Stripe webhooks: {PAYMENTS} card payments (each partly refunded, then disputed and lost; every other "
        f"one expiring another open session when settled) and {PAYMENTS} bank transfers (delayed, then succeeded), "
        f"plus {ACCOUNT_UPDATES} account updates; set up in {setup.seconds:.0f} s."
    )
    print(
        f"{len(deliveries)} deliveries to POST /webhooks/stripe, served in this process in {seconds:.1f} s after one "
        "warm-up delivery. ms; own = wall minus the time inside botocore's Endpoint._send (the emulator) and "
        "waiting for the Stripe stand-in."
    )
    grouped: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        grouped[delivery.label].append(delivery)
    # Grouped by event type, each type and each row in the order first delivered.
    order = list(grouped)
    kinds = list(dict.fromkeys(label.split(" (")[0] for label in order))
    ranked = sorted(order, key=lambda label: (kinds.index(label.split(" (")[0]), order.index(label)))
    by_label = {label: grouped[label] for label in ranked}
    width = max(len(label) for label in by_label)
    print(
        f"\n{'event':{width}} {'n':>4} {'own p50':>8} {'own p95':>8} {'wall p50':>8} {'wall p95':>8} {'DDB':>5} "
        f"{'WRU t+i':>9} {'Stripe':>6}  {'result':24} operations"
    )
    missed: list[str] = []
    for label, rows in by_label.items():
        own = median_p95([row.served.own * 1000 for row in rows])
        wall = median_p95([row.served.total * 1000 for row in rows])
        calls = [len(row.served.calls) for row in rows]
        stripe_requests = [len(row.served.stripe_statuses) for row in rows]
        results = ", ".join(f"{result} x{n}" for result, n in Counter(row.result for row in rows).most_common())
        units = [write_units(row.served.recorded.priced) for row in rows]
        wru = f"{sum(u[0] for u in units) / len(rows):g}+{sum(u[1] for u in units) / len(rows):g}"
        print(
            f"{label:{width}} {len(rows):4d} {own[0]:8.1f} {own[1]:8.1f} {wall[0]:8.1f} {wall[1]:8.1f} "
            f"{_spread(calls):>5} {wru:>9} {_spread(stripe_requests):>6}  {results:24} {_operations(rows)}"
        )
        if max(calls) > TARGET_CALLS:
            missed.append(f"{label} ({max(calls)})")
    print(
        "DDB = DynamoDB calls per event, Stripe = requests to Stripe (the stand-in) per event: min-max. WRU t+i = "
        f"write units of the table + of its indexes per event, mean (bench.cost; indexes: {projections()})."
    )
    everything = median_p95([row.served.own * 1000 for row in deliveries])
    print(f"All {len(deliveries)} events: own p50 {everything[0]:.1f} ms, p95 {everything[1]:.1f} ms.")
    report_stripe(by_label)
    print(
        f"\nTarget: at most {TARGET_CALLS} DynamoDB calls per event, the record that the event was applied included "
        f"(it is written in the same transaction as the change): {'met' if not missed else 'MISSED'}"
        + (f" by {', '.join(missed)}" if missed else f" (most: {max(len(row.served.calls) for row in deliveries)})")
    )
    return not missed


def report_stripe(by_label: dict[str, list[Delivery]]) -> None:
    """Which events made the webhook call Stripe, and what Stripe answered."""
    waits = [
        row.served.stripe / len(row.served.stripe_statuses)
        for rows in by_label.values()
        for row in rows
        if row.served.stripe_statuses
    ]
    if not waits:
        print("The webhook made no request to Stripe.")
        return
    print(f"\nRequests the webhook made to Stripe ({median_p95(waits)[0] * 1000:.1f} ms each, median; not in own):")
    for label, rows in by_label.items():
        statuses = Counter(status for row in rows for status in row.served.stripe_statuses)
        if statuses:
            answers = ", ".join(f"{n} answered {status or 'nothing'}" for status, n in sorted(statuses.items()))
            print(f"  {label}: {answers}")


def main() -> int:
    # The handlers print their metrics (EMF) to stdout, as in Lambda: written, then dropped here.
    with World() as world, in_process(world), open(os.devnull, "w") as sink:
        with contextlib.redirect_stdout(sink):
            business = Business(world)
            account_id = str(business.call("POST", "/workspace/stripe/connect")["account_id"])
            seen: set[str] = set()
            changes = {"charges_enabled": True, "details_submitted": True}
            world.stripe_control(f"accounts/{account_id}/update", changes)
            [enabling] = new_events(world, seen)
            _, result = deliver(world, enabling)  # the warm-up: the webhook's first request reads its secrets
            assert result == "applied", result
            setup = set_up(world, business, account_id)
            # As in bench.lists: moto's objects (this process) are not the handler's to collect.
            gc.collect()
            gc.freeze()
            started = time.perf_counter()
            deliveries = deliver_all(world, setup, seen, pricer(world))
            seconds = time.perf_counter() - started
            state = end_state(business, setup)
        report(setup, deliveries, seconds)
        print(state)  # a missed target is a figure to read, not a failure
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
