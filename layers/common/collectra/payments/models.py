"""What the API says about a workspace's Stripe connection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from collectra.models import Model
from collectra.workspaces.lifecycle import is_closed

if TYPE_CHECKING:
    from collectra.workspaces.records import Workspace


def payments_enabled(workspace: Workspace) -> bool:
    """Whether the debtor's page offers card payment: a connected account that Stripe lets take charges."""
    if is_closed(workspace):
        return False  # being deleted: no payment is taken any more
    return bool(workspace.get("stripe_account_id") and workspace.get("stripe_charges_enabled"))


class StripeConnection(Model):
    """Whether the workspace can take card payments from its debtors' pages."""

    connected: bool
    account_id: str | None
    charges_enabled: bool
    details_submitted: bool
    payouts_enabled: bool
    platform_fee_basis_points: int  # Collectra's fee on each payment, in 1/100 of a percent (0 by default)
    updated_at: str | None  # when Stripe last told us about the account

    @classmethod
    def of(cls, workspace: Mapping[str, Any]) -> StripeConnection:
        account = workspace.get("stripe_account_id")
        return cls(
            connected=bool(account),
            account_id=account,
            charges_enabled=bool(account and workspace.get("stripe_charges_enabled")),
            details_submitted=bool(account and workspace.get("stripe_details_submitted")),
            payouts_enabled=bool(account and workspace.get("stripe_payouts_enabled")),
            platform_fee_basis_points=int(workspace.get("platform_fee_basis_points") or 0),
            updated_at=workspace.get("stripe_updated_at"),
        )


class OnboardingLink(Model):
    """Where to send the business to finish (or resume) setting up its Stripe account."""

    account_id: str
    url: str
    expires_at: int  # Unix seconds; an expired link is replaced by asking again
