"""A payment plan as stored, and where it sits in the indexes (`with_indexes` writes them from its own fields).

A plan covers the principal outstanding of one or more collectible debts of one debtor in one currency when it
starts (`total`), split into 2 to 12 instalments. Its progress is never counted on it: `paid_since` is what its
debts received since it started (the sum of their `amount_paid` now minus `paid_before`), so a payment booked by
any door (Checkout, an off-session charge, one recorded by hand) counts once, and a refund counts against it.

Indexes: gsi3 lists a debtor's plans by creation time (`keys.plans_of_debtor`); gsi5 holds a plan the scheduler
must look at (`next_look_at` set) under one of `keys.REMINDER_SHARDS` partitions (by its debtor), sorted by when.
Every write of a plan is conditioned on its `version`, and bumps it.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict, cast

from collectra.debts.records import Actor
from collectra.store import keys


class Status:
    PROPOSED = "proposed"  # by the debtor, awaits the business
    OFFERED = "offered"  # by the business, awaits the debtor
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    BROKEN = "broken"
    CANCELLED = "cancelled"


OPEN = frozenset({Status.PROPOSED, Status.OFFERED, Status.ACTIVE})  # the debtor's one open plan (`open_plan`)
ENDED = frozenset({Status.DECLINED, Status.WITHDRAWN, Status.COMPLETED, Status.BROKEN, Status.CANCELLED})


class Instalment(TypedDict):
    number: int  # 1-based
    due_on: str  # YYYY-MM-DD, the business's calendar
    amount: int  # minor units of the plan's currency


class ChargeState(TypedDict):
    """The automatic collection of one instalment (the stripe helper writes it, the scheduler reads it)."""

    tries: int
    state: str  # "charging" | "processing" | "succeeded" | "failed" | "action_required"
    attempt_id: str
    payment_intent_id: NotRequired[str | None]
    decline_code: NotRequired[str | None]
    next_try_at: NotRequired[str | None]  # UTC; None: no automatic retry (the debtor was emailed a link)
    claimed_until: NotRequired[str | None]  # a lease: another scheduler takes over after it


class Collection(TypedDict):
    mode: str  # "manual" | "automatic"
    customer_id: NotRequired[str]
    payment_method_id: NotRequired[str | None]
    method: NotRequired[dict[str, str] | None]  # {"type": "card"|"sepa_debit", "brand"?, "last4"}
    setup_attempt: NotRequired[str | None]  # the setup Checkout Session in flight


class Plan(TypedDict):
    pk: str
    sk: str
    id: str  # "plan_" + a sortable id
    workspace_id: str
    debtor_id: str
    currency: str
    debt_ids: list[str]  # in the plan's order: by due date, then id (`rules.allocate` follows it)
    total: int  # the debts' principal outstanding when it was made
    instalments: list[Instalment]
    status: str  # a `Status`
    proposed_by: str  # "debtor" | "business"
    created_by: Actor
    created_at: str
    updated_at: str
    version: int
    grace_days: int  # the workspace's when it was made: rules do not move under a plan
    collection: Collection
    decided_at: NotRequired[str]
    decided_by: NotRequired[Actor]
    reason: NotRequired[str | None]  # the business's note on a decline or a cancellation
    note: NotRequired[str | None]  # the business's note with an offer
    started_at: NotRequired[str]
    paid_before: NotRequired[int]  # the sum of its debts' amount_paid when it started
    ended_at: NotRequired[str]
    end_reason: NotRequired[str]  # completed | broken | cancelled | declined | withdrawn
    charges: NotRequired[dict[str, ChargeState]]  # by str(instalment number)
    notices: NotRequired[dict[str, str]]  # debtor emails sent, "<kind>#<number or 0>" -> at (the scheduler)
    next_look_at: NotRequired[str | None]  # UTC; when the scheduler looks at it next
    gsi3pk: NotRequired[str]
    gsi3sk: NotRequired[str]
    gsi5pk: NotRequired[str]
    gsi5sk: NotRequired[str]


def index_fields(plan: Plan) -> dict[str, str]:
    """The plan's index fields: in its debtor's list always; in the scheduler's while it has a next look."""
    workspace_id, debtor_id = plan["workspace_id"], plan["debtor_id"]
    fields = {
        "gsi3pk": keys.plans_of_debtor(workspace_id, debtor_id),
        "gsi3sk": f"{plan['created_at']}#{plan['id']}",
    }
    at = plan.get("next_look_at")
    if at:
        fields |= {
            "gsi5pk": keys.plans_due(keys.reminder_shard(debtor_id)),
            "gsi5sk": f"{at}#{workspace_id}#{plan['id']}",
        }
    return fields


def with_indexes(plan: Plan) -> Plan:
    """The plan ready to write whole: its index fields recomputed (it leaves gsi5 by being saved without)."""
    kept = {name: value for name, value in plan.items() if not name.startswith(("gsi3", "gsi5"))}
    return cast(Plan, {**kept, **index_fields(plan)})
