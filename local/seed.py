"""Demo data for `make dev`: a business with customers who owe it money, made through the API like a web client;
and a second business, in Germany, that claims late-payment interest and compensation (its own login), so the
feature can be seen without changing what the first one's pages and tests show.

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
# The business that claims late-payment charges (docs/late-payment.md): §288 BGB, overdue debts of a business, a
# consumer and a French business customer, so its pages show the charges in German and in French.
LATE_PAYMENT_EMAIL = "demo-verzug@collectra.local"
_LATE_PAYMENT_WORKSPACE = {
    "legal_name": "Demo Heizung GmbH",
    "postal_address": {"line1": "Torstraße 12", "postal_code": "10119", "city": "Berlin", "country": "DE"},
    "sender_name": "Demo Heizung Buchhaltung",
    "time_zone": "Europe/Berlin",
    "locale": "de",
    "late_payment": {"enabled": True, "jurisdiction": "DE", "grace_days": 0},
}
_LATE_PAYMENT_DEBTORS = [
    (
        {
            "name": "Brigitte Bauer",
            "company": "Bauer Immobilien KG",
            "email": "brigitte.bauer@example.de",
            "locale": "de",
            "time_zone": "Europe/Berlin",
            "external_ref": "KD-101",
            "kind": "business",
        },
        [("RE-2026-0301", 240_000, "2026-09-30", "Heizungstausch")],
    ),
    (
        {
            "name": "Jonas Weber",
            "email": "jonas.weber@example.de",
            "locale": "de",
            "time_zone": "Europe/Berlin",
            "external_ref": "KD-102",
            "kind": "consumer",
        },
        [("RE-2026-0302", 38_000, "2026-10-31", "Wartung Gastherme")],
    ),
    (
        {
            "name": "Camille Martin",
            "company": "Martin Rénovation SARL",
            "email": "camille.martin@example.fr",
            "locale": "fr",
            "time_zone": "Europe/Paris",
            "external_ref": "KD-103",
            "kind": "business",
        },
        [("RE-2026-0303", 125_000, "2026-08-31", "Installation chaudière")],
    ),
]
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
    pages: dict[str, str]  # debtor name -> their page URL, of both businesses
    late_payment_email: str  # the login of the business that claims late-payment charges (same password)


def seed_demo(api_url: str, stripe_url: str | None = None, *, history: Mapping[str, str] | None = None) -> Demo:
    """Sign the demo owner up (or in), and give the workspace debtors, debts and page links; the same for the
    business that claims late-payment charges (`late_payment_email`), whose debts are overdue.

    With `stripe_url` (the Stripe stand-in), both workspaces are also connected to Stripe and their onboarding
    completed there, so the debtors' pages offer card payment. With `history` (a debt-writing function's
    environment, `local.seed_history.debt_writer_environment`), the first also gets six months of history.
    """
    client = _business(api_url, DEMO_EMAIL, "Demo Owner", "Demo Plumbing", settings=_WORKSPACE, stripe_url=stripe_url)
    pages = _debtors_with_pages(client, _DEBTORS)
    if history is not None:
        from local.seed_history import seed_history  # writes through the domain: only for a stack in this process

        seed_history(client, history)
    late = _business(
        api_url,
        LATE_PAYMENT_EMAIL,
        "Demo Inhaberin",
        "Demo Heizung",
        settings=_LATE_PAYMENT_WORKSPACE,
        stripe_url=stripe_url,
    )
    pages |= _debtors_with_pages(late, _LATE_PAYMENT_DEBTORS)
    return Demo(DEMO_EMAIL, DEMO_PASSWORD, pages, LATE_PAYMENT_EMAIL)


def _business(
    api_url: str, email: str, name: str, workspace_name: str, *, settings: Mapping[str, object], stripe_url: str | None
) -> WebClient:
    """A business's owner signed up (or in), their address verified, their settings saved, Stripe connected."""
    client = WebClient(api_url)
    signup = {"email": email, "password": DEMO_PASSWORD, "name": name, "workspace_name": workspace_name}
    status = client.call("POST", "/auth/signup", signup).status
    if status == 409:
        status = client.call("POST", "/auth/login", {"email": email, "password": DEMO_PASSWORD}).status
    if status not in (200, 201):
        raise RuntimeError(f"demo seed failed: the API answered {status}")
    _verify_address(client, email)
    answer = client.call("PATCH", "/workspace", dict(settings))
    if answer.status != 200:
        raise RuntimeError(f"demo seed failed: the workspace's settings were refused ({answer.status})")
    if stripe_url:
        _connect_stripe(client, stripe_url)
    return client


def _debtors_with_pages(
    client: WebClient, debtors: list[tuple[dict[str, str], list[tuple[str, int, str, str]]]]
) -> dict[str, str]:
    """Each debtor (found by email, else recorded) with their debts, and the link to their page, by name."""
    pages: dict[str, str] = {}
    for fields, debts in debtors:
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
    return pages


def _verify_address(client: WebClient, email: str) -> None:
    """Follow the verification link the sign-up emailed to the Brevo stand-in (COLLECTRA_BREVO_URL), as the
    demo owner would: Collectra sends no reminder for a workspace whose owner has not verified their address."""
    brevo_url = os.environ.get("COLLECTRA_BREVO_URL")
    if not brevo_url or client.call("GET", "/auth/me").json()["user"]["email_verified"]:
        return
    query = urllib.parse.urlencode({"to": email})
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
