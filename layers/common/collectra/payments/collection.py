"""Automatic collection of a plan's instalments by Stripe: a saved payment method, charged off-session on each date.

Setting it up (`start_setup`): the debtor gets a Stripe Customer on the workspace's connected account (one per debtor
per workspace, its id kept on the plan's `collection.customer_id` and reused by the debtor's later plans) and a
setup-mode Checkout Session (card, and SEPA Direct Debit for a plan in euros). The session is claimed on the plan
(`collection.setup_attempt`, a fresh id also written in the session's and its SetupIntent's metadata) before the
debtor is sent there, so two tabs get the same session. Stripe then says `checkout.session.completed` (mode setup)
and `setup_intent.succeeded`; whichever comes first (`on_setup_event`) reads the SetupIntent back from Stripe and
stores the method: `collection = {mode: automatic, customer_id, payment_method_id, method}`, once (the claim is
cleared by that write, so the other event, or a redelivery, changes nothing), with `automatic_collection_on` on the
timeline. Switching it off (`turn_off`) detaches the method on Stripe and sets the plan back to manual.

Charging (`charge_due`, called by the scheduler for a plan it looks at): when the instalment the plan asks for now
(`rules.asked_now`) is due in the business's calendar, or its retry is due, and nothing is on its way, the charge is
claimed on the plan (`charges[n]`: the try's number, its attempt, a lease `claimed_until`) in the same transaction
that records a payment attempt (channel off_session, the plan and instalment, its shares by `rules.allocate`); then
the PaymentIntent is created off-session with the idempotency key `plan-<plan id>-<n>-<try>`. A process that dies
after the claim is taken over once the lease lapses, with the same attempt and the same key, so Stripe answers the
same PaymentIntent: never two charges for one try. The money is booked by the webhook like any payment
(`payments.decision`); the plan follows the attempt's PaymentIntent (`after_attempt_event`): processing, succeeded,
or failed. A failure (authentication required, a decline, a SEPA debit that bounced) sets `charges[n]` to
`action_required` or `failed` with the next try from `retries`, opens the inbox item `instalment_failed` (once per
instalment), writes `instalment_charge_failed` on the timeline and sets `next_look_at = now`, so the scheduler emails
the debtor the link to pay it.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

import stripe

from collectra import config, store
from collectra.clock import iso
from collectra.debtors.page import PageContext
from collectra.debtors.records import Debtor
from collectra.debts import resolved
from collectra.debts.records import Debt
from collectra.debts.service import today_in
from collectra.debts.timeline import actor_debtor, entry_op
from collectra.errors import CollectraError, Contention
from collectra.ids import new_id
from collectra.inbox import items as inbox
from collectra.observability import logger, metrics
from collectra.payments import stripe_api
from collectra.payments.attempts import STRIPE, new_attempt
from collectra.payments.models import payments_enabled
from collectra.payments.records import PaymentAttempt
from collectra.payments.stripe_amounts import to_stripe
from collectra.plans import retries, rules, service
from collectra.plans.records import Plan, Status, with_indexes
from collectra.store import contention, keys
from collectra.workspaces.records import Workspace

LEASE = timedelta(minutes=5)  # how long one scheduler may take to charge before another takes over, same key
SETUP_MINUTES = 31  # a setup session's life: Stripe's shortest is 30 minutes
SETUP_CLAIM_SECONDS = 30  # how long one press may take to make the setup session before another takes over
SETUP_REUSE_MARGIN_SECONDS = 120  # a session about to expire is not handed out again
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.2
ATTEMPTS = 5  # reads and writes again when the plan changed meanwhile
STRIPE_LOCALES = frozenset({"en", "fr", "de"})
# A charge's state only moves forward: a late answer never undoes what a webhook already said.
_RANK = {"charging": 0, "processing": 1, "succeeded": 2, "failed": 2, "action_required": 2}
ON_ITS_WAY = frozenset({"charging", "processing", "succeeded"})  # succeeded: booked when its webhook comes


class AutomaticRefused(CollectraError):
    """Automatic collection cannot be set up now; `code` names why (the page says it in the debtor's words)."""

    status = 409


# ---------------------------------------------------------------- setting it up


def start_setup(context: PageContext, plan: Plan, *, token: str, now: datetime) -> str:
    """The Stripe setup page to send the debtor to: the plan's session in flight, or a new one (single flight).
    `token` is the page's, for Stripe's way back to it."""
    workspace = context.workspace
    if not payments_enabled(workspace):
        raise AutomaticRefused("Online payment is not enabled for this business.", code="payments_unavailable")
    started = time.monotonic()
    current: Plan | None = plan
    while True:
        at = now + timedelta(seconds=time.monotonic() - started)
        if current is None:
            current = service.read(workspace["id"], plan["id"])
            if current is None:
                raise AutomaticRefused("There is no such payment plan.", code="plan_not_active")
        if current["status"] != Status.ACTIVE:
            raise AutomaticRefused("Only an active plan can be paid automatically.", code="plan_not_active")
        collection = cast(dict[str, Any], current["collection"])
        if collection.get("mode") == "automatic":
            raise AutomaticRefused("Automatic payment is already on.", code="already_on")
        pending = collection.get("setup") or {}
        if collection.get("setup_attempt") and pending.get("attempt") == collection["setup_attempt"]:
            if pending.get("url") and int(pending.get("expires_at", 0)) > at.timestamp() + SETUP_REUSE_MARGIN_SECONDS:
                return str(pending["url"])
            if not pending.get("url") and int(pending.get("claimed_until", 0)) > at.timestamp():
                if time.monotonic() - started > WAIT_SECONDS:
                    raise AutomaticRefused("A setup is being prepared.", code="setup_in_progress")
                time.sleep(POLL_SECONDS)  # another press is making the session: wait for its URL
                current = None
                continue
        claimed = _claim_setup(current, at)
        if claimed is None:
            current = None  # the plan changed meanwhile: look again
            continue
        page = f"{config.public_base_url()}/p/{token}"
        return _create_setup_session(context, claimed, page=page, now=at)


def _claim_setup(plan: Plan, at: datetime) -> tuple[Plan, str] | None:
    attempt = new_id("setup")
    collection = {
        **plan["collection"],
        "setup_attempt": attempt,
        "setup": {"attempt": attempt, "claimed_until": int(at.timestamp()) + SETUP_CLAIM_SECONDS},
    }
    updated = _changed(plan, at, collection=collection)
    try:
        store.transact([_plan_write(plan, updated)])
    except (store.ConditionsFailed, Contention):
        return None
    return updated, attempt


def _create_setup_session(context: PageContext, claimed: tuple[Plan, str], *, page: str, now: datetime) -> str:
    plan, attempt = claimed
    workspace, debtor = context.workspace, context.debtor
    account = str(workspace["stripe_account_id"])
    customer = _customer(workspace, debtor, plan)
    metadata = {
        "workspace_id": workspace["id"],
        "debtor_id": debtor["id"],
        "plan_id": plan["id"],
        "setup_attempt": attempt,
    }
    types = ["card", "sepa_debit"] if plan["currency"].upper() == "EUR" else ["card"]
    params: dict[str, Any] = {
        "mode": "setup",
        "customer": customer,
        "currency": plan["currency"].lower(),
        "payment_method_types": types,
        "metadata": metadata,
        "setup_intent_data": {"metadata": metadata},
        "client_reference_id": attempt,
        "expires_at": int((now + timedelta(minutes=SETUP_MINUTES)).timestamp()),
        "success_url": f"{page}?notice=automatic_setup_done",
        "cancel_url": f"{page}?notice=automatic_setup_cancelled",
    }
    locale = debtor.get("locale") or workspace.get("locale")
    if locale in STRIPE_LOCALES:
        params["locale"] = locale
    session = stripe_api.client().v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]  # payment_method_types: still taken, no longer in the types
        options={"stripe_account": account, "idempotency_key": f"setup-{attempt}"},
    )
    pending = {"attempt": attempt, "session_id": session.id, "url": session.url, "expires_at": session.expires_at}
    for _ in range(ATTEMPTS):
        current = service.read(workspace["id"], plan["id"])
        if current is None or current["collection"].get("setup_attempt") != attempt:
            break  # taken over, or set up meanwhile: this session is not to be shown
        collection = {**current["collection"], "customer_id": customer, "setup": pending}
        try:
            store.transact([_plan_write(current, _changed(current, now, collection=collection))])
        except (store.ConditionsFailed, Contention):
            continue
        return str(session.url)
    _expire(account, str(session.id))
    raise AutomaticRefused("The plan changed meanwhile.", code="plan_changed")


