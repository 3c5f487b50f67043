"""Paying from the debtor's page: a Stripe Checkout Session for exactly what is outstanding now.

The session is created on the workspace's connected account (a direct charge), with the attempt's
idempotency key, line items naming the invoices, and metadata naming the workspace, debtor, debts and
attempt on both the session and its PaymentIntent, so every later event finds its way back. The attempt
is recorded before the debtor is sent to Stripe; a session whose attempt could not be recorded is never
shown to anyone and is expired at once.

"Pay the invoice amount" and "Pay everything" are two designations (`quote`): the attempt records which, the
workspace-local day its amounts were quoted on, and each debt's lines (principal, interest, compensation); the
session shows one line item per invoice principal and one per charge, so the debtor sees what each part is.

Single flight per basket (the debtor, the debts, their versions, the designation and the quoted lines): the
debtor item keeps a map of its
live sessions by attempt id, each naming its basket. Two tabs, a double submit or ten presses at once make
one session: one press claims the basket with a conditional write, the others wait for its URL and are sent
there too. Every live session stays in the map until it expires, so a settlement can expire all the others
that cover the same debts (`webhook`), and a payment that gets through anyway is refunded (`overpayments`).
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from collectra import config, store
from collectra.debtors.page import PageContext
from collectra.debtors.records import Debtor
from collectra.debts.records import Debt, outstanding
from collectra.debts.service import today_in
from collectra.debts.states import Status
from collectra.debts.timeline import actor_debtor, entry_op
from collectra.errors import CollectraError, Conflict
from collectra.ids import new_id
from collectra.interest import Charges, terms_of
from collectra.pages.formatting import format_rate
from collectra.pages.messages import message
from collectra.payments import closing, stripe_api
from collectra.payments.attempts import new_attempt
from collectra.payments.models import payments_enabled
from collectra.payments.quote import DESIGNATIONS, Quote, charges_shown, quote
from collectra.payments.records import PaymentAttempt
from collectra.payments.stripe_amounts import StripeAmountRefused, stripe_floor, to_stripe
from collectra.plans import rules as plan_rules
from collectra.plans import service as plan_service
from collectra.store import keys

SESSION_MINUTES = 31  # Stripe's shortest expiry is 30 minutes after creation
REUSE_MARGIN_SECONDS = 120  # a session about to expire is not handed out again
CLAIM_SECONDS = 30  # how long one press may take to make the basket's session before another takes over
WAIT_SECONDS = 10.0  # how long the other presses wait for that session's URL
POLL_SECONDS = 0.2
MAX_DEBTS = 15  # keeps a settlement within one 100-item transaction, and metadata within 500 characters
STRIPE_LOCALES = frozenset({"en", "fr", "de"})


class PaymentRefused(CollectraError):
    """Paying is not possible right now; `code` names why, and the page says it in the debtor's words."""

    status = 409


@dataclass(frozen=True)
class Choice:
    """What the debtor pressed: one debt, or everything in one currency; the invoice amounts only
    (designation "principal") or with their late-payment charges ("all")."""

    debt_id: str | None = None
    currency: str | None = None
    designation: str = "principal"
    plan_id: str | None = None  # what the plan asks now, instead of the debts' amounts

    def __post_init__(self) -> None:
        if self.designation not in DESIGNATIONS:
            raise ValueError(f"not a designation: {self.designation!r}")


@dataclass(frozen=True)
class Quoted:
    """A debt to pay, what is planned on each of its lines, and its charges (None: none claimed)."""

    debt: Debt
    quote: Quote
    charges: Charges | None


@dataclass(frozen=True)
class Instalment:
    """What an instalment of a payment plan asks now: `number` of `count`, allocated over the plan's debts."""

    plan_id: str
    number: int
    count: int


