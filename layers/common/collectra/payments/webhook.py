"""Stripe's webhook events: verified, each applied once, in whatever order Stripe delivers them.

Verification uses the stripe library over the exact bytes received, against every configured signing
secret (several during a rotation, or the platform's and the Connect endpoint's). An event must be of
this environment's mode (live in prod, test elsewhere) and come from the connected account of the
workspace its metadata names. What each event type means for a payment attempt, and what that does to the
attempt and its debts, is `decision` (pure rules); reading and writing it (once, forward only) is
`attempts.apply_change`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

import stripe
from aws_lambda_powertools.metrics import MetricUnit

from collectra import config, store
from collectra.clock import iso
from collectra.debts import resolved
from collectra.errors import CollectraError
from collectra.inbox import items as inbox
from collectra.observability import logger, metrics
from collectra.payments import collection, decision, overpayments, stripe_api
from collectra.payments.attempts import AttemptRef, Outcome, apply_change
from collectra.payments.connect import account_changes
from collectra.payments.records import EVENT_APPLIED, event_applied_op
from collectra.plans import service as plans
from collectra.store import keys


class BadSignature(CollectraError):
    status = 400
    code = "bad_signature"


class WrongMode(CollectraError):
    status = 400
    code = "wrong_mode"


def verify(payload: bytes, header: str | None) -> dict[str, Any]:
    """The event, if `header` signs `payload` with one of our secrets within Stripe's tolerance."""
    if not header:
        raise BadSignature("The Stripe-Signature header is missing.")
    for secret in stripe_api.webhook_secrets():
        try:
            stripe.WebhookSignature.verify_header(payload, header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        except stripe.SignatureVerificationError:
            continue
        event = json.loads(payload)
        if not isinstance(event, dict) or event.get("object") != "event":
            raise BadSignature("The payload is not a Stripe event.")
        return event
    raise BadSignature("The signature does not match this endpoint's signing secrets.")


def apply(event: dict[str, Any], *, now: datetime) -> str:
    """`handle`, with an event it cannot read acknowledged as "unreadable" (and the traceback logged): it will not
    read better the next time, whoever brings it (Stripe's delivery, or the check of undelivered events)."""
    try:
        return handle(event, now=now)
    except (KeyError, TypeError, ValueError):
        logger.exception("a Stripe event could not be read", extra={"stripe_event_id": event.get("id")})
        return "unreadable"


def handle(event: dict[str, Any], *, now: datetime) -> str:
    """Apply one verified event; returns what happened (for the logs and metrics)."""
    if bool(event.get("livemode")) != config.livemode():
        raise WrongMode(
            f"A {'live' if event.get('livemode') else 'test'} event reached the {config.environment()} environment."
        )
    kind = str(event.get("type"))
    if kind in _ACCOUNT_EVENTS:
        return _ACCOUNT_EVENTS[kind](event, now)
    setup = collection.on_setup_event(event, now=now)  # a plan's payment method saved for automatic collection
    if setup is not None:
        return setup
    read = decision.meaning(kind)
    if read is None:
        return "ignored"
    obj = event["data"]["object"]
    ref = _reference(kind, obj, event.get("account"))
    if ref is None:
        return "not_ours"
    outcome = apply_change(ref, event["id"], lambda: read(obj), account_id=event.get("account"), now=now)
    if outcome.result == "applied":
        _expire_other_sessions(outcome, event.get("account"), now=now)
        _count_money(kind, outcome)
    if outcome.settled_now and outcome.attempt is not None:
        # The money came: a failed try before it and an "already paid" claim are resolved.
        inbox.close_matching(
            ref.workspace_id,
            kinds=["payment_failed", "already_paid"],
            debtor_id=ref.debtor_id,
            debt_ids=[share.debt_id for share in decision.shares_of(outcome.attempt)],
            reason=resolved.PAID,
            now=now,
        )
    if outcome.attempt is not None and outcome.result in ("applied", "duplicate", "no_change"):
        # A plan's instalment: the plan follows (a redelivery repairs what a crash left undone; each step is once).
        collection.after_attempt_event(ref.workspace_id, outcome.attempt, kind, obj, now=now)
    if outcome.settled_now and outcome.attempt is not None:
        _settle_plans(ref.workspace_id, outcome, now=now)
    # After any reading of the attempt, a redelivery included: a refund Stripe could not make before is asked again.
    if outcome.result in ("applied", "duplicate", "no_change") and overpayments.is_due(outcome.attempt):
        assert outcome.attempt is not None  # noqa: S101 - is_due
        overpayments.refund_overpayment(outcome.attempt, str(event.get("account")), now=now)
    return outcome.result


# ---------------------------------------------------------------- payment attempts


def _count_money(kind: str, outcome: Outcome) -> None:
    """What an applied event did to the money, for the dashboard: once per event (a redelivery is a duplicate)."""
    if outcome.settled_now:
        metrics.add_metric(name="PaymentsSettled", unit=MetricUnit.Count, value=1)
    elif kind == "charge.refunded":
        metrics.add_metric(name="PaymentsRefunded", unit=MetricUnit.Count, value=1)
    elif kind == "charge.dispute.created":
        metrics.add_metric(name="PaymentsDisputed", unit=MetricUnit.Count, value=1)


def _settle_plans(workspace_id: str, outcome: Outcome, *, now: datetime) -> None:
    """Money that settled on debts in a plan other than as its instalment (the invoice paid from the page, or
    everything at once) may complete the plan: `plans.service.settle` reads it and its debts and completes it when
    everything is paid (idempotent). An instalment's own plan is settled by `collection.after_attempt_event`; a
    settle this request could not finish is done by the scheduler's next look at the plan (`settle` again)."""
    attempt = outcome.attempt
    assert attempt is not None  # noqa: S101 - the caller checks
    for plan_id in sorted(outcome.plan_ids - {attempt.get("plan_id")}):
        plans.settle(workspace_id, plan_id, now=now, look_now=True)


def _reference(kind: str, obj: dict[str, Any], account: str | None) -> AttemptRef | None:
    """Which attempt the object is about: from its metadata, or through its PaymentIntent."""
    if kind.startswith(("checkout.session.", "payment_intent.")):
        return _from_metadata(obj.get("metadata") or {})
    intent = obj.get("payment_intent")
    if not intent:
        return None
    found = store.get(keys.payment_intent(str(intent)))
    if found is not None:
        return AttemptRef(found["workspace_id"], found["attempt_id"], found["debtor_id"], list(found["debt_ids"]))
    if not account:
        return None
    # A refund or dispute delivered before the payment's own event: the PaymentIntent names the attempt.
    retrieved = stripe_api.client().v1.payment_intents.retrieve(str(intent), options={"stripe_account": account})
    metadata = cast(dict[str, Any], retrieved.to_dict().get("metadata") or {})
    return _from_metadata(metadata)


def _from_metadata(metadata: dict[str, Any]) -> AttemptRef | None:
    names = ("workspace_id", "attempt_id", "debtor_id", "debt_ids")
    if not all(metadata.get(name) for name in names):
        return None  # a payment Collectra did not start (the business uses its account for other things)
    return AttemptRef(
        metadata["workspace_id"], metadata["attempt_id"], metadata["debtor_id"], str(metadata["debt_ids"]).split(",")
    )


def _expire_other_sessions(outcome: Outcome, account: str | None, *, now: datetime) -> None:
    """Once money came in for some debts, other open Checkout Sessions for them must not take it twice."""
    attempt, debtor = outcome.attempt, outcome.debtor
    if not attempt or not debtor or not account or not outcome.settled_now:
        return
    settled = {share["debt_id"] for share in attempt["shares"]}
    for pointer in (debtor.get("checkouts") or {}).values():
        if not pointer.get("session_id") or pointer.get("attempt_id") == attempt["id"]:
            continue  # a claim still being made has no session yet; it is for the debts' old versions anyway
        if int(pointer.get("expires_at", 0)) <= now.timestamp():
            continue
        if settled & set(pointer.get("debt_ids") or []):
            try:
                stripe_api.client().v1.checkout.sessions.expire(
                    pointer["session_id"], options={"stripe_account": account}
                )
            except stripe.InvalidRequestError:
                pass  # already completed or expired: nothing left to stop
            except stripe.StripeError:
                logger.exception("could not expire a Checkout Session", extra={"attempt_id": pointer.get("attempt_id")})


# ---------------------------------------------------------------- connected accounts


def _workspace_of(account_id: str | None) -> str | None:
    found = store.get(keys.stripe_account(account_id)) if account_id else None
    return str(found["workspace_id"]) if found else None


def _account_updated(event: dict[str, Any], now: datetime) -> str:
    account = event["data"]["object"]
    if event.get("account") not in (None, account.get("id")):
        return "wrong_account"
    workspace_id = _workspace_of(account.get("id"))
    if workspace_id is None:
        return "not_ours"
    changes = account_changes(account, now=now) | {"stripe_account_seen": int(event.get("created") or 0)}
    names = {f"#{name}": name for name in changes}
    values: dict[str, Any] = {f":{name}": value for name, value in changes.items()} | {":account": account["id"]}
    try:
        store.transact(
            [
                event_applied_op(event["id"], now),
                store.update_op(
                    keys.workspace(workspace_id),
                    "SET " + ", ".join(f"#{name} = :{name}" for name in changes),
                    values,
                    # An older snapshot delivered late never overwrites a newer one.
                    "stripe_account_id = :account AND (attribute_not_exists(#stripe_account_seen) "
                    "OR #stripe_account_seen <= :stripe_account_seen)",
                    names,
                ),
            ]
        )
    except store.ConditionsFailed as error:
        return "duplicate" if EVENT_APPLIED in error.failed else "stale"
    return "applied"


def _deauthorized(event: dict[str, Any], now: datetime) -> str:
    account_id = event.get("account")
    workspace_id = _workspace_of(account_id)
    if workspace_id is None:
        return "not_ours"
    try:
        store.transact(
            [
                event_applied_op(event["id"], now),
                store.update_op(
                    keys.workspace(workspace_id),
                    "SET stripe_charges_enabled = :no, stripe_payouts_enabled = :no, stripe_updated_at = :now "
                    "REMOVE stripe_account_id, stripe_details_submitted, stripe_account_seen",
                    {":no": False, ":now": iso(now), ":account": account_id},
                    "stripe_account_id = :account",
                ),
                store.delete_op(keys.stripe_account(str(account_id))),
            ]
        )
    except store.ConditionsFailed as error:
        return "duplicate" if EVENT_APPLIED in error.failed else "stale"
    return "applied"


_ACCOUNT_EVENTS: dict[str, Callable[[dict[str, Any], datetime], str]] = {
    "account.updated": _account_updated,
    "account.application.deauthorized": _deauthorized,
}