def _customer(workspace: Workspace, debtor: Debtor, plan: Plan) -> str:
    """The debtor's Customer on the workspace's connected account: the plan's, a former plan's, or a new one (the
    idempotency key makes two presses at once one Customer)."""
    known = plan["collection"].get("customer_id")
    if known:
        return str(known)
    for other in service.plans_of_debtor(workspace["id"], debtor["id"]):
        if other["collection"].get("customer_id"):
            return str(other["collection"]["customer_id"])
    params: dict[str, Any] = {"metadata": {"workspace_id": workspace["id"], "debtor_id": debtor["id"]}}
    if debtor.get("email"):
        params["email"] = debtor["email"]
    if debtor.get("name"):
        params["name"] = str(debtor["name"])[:256]
    created = stripe_api.client().v1.customers.create(
        params=params,  # type: ignore[arg-type]
        options={
            "stripe_account": str(workspace["stripe_account_id"]),
            "idempotency_key": f"customer-{workspace['id']}-{debtor['id']}",
        },
    )
    return str(created.id)


def _expire(account: str, session_id: str) -> None:
    try:
        stripe_api.client().v1.checkout.sessions.expire(session_id, options={"stripe_account": account})
    except stripe.StripeError:
        logger.warning("could not expire a setup session no one will use")


