"""A debtor stops the reminder emails, and what marking an address "do not write" means for its debtor.

Every reminder carries `/u/<token>` (signed by `compose.opt_out_token`: nothing is stored to make it, and
it names one debtor of one business) in its text and in its `List-Unsubscribe` header, so the debtor can
stop from the page or with their mail provider's one-click unsubscribe (RFC 8058, a POST with no cookie
and no form token). Opting out marks the debtor `email_suppressed = "opted_out"`, which the planner and
the sender both honour, and writes a timeline entry on each of their open debts in the same transaction.
Doing it again changes nothing and writes nothing.

`suppress` is the one writer of a suppression, shared with Brevo's webhook (`reminders.feedback`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from collectra import store
from collectra.clock import iso
from collectra.debtors.records import Debtor
from collectra.debts.records import Actor
from collectra.debts.states import OPEN_STATES
from collectra.debts.timeline import actor_debtor, entry_op
from collectra.errors import Conflict
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

OPTED_OUT = "opted_out"
OPTED_OUT_ENTRY = "reminders_opted_out"
# DynamoDB takes 100 writes per transaction: the debtor and the first 99 timeline entries go together.
_TRANSACTION_LIMIT = 100


@dataclass(frozen=True)
class OptOutContext:
    """Whose opt-out link was opened: the debtor and the business that writes to them."""

    workspace_id: str
    debtor: Debtor
    workspace: Workspace

    @property
    def locale(self) -> str:
        return str(self.debtor.get("locale") or self.workspace.get("locale") or "en")

    @property
    def creditor_name(self) -> str:
        return str(self.workspace.get("legal_name") or self.workspace["name"])

    @property
    def opted_out(self) -> bool:
        return self.debtor.get("email_suppressed") == OPTED_OUT


def open_opt_out(token: str, *, consistent: bool = False) -> OptOutContext | None:
    """The debtor and business a token names, or None: forged, malformed, or an erased or unknown debtor."""
    # Imported here: Brevo's webhook uses `suppress` and need not pay for the email composer's imports (Jinja).
    from collectra.reminders.compose import read_opt_out_token

    target = read_opt_out_token(token)
    if target is None:
        return None
    workspace_id, debtor_id = target
    found_debtor, found_workspace = store.batch_get(
        [keys.debtor(workspace_id, debtor_id), keys.workspace(workspace_id)], consistent=consistent
    )
    debtor, workspace = cast(Debtor | None, found_debtor), cast(Workspace | None, found_workspace)
    if debtor is None or workspace is None or is_closed(workspace) or debtor.get("erased"):
        return None
    return OptOutContext(workspace_id, debtor, workspace)


def record_opt_out(context: OptOutContext, *, now: datetime) -> bool:
    """Opt the debtor out of reminder emails; False when they already were (nothing is written then)."""
    if context.opted_out:
        return False
    debtor_id = context.debtor["id"]
    return suppress(
        context.workspace_id,
        debtor_id,
        OPTED_OUT,
        # A suppression for another reason (a bounce, say) becomes the debtor's own choice: correcting the
        # address later must not bring the reminders back.
        condition="(attribute_not_exists(email_suppressed) OR email_suppressed <> :why)",
        values={},
        stamp="opted_out_at",
        entry=OPTED_OUT_ENTRY,
        actor=actor_debtor(debtor_id),
        data={},
        now=now,
    )


def open_debts(workspace_id: str, debtor_id: str) -> list[dict[str, Any]]:
    """The debtor's debts that are still owed (open, partially paid, disputed): one Query a page of their keys
    (the index projects only their status)."""
    states = sorted(status.value for status in OPEN_STATES)
    return store.query_all(
        "gsi3pk = :p",
        {":p": keys.debts_of_debtor(workspace_id, debtor_id), **{f":s{n}": s for n, s in enumerate(states)}},
        index="gsi3",
        names={"#status": "status"},
        filter_expression=f"#status IN ({', '.join(f':s{n}' for n in range(len(states)))})",
    )


def suppress(
    workspace_id: str,
    debtor_id: str,
    reason: str,
    *,
    condition: str,
    values: dict[str, Any],
    stamp: str,
    entry: str,
    actor: Actor,
    data: dict[str, Any],
    now: datetime,
) -> bool:
    """Mark the debtor's address `reason` (and `stamp` = now) if `condition` holds, with an `entry` on the
    timeline of each of their open debts. False when the condition does not hold: nothing was written.

    The debtor's version moves on, so a correction made from an older read cannot silently undo it.
    """
    entries = [
        entry_op(workspace_id, debt["id"], entry, actor=actor, now=now, data=data)
        for debt in open_debts(workspace_id, debtor_id)
    ]
    marked = store.update_op(
        keys.debtor(workspace_id, debtor_id),
        f"SET email_suppressed = :why, {stamp} = :now, updated_at = :now, version = version + :one",
        {**values, ":why": reason, ":now": iso(now), ":one": 1, ":erased": True},
        f"attribute_exists(pk) AND (attribute_not_exists(erased) OR erased <> :erased) AND {condition}",
    )
    first = _TRANSACTION_LIMIT - 1
    try:
        store.transact([marked, *entries[:first]])
    except Conflict:
        return False
    # Only a debtor with more than 99 open debts gets here; those entries follow in transactions of their own.
    for start in range(first, len(entries), _TRANSACTION_LIMIT):
        store.transact(entries[start : start + _TRANSACTION_LIMIT])
    return True
