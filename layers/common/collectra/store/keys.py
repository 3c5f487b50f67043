"""Every key of the tenant table, in one place.

Anything a workspace owns lives under a partition key that begins with `WS#<workspace id>`, so the
workspace can be read, exported or erased by query. Global lookups (an email address, a one-time token,
a throttling counter) are small items of their own, written in the same transaction as what they point to.
"""

from __future__ import annotations

import hashlib


def _key(pk: str, sk: str) -> dict[str, str]:
    return {"pk": pk, "sk": sk}


def user(user_id: str) -> dict[str, str]:
    return _key(f"USER#{user_id}", "PROFILE")


def user_session(user_id: str, session_id: str) -> dict[str, str]:
    return _key(f"USER#{user_id}", f"SESSION#{session_id}")


def user_workspace(user_id: str, workspace_id: str) -> dict[str, str]:
    """The user's side of a membership: lets a user list the workspaces they belong to."""
    return _key(f"USER#{user_id}", f"WORKSPACE#{workspace_id}")


def email(address: str) -> dict[str, str]:
    """The unique owner of an email address (normalised to lower case)."""
    return _key(f"EMAIL#{address.lower()}", "USER")


def workspace(workspace_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", "WORKSPACE")


def membership(workspace_id: str, user_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"MEMBER#{user_id}")


def one_time_token(token_hash: str) -> dict[str, str]:
    """An emailed single-use token (email verification, password reset), stored by its hash only."""
    return _key(f"TOKEN#{token_hash}", "TOKEN")


def throttle(scope: str, subject: str) -> dict[str, str]:
    """A counter of failures for a subject (an account, an IP address); the subject is hashed."""
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return _key(f"THROTTLE#{scope}#{digest}", "COUNTER")