def on_setup_event(event: dict[str, Any], *, now: datetime) -> str | None:
    """A setup-mode Checkout Session completed, or its SetupIntent succeeded: the plan's method is saved, once.
    None when the event is not about a setup (the caller reads it as a payment's)."""
    obj, kind = event["data"]["object"], event.get("type")
    if kind == "checkout.session.completed" and obj.get("mode") == "setup":
        setup_intent_id = obj.get("setup_intent")
    elif kind == "setup_intent.succeeded":
        setup_intent_id = obj.get("id")
    else:
        return None
    metadata = obj.get("metadata") or {}
    names = ("workspace_id", "debtor_id", "plan_id", "setup_attempt")
    if not setup_intent_id or not all(metadata.get(name) for name in names):
        return "not_ours"
    workspace_id, plan_id, attempt = metadata["workspace_id"], metadata["plan_id"], metadata["setup_attempt"]
    [workspace] = store.batch_get([keys.workspace(workspace_id)])
    account = event.get("account")
    if workspace is None or not account or workspace.get("stripe_account_id") != account:
        return "wrong_account"
    plan = service.read(workspace_id, plan_id)
    if plan is None or plan["collection"].get("setup_attempt") != attempt:
        return "duplicate"  # saved already (by the other event), or the debtor started another setup since
    intent = stripe_api.client().v1.setup_intents.retrieve(
        str(setup_intent_id), params={"expand": ["payment_method"]}, options={"stripe_account": account}
    )
    method = cast(Any, intent.payment_method)
    if intent.status != "succeeded" or method is None or isinstance(method, str):
        return "not_ready"
    saved = {
        "mode": "automatic",
        "customer_id": str(method.customer or plan["collection"].get("customer_id") or ""),
        "payment_method_id": str(method.id),
        "method": _method_shown(method),
    }
    return _save_method(workspace_id, plan_id, attempt, saved, account, now=now)


def _method_shown(method: Any) -> dict[str, str]:
    """What the page and the app show of a saved method: its type, card brand, last four digits."""
    shown = {"type": str(method.type)}
    details = getattr(method, str(method.type), None)
    if details is not None:
        if getattr(details, "brand", None):
            shown["brand"] = str(details.brand)
        if getattr(details, "last4", None):
            shown["last4"] = str(details.last4)
    return shown


def _save_method(
    workspace_id: str, plan_id: str, attempt: str, saved: dict[str, Any], account: str, *, now: datetime
) -> str:
    for _ in range(ATTEMPTS):
        plan = service.read(workspace_id, plan_id)
        if plan is None or plan["collection"].get("setup_attempt") != attempt:
            return "duplicate"
        if plan["status"] != Status.ACTIVE:
            # The plan ended while the debtor was on Stripe's page: nothing to charge, nothing to keep.
            _detach(account, saved["payment_method_id"])
            collection = {k: v for k, v in plan["collection"].items() if k not in ("setup_attempt", "setup")}
            operations = [_plan_write(plan, _changed(plan, now, collection=collection))]
            result = "plan_not_active"
        else:
            updated = _changed(plan, now, collection=saved, next_look_at=iso(now))
            operations = [_plan_write(plan, updated)]
            operations += _entries(plan, "automatic_collection_on", now, {"method": saved["method"]})
            result = "applied"
        try:
            store.transact(operations)
        except (store.ConditionsFailed, Contention):
            continue
        logger.info("automatic collection", extra={"workspace_id": workspace_id, "plan_id": plan_id, "result": result})
        return result
    raise Contention("The payment plan kept changing; Stripe will retry.", retry_after=contention.RETRY_AFTER_S)


