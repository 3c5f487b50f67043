"""One /v1 request from end to end: the key, the version, the connected account, idempotency, expansion.

Answers as Stripe does: form-encoded parameters, `Authorization: Bearer <key>`, `Stripe-Account` to act
on a connected account (whose objects no other account sees), `Idempotency-Key` (replayed for 24 hours).
"""

from __future__ import annotations

import base64
import copy
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from local.stripe import objects
from local.stripe.call import Call
from local.stripe.errors import StripeError, invalid
from local.stripe.parameters import expand_paths, parse_params
from local.stripe.routes import ENDPOINTS, Endpoint
from local.stripe.state import API_VERSION, IDEMPOTENCY_SECONDS, EventRecord, Saved, State

Obj = dict[str, Any]


@dataclass
class ApiReply:
    status: int
    body: Obj
    headers: dict[str, str]
    events: list[EventRecord]


def handle_api(state: State, method: str, target: str, body: bytes, headers: Mapping[str, str]) -> ApiReply:
    """One /v1 request. `headers` has lower-case names. Events it caused are in the reply, not yet sent."""
    url = urlsplit(target)
    request_id = objects.new_id("req_", 14)
    version = headers.get("stripe-version") or API_VERSION
    reply_headers = {"Request-Id": request_id, "Stripe-Version": version}
    idempotency_key = headers.get("idempotency-key") if method == "POST" else None
    if idempotency_key:
        reply_headers["Idempotency-Key"] = idempotency_key
    out: list[EventRecord] = []  # delivered even when the request fails: a lazy expiry may have happened first
    try:
        _authenticate(state, headers.get("authorization"))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}(\.[a-z]+)?", version):
            raise invalid(f"Invalid Stripe API version: {version}")
        if idempotency_key is not None and len(idempotency_key) > 255:
            raise invalid("Idempotency keys can be up to 255 characters long.", None, "idempotency_key_too_long")
        params = parse_params(body.decode("utf-8", "replace") if method == "POST" else url.query)
        endpoint, path_id = _endpoint(method, url.path)
        with state.lock:
            account = headers.get("stripe-account") or None
            if account is not None:
                state.connected(account)
            failure = state.failure_for(method, url.path, account)
            if failure is not None:
                raise StripeError(failure.status, "An error occurred with our connection to Stripe.", type="api_error")
            name = f"{method} {url.path}"
            if idempotency_key:
                saved = _saved(state, account, idempotency_key, name, params)
                if saved is not None:
                    reply_headers.update({"Idempotent-Replayed": "true", "Original-Request": saved.request_id})
                    return ApiReply(saved.status, copy.deepcopy(saved.body), reply_headers, out)
            call = Call(params, account, path_id, {"id": request_id, "idempotency_key": idempotency_key}, out)
            try:
                result = _expand(state, endpoint.run(state, call), expand_paths(params), account)
            except StripeError as error:
                if error.kept and idempotency_key:
                    # A request that ran and then failed (a declined card) is kept and replayed like a success,
                    # as Stripe does: the same key never charges twice.
                    answer = copy.deepcopy(error.body())
                    kept = Saved(name, params, error.status, answer, request_id, time.time())
                    state.saved[(account, idempotency_key)] = kept
                raise
            if idempotency_key:
                # Only a request that got to run is kept: one refused by validation can be retried with the same key.
                saved = Saved(name, params, 200, copy.deepcopy(result), request_id, time.time())
                state.saved[(account, idempotency_key)] = saved
            return ApiReply(200, result, reply_headers, out)
    except StripeError as error:
        return ApiReply(error.status, error.body(), reply_headers, out)


def _authenticate(state: State, authorization: str | None) -> None:
    key = None
    if authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    elif authorization and authorization.lower().startswith("basic "):  # curl -u sk_test_...:
        try:
            key = base64.b64decode(authorization[6:].strip()).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            key = ""
    if not key:
        raise StripeError(
            401,
            "You did not provide an API key. You need to provide your API key in the Authorization header, using "
            "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
            "https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        )
    if not secrets.compare_digest(key.encode(), state.api_key.encode()):
        masked = key[:8] + "*" * max(len(key) - 12, 4) + key[-4:] if len(key) > 12 else "*" * len(key)
        raise StripeError(401, f"Invalid API Key provided: {masked}", code="api_key_invalid")


def _endpoint(method: str, path: str) -> tuple[Endpoint, str]:
    for endpoint in ENDPOINTS:
        match = endpoint.path.fullmatch(path)
        if match and endpoint.method == method:
            return endpoint, match.group(1) if endpoint.path.groups else ""
    raise StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at "
        "https://support.stripe.com/.",
    )


def _saved(state: State, account: str | None, key: str, endpoint: str, params: Obj) -> Saved | None:
    saved = state.saved.get((account, key))
    if saved is None or time.time() - saved.at > IDEMPOTENCY_SECONDS:
        return None
    if saved.endpoint != endpoint:
        raise StripeError(
            400,
            f"Keys for idempotent requests can only be used for the same endpoint they were first used for "
            f"('{saved.endpoint}' vs '{endpoint}'). Try using a key other than '{key}' if you meant to execute a "
            "different request.",
            type="idempotency_error",
        )
    if saved.params != params:
        raise StripeError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they were first used with. "
            f"Try using a key other than '{key}' if you meant to execute a different request.",
            type="idempotency_error",
        )
    return saved


def _expand(state: State, obj: Obj, paths: list[str], account: str | None) -> Obj:
    """A copy of `obj` with the ids at `paths` (as "payment_intent.latest_charge") replaced by their objects."""
    result = copy.deepcopy(obj)
    for path in paths:
        head, _, rest = path.partition(".")
        value = result.get(head, ...)
        if head == "line_items" and result.get("object") == "checkout.session":
            result["line_items"] = objects.list_of(
                state.line_items[result["id"]], f"/v1/checkout/sessions/{result['id']}/line_items"
            )
        elif isinstance(value, str) and value in state.objects and state.owner.get(value) == account:
            result[head] = _expand(state, state.objects[value], [rest] if rest else [], account)
        elif isinstance(value, dict) and rest:
            result[head] = _expand(state, value, [rest], account)
        elif value is not None:
            raise invalid(f"This property cannot be expanded ({head}).", "expand")
    return result
