"""Whether a workspace is still in business: once its deletion is asked for, nothing acts on it any more.

`status` is absent on a live workspace, "deleting" from the moment an owner (or the deletion of its last
owner's account) asks for it, and "deleted" on the tombstone left when every item it owned was erased or
anonymised. From "deleting" on, sessions, page and opt-out links, reminders and card payments all refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DELETING = "deleting"
DELETED = "deleted"


def is_closed(workspace: Mapping[str, Any] | None) -> bool:
    """True for a workspace being deleted or deleted (and for none at all)."""
    return workspace is None or workspace.get("status") in (DELETING, DELETED)
