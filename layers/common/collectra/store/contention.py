"""When DynamoDB cancels a transaction because another one was writing the same item: try again, briefly.

DynamoDB cancels a TransactWriteItems with the reason `TransactionConflict` when another transaction (or
a write) held one of its items at that moment: two staff editing one debt, a webhook and a manual
payment. Nothing was written and nothing the caller read is wrong, so the same transaction is sent again
after a short random pause (full jitter, so that the two writers do not collide again in step). After
`ATTEMPTS` tries the caller gets `Contention` (409 `conflict` with Retry-After), not a 500.

A reason `ConditionalCheckFailed` is different: the records are not what the caller expected, and sending
the same transaction again cannot succeed. It is never retried, even when other items of the same
transaction also conflicted.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

ATTEMPTS = 4  # the first try and three more
FIRST_PAUSE_S = 0.025  # the longest pause before the first retry; each retry's doubles: at most 0.175 s in all
RETRY_AFTER_S = 1  # what the client is told to wait once the retries are spent

# Drawn from the operating system on every call: environments resumed from one SnapStart snapshot share no state.
_JITTER = random.SystemRandom()
_CONFLICT = "TransactionConflict"
_CONDITION = "ConditionalCheckFailed"


def is_transaction_conflict(reasons: Sequence[Mapping[str, Any]]) -> bool:
    """True when DynamoDB cancelled only because of concurrent writers (no condition failed)."""
    codes = {reason.get("Code") for reason in reasons}
    return _CONFLICT in codes and _CONDITION not in codes


def pause_before_retry(retry: int, chance: random.Random | None = None) -> float:
    """Seconds to wait before retry number `retry` (1, 2, ...): uniform between 0 and the doubling cap."""
    ceiling = FIRST_PAUSE_S * 2 ** (retry - 1)
    return (chance or _JITTER).uniform(0, ceiling)