def chosen_debts(context: PageContext, choice: Choice) -> list[Debt]:
    """The debts the payment is for, or PaymentRefused with the reason."""
    if not payments_enabled(context.workspace):
        raise PaymentRefused("Online payment is not enabled for this business.", code="payments_unavailable")
    if choice.debt_id:
        chosen = [debt for debt in context.debts if debt["id"] == choice.debt_id]
        if chosen and chosen[0]["status"] == Status.DISPUTED:
            raise PaymentRefused("This debt is disputed.", code="debt_disputed")
    else:
        chosen = [
            debt
            for debt in context.debts
            if debt["status"] in (Status.OPEN, Status.PARTIALLY_PAID)
            and (choice.currency is None or debt["currency"] == choice.currency)
        ]
        if len({debt["currency"] for debt in chosen}) > 1:
            raise PaymentRefused("These debts are in different currencies.", code="mixed_currencies")
    chosen = [debt for debt in chosen if outstanding(debt) > 0][:MAX_DEBTS]
    if not chosen:
        raise PaymentRefused("Nothing is outstanding.", code="nothing_to_pay")
    if any(debt.get("payment_processing") for debt in chosen):
        raise PaymentRefused("A payment for this is already on its way.", code="payment_processing")
    for debt in chosen:  # refused here, before Stripe is called, rather than by Stripe with a 400
        try:
            to_stripe(outstanding(debt), debt["currency"])
        except StripeAmountRefused as refused:
            raise PaymentRefused(refused.message, code="amount_not_payable") from refused
    return chosen


def quoted(context: PageContext, chosen: list[Debt], designation: str, *, on: date) -> list[Quoted]:
    """What paying `chosen` with `designation` plans on each debt, quoted on the workspace-local day `on`."""
    terms = terms_of(context.workspace, context.debtor) if designation == "all" else None
    plans = []
    for debt in chosen:
        charges = charges_shown(debt, terms, as_of=on)
        plans.append(Quoted(debt, quote(debt, charges, designation), charges))
    return plans


def basket_of(plans: list[Quoted], designation: str, instalment: Instalment | None = None) -> str:
    """What a session pays, as a key: the same debts in the same state (version), paid the same way for the same
    amounts, make the same key. The designation keeps "the invoice amount" and "everything" apart (two tabs make two
    sessions), and the lines a quote made on another day (interest grows daily) from today's; an instalment names
    its plan and number, so paying it is never the same basket as paying the invoices."""
    paid_as: list[Any] = [designation]
    if instalment is not None:
        paid_as = [designation, "plan", instalment.plan_id, instalment.number]
    described = json.dumps(
        [*paid_as, *[[plan.debt["id"], plan.debt["version"], plan.quote.lines()] for plan in plans]],
        sort_keys=True,
    )
    return hashlib.sha256(described.encode()).hexdigest()[:32]


def instalment_asked(context: PageContext, plan_id: str) -> tuple[list[Quoted], Instalment]:
    """What the plan asks now (`plans.rules.asked_now`: the rest of the first instalment not yet paid), allocated over
    its debts in the plan's order (`rules.allocate`), each share principal only; or PaymentRefused."""
    if not payments_enabled(context.workspace):
        raise PaymentRefused("Online payment is not enabled for this business.", code="payments_unavailable")
    plan = plan_service.read(context.workspace["id"], plan_id)
    if plan is None or plan["debtor_id"] != context.debtor["id"] or plan["status"] != "active":
        raise PaymentRefused("This plan is not running.", code="plan_not_active")
    debts = plan_service.debts_of(plan)
    asked = plan_rules.asked_now(plan, plan_service.paid_since(plan, debts))
    if asked is None or asked[1] <= 0:
        raise PaymentRefused("Nothing is asked now.", code="nothing_to_pay")
    number, amount = asked
    shares = plan_rules.allocate(amount, debts)
    by_id = {debt["id"]: debt for debt in debts}
    chosen = [by_id[debt_id] for debt_id in plan["debt_ids"] if shares.get(debt_id, 0) > 0 and debt_id in by_id]
    if not chosen:
        raise PaymentRefused("Nothing is outstanding.", code="nothing_to_pay")
    if any(debt.get("payment_processing") for debt in chosen):
        raise PaymentRefused("A payment for this is already on its way.", code="payment_processing")
    for debt in chosen:
        try:
            to_stripe(shares[debt["id"]], debt["currency"])
        except StripeAmountRefused as refused:
            raise PaymentRefused(refused.message, code="amount_not_payable") from refused
    quoted_ = [Quoted(debt, Quote(shares[debt["id"]], 0, 0), None) for debt in chosen]
    return quoted_, Instalment(plan["id"], number, len(plan["instalments"]))