def turn_off(context: PageContext, plan: Plan, *, now: datetime) -> Plan:
    """The debtor switches automatic collection off: the saved method is detached on Stripe, the plan is manual."""
    workspace = context.workspace
    for _ in range(ATTEMPTS):
        current = service.read(workspace["id"], plan["id"])
        if current is None:
            raise AutomaticRefused("There is no such payment plan.", code="plan_not_active")
        collection = current["collection"]
        if collection.get("mode") != "automatic":
            return current
        if collection.get("payment_method_id") and workspace.get("stripe_account_id"):
            _detach(str(workspace["stripe_account_id"]), str(collection["payment_method_id"]))
        manual: dict[str, Any] = {"mode": "manual"}
        if collection.get("customer_id"):
            manual["customer_id"] = collection["customer_id"]
        updated = _changed(current, now, collection=manual)
        operations = [_plan_write(current, updated)]
        operations += _entries(current, "automatic_collection_off", now, {}, actor=actor_debtor(current["debtor_id"]))
        try:
            store.transact(operations)
        except (store.ConditionsFailed, Contention):
            continue
        return updated
    raise Contention(
        "This payment plan was changing at that moment. Please try again.", retry_after=contention.RETRY_AFTER_S
    )


def _detach(account: str, payment_method_id: str) -> None:
    with suppress(stripe.InvalidRequestError):  # detached already (or gone): nothing left to charge
        stripe_api.client().v1.payment_methods.detach(payment_method_id, options={"stripe_account": account})


# ---------------------------------------------------------------- charging an instalment


@dataclass(frozen=True)
class ChargeRef:
    """One try to charge an instalment: its plan, its number, and the attempt that makes it."""

    workspace_id: str
    plan_id: str
    number: int
    attempt_id: str


@dataclass(frozen=True)
class Claimed:
    plan: Plan  # as the claim wrote it
    number: int
    tries: int
    attempt: PaymentAttempt


def charge_due(workspace: Workspace, plan: Plan, *, now: datetime) -> str | None:
    """Charge the instalment the plan asks for now, if it is due (or its retry is) and nothing is on its way.

    Returns what happened: None (nothing to charge now, or another scheduler holds the charge), "succeeded",
    "processing" (a SEPA debit on its way), "failed" / "action_required" (recorded; the scheduler emails the
    debtor), or "retry_later" (Stripe could not be reached: the lease lapses and the same try is made again with
    the same idempotency key)."""
    claimed = _claim(workspace, plan, now=now)
    if claimed is None:
        return None
    return _charge(workspace, claimed, now=now)


def _due_charge(
    workspace: Workspace, plan: Plan, found: list[Debt], now: datetime
) -> tuple[int, int, int, str | None] | None:
    """(instalment number, amount, try number, the attempt to take over or None) to charge now, or None."""
    collection = plan["collection"]
    if plan["status"] != Status.ACTIVE or collection.get("mode") != "automatic":
        return None
    if not collection.get("payment_method_id") or not collection.get("customer_id"):
        return None
    if not payments_enabled(workspace):
        return None
    if any(debt.get("payment_processing") for debt in service.held_by(plan, found)):
        return None  # a payment is on its way (a bank transfer from the page): it may pay the instalment
    asked = rules.asked_now(plan, service.paid_since(plan, found))
    if asked is None:
        return None
    number, amount = asked
    due_on = date.fromisoformat(plan["instalments"][number - 1]["due_on"])
    if due_on > today_in(workspace, now):
        return None
    charge = (plan.get("charges") or {}).get(str(number))
    if charge is None:
        return number, amount, 1, None
    if charge["state"] == "charging":
        lapsed = not charge.get("claimed_until") or str(charge["claimed_until"]) <= iso(now)
        return (number, amount, int(charge["tries"]), charge["attempt_id"]) if lapsed else None
    if charge["state"] in ON_ITS_WAY:
        return None
    next_try = charge.get("next_try_at")
    if next_try and str(next_try) <= iso(now):
        return number, amount, int(charge["tries"]) + 1, None
    return None


