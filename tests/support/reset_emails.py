"""Driving the reset-email queue as Lambda's event source mapping does: its messages to the worker."""

from __future__ import annotations

from tests.support.http import harness

WORKER = "ResetEmailWorkerFunction"


def deliver_reset_emails() -> int:
    """Hand every message now on the queue to the worker, ten at a time, deleting those it handled, so the
    links that `POST /auth/password/forgot` asked for are in the Brevo stand-in's outbox; how many."""
    delivered = 0
    while batch := harness().receive(WORKER, limit=10, visibility_timeout=30):
        failed = harness().deliver(WORKER, batch)["batchItemFailures"]
        assert not failed, f"the reset-email worker failed {len(failed)} message(s)"
        delivered += len(batch)
    return delivered
