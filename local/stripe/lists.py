"""The list endpoints Collectra's checks call: `GET /v1/events` and `GET /v1/accounts`, paginated as Stripe does.

A list is newest first; `limit` (1 to 100, 10 by default) objects a page, `has_more` when older ones follow;
`starting_after=<id>` goes on after that object (older), `ending_before=<id>` before it (newer). Events are the
account's own: the platform's without `Stripe-Account`, a connected account's with it. `delivery_success=false`
keeps the events whose delivery to the webhook is pending or failed (no 2xx answer yet), as Stripe does;
`created` takes an instant or a range (`created[gte]=...`), `type` one type (`*` a wildcard), `types` several.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any

from local.stripe.call import Call
from local.stripe.errors import invalid, no_such
from local.stripe.parameters import as_hash, as_list, integer, string
from local.stripe.state import State

Obj = dict[str, Any]
_RANGE = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}


def list_events(state: State, call: Call) -> Obj:
    params = call.params
    records = [record for record in state.events if record.event.get("account") == call.account]
    if "delivery_success" in params:
        wanted = string(params["delivery_success"], "delivery_success") == "true"
        records = [record for record in records if record.delivery_success == wanted]
    events = [record.event for record in records]
    if "created" in params:
        events = [event for event in events if _in_range(int(event["created"]), params["created"], "created")]
    if "type" in params and "types" in params:
        raise invalid("You may pass either `type` or `types`, but not both.", "types")
    if "type" in params:
        pattern = string(params["type"], "type")
        events = [event for event in events if fnmatch.fnmatchcase(str(event["type"]), pattern)]
    if "types" in params:
        kinds = {string(kind, "types") for kind in as_list(params["types"], "types")}
        events = [event for event in events if event["type"] in kinds]
    return page(events, params, "/v1/events", "event", lambda event: int(event["created"]))


def list_accounts(state: State, call: Call) -> Obj:
    """The platform's connected accounts (not those whose access was revoked), newest first."""
    accounts = [account for account_id, account in state.accounts.items() if account_id not in state.revoked]
    if "created" in call.params:
        accounts = [a for a in accounts if _in_range(int(a["created"]), call.params["created"], "created")]
    return page(accounts, call.params, "/v1/accounts", "account", lambda account: int(account["created"]))


def page(objects: list[Obj], params: Obj, url: str, kind: str, created: Callable[[Obj], int]) -> Obj:
    """One page of `objects` (given oldest first), newest first, as `limit`, `starting_after`, `ending_before` say."""
    limit = integer(params["limit"], "limit", 1) if "limit" in params else 10
    if limit > 100:
        raise invalid("This value must be less than or equal to 100.", "limit")
    newest_first = [obj for _, obj in sorted(enumerate(objects), key=lambda pair: (-created(pair[1]), -pair[0]))]
    if "starting_after" in params and "ending_before" in params:
        raise invalid("You may only specify one of these parameters: ending_before, starting_after.")
    if "starting_after" in params:
        after = _position(newest_first, string(params["starting_after"], "starting_after"), kind, "starting_after")
        chosen = newest_first[after + 1 :]
        return {"object": "list", "data": chosen[:limit], "has_more": len(chosen) > limit, "url": url}
    if "ending_before" in params:
        before = _position(newest_first, string(params["ending_before"], "ending_before"), kind, "ending_before")
        chosen = newest_first[:before]
        return {"object": "list", "data": chosen[-limit:], "has_more": len(chosen) > limit, "url": url}
    return {"object": "list", "data": newest_first[:limit], "has_more": len(newest_first) > limit, "url": url}


def _position(objects: list[Obj], object_id: str, kind: str, param: str) -> int:
    for index, obj in enumerate(objects):
        if obj["id"] == object_id:
            return index
    raise no_such(kind, object_id, param, 400)


def _in_range(value: int, spec: Any, param: str) -> bool:
    if isinstance(spec, str):
        return value == integer(spec, param)
    bounds = as_hash(spec, param)
    for name, bound in bounds.items():
        if name not in _RANGE:
            raise invalid(f"Received unknown parameter: {param}[{name}]", f"{param}[{name}]", "parameter_unknown")
        if not _RANGE[name](value, integer(bound, f"{param}[{name}]")):
            return False
    return True