def _claim(workspace: Workspace, plan: Plan, *, now: datetime) -> Claimed | None:
    current: Plan | None = plan
    for _ in range(ATTEMPTS):
        if current is None:
            current = service.read(workspace["id"], plan["id"])
            if current is None:
                return None
        found = service.debts_of(current)
        due = _due_charge(workspace, current, found, now)
        if due is None:
            return None
        number, amount, tries, taken_over = due
        operations: list[store.Operation] = []
        if taken_over is not None:
            [stored] = store.batch_get([keys.payment_attempt(workspace["id"], taken_over)], consistent=True)
            if stored is None:
                return None
            attempt = cast(PaymentAttempt, stored)
        else:
            attempt = _new_attempt(workspace, current, found, number=number, amount=amount, tries=tries, now=now)
            operations.append(store.put_op(attempt, "attribute_not_exists(pk)"))
        charges = dict(current.get("charges") or {})
        charges[str(number)] = {
            "tries": tries,
            "state": "charging",
            "attempt_id": attempt["id"],
            "payment_intent_id": None,
            "decline_code": None,
            "next_try_at": None,
            "claimed_until": iso(now + LEASE),
        }
        updated = _changed(current, now, charges=charges)
        try:
            store.transact([_plan_write(current, updated), *operations])
        except (store.ConditionsFailed, Contention):
            current = None  # another scheduler, a payment or a decision meanwhile: decide again on what is there
            continue
        return Claimed(updated, number, tries, attempt)
    return None


def _new_attempt(
    workspace: Workspace, plan: Plan, found: list[Debt], *, number: int, amount: int, tries: int, now: datetime
) -> PaymentAttempt:
    held = service.held_by(plan, found)
    shares = rules.allocate(amount, held)
    chosen = [debt for debt in rules.in_plan_order(held) if debt["id"] in shares]
    attempt = new_attempt(
        workspace["id"],
        new_id("pay"),
        plan["debtor_id"],
        cast(list[Debt], chosen),
        basket=f"plan-{plan['id']}-{number}-{tries}",
        now=now,
        designation="principal",
        quoted_on=today_in(workspace, now),
        lines={debt_id: {"principal": share} for debt_id, share in shares.items()},
    )
    attempt |= {"plan_id": plan["id"], "instalment": number, "channel": "off_session"}
    return attempt


def _intent_params(workspace: Workspace, plan: Plan, attempt: PaymentAttempt) -> dict[str, Any]:
    """The PaymentIntent of one try, from what its attempt recorded: a takeover sends exactly the same."""
    currency = attempt["currency"]
    metadata = {
        "workspace_id": workspace["id"],
        "debtor_id": attempt["debtor_id"],
        "attempt_id": attempt["id"],
        "debt_ids": ",".join(share["debt_id"] for share in attempt["shares"]),
        "plan_id": plan["id"],
        "instalment": str(attempt.get("instalment")),
        "channel": "off_session",
    }
    params: dict[str, Any] = {
        "amount": to_stripe(attempt["amount"], currency),
        "currency": currency.lower(),
        "customer": plan["collection"]["customer_id"],
        "payment_method": plan["collection"]["payment_method_id"],
        "off_session": True,
        "confirm": True,
        # No redirect is possible off-session: the saved card or mandate is charged as it is, or the charge fails
        # (and the debtor is sent the page's link). Said so, Stripe asks for no return_url.
        "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
        "metadata": metadata,
        "description": f"{workspace.get('legal_name') or workspace['name']}: "
        + f"instalment {attempt.get('instalment')} of {len(plan['instalments'])}",
    }
    fee = round(attempt["amount"] * int(workspace.get("platform_fee_basis_points") or 0) / 10_000)
    if fee > 0:
        from collectra.payments.stripe_amounts import stripe_floor

        fee = stripe_floor(fee, currency)
        if fee > 0:
            params["application_fee_amount"] = to_stripe(fee, currency)
    return params


