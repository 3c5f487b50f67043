"""Whether, and when, an instalment whose automatic charge failed is tried again: pure rules, no I/O.

Following Stripe's advice for each decline code (docs.stripe.com/declines/codes, "Next steps", and
docs.stripe.com/declines#retrying-issuer-declines, which says the card networks forbid retrying a hard decline and
limit retries of the others):

- `authentication_required`: the bank wants the cardholder to authenticate, which an off-session charge cannot do;
  Stripe says to bring the customer back on-session. No automatic retry: the debtor is emailed the link to pay
  the instalment on their page (state `action_required`).
- soft declines, which may go through later (`insufficient_funds`, `try_again_later`, `processing_error`, and the
  few like them below): tried again 2 days after the first failure, then 4 days after the second, at most
  `MAX_TRIES` tries in all (state `failed`, `next_try_at` set until the last).
- everything else, the hard declines above all (`lost_card`, `stolen_card`, `expired_card`, `do_not_honor`,
  `fraudulent`, `pickup_card`, `generic_decline`, ...): never retried; the debtor is asked to pay another way.

A SEPA debit that fails later (`payment_intent.payment_failed` after `processing`) is read the same way, by its
failure code (`insufficient_funds` is retried).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_TRIES = 3  # the first charge and two retries
RETRY_AFTER = (timedelta(days=2), timedelta(days=4))  # after the first failure, after the second
ASK_THE_DEBTOR = frozenset({"authentication_required"})
SOFT_DECLINES = frozenset(
    {
        "insufficient_funds",
        "try_again_later",
        "processing_error",
        "issuer_not_available",
        "approve_with_id",
        "reenter_transaction",
    }
)


@dataclass(frozen=True)
class AfterFailure:
    """What a failed charge leaves: the charge's state, and when to try again (None: not automatically)."""

    state: str  # "action_required" | "failed"
    next_try_at: datetime | None


def after_failure(decline_code: str | None, tries: int, failed_at: datetime) -> AfterFailure:
    """`tries`: how many charges of this instalment were made, the failed one included (1 for the first)."""
    code = (decline_code or "").lower()
    if code in ASK_THE_DEBTOR:
        return AfterFailure("action_required", None)
    if code in SOFT_DECLINES and tries < MAX_TRIES:
        return AfterFailure("failed", failed_at + RETRY_AFTER[min(tries, len(RETRY_AFTER)) - 1])
    return AfterFailure("failed", None)
