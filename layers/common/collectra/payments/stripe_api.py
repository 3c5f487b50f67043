"""The one Stripe client of a container, built on first use.

Only the functions that talk to Stripe import this module (it imports `stripe`, ~120 ms of cold start):
connecting a workspace, paying from the debtor's page, and the webhook. The key comes from Secrets
Manager; the base address from STRIPE_API_URL, so a laptop reaches the stand-in in `local/stripe/`
through the same code path as AWS reaches Stripe.
"""

from __future__ import annotations

import stripe

from collectra import config
from collectra.secrets import secret

_client: list[tuple[str, stripe.StripeClient]] = []  # (the key it was built with, the client)


def client() -> stripe.StripeClient:
    """A client for the platform's key; rebuilt when the key rotates (the secret cache reloads it)."""
    key = secret(config.stripe_api_key_secret_name()).strip()
    if not _client or _client[0][0] != key:
        _client[:] = [
            (
                key,
                stripe.StripeClient(
                    key,
                    base_addresses={"api": config.stripe_api_url()},
                    max_network_retries=2,  # safe: every write we make carries its own idempotency key
                ),
            )
        ]
    return _client[0][1]


def webhook_secrets() -> list[str]:
    """The signing secrets an event may be signed with: several during a rotation, or one per endpoint."""
    raw = secret(config.stripe_webhook_secret_name())
    return [part for part in raw.replace(",", " ").split() if part]