def _charge(workspace: Workspace, claimed: Claimed, *, now: datetime) -> str:
    plan, attempt = claimed.plan, claimed.attempt
    ref = ChargeRef(workspace["id"], plan["id"], claimed.number, attempt["id"])
    account = str(workspace["stripe_account_id"])
    key = f"plan-{plan['id']}-{claimed.number}-{claimed.tries}"
    log = {"workspace_id": workspace["id"], "plan_id": plan["id"], "instalment": claimed.number, "try": claimed.tries}
    try:
        intent = stripe_api.client().v1.payment_intents.create(
            params=_intent_params(workspace, plan, attempt),  # type: ignore[arg-type]
            options={"stripe_account": account, "idempotency_key": key},
        )
    except stripe.CardError as declined:
        error = cast(Any, declined.error)
        failed_intent = getattr(error, "payment_intent", None) if error is not None else None
        code = (getattr(error, "decline_code", None) if error is not None else None) or declined.code
        logger.info("instalment charge declined", extra={**log, "decline_code": code})
        return _record_failure(ref, code, _id_of(failed_intent), now=now)
    except stripe.InvalidRequestError as refused:
        current = service.read(workspace["id"], plan["id"])
        if current is not None and current["collection"].get("mode") != "automatic":
            _release(ref, now=now)
            return "turned_off"  # switched off while the charge was being made: the method was detached
        logger.warning("Stripe refused an instalment charge", extra={**log, "code": refused.code})
        return _record_failure(ref, refused.code, None, now=now)
    except stripe.StripeError:
        logger.exception("Stripe could not be reached for an instalment charge", extra=log)
        return "retry_later"  # the lease lapses; the same try is made again with the same key
    state = "succeeded" if intent.status == "succeeded" else "processing" if intent.status == "processing" else None
    if state is None:
        logger.warning("an instalment charge in an unexpected state", extra={**log, "status": intent.status})
        return "retry_later"
    if _advance(ref, state, str(intent.id), now=now) and state == "succeeded":
        metrics.add_metric(name="InstalmentCharged", unit="Count", value=1)  # once: by this answer or the webhook
    return state


def _id_of(intent: Any) -> str | None:
    if intent is None:
        return None
    return str(intent if isinstance(intent, str) else getattr(intent, "id", None) or intent.get("id"))


def _advance(ref: ChargeRef, state: str, intent_id: str | None, *, now: datetime) -> bool:
    """`charges[number]` moves forward to `state` if it is still this attempt's; False when there was nothing to do."""
    number = ref.number
    for _ in range(ATTEMPTS):
        plan = service.read(ref.workspace_id, ref.plan_id)
        charge = (plan.get("charges") or {}).get(str(number)) if plan else None
        if plan is None or charge is None or charge["attempt_id"] != ref.attempt_id:
            return False
        if _RANK[state] <= _RANK[charge["state"]]:
            return False
        charges = dict(plan.get("charges") or {})
        charges[str(number)] = {
            **charge,
            "state": state,
            "payment_intent_id": intent_id or charge.get("payment_intent_id"),
            "claimed_until": None,
        }
        try:
            store.transact([_plan_write(plan, _changed(plan, now, charges=charges))])
        except (store.ConditionsFailed, Contention):
            continue
        return True
    raise Contention("The payment plan kept changing.", retry_after=contention.RETRY_AFTER_S)


def _release(ref: ChargeRef, *, now: datetime) -> None:
    """The claim given up: the method was detached while the charge was being made (switched off)."""
    for _ in range(ATTEMPTS):
        plan = service.read(ref.workspace_id, ref.plan_id)
        charge = (plan.get("charges") or {}).get(str(ref.number)) if plan else None
        if plan is None or charge is None or charge["attempt_id"] != ref.attempt_id or charge["state"] != "charging":
            return
        charges = {n: c for n, c in (plan.get("charges") or {}).items() if n != str(ref.number)}
        try:
            store.transact([_plan_write(plan, _changed(plan, now, charges=charges))])
        except (store.ConditionsFailed, Contention):
            continue
        return


