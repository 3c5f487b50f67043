"""Creating and changing workspaces."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from collectra import store
from collectra.clock import iso
from collectra.errors import InvalidInput
from collectra.store import keys
from collectra.workspaces.late_payment import require_above_floor
from collectra.workspaces.models import WorkspaceUpdate

DEFAULTS = {"default_currency": "EUR", "time_zone": "Europe/Paris", "locale": "en"}
# Fields a workspace cannot be without: `null` is refused for them.
_REQUIRED = {
    "name",
    "default_currency",
    "time_zone",
    "locale",
    "refund_overpayments",
    "promise_max_days",
    "late_payment",
    "payment_plans",
}


def new_workspace_item(workspace_id: str, name: str, *, now: datetime) -> dict[str, Any]:
    stamp = iso(now)
    return {
        **keys.workspace(workspace_id),
        "id": workspace_id,
        "name": name,
        "legal_name": None,
        "postal_address": None,
        "sender_name": None,
        "reply_to": None,
        **DEFAULTS,
        "owner_count": 1,  # its creator, whose membership is written in the same transaction
        "created_at": stamp,
        "updated_at": stamp,
        "version": 1,
    }


def update_workspace(workspace: Mapping[str, Any], changes: WorkspaceUpdate, *, now: datetime) -> dict[str, Any]:
    """Apply the fields the caller sent (one UpdateItem) and return the workspace as it now is.

    Late-payment settings are checked against the law's floor on the business's date, in the time zone the
    workspace has after this change; a refused change writes nothing."""
    workspace_id = workspace["id"]
    sent = changes.model_dump(exclude_unset=True, mode="json")
    cleared = sorted(name for name in _REQUIRED if name in sent and sent[name] is None)
    if cleared:
        raise InvalidInput(f"These fields cannot be empty: {', '.join(cleared)}.", details={"fields": cleared})
    if changes.late_payment is not None:
        time_zone = sent.get("time_zone") or workspace["time_zone"]
        require_above_floor(changes.late_payment, today=now.astimezone(ZoneInfo(time_zone)).date())
        sent["late_payment"] = changes.late_payment.model_dump(mode="json")  # stored whole, defaults included
    if changes.payment_plans is not None:
        sent["payment_plans"] = changes.payment_plans.model_dump(mode="json")  # stored whole, defaults included
    sent["updated_at"] = iso(now)
    names = {f"#{name}": name for name in sent}
    values: dict[str, Any] = {f":{name}": value for name, value in sent.items()}
    values[":one"] = 1
    assignments = ", ".join(f"#{name} = :{name}" for name in sent)
    updated = store.update(
        keys.workspace(workspace_id),
        f"SET {assignments} ADD version :one",
        names=names,
        values=values,
        condition="attribute_exists(pk)",
        return_new=True,
    )
    assert updated is not None  # noqa: S101 - return_new=True
    return updated
