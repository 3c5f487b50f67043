"""A debt that follows its own reminder steps instead of its workspace's, and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.debts import service as debts
from collectra.debts.records import Actor, Debt, initial_reminder_at
from collectra.debts.timeline import entry_op
from collectra.errors import Conflict, InvalidInput
from collectra.reminders.templates import BUILT_IN_NAMES
from collectra.workspaces.records import Workspace


def set_steps(
    workspace: Workspace,
    debt: Debt,
    steps: dict[str, Any] | None,
    *,
    version: int,
    actor: Actor,
    now: datetime,
) -> Debt:
    """Give the debt its own steps (None: the workspace's again); its next look is worked out afresh.

    Steps already sent count as sent: the debt goes on from the step after the last one it received.
    """
    if debt["version"] != version:
        raise Conflict("This debt changed since you read it. Reload and try again.", code="version_conflict")
    if steps is not None:
        own = set(((workspace.get("reminder_policy") or {}).get("templates") or {}).keys())
        unknown = sorted({step["template"] for step in steps["steps"]} - set(BUILT_IN_NAMES) - own)
        if unknown:
            raise InvalidInput(f"unknown template(s): {', '.join(unknown)}", details=[{"field": "body.steps"}])
    updated: Debt = {
        **debt,
        "reminder_steps": steps,
        "next_reminder_at": initial_reminder_at(debt["due_on"]),
        "updated_at": iso(now),
        "version": version + 1,
    }
    try:
        store.transact(
            [
                *debts.saved_ops(workspace["id"], debt, updated, now=now),
                entry_op(
                    workspace["id"],
                    debt["id"],
                    "reminder_steps_changed",
                    actor=actor,
                    now=now,
                    data={"steps": steps["steps"] if steps else "workspace"},
                ),
            ]
        )
    except Conflict as error:
        raise Conflict("This debt changed since you read it. Reload and try again.", code="version_conflict") from error
    return updated