def _record_failure(ref: ChargeRef, decline_code: str | None, intent_id: str | None, *, now: datetime) -> str:
    """A charge failed (said by Stripe's answer or by its webhook, whichever comes first; the other changes
    nothing): `charges[number]` failed or action_required with its next try, the inbox item `instalment_failed`
    (once per instalment), `instalment_charge_failed` on the timeline, and the scheduler to look at once."""
    workspace_id, plan_id, number = ref.workspace_id, ref.plan_id, ref.number
    for _ in range(ATTEMPTS):
        plan = service.read(workspace_id, plan_id)
        charge = (plan.get("charges") or {}).get(str(number)) if plan else None
        if plan is None or charge is None or charge["attempt_id"] != ref.attempt_id or _RANK[charge["state"]] >= 2:
            return str(charge["state"]) if charge else "unknown"
        after = retries.after_failure(decline_code, int(charge["tries"]), now)
        charges = dict(plan.get("charges") or {})
        charges[str(number)] = {
            **charge,
            "state": after.state,
            "payment_intent_id": intent_id or charge.get("payment_intent_id"),
            "decline_code": decline_code,
            "next_try_at": iso(after.next_try_at) if after.next_try_at else None,
            "claimed_until": None,
        }
        updated = _changed(plan, now, charges=charges, next_look_at=iso(now))
        amount = int(plan["instalments"][number - 1]["amount"])
        data = {
            "number": number,
            "amount": amount,
            "decline_code": decline_code,
            "retry_at": charges[str(number)]["next_try_at"],
        }
        operations = [_plan_write(plan, updated), *_entries(plan, "instalment_charge_failed", now, data)]
        source = f"{plan_id}#{number}"
        if inbox.get(workspace_id, inbox.item_id("instalment_failed", source), consistent=True) is None:
            operations.append(
                inbox.open_op(
                    workspace_id,
                    kind="instalment_failed",
                    source=source,
                    debtor_id=plan["debtor_id"],
                    now=now,
                    detail={"plan_id": plan_id, "number": number, "amount": amount, "reason": decline_code},
                )
            )
        try:
            store.transact(operations)
        except (store.ConditionsFailed, Contention):
            continue
        metrics.add_metric(name="InstalmentChargeFailed", unit="Count", value=1)
        return after.state
    raise Contention("The payment plan kept changing.", retry_after=contention.RETRY_AFTER_S)


def after_attempt_event(
    workspace_id: str, attempt: PaymentAttempt, kind: str, obj: dict[str, Any], *, now: datetime
) -> None:
    """What a payment's event means for its plan, once the attempt took it in (or had already: a redelivery
    repairs a plan write that a crash left undone). An instalment charged off-session follows its PaymentIntent;
    any payment of a plan's instalment that succeeded settles the plan and closes the failures it paid."""
    plan_id = attempt.get("plan_id")
    if not plan_id:
        return
    number = int(attempt.get("instalment") or 0)
    if attempt.get("channel") == "off_session" and number:
        ref = ChargeRef(workspace_id, plan_id, number, attempt["id"])
        if kind == "payment_intent.payment_failed":
            error = obj.get("last_payment_error") or {}
            _record_failure(ref, error.get("decline_code") or error.get("code"), obj.get("id"), now=now)
        elif kind == "payment_intent.processing":
            _advance(ref, "processing", obj.get("id"), now=now)
        elif attempt["status"] == "succeeded" and _advance(ref, "succeeded", obj.get("id"), now=now):
            metrics.add_metric(name="InstalmentCharged", unit="Count", value=1)
    if attempt["status"] == "succeeded":
        plan = service.settle(workspace_id, plan_id, now=now)
        if plan is not None:
            _close_paid_failures(workspace_id, plan, now=now)


def _close_paid_failures(workspace_id: str, plan: Plan, *, now: datetime) -> None:
    """The inbox items of instalments whose charge failed once are done when the instalment is paid (by a retry,
    by the debtor on the page, by any payment)."""
    charged = [int(number) for number in (plan.get("charges") or {})]
    if not charged:
        return
    asked = rules.asked_now(plan, service.paid_since(plan, service.debts_of(plan)))
    for number in charged:
        if asked is None or number < asked[0]:
            inbox.change(
                workspace_id,
                inbox.item_id("instalment_failed", f"{plan['id']}#{number}"),
                lambda item: inbox.closed(item, reason=resolved.PAID, now=now),
            )


# ---------------------------------------------------------------- writing the plan


def _changed(plan: Plan, now: datetime, **fields: Any) -> Plan:
    return cast(Plan, {**plan, **fields, "updated_at": iso(now), "version": int(plan["version"]) + 1})


def _plan_write(before: Plan, updated: Plan) -> store.Operation:
    return store.put_op(with_indexes(updated), "version = :seen", {":seen": before["version"]})


def _entries(
    plan: Plan, kind: str, now: datetime, data: dict[str, Any], *, actor: Any = STRIPE
) -> list[store.Operation]:
    """A timeline entry on each debt the plan holds."""
    return [
        entry_op(plan["workspace_id"], debt_id, kind, actor=actor, now=now, data={"plan_id": plan["id"], **data})
        for debt_id in plan["debt_ids"]
    ]
