"""Demo data for `make dev`: a business with customers who owe it money, made through the API like a web client.

Idempotent: run against data that is already there, it signs in and reuses what exists.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from local.client import WebClient

DEMO_EMAIL = "demo@collectra.local"
DEMO_PASSWORD = "collectra-demo-2026"

_WORKSPACE = {
    "legal_name": "Demo Plumbing Ltd",
    "postal_address": {"line1": "12 Rue de la Paix", "postal_code": "75002", "city": "Paris", "country": "FR"},
    "sender_name": "Demo Plumbing accounts",
    "reply_to": "accounts@demo-plumbing.example",
}
_DEBTORS = [
    (
        {"name": "Émile Zola", "email": "emile.zola@example.fr", "locale": "fr", "external_ref": "CUST-001"},
        [
            ("INV-2026-0101", 123_456, "2026-10-15", "Boiler replacement"),
            ("INV-2026-0117", 9_900, "2026-12-20", "Annual service"),
        ],
    ),
    (
        {
            "name": "Greta Schmidt",
            "email": "greta.schmidt@example.de",
            "locale": "de",
            "time_zone": "Europe/Berlin",
            "external_ref": "CUST-002",
        },
        [("INV-2026-0102", 45_000, "2026-11-10", "Bathroom tap repair")],
    ),
    (
        {
            "name": "Oliver Brown",
            "email": "oliver.brown@example.co.uk",
            "locale": "en",
            "time_zone": "Europe/London",
            "external_ref": "CUST-003",
        },
        [("INV-2026-0103", 18_500, "2026-12-31", "Radiator bleed and check")],
    ),
]


@dataclass(frozen=True)
class Demo:
    email: str
    password: str
    pages: dict[str, str]  # debtor name -> their page URL


def seed_demo(api_url: str, stripe_url: str | None = None, *, history: Mapping[str, str] | None = None) -> Demo:
    """Sign the demo owner up (or in), and give the workspace debtors, debts and page links.

    With `stripe_url` (the Stripe stand-in), the workspace is also connected to Stripe and its onboarding
    completed there, so the debtors' pages offer card payment. With `history` (a debt-writing function's
    environment, `local.seed_history.debt_writer_environment`), it also gets six months of history.
    """
    client = WebClient(api_url)
    signup = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "name": "Demo Owner", "workspace_name": "Demo Plumbing"}
    status = client.call("POST", "/auth/signup", signup).status
    if status == 409:
        status = client.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status
    if status not in (200, 201):
        raise RuntimeError(f"demo seed failed: the API answered {status}")
    _verify_address(client)
    client.call("PATCH", "/workspace", _WORKSPACE)
    if stripe_url:
        _connect_stripe(client, stripe_url)
    pages: dict[str, str] = {}
    for fields, debts in _DEBTORS:
        found = client.call("GET", f"/debtors?search={fields['email']}").json()["items"]
        debtor = found[0] if found else client.call("POST", "/debtors", fields).json()
        for number, amount, due_on, description in debts:
            client.call(
                "POST",
                "/debts",
                {
                    "debtor_id": debtor["id"],
                    "invoice_number": number,
                    "amount": amount,
                    "currency": "EUR",
                    "due_on": due_on,
                    "description": description,
                },
            )
        pages[fields["name"]] = client.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]
    if history is not None:
        from local.seed_history import seed_history  # writes through the domain: only for a stack in this process

        seed_history(client, history)
    return Demo(DEMO_EMAIL, DEMO_PASSWORD, pages)


def _verify_address(client: WebClient) -> None:
    """Follow the verification link the sign-up emailed to the Brevo stand-in (COLLECTRA_BREVO_URL), as the
    demo owner would: Collectra sends no reminder for a workspace whose owner has not verified their address."""
    brevo_url = os.environ.get("COLLECTRA_BREVO_URL")
    if not brevo_url or client.call("GET", "/auth/me").json()["user"]["email_verified"]:
        return
    query = urllib.parse.urlencode({"to": DEMO_EMAIL})
    with urllib.request.urlopen(f"{brevo_url}/outbox.json?{query}", timeout=10) as answer:
        messages = json.load(answer)
    for message in messages:  # newest first
        found = re.search(r"verify-email\?token=([A-Za-z0-9_\-]+)", message.get("textContent") or "")
        if found and client.call("POST", "/auth/verify-email", {"token": found.group(1)}).status == 204:
            return


def _connect_stripe(client: WebClient, stripe_url: str) -> None:
    """What a business does once: connect its Stripe account and finish Stripe's onboarding."""
    if client.call("GET", "/workspace/stripe").json()["charges_enabled"]:
        return
    account = client.call("POST", "/workspace/stripe/connect").json()["account_id"]
    # Stripe's onboarding, done: the stand-in tells the API through a signed account.updated event.
    request = urllib.request.Request(
        f"{stripe_url}/_control/accounts/{account}/update",
        data=json.dumps({"charges_enabled": True, "details_submitted": True, "payouts_enabled": True}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        answer.read()