def start_payment(context: PageContext, token: str, choice: Choice, *, now: datetime) -> str:
    """The Checkout URL to send the debtor to: the basket's open session, or one new session however many
    presses arrive at once (single flight, see `_claim`). With `choice.plan_id`, what the plan asks now."""
    quoted_on = today_in(context.workspace, now)
    instalment = None
    if choice.plan_id:
        plans, instalment = instalment_asked(context, choice.plan_id)
        chosen = [plan.debt for plan in plans]
    else:
        chosen = chosen_debts(context, choice)
        plans = quoted(context, chosen, choice.designation, on=quoted_on)
    basket = basket_of(plans, choice.designation, instalment)
    debtor_key = keys.debtor(context.workspace["id"], context.debtor["id"])
    debtor, started = context.debtor, time.monotonic()
    while True:
        at = now + timedelta(seconds=time.monotonic() - started)
        pointers = live_pointers(debtor, at=at)
        reusable = [p for p in pointers.values() if p.get("basket") == basket and p.get("url") and _reusable(p, at)]
        if reusable:
            return str(reusable[0]["url"])
        if not any(p.get("basket") == basket and not p.get("url") for p in pointers.values()):
            attempt_id = _claim(debtor, pointers, basket, chosen, at=at)
            if attempt_id is not None:
                return _create_session(
                    context,
                    token,
                    plans,
                    basket,
                    attempt_id,
                    designation=choice.designation,
                    now=at,
                    instalment=instalment,
                )
        elif time.monotonic() - started > WAIT_SECONDS:  # the press that claimed it is taking too long
            raise PaymentRefused("A payment for this is being prepared.", code="payment_processing")
        else:
            time.sleep(POLL_SECONDS)  # another press is creating this basket's session: wait for its URL
        debtor = cast(Debtor | None, store.get(debtor_key, consistent=True)) or debtor


def live_pointers(debtor: Debtor, *, at: datetime) -> dict[str, dict[str, Any]]:
    """The debtor's Checkout Sessions (and claims to make one) that have not expired, by attempt id."""
    return {
        attempt_id: pointer
        for attempt_id, pointer in (debtor.get("checkouts") or {}).items()
        if int(pointer.get("expires_at", 0)) > at.timestamp()
    }


def _reusable(pointer: dict[str, Any], at: datetime) -> bool:
    return int(pointer["expires_at"]) > at.timestamp() + REUSE_MARGIN_SECONDS


