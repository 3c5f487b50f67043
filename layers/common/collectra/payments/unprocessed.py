"""Stripe events left unprocessed: those Stripe reports it could not deliver to our webhook, applied by a check.

Stripe retries a failed delivery for three days, then gives up: a payment whose every delivery failed would never
be booked. Once an hour the check asks Stripe, for the platform and for each connected account (Stripe lists the
platform's accounts: no table read), for the events of the last `LOOK_BACK` whose delivery is pending or failed
(`GET /v1/events?delivery_success=false`), leaves those younger than `SETTLED_AFTER` to Stripe's own retries, and
applies the others through the webhook's own `webhook.apply` (oldest first), which applies each event once: a
replay of what is already applied, by the check or by a delivery that came meanwhile, changes nothing.

Stripe keeps reporting an event as undelivered after the check applied it (until one of its own deliveries
succeeds), so every run counts it again and replays it again, as a duplicate. What needs a person is the difference:
`unprocessed - replayed`, the events that neither Stripe nor the check could apply. One account whose events cannot
be listed, or one event whose replay raises, is logged (ids only) and counted; the others go on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import stripe
from stripe.params import EventListParams

from collectra.observability import logger
from collectra.payments import stripe_api, webhook

LOOK_BACK = timedelta(days=4)  # Stripe's three days of retries, and a day of hourly checks after its last one
SETTLED_AFTER = timedelta(hours=1)  # younger events are still being retried by Stripe
PAGE = 100  # Stripe's largest page


@dataclass
class Tally:
    """What one run of the check found and did."""

    accounts: int = 0  # the platform and the connected accounts looked at
    accounts_failed: int = 0  # whose undelivered events could not be listed
    unprocessed: int = 0  # events Stripe reports undelivered, older than SETTLED_AFTER
    replayed: int = 0  # of those, applied by the check (now or before: a duplicate is applied)
    failed: int = 0  # of those, whose replay raised


def check(*, now: datetime) -> Tally:
    """Look at the platform's undelivered events, then each connected account's, and apply them."""
    tally = Tally()
    window = {"gte": int((now - LOOK_BACK).timestamp()), "lte": int((now - SETTLED_AFTER).timestamp())}
    _look_at(None, window, tally, now=now)
    for account_id in connected_accounts():
        _look_at(account_id, window, tally, now=now)
    return tally


def connected_accounts() -> Iterator[str]:
    """The ids of the platform's connected accounts, as Stripe lists them (100 a request)."""
    listed = stripe_api.client().v1.accounts.list(params={"limit": PAGE})
    for account in listed.auto_paging_iter():
        yield str(account.id)


def undelivered(account_id: str | None, window: dict[str, int]) -> list[dict[str, Any]]:
    """The account's events created in `window` whose delivery is pending or failed, oldest first."""
    params: EventListParams = {
        "delivery_success": False,
        "created": {"gte": window["gte"], "lte": window["lte"]},
        "limit": PAGE,
    }
    listed = stripe_api.client().v1.events.list(params=params, options={"stripe_account": account_id})
    events = [event.to_dict() for event in listed.auto_paging_iter()]
    for event in events:
        # Listed for that account: it is the account the event is about, whether or not the list says so.
        if account_id and not event.get("account"):
            event["account"] = account_id
    return list(reversed(events))  # Stripe lists newest first


def _look_at(account_id: str | None, window: dict[str, int], tally: Tally, *, now: datetime) -> None:
    tally.accounts += 1
    try:
        events = undelivered(account_id, window)
    except stripe.StripeError as error:
        tally.accounts_failed += 1
        logger.warning(
            "listing a Stripe account's undelivered events failed",
            extra={"stripe_account": account_id or "platform", "error": type(error).__name__},
        )
        return
    tally.unprocessed += len(events)
    for event in events:
        ids = {"stripe_account": account_id or "platform", "stripe_event_id": event.get("id")}
        try:
            result = webhook.apply(event, now=now)
        except Exception as error:  # one event, or one account's data, must not stop every other payment's replay
            tally.failed += 1
            logger.warning("replaying a Stripe event failed", extra=ids | {"error": type(error).__name__})
            continue
        tally.replayed += 1
        logger.info("undelivered Stripe event replayed", extra=ids | {"type": event.get("type"), "result": result})
