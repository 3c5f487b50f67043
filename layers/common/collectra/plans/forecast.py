"""What an active plan's instalments put in the cash forecast: "planned" money, kept apart like promised money.

An active plan's instalments not yet paid count in their weeks as planned (`planned`: the unpaid part of each, by its
date), and its debts' money is not predicted again (`debts.aggregates` leaves a debt in a plan out of `pa`/`ea`).
The figures are deltas (`debts.aggregates`): a plan books what it changes in the `pl:<date>` stock and remembers what
it booked (`forecast` on the plan), in the same version-checked write as its next look (`reminders.instalments`); so the
figures move exactly once per change, and a plan that ends (completed, broken, cancelled) takes back all it booked
at its next look (core sets `next_look_at = now` on every change, so that is at once). A payment on one of its debts
moves its planned money at the plan's next look after it (`service.settle` is called after every payment).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from collectra import store
from collectra.debts.aggregates import quarter_of, shard_of
from collectra.store import keys

STOCK = "pl"


def _get(state: Any, name: str) -> Any:
    return state[name] if isinstance(state, Mapping) else getattr(state, name)


def planned(plan: Mapping[str, Any], progress: Sequence[Any]) -> dict[str, int]:
    """The unpaid part of each instalment of an active plan, by its date (YYYY-MM-DD); nothing for any other."""
    if plan.get("status") != "active":
        return {}
    found: dict[str, int] = {}
    for state in progress:
        left = int(_get(state, "amount")) - int(_get(state, "paid"))
        if left > 0:
            on = str(_get(state, "due_on"))[:10]
            found[on] = found.get(on, 0) + left
    return found


def change(plan: Mapping[str, Any], wanted: Mapping[str, int]) -> dict[str, int]:
    """The counters that move the figures from what the plan booked to `wanted`, without the zeros."""
    booked: Mapping[str, int] = plan.get("forecast") or {}
    currency = plan["currency"]
    counters: dict[str, int] = {}
    for on in {*booked, *wanted}:
        amount = int(wanted.get(on, 0)) - int(booked.get(on, 0))
        if amount:
            counters[f"{currency}:{STOCK}:{on}"] = amount
    return counters


def ops(
    plan: Mapping[str, Any], wanted: Mapping[str, int], *, now: datetime
) -> tuple[str, dict[str, Any], list[store.Operation]]:
    """For the plan's own version-checked update: a SET clause and its values recording `wanted`, and the ADD of the
    change to the figures (none when nothing moves)."""
    counters = change(plan, wanted)
    if not counters:
        return "", {}, []
    key = keys.analytics_deltas(str(plan["workspace_id"]), quarter_of(now), shard_of(str(plan["id"])))
    return "forecast = :forecast", {":forecast": dict(wanted)}, [store.counters_op(key, counters)]