def _claim(
    debtor: Debtor,
    pointers: dict[str, dict[str, Any]],
    basket: str,
    chosen: list[Debt],
    *,
    at: datetime,
) -> str | None:
    """Claim the making of the basket's session, or None when another press changed the debtor's sessions first.

    The debtor's `checkouts` map is written whole on `checkout_version`, so of N presses at once exactly one
    claims; the others read again and wait for its URL. A claim lasts `CLAIM_SECONDS`: if its press died, the
    next press takes over, and the late one, if it ever comes back, cannot record its session (`_record`).
    Expired pointers are dropped with each write, which keeps the map small.
    """
    attempt_id = new_id("pay")
    claim = {
        "attempt_id": attempt_id,
        "basket": basket,
        "debt_ids": [debt["id"] for debt in chosen],
        "expires_at": int(at.timestamp()) + CLAIM_SECONDS,
    }
    seen = int(debtor.get("checkout_version", 0))
    values: dict[str, Any] = {":pointers": pointers | {attempt_id: claim}, ":next": seen + 1}
    if seen:
        values[":seen"] = seen
    try:
        store.update(
            keys.debtor(debtor["workspace_id"], debtor["id"]),
            "SET checkouts = :pointers, checkout_version = :next",
            values=values,
            condition="attribute_exists(pk) AND "
            + ("checkout_version = :seen" if seen else "attribute_not_exists(checkout_version)"),
        )
    except Conflict:
        return None
    return attempt_id


def _create_session(
    context: PageContext,
    token: str,
    plans: list[Quoted],
    basket: str,
    attempt_id: str,
    *,
    now: datetime,
    designation: str,
    instalment: Instalment | None = None,
) -> str:
    workspace, debtor = context.workspace, context.debtor
    debtor_key = keys.debtor(workspace["id"], debtor["id"])
    chosen = [plan.debt for plan in plans]
    attempt = new_attempt(
        workspace["id"],
        attempt_id,
        debtor["id"],
        chosen,
        basket=basket,
        now=now,
        designation=designation,
        quoted_on=today_in(workspace, now),
        lines={plan.debt["id"]: plan.quote.lines() for plan in plans},
    )
    if instalment is not None:
        attempt |= {"plan_id": instalment.plan_id, "instalment": instalment.number}
    try:
        session = stripe_api.client().v1.checkout.sessions.create(
            params=_session_params(context, token, attempt, plans, now=now, instalment=instalment),  # type: ignore[arg-type]
            options={"stripe_account": workspace["stripe_account_id"], "idempotency_key": f"checkout-{attempt_id}"},
        )
    except Exception:
        _release(debtor_key, attempt_id)  # the next press may try at once, rather than wait out the claim
        raise
    attempt |= {
        "status": "open",
        "session_id": session.id,
        "session_url": session.url,
        "session_expires_at": session.expires_at,
    }
    pointer = {
        "attempt_id": attempt_id,
        "basket": basket,
        "session_id": session.id,
        "url": session.url,
        "expires_at": session.expires_at,
        "debt_ids": [debt["id"] for debt in chosen],
    }
    try:
        _record(workspace["id"], debtor_key, attempt, pointer, chosen, now=now)
    except Conflict as lost:
        # The claim was taken over, or a debt changed (paid, edited) while Stripe was answering: this session
        # was never shown to anyone, and now nobody may pay it.
        closing.expire_sessions(workspace["stripe_account_id"], [session.id])
        raise PaymentRefused("What is owed changed meanwhile.", code="payment_changed") from lost
    return str(session.url)


def _record(
    workspace_id: str,
    debtor_key: dict[str, str],
    attempt: PaymentAttempt,
    pointer: dict[str, Any],
    chosen: list[Debt],
    *,
    now: datetime,
) -> None:
    """The attempt, the debtor's pointer in place of the claim (still ours), and the debts still as priced."""
    actor = actor_debtor(attempt["debtor_id"])
    store.transact(
        [
            store.put_op(attempt, "attribute_not_exists(pk)"),
            store.update_op(
                debtor_key,
                "SET checkouts.#attempt = :pointer, checkout_version = checkout_version + :one",
                {":pointer": pointer, ":one": 1},
                "attribute_exists(checkouts.#attempt)",
                {"#attempt": attempt["id"]},
            ),
            *[
                store.check_op(keys.debt(workspace_id, debt["id"]), "version = :seen", {":seen": debt["version"]})
                for debt in chosen
            ],
            *[
                entry_op(
                    workspace_id,
                    share["debt_id"],
                    "payment_started",
                    actor=actor,
                    now=now,
                    data={"attempt_id": attempt["id"], "amount": share["planned"], "currency": attempt["currency"]},
                )
                for share in attempt["shares"]
            ],
        ]
    )


