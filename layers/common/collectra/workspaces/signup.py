"""Signing up: a new user and the workspace they found (and own), in one transaction.

With the workspaces rather than in `auth`: signing up writes a workspace and its first membership beside the
account, and `auth` knows nothing of workspaces.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectra import store
from collectra.access import Role
from collectra.auth import accounts, one_time, strength
from collectra.auth.accounts import SignedIn
from collectra.auth.one_time import Purpose
from collectra.auth.records import email_owner
from collectra.email import account as account_email
from collectra.errors import Conflict
from collectra.ids import new_id
from collectra.observability import metrics
from collectra.workspaces import members
from collectra.workspaces.service import new_workspace_item


def sign_up(
    email: str, password: str, name: str, workspace_name: str, *, now: datetime
) -> tuple[SignedIn, dict[str, Any]]:
    """Create the user, their workspace (they own it) and a session; email a verification link.

    One TransactWriteItems: the email address is claimed in the same transaction, so two sign-ups with
    one address cannot both succeed.
    """
    strength.require_strong(
        password, related=strength.related_words(email, name, workspace_name), field="body.password"
    )
    workspace_id = new_id("ws")
    user = accounts.new_user_item(email, password, name, workspace_id, verified=False, now=now)
    user_id = user["id"]
    workspace = new_workspace_item(workspace_id, workspace_name, now=now)
    session, signed_in = accounts.open_session(user, workspace_id, now=now)
    token_item, token = one_time.new_token_item(Purpose.VERIFY_EMAIL, user_id=user_id, email=email, now=now)
    try:
        store.transact(
            [
                store.put_op(email_owner(email, user_id), "attribute_not_exists(pk)"),
                store.put_op(user),
                store.put_op(workspace),
                *members.joining_ops(workspace_id, user_id, Role.OWNER, now=now),
                store.put_op(session),
                store.put_op(token_item),
            ]
        )
    except Conflict as error:
        raise Conflict("An account with this email address already exists.", code="email_taken") from error
    metrics.add_metric(name="SignUps", unit="Count", value=1)
    account_email.send_quietly(account_email.verification(email, name, token), purpose="verify_email")
    return signed_in, workspace
