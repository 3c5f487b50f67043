"""Saving a workspace's reminder policy: refused (nothing written) when one of its templates cannot be sent."""

from __future__ import annotations

from datetime import datetime

from collectra import store
from collectra.clock import iso
from collectra.errors import InvalidInput
from collectra.reminders.checking import policy_problems
from collectra.reminders.models import ReminderPolicy
from collectra.store import keys


def save_policy(workspace_id: str, policy: ReminderPolicy, *, now: datetime) -> ReminderPolicy:
    """The policy as saved. 422 `invalid_template` naming each template that fails on sample data or exceeds
    its rendering budget, so a template cannot fail for the first time when a debtor is due a reminder."""
    found = policy_problems(
        {
            name: {locale: (text.subject, text.text) for locale, text in texts.items()}
            for name, texts in policy.templates.items()
        }
    )
    if found:
        raise InvalidInput("A template cannot be used: " + "; ".join(found), code="invalid_template", details=found)
    store.update(
        keys.workspace(workspace_id),
        "SET reminder_policy = :policy, updated_at = :now ADD version :one",
        values={":policy": policy.model_dump(mode="json"), ":now": iso(now), ":one": 1},
        condition="attribute_exists(pk)",
    )
    return policy