def _release(debtor_key: dict[str, str], attempt_id: str) -> None:
    with suppress(Conflict):  # taken over already
        store.update(
            debtor_key,
            "REMOVE checkouts.#attempt SET checkout_version = checkout_version + :one",
            values={":one": 1},
            names={"#attempt": attempt_id},
            condition="attribute_exists(checkouts.#attempt)",
        )


def _session_params(
    context: PageContext,
    token: str,
    attempt: PaymentAttempt,
    plans: list[Quoted],
    *,
    now: datetime,
    instalment: Instalment | None = None,
) -> dict[str, Any]:
    workspace, debtor = context.workspace, context.debtor
    chosen = [plan.debt for plan in plans]
    locale = debtor.get("locale") or workspace.get("locale")
    metadata = {
        "workspace_id": workspace["id"],
        "debtor_id": debtor["id"],
        "attempt_id": attempt["id"],
        "debt_ids": ",".join(debt["id"] for debt in chosen),
    }
    if instalment is not None:
        metadata |= {"plan_id": instalment.plan_id, "instalment": str(instalment.number)}
    page = f"{config.public_base_url()}/p/{token}"
    intent: dict[str, Any] = {
        "metadata": metadata,
        "description": f"{workspace.get('legal_name') or workspace['name']}: "
        + ", ".join(debt["invoice_number"] for debt in chosen)[:400],
    }
    # The fee rounds down to an amount Stripe can take (a KWD fee ending in 0), in the business's favour.
    fee = round(attempt["amount"] * int(workspace.get("platform_fee_basis_points") or 0) / 10_000)
    fee = stripe_floor(fee, attempt["currency"])
    if fee > 0:
        intent["application_fee_amount"] = to_stripe(fee, attempt["currency"])
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [item for plan in plans for item in _line_items(plan, locale or "en", instalment)],
        "client_reference_id": attempt["id"],
        "metadata": metadata,
        "payment_intent_data": intent,
        "expires_at": int((now + timedelta(minutes=SESSION_MINUTES)).timestamp()),
        "success_url": f"{page}?payment={attempt['id']}",
        "cancel_url": f"{page}?notice=payment_cancelled",
    }
    if debtor.get("email"):
        params["customer_email"] = debtor["email"]
    if locale in STRIPE_LOCALES:
        params["locale"] = locale
    return params


def _line_items(plan: Quoted, locale: str, instalment: Instalment | None = None) -> list[dict[str, Any]]:
    """One line for the invoice's principal, one per charge planned, each in Stripe's exact amount; an instalment's
    line names it ("Instalment 2 of 3 — Invoice F-1")."""
    debt, lines = plan.debt, plan.quote
    invoice = debt["invoice_number"]
    named = [(message(locale, "checkout_invoice", invoice=invoice), lines.principal)]
    if instalment is not None:
        said = message(locale, "checkout_instalment", number=instalment.number, count=instalment.count, invoice=invoice)
        named = [(said, lines.principal)]
    if lines.interest and plan.charges is not None:
        periods = plan.charges.periods
        rates = " / ".join(format_rate(rate, locale) for rate in dict.fromkeys(period.rate for period in periods))
        days = sum(period.days for period in periods)
        named.append((message(locale, "checkout_interest", invoice=invoice, rate=rates, days=days), lines.interest))
    if lines.compensation:
        named.append((message(locale, "checkout_compensation", invoice=invoice), lines.compensation))
    return [
        {
            "quantity": 1,
            "price_data": {
                "currency": debt["currency"].lower(),
                "unit_amount": to_stripe(amount, debt["currency"]),
                "product_data": {"name": name[:250]},
            },
        }
        for name, amount in named
        if amount > 0
    ]
