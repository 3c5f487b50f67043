"""A debt recorded by a workspace connected to Stripe must be one its debtor can pay through Stripe.

Refused when the debt is recorded (created, its amount corrected, or imported), so the business fixes the
debt at once, rather than its debtor finding out when pressing Pay. "Connected" means the workspace has a
Stripe account (`stripe_account_id`), even before Stripe enables its charges: a debt recorded during
onboarding must be payable once it is done. A workspace without Stripe records any ISO 4217 amount; should
it connect Stripe later, the debtor's page refuses to start a payment it cannot make (`amount_not_payable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collectra.payments.stripe_amounts import StripeAmountRefused, to_stripe


def require_chargeable(workspace: Mapping[str, Any], amount: int, currency: str) -> None:
    """StripeAmountRefused (422) if `workspace` uses Stripe and Stripe cannot charge `amount` in `currency` exactly.

    Its `about` says which field to change ("currency" or "amount"); its message says why, in words.
    """
    if not workspace.get("stripe_account_id"):
        return
    try:
        to_stripe(amount, currency)
    except StripeAmountRefused as refused:
        error = StripeAmountRefused(
            f"{refused.message} This workspace takes card payments through Stripe, so each debt must be one "
            "its debtor can pay by card.",
            currency=refused.currency,
            about=refused.about,
        )
        error.details = [{"field": f"body.{refused.about}", "currency": refused.currency}]  # as the API names fields
        raise error from refused
