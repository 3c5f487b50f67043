"""The hourly check of Stripe events left unprocessed: what Stripe could not deliver to POST /webhooks/stripe is
asked for and applied here, through the webhook's own rules (collectra.payments.unprocessed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import clock
from collectra.observability import entry, logger, metrics
from collectra.payments import unprocessed

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


@entry(collect_from_start=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    now = datetime.fromisoformat(event["time"]) if event.get("time") else clock.utcnow()
    tally = unprocessed.check(now=now)
    counts = {
        "accounts": tally.accounts,
        "accounts_failed": tally.accounts_failed,
        "unprocessed": tally.unprocessed,
        "replayed": tally.replayed,
        "failed": tally.failed,
    }
    logger.info("stripe events check", extra=counts)
    # Every run, 0 when all is well: an alarm reads a missing value as a check that did not run.
    metrics.add_metric(name="StripeEventsUnprocessed", unit=MetricUnit.Count, value=tally.unprocessed)
    metrics.add_metric(name="StripeEventsReplayed", unit=MetricUnit.Count, value=tally.replayed)
    metrics.add_metric(name="StripeEventsAccountsFailed", unit=MetricUnit.Count, value=tally.accounts_failed)
    return counts
