"""A debtor's secret page link: 256 bits, stored only as a hash, rotatable and revocable.

A token reads `<workspace id>.<debtor id>.<secret>`: the ids say where to look (so the page opens with
one batch of reads instead of a lookup first), the secret proves the visitor was given the link. Only
the secret's SHA-256 is stored, on the debtor, and it is compared in constant time. The ids are not
secrets: every authenticated route checks the caller's workspace, and without the secret they open
nothing.

Reminder emails must carry the link again long after it was made, so the secret is not kept but can be
made again: it is an HMAC, under a key in Secrets Manager (PAGE_LINK_SECRET_NAME), of a 256-bit nonce
from `secrets` stored on the debtor. The table alone (a leaked backup) opens no page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from collectra import config, store
from collectra.debtors.records import Debtor
from collectra.errors import Conflict
from collectra.secrets import secret
from collectra.store import keys

TOKEN_BYTES = 32
_TOKEN = re.compile(r"(ws_[0-9a-z]{26})\.(dbt_[0-9a-z]{26})\.([A-Za-z0-9_-]{43})")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def page_url(token: str) -> str:
    return f"{config.public_base_url()}/p/{token}"


@dataclass(frozen=True)
class LinkTarget:
    """Whose page a well-formed token claims to open, and the hash its secret must match."""

    workspace_id: str
    debtor_id: str
    digest: str

    def opens(self, debtor: Debtor) -> bool:
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


def _secret_of(nonce: str) -> str:
    key = secret(config.page_link_secret_name()).encode()
    digest = hmac.new(key, f"page-link:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()  # 43 characters


def link_token(workspace_id: str, debtor: Debtor) -> str | None:
    """The debtor's current link token, made again from its nonce; None when it has no link."""
    nonce = debtor.get("link_nonce")
    if not nonce or not debtor.get("link_hash") or debtor.get("erased"):
        return None
    return f"{workspace_id}.{debtor['id']}.{_secret_of(nonce)}"


def rotate_link(workspace_id: str, debtor: Debtor) -> str:
    """A new link for the debtor; the previous one stops working in the same write. Returns the token."""
    if debtor.get("erased"):
        raise Conflict("This debtor was erased.", code="debtor_erased")
    nonce = secrets.token_urlsafe(TOKEN_BYTES)
    link_secret = _secret_of(nonce)
    _set_debtor_link(workspace_id, debtor, secret_hash(link_secret), nonce)
    return f"{workspace_id}.{debtor['id']}.{link_secret}"


def ensure_link(workspace_id: str, debtor: Debtor) -> str:
    """The debtor's link token, made now if it has none (a reminder always carries one)."""
    return link_token(workspace_id, debtor) or rotate_link(workspace_id, debtor)


def revoke_link(workspace_id: str, debtor: Debtor) -> None:
    """The debtor's link stops working; a new one can be made later. Idempotent."""
    if debtor.get("link_hash"):
        _set_debtor_link(workspace_id, debtor, None, None)


def _set_debtor_link(workspace_id: str, debtor: Debtor, digest: str | None, nonce: str | None) -> None:
    """Conditioned on the link the caller saw, so two rotations at once cannot both hand out a link."""
    previous = debtor.get("link_hash")
    condition = "link_hash = :previous" if previous else "attribute_not_exists(link_hash)"
    values: dict[str, Any] = {":previous": previous} if previous else {}
    if digest is None:
        operation = store.update_op(
            keys.debtor(workspace_id, debtor["id"]), "REMOVE link_hash, link_nonce", values, condition
        )
    else:
        values |= {":digest": digest, ":nonce": nonce}
        operation = store.update_op(
            keys.debtor(workspace_id, debtor["id"]),
            "SET link_hash = :digest, link_nonce = :nonce",
            values,
            condition + " AND attribute_exists(pk) AND attribute_not_exists(erased)",
        )
    try:
        store.transact([operation])
    except Conflict as error:
        raise Conflict("The link changed meanwhile. Try again.", code="link_conflict") from error
