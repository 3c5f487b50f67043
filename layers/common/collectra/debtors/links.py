"""A debtor's secret page link: 256 random bits, stored only as a hash, rotatable and revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectra import store
from collectra.clock import iso
from collectra.config import settings
from collectra.errors import Conflict
from collectra.store import keys

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def page_url(token: str) -> str:
    return f"{settings().public_base_url}/p/{token}"


@dataclass(frozen=True)
class LinkTarget:
    workspace_id: str
    debtor_id: str


def rotate_link(workspace_id: str, debtor: dict[str, Any], *, now: datetime) -> str:
    """A new link for the debtor; the previous one stops working in the same transaction. Returns the token."""
    if debtor.get("erased"):
        raise Conflict("This debtor was erased.", code="debtor_erased")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    digest = token_hash(token)
    previous = debtor.get("link_hash")
    operations = [
        store.put_op(
            {
                **keys.payment_link(digest),
                "workspace_id": workspace_id,
                "debtor_id": debtor["id"],
                "created_at": iso(now),
            },
            "attribute_not_exists(pk)",
        ),
        _set_debtor_link(workspace_id, debtor, digest),
    ]
    if previous:
        operations.append(store.delete_op(keys.payment_link(previous)))
    try:
        store.transact(operations)
    except Conflict as error:
        raise Conflict("The link changed meanwhile. Try again.", code="link_conflict") from error
    return token


def revoke_link(workspace_id: str, debtor: dict[str, Any]) -> None:
    """The debtor's link stops working; a new one can be made later. Idempotent."""
    previous = debtor.get("link_hash")
    if not previous:
        return
    try:
        store.transact([store.delete_op(keys.payment_link(previous)), _set_debtor_link(workspace_id, debtor, None)])
    except Conflict as error:
        raise Conflict("The link changed meanwhile. Try again.", code="link_conflict") from error


def _set_debtor_link(workspace_id: str, debtor: dict[str, Any], digest: str | None) -> dict[str, Any]:
    previous = debtor.get("link_hash")
    condition = "link_hash = :previous" if previous else "attribute_not_exists(link_hash)"
    values: dict[str, Any] = {":previous": previous} if previous else {}
    if digest is None:
        return store.update_op(keys.debtor(workspace_id, debtor["id"]), "REMOVE link_hash", values, condition)
    values[":digest"] = digest
    return store.update_op(
        keys.debtor(workspace_id, debtor["id"]),
        "SET link_hash = :digest",
        values,
        condition + " AND attribute_exists(pk)",
    )


def find_link(token: str) -> LinkTarget | None:
    """Whose page this token opens, or None for an unknown, revoked or rotated token (one GetItem)."""
    if not token or len(token) > 128:
        return None
    found = store.get(keys.payment_link(token_hash(token)))
    if found is None:
        return None
    return LinkTarget(workspace_id=found["workspace_id"], debtor_id=found["debtor_id"])
