"""A debtor's secret page link: 256 random bits, stored only as a hash, rotatable and revocable.

A token reads `<workspace id>.<debtor id>.<secret>`: the ids say where to look (so the page opens with
one batch of reads instead of a lookup first), the secret proves the visitor was given the link. Only
the secret's SHA-256 is stored, on the debtor, and it is compared in constant time. The ids are not
secrets: every authenticated route checks the caller's workspace, and without the secret they open
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from collectra import store
from collectra.config import settings
from collectra.errors import Conflict
from collectra.store import keys

TOKEN_BYTES = 32
_TOKEN = re.compile(r"(ws_[0-9a-z]{26})\.(dbt_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def page_url(token: str) -> str:
    return f"{settings().public_base_url}/p/{token}"


@dataclass(frozen=True)
class LinkTarget:
    """Whose page a well-formed token claims to open, and the hash its secret must match."""

    workspace_id: str
    debtor_id: str
    digest: str

    def opens(self, debtor: dict[str, Any]) -> bool:
        stored = debtor.get("link_hash")
        if not isinstance(stored, str) or debtor.get("erased"):
            return False
        return hmac.compare_digest(stored, self.digest)


def read_token(token: str) -> LinkTarget | None:
    """The target a token names, or None when it is not shaped like one of ours (no read needed)."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    workspace_id, debtor_id, secret = match.groups()
    return LinkTarget(workspace_id=workspace_id, debtor_id=debtor_id, digest=secret_hash(secret))


def rotate_link(workspace_id: str, debtor: dict[str, Any]) -> str:
    """A new link for the debtor; the previous one stops working in the same write. Returns the token."""
    if debtor.get("erased"):
        raise Conflict("This debtor was erased.", code="debtor_erased")
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    _set_debtor_link(workspace_id, debtor, secret_hash(secret))
    return f"{workspace_id}.{debtor['id']}.{secret}"


def revoke_link(workspace_id: str, debtor: dict[str, Any]) -> None:
    """The debtor's link stops working; a new one can be made later. Idempotent."""
    if debtor.get("link_hash"):
        _set_debtor_link(workspace_id, debtor, None)


def _set_debtor_link(workspace_id: str, debtor: dict[str, Any], digest: str | None) -> None:
    """Conditioned on the link the caller saw, so two rotations at once cannot both hand out a link."""
    previous = debtor.get("link_hash")
    condition = "link_hash = :previous" if previous else "attribute_not_exists(link_hash)"
    values: dict[str, Any] = {":previous": previous} if previous else {}
    if digest is None:
        operation = store.update_op(keys.debtor(workspace_id, debtor["id"]), "REMOVE link_hash", values, condition)
    else:
        values[":digest"] = digest
        operation = store.update_op(
            keys.debtor(workspace_id, debtor["id"]),
            "SET link_hash = :digest",
            values,
            condition + " AND attribute_exists(pk) AND attribute_not_exists(erased)",
        )
    try:
        store.transact([operation])
    except Conflict as error:
        raise Conflict("The link changed meanwhile. Try again.", code="link_conflict") from error
