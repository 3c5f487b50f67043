"""The control endpoints tests and demos use: pay by bank, refund, dispute, hold and release events, move the clock.

JSON in and out, no key. Each changes the state under the lock, then delivers what it caused before answering.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from local.stripe import objects, payments, saved
from local.stripe.errors import StripeError, invalid, no_such
from local.stripe.objects import ID
from local.stripe.state import EventRecord, Failure, State

Obj = dict[str, Any]


def handle_control(state: State, method: str, path: str, body: bytes) -> tuple[int, Obj]:
    try:
        if method == "GET" and path == "/_control/events":
            with state.lock:
                return 200, {"events": [record.summary() for record in state.events]}
        if method != "POST":
            raise StripeError(404, f"Unknown control endpoint: {method} {path}")
        spec = _body_json(body)
        if path == "/_control/hold":
            with state.lock:
                state.holding = True
            return 200, {"holding": True}
        if path == "/_control/release":
            return _release(state, spec.get("order", "as_created"))
        if path == "/_control/fail":
            return _fail(state, spec)
        match = re.fullmatch(rf"/_control/events/{ID}/redeliver", path)
        if match:
            return _redeliver(state, match.group(1))
        for pattern, control in CONTROLS:
            match = pattern.fullmatch(path)
            if match:
                out: list[EventRecord] = []
                with state.lock:
                    first = len(state.events)
                    result = copy.deepcopy(control(state, match.group(1) if pattern.groups else "", spec, out))
                    caused = state.events[first:]  # held ones included, which `out` leaves out
                state.deliver_all(out)
                with state.lock:
                    events = [record.summary() for record in caused]
                return 200, {"object": result, "events": events}
        raise StripeError(404, f"Unknown control endpoint: {method} {path}")
    except StripeError as error:
        return error.status, error.body()


def _body_json(body: bytes) -> Obj:
    try:
        value = json.loads(body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise invalid("The body must be JSON.") from None
    if not isinstance(value, dict):
        raise invalid("The body must be a JSON object.")
    return value


def _any(state: State, kind: str, object_id: str) -> Obj:
    obj = state.objects.get(object_id)
    if obj is None or obj["object"] != kind:
        raise no_such(kind, object_id, "id")
    return obj


def _async(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    session = _any(state, "checkout.session", target)
    outcome = spec.get("outcome")
    if outcome not in ("succeeded", "failed"):
        raise invalid('outcome must be "succeeded" or "failed"', "outcome")
    intent_id = session.get("payment_intent")
    intent = state.objects.get(intent_id) if intent_id else None
    if session["status"] != "complete" or intent is None or intent["status"] != "processing":
        raise invalid("Only a completed session whose payment is processing (a bank transfer) can settle.")
    account = state.owner[target]
    if outcome == "succeeded":
        payments.succeed(state, intent, "sepa_debit")
        session["payment_status"] = "paid"
        state.emit("checkout.session.async_payment_succeeded", session, account, out)
    else:
        payments.fail(intent, "invalid_request_error", "payment_method_provider_decline", "The bank transfer failed.")
        state.emit("checkout.session.async_payment_failed", session, account, out)
    return session


def _setup(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    session = _any(state, "checkout.session", target)
    method = spec.get("method")
    if not isinstance(method, str):
        raise invalid(f"method must be one of {', '.join(saved.TEST_METHODS)}", "method")
    email = spec.get("email")
    return saved.complete_setup(state, session, method, email if isinstance(email, str) else None, out)


def _behave(state: State, target: str, spec: Obj, _out: list[EventRecord]) -> Obj:
    """A saved method's later payments go as another test number of its kind goes (a card that starts to be
    declined, for a demo or a browser test): its details stay as saved."""
    method = _any(state, "payment_method", target)
    number = spec.get("as")
    test = saved.TEST_METHODS.get(number) if isinstance(number, str) else None
    if test is None or test.kind != method["type"]:
        raise invalid(f"as must be one of the test numbers of a {method['type']}", "as")
    state.test_numbers[target] = str(number)
    return method


def _settle(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    intent = _any(state, "payment_intent", target)
    outcome = spec.get("outcome")
    if outcome is not None and not isinstance(outcome, str):
        raise invalid('outcome must be "succeeded" or "failed"', "outcome")
    return saved.settle(state, intent, outcome, out)


def _refund(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    charge = _any(state, "charge", target)
    amount = spec.get("amount", charge["amount_captured"] - charge["amount_refunded"])
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise invalid("amount must be a positive integer", "amount")
    payments.refund(state, charge, amount, out)
    return charge


def _dispute(state: State, target: str, _spec: Obj, out: list[EventRecord]) -> Obj:
    charge = _any(state, "charge", target)
    if charge["disputed"]:
        raise invalid(f"Charge {target} is already disputed.")
    dispute = objects.dispute(charge, state.now())
    state.store(dispute, state.owner[target])
    charge["disputed"] = True
    state.emit("charge.dispute.created", dispute, state.owner[target], out)
    return dispute


def _close_dispute(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    dispute = _any(state, "dispute", target)
    status = spec.get("status")
    if status not in ("won", "lost"):
        raise invalid('status must be "won" or "lost"', "status")
    if dispute["status"] in ("won", "lost"):
        raise invalid(f"Dispute {target} is already closed ({dispute['status']}).")
    dispute["status"] = status
    state.emit("charge.dispute.closed", dispute, state.owner[target], out)
    return dispute


def _update_account(state: State, target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    account = state.connected(target)
    allowed = ("charges_enabled", "details_submitted", "payouts_enabled")
    if not spec or any(key not in allowed or not isinstance(value, bool) for key, value in spec.items()):
        raise invalid(f"Give one or more of {', '.join(allowed)}, each true or false.")
    previous = objects.set_enabled(account, spec)
    state.emit("account.updated", account, target, out, previous=previous)
    return account


def _deauthorize(state: State, target: str, _spec: Obj, out: list[EventRecord]) -> Obj:
    state.connected(target)
    state.revoked.add(target)
    state.emit("account.application.deauthorized", state.application, target, out)
    return state.application


def _send(state: State, _target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    type_, account, obj = spec.get("type"), spec.get("account"), spec.get("object")
    if not isinstance(type_, str) or not type_ or not isinstance(obj, dict):
        raise invalid('Give {"type": "...", "object": {...}} and optionally "account".')
    if account is not None and not isinstance(account, str):
        raise invalid("account must be a string", "account")
    return state.emit(type_, obj, account, out).event


def _clock(state: State, _target: str, spec: Obj, out: list[EventRecord]) -> Obj:
    seconds = spec.get("advance")
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise invalid("advance must be a number of seconds, 0 or more", "advance")
    state.offset += seconds
    state.expire_due(out)
    return {"now": state.now()}


_Control = Callable[[State, str, Obj, list[EventRecord]], Obj]
CONTROLS: list[tuple[re.Pattern[str], _Control]] = [
    (re.compile(rf"/_control/sessions/{ID}/async"), _async),
    (re.compile(rf"/_control/sessions/{ID}/setup"), _setup),
    (re.compile(rf"/_control/payment_intents/{ID}/settle"), _settle),
    (re.compile(rf"/_control/payment_methods/{ID}/behave"), _behave),
    (re.compile(rf"/_control/charges/{ID}/refund"), _refund),
    (re.compile(rf"/_control/charges/{ID}/dispute"), _dispute),
    (re.compile(rf"/_control/disputes/{ID}/close"), _close_dispute),
    (re.compile(rf"/_control/accounts/{ID}/update"), _update_account),
    (re.compile(rf"/_control/accounts/{ID}/deauthorize"), _deauthorize),
    (re.compile(r"/_control/send"), _send),
    (re.compile(r"/_control/clock"), _clock),
]


def _fail(state: State, spec: Obj) -> tuple[int, Obj]:
    method, path, account = spec.get("method", "GET"), spec.get("path"), spec.get("account")
    status, times = spec.get("status", 500), spec.get("times")
    if method not in ("GET", "POST", "DELETE") or not isinstance(path, str) or not path.startswith("/v1/"):
        raise invalid('Give {"method": "GET" | "POST" | "DELETE", "path": "/v1/..."}', "path")
    if account is not None and not isinstance(account, str):
        raise invalid("account must be a string", "account")
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise invalid("status must be an error status, 400 to 599", "status")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise invalid("times must be a positive integer, or left out for always", "times")
    with state.lock:
        state.failures.append(Failure(method, path, account, status, times))
    return 200, {"failing": {"method": method, "path": path, "account": account, "status": status, "times": times}}


def _redeliver(state: State, event_id: str) -> tuple[int, Obj]:
    with state.lock:
        record = state.events_by_id.get(event_id)
    if record is None:
        raise no_such("event", event_id, "id")
    if not state.webhook_url:
        raise invalid("There is no webhook_url to deliver to.")
    return 200, {"event": event_id, "status": state.deliver(record)}


def _release(state: State, order: Any) -> tuple[int, Obj]:
    with state.lock:
        held = {record.event["id"]: record for record in state.held}
        if order == "as_created":
            chosen = list(state.held)
        elif order == "reverse":
            chosen = list(reversed(state.held))
        elif isinstance(order, list) and all(isinstance(item, str) and item in held for item in order):
            # The listed events first, in that order; any held event not listed follows in creation order.
            chosen = [held[item] for item in dict.fromkeys(order)]
            chosen += [record for record in state.held if record.event["id"] not in order]
        else:
            raise invalid('order must be "as_created", "reverse" or a list of held event ids', "order")
        state.held.clear()
        state.holding = False
    delivered = [
        {"id": record.event["id"], "type": record.event["type"], "status": state.deliver(record)} for record in chosen
    ]
    return 200, {"delivered": delivered}
