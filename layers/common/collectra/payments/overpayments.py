"""Money that reaches a debt already paid in full goes back to the debtor, through Stripe, once.

Which payment overpaid, and by how much, is decided in the transaction that books it (`attempts`), with the
debts as that transaction finds them: the attempt then carries `overpayment_refund = {amount, status: due}`.
This module asks Stripe for the refund on the workspace's connected account, with an idempotency key that
names the attempt, so a retried webhook (or two at once) refunds it once; then marks it `requested`. The
refund's own `charge.refunded` event books it back out of the overpaid debt as `overpayment_refunded`.
A refund Stripe could not make now is left `due`: the webhook answers 500 and Stripe's redelivery tries again.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from collectra import store
from collectra.clock import iso
from collectra.errors import Conflict
from collectra.observability import logger, metrics
from collectra.payments import stripe_api
from collectra.payments.records import PaymentAttempt
from collectra.payments.stripe_amounts import to_stripe
from collectra.store import keys

_MARK_TRIES = 4


def is_due(attempt: PaymentAttempt | None) -> bool:
    return bool(attempt and (attempt.get("overpayment_refund") or {}).get("status") == "due")


def refund_overpayment(attempt: PaymentAttempt, account_id: str, *, now: datetime) -> None:
    """Refund what `attempt` overpaid (it `is_due`), and record that Stripe was asked."""
    refund = attempt["overpayment_refund"]
    created = stripe_api.client().v1.refunds.create(
        params={
            "payment_intent": str(attempt["payment_intent_id"]),  # only a paid attempt overpays
            "amount": to_stripe(int(refund["amount"]), attempt["currency"]),
            "reason": "duplicate",
            "metadata": {
                "workspace_id": attempt["workspace_id"],
                "attempt_id": attempt["id"],
                "collectra_reason": "overpayment",
            },
        },
        options={"stripe_account": account_id, "idempotency_key": f"overpayment-{attempt['id']}"},
    )
    metrics.add_metric(name="OverpaymentRefunded", unit="Count", value=1)
    logger.info("overpayment refunded", extra={"attempt_id": attempt["id"], "amount": refund["amount"]})
    _mark_requested(attempt, created.id, now=now)


def _mark_requested(attempt: PaymentAttempt, refund_id: str, *, now: datetime) -> None:
    """The attempt is written whole by each event (on its version), so this takes a version of its own."""
    key = keys.payment_attempt(attempt["workspace_id"], attempt["id"])
    current: PaymentAttempt | None = attempt
    for _ in range(_MARK_TRIES):
        if not is_due(current):
            return
        assert current is not None  # noqa: S101 - is_due
        try:
            store.transact(
                [
                    store.update_op(
                        key,
                        "SET overpayment_refund.#status = :requested, overpayment_refund.refund_id = :refund, "
                        "updated_at = :now, version = version + :one",
                        {
                            ":requested": "requested",
                            ":refund": refund_id,
                            ":now": iso(now),
                            ":one": 1,
                            ":seen": current["version"],
                        },
                        "version = :seen",
                        {"#status": "status"},
                    )
                ]
            )
            return
        except Conflict:
            current = cast(PaymentAttempt | None, store.get(key, consistent=True))
    # Still `due` after that: the next event or redelivery asks Stripe again, with the same idempotency key.
    logger.warning("could not record an overpayment refund", extra={"attempt_id": attempt["id"]})
