"""Connecting a workspace's own Stripe account (Connect, direct charges) and keeping its state current.

The account is created once per workspace: the creation carries an idempotency key derived from the
workspace, and the workspace records it with a condition, so two clicks at once end with one account.
Its capabilities are never trusted from a redirect: `account.updated` events keep them current.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import config, store
from collectra.clock import iso
from collectra.errors import Conflict
from collectra.payments import stripe_api
from collectra.payments.models import OnboardingLink
from collectra.payments.records import stripe_account_owner
from collectra.store import keys
from collectra.workspaces.records import Workspace


def connect(workspace: Workspace, *, now: datetime) -> OnboardingLink:
    """The workspace's connected account (created if needed) and a fresh onboarding link for it."""
    account_id = workspace.get("stripe_account_id") or _create_account(workspace, now=now)
    # The app's payments settings, at the API's own origin (PUBLIC_BASE_URL) like every page of the app.
    back = f"{config.public_base_url()}/app/settings/payments"
    link = stripe_api.client().v1.account_links.create(
        params={
            "account": account_id,
            "type": "account_onboarding",
            "refresh_url": f"{back}?stripe=refresh",
            "return_url": f"{back}?stripe=return",
        }
    )
    return OnboardingLink(account_id=account_id, url=link.url, expires_at=link.expires_at)


def _create_account(workspace: Workspace, *, now: datetime) -> str:
    address = workspace.get("postal_address") or {}
    params: dict[str, Any] = {
        "type": "standard",  # the business owns its Stripe account and bears its refunds and disputes
        "business_profile": {"name": workspace.get("legal_name") or workspace["name"]},
        "metadata": {"workspace_id": workspace["id"]},
    }
    if workspace.get("reply_to"):
        params["email"] = workspace["reply_to"]
    if address.get("country"):
        params["country"] = address["country"]
    account = stripe_api.client().v1.accounts.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": f"connect-{workspace['id']}"},
    )
    try:
        store.transact(
            [
                store.update_op(
                    keys.workspace(workspace["id"]),
                    "SET stripe_account_id = :account, stripe_charges_enabled = :no, "
                    "stripe_details_submitted = :no, stripe_payouts_enabled = :no, stripe_updated_at = :now",
                    {":account": account.id, ":no": False, ":now": iso(now)},
                    "attribute_exists(pk) AND attribute_not_exists(stripe_account_id)",
                ),
                store.put_op(stripe_account_owner(account.id, workspace["id"])),
            ]
        )
    except Conflict:
        # Another request connected it meanwhile: with the same idempotency key, so the same account.
        current = store.get(keys.workspace(workspace["id"]), consistent=True) or {}
        return str(current.get("stripe_account_id") or account.id)
    return str(account.id)


def account_changes(account: dict[str, Any], *, now: datetime) -> dict[str, Any]:
    """The workspace fields an `account.updated` event sets."""
    return {
        "stripe_charges_enabled": bool(account.get("charges_enabled")),
        "stripe_details_submitted": bool(account.get("details_submitted")),
        "stripe_payouts_enabled": bool(account.get("payouts_enabled")),
        "stripe_updated_at": iso(now),
    }
