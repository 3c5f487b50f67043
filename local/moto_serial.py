"""The emulator's DynamoDB answers one request at a time, so its transactions are serializable like DynamoDB's.

moto's server handles each request on its own thread, and its DynamoDB was written for one caller: a
TransactWriteItems checks each condition and writes each item in turn, while other requests change the
same items in between, and a cancelled transaction then restores the items it saved at its start (see
`moto_rollback`), undoing what others wrote meanwhile. Under concurrent requests a debtor's `open_debts`
drifted (a debtor with nothing open still counted one) and a marker could be claimed twice.

Inside `serial_requests()`, every DynamoDB request holds one lock from parsing to answer: each request
sees the table as the previous one left it, and a transaction's checks, writes and rollback happen with
nobody in between. That is stronger than DynamoDB (which runs unrelated requests in parallel) but gives
the same outcomes; DynamoDB's own answer to two transactions on one item at once (TransactionConflict)
never happens here, since the second simply waits. Its cost: requests that would have interleaved wait
their turn, which on one Python process (one interpreter lock) costs close to nothing
(tests/local/test_moto_transactions.py races eight clients; see docs/decisions.md for the figures).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def serial_requests() -> Iterator[None]:
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action
    # Re-entrant: a request never calls another, but a second emulator in one process wraps moto again.
    turn = threading.RLock()

    def call_action(self: Any) -> Any:
        with turn:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoHandler.call_action = original  # type: ignore[method-assign]
