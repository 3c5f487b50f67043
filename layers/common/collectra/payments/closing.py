"""Card payments stop when a workspace is deleted: the Checkout Sessions its debtors still have open expire.

The debtor's page already refuses to open once the deletion is asked for; a session opened just before
could still be paid in the debtor's browser until Stripe expires it, so the erasure expires it at once.
One that completes anyway is recorded, anonymised, as the accounting record it is (`attempts.apply_change`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from collectra.observability import logger


def open_sessions(debtor: Mapping[str, Any], *, now: datetime) -> list[str]:
    """The ids of the debtor's Checkout Sessions that Stripe has not expired yet."""
    return [
        str(pointer["session_id"])
        for pointer in (debtor.get("checkouts") or {}).values()
        if pointer.get("session_id") and int(pointer.get("expires_at", 0)) > now.timestamp()
    ]


def expire_sessions(account_id: str, session_ids: list[str]) -> None:
    """Expire each session on the workspace's connected account; one already completed or expired is fine."""
    if not session_ids:
        return
    import stripe

    from collectra.payments import stripe_api

    for session_id in session_ids:
        try:
            stripe_api.client().v1.checkout.sessions.expire(session_id, options={"stripe_account": account_id})
        except stripe.InvalidRequestError:
            continue  # already completed or expired: nothing left to stop
        except stripe.StripeError:
            logger.exception("could not expire a Checkout Session of a deleted workspace")
