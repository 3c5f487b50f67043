"""What an account is made of in the table: the user, their sessions, the lookups and counters that serve
sign-in. Key strings come from `store.keys`; these are the items' shapes."""

from __future__ import annotations

from typing import NotRequired, TypedDict

from collectra.store import keys


class User(TypedDict):
    pk: str
    sk: str
    id: str
    email: str  # lower case; `EmailOwner` makes it unique
    name: str
    password_hash: str
    email_verified: bool
    session_version: int  # raised to end every session at once (a password change, a reset)
    created_at: str
    current_workspace_id: NotRequired[str]  # where the next sign-in lands


class Session(TypedDict):
    """One signed-in device: the hash of its current refresh token, rotated on use."""

    pk: str
    sk: str
    session_id: str
    user_id: str
    workspace_id: str
    token_hash: str
    previous_token_hash: NotRequired[str]  # honoured for a moment after a rotation (two tabs at once)
    session_version: int
    created_at: int  # epoch seconds, as is every time DynamoDB's TTL or a token reads
    rotated_at: NotRequired[int]
    expires_at: int
    revoked: NotRequired[bool]


class EmailOwner(TypedDict):
    """The user an email address belongs to (one per address)."""

    pk: str
    sk: str
    user_id: str


class OneTimeToken(TypedDict):
    """An emailed single-use token, by the hash of its secret; listed by user (gsi1) so a deletion finds it."""

    pk: str
    sk: str
    purpose: str
    user_id: NotRequired[str]
    email: NotRequired[str]
    workspace_id: NotRequired[str]  # an invitation's
    role: NotRequired[str]
    new_email: NotRequired[str]
    previous_email: NotRequired[str]  # an address change's: what it changes from
    session_id: NotRequired[str]  # an address change's: the session that asked, carried over
    created_at: int
    expires_at: int
    gsi1pk: NotRequired[str]
    gsi1sk: NotRequired[str]


class ThrottleCounter(TypedDict):
    """Failures (or sends) counted for a hashed subject; gone by TTL."""

    pk: str
    sk: str
    failures: NotRequired[int]
    last_failure_at: NotRequired[int]
    count: NotRequired[int]
    sent_at: NotRequired[int]
    window_ends: NotRequired[int]
    expires_at: int


def email_owner(address: str, user_id: str) -> EmailOwner:
    key = keys.email(address)
    return {"pk": key["pk"], "sk": key["sk"], "user_id": user_id}
