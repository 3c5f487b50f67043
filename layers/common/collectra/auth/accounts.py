"""Signing in, and looking after one's own account (signing up founds a workspace: `collectra.workspaces.signup`).

Each function names its DynamoDB calls in its docstring; `make bench` counts them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from collectra import queues, store
from collectra.auth import email_change, one_time, passwords, sessions, strength, throttle
from collectra.auth.one_time import InvalidToken, Purpose
from collectra.auth.principal import Principal
from collectra.auth.records import ThrottleCounter
from collectra.auth.tokens import AccessClaims, issue_access_token
from collectra.clock import iso
from collectra.email import account as account_email
from collectra.errors import Conflict, Forbidden, InvalidInput, TooManyRequests, Unauthenticated
from collectra.ids import new_id
from collectra.observability import logger, metrics
from collectra.store import keys

_WRONG_CREDENTIALS = "The email or password is not right."


@dataclass(frozen=True)
class SignedIn:
    """A new or renewed sign-in: who, in which workspace, and the two tokens for the cookies."""

    user: Mapping[str, Any]
    workspace_id: str
    access_token: str
    refresh_token: str


def access_token_for(user: Mapping[str, Any], session: Mapping[str, Any], *, now: datetime) -> str:
    claims = AccessClaims(
        user_id=user["id"],
        workspace_id=session["workspace_id"],
        session_id=session["session_id"],
        session_version=session["session_version"],
    )
    return issue_access_token(claims, now=now)


def new_user_item(
    email: str, password: str, name: str, workspace_id: str, *, verified: bool, now: datetime
) -> dict[str, Any]:
    """A new user whose sign-ins land in `workspace_id`; the caller claims the address in the same write."""
    user_id = new_id("usr")
    return {
        **keys.user(user_id),
        "id": user_id,
        "email": email,
        "name": name,
        "email_verified": verified,
        "password_hash": passwords.hash_password(password),
        "session_version": 0,
        "current_workspace_id": workspace_id,
        "created_at": iso(now),
    }


def open_session(user: dict[str, Any], workspace_id: str, *, now: datetime) -> tuple[dict[str, Any], SignedIn]:
    """A new session of `user` in `workspace_id`: the item to write, and the sign-in it gives once written."""
    session, refresh_token = sessions.new_session_item(
        user_id=user["id"], workspace_id=workspace_id, session_version=user["session_version"], now=now
    )
    return session, SignedIn(user, workspace_id, access_token_for(user, session, now=now), refresh_token.value)


_RESERVATION_TRIES = 2


def authenticate(email: str, password: str, source_ip: str, *, now: datetime) -> dict[str, Any]:
    """The user whose email and password these are; three DynamoDB calls whatever happens (more only when
    concurrent attempts on the same counters race, and then at most one more read and write):

    1. BatchGetItem: the address's owner and both throttling counters.
    2. TransactWriteItems: the attempt reserved on both counters, on condition they still allow it
       (`throttle.reserve`), so that a burst of guesses gets no more than the limit checked.
    3. GetItem (consistent): the user, with the password hash, if the address has an owner.

    A wrong email and a wrong password answer the same 401 after the same argon2 work. A success's
    caller gives the reservation back in its own transaction (`signed_in_ops`).
    """
    for _ in range(_RESERVATION_TRIES):
        owner, found_account_counter, found_ip_counter = store.batch_get(
            [
                keys.email(email),
                throttle.key(throttle.ACCOUNT, email),
                throttle.key(throttle.SOURCE_IP, source_ip),
            ],
            consistent=True,
        )
        account_counter = cast(ThrottleCounter | None, found_account_counter)
        ip_counter = cast(ThrottleCounter | None, found_ip_counter)
        wait = max(
            throttle.retry_after(throttle.ACCOUNT, account_counter, now=now),
            throttle.retry_after(throttle.SOURCE_IP, ip_counter, now=now),
        )
        if wait:
            break
        try:
            store.transact(
                [
                    throttle.reserve(throttle.ACCOUNT, email, account_counter, now=now),
                    throttle.reserve(throttle.SOURCE_IP, source_ip, ip_counter, now=now),
                ]
            )
        except Conflict:
            continue  # another attempt moved a counter since it was read: read it again
        break
    else:
        wait = 1  # still racing others for the same counters: an attack's burst, not a person
    if wait:
        metrics.add_metric(name="LoginsThrottled", unit="Count", value=1)
        raise TooManyRequests("Too many failed attempts. Please wait before trying again.", retry_after=wait)

    user = store.get(keys.user(owner["user_id"]), consistent=True) if owner else None
    if user is None:
        passwords.verify_against_decoy(password)
    if user is None or not passwords.verify_password(user["password_hash"], password):
        metrics.add_metric(name="LoginsFailed", unit="Count", value=1)
        raise Unauthenticated(_WRONG_CREDENTIALS, code="wrong_credentials")
    return user


def signed_in_ops(
    user: dict[str, Any], email: str, password: str, *, lands_in: str | None = None, source_ip: str | None = None
) -> list[store.Operation]:
    """What a successful sign-in writes besides its session: the account's failures forgiven, the source
    address's reservation given back (`source_ip`), a stronger hash if the password's is out of date, and
    (`lands_in`) the workspace later sign-ins land in, in one update."""
    operations = [throttle.clear(throttle.ACCOUNT, email)]
    if source_ip is not None:
        operations.append(throttle.give_back(throttle.SOURCE_IP, source_ip))
    assignments, values = [], {}
    if passwords.needs_rehash(user["password_hash"]):
        assignments.append("password_hash = :hash")
        values[":hash"] = passwords.hash_password(password)
    if lands_in:
        assignments.append("current_workspace_id = :ws")
        values[":ws"] = lands_in
    if assignments:
        operations.append(store.update_op(keys.user(user["id"]), "SET " + ", ".join(assignments), values))
    return operations


def log_in(email: str, password: str, source_ip: str, *, now: datetime) -> SignedIn:
    """Check the password and open a session in the user's current workspace (four DynamoDB calls: three
    to authenticate, one transaction for the session)."""
    user = authenticate(email, password, source_ip, now=now)
    workspace_id = user.get("current_workspace_id")
    if not workspace_id:
        raise Forbidden("This account no longer belongs to any workspace.", code="no_workspace")
    session, signed_in = open_session(user, workspace_id, now=now)
    store.transact([store.put_op(session), *signed_in_ops(user, email, password, source_ip=source_ip)])
    metrics.add_metric(name="Logins", unit="Count", value=1)
    return signed_in


def refresh(refresh_token: str | None, *, now: datetime) -> SignedIn:
    """Rotate the refresh token and mint a new access token (two DynamoDB calls)."""
    rotation = sessions.rotate(sessions.parse_refresh_token(refresh_token), now=now)
    session = rotation.session
    return SignedIn(
        rotation.user,
        session["workspace_id"],
        access_token_for(rotation.user, session, now=now),
        rotation.token.value,
    )


def log_out(refresh_token: str | None, access_claims: AccessClaims | None) -> None:
    """End the session named by the access token and the family of the refresh token (at most two UpdateItems).

    Both, always: a refresh cookie that is not the family's current token (a thief rotated it first) is a
    reuse like any other, so its whole family ends, and the access token's session ends whatever the cookie
    says, so a stale or foreign refresh cookie cannot leave the signed-out device's access working.
    """
    ended: set[tuple[str, str]] = set()
    if access_claims is not None:
        ended.add((access_claims.user_id, access_claims.session_id))
    if refresh_token:
        try:
            presented = sessions.parse_refresh_token(refresh_token)
            ended.add((presented.user_id, presented.session_id))
        except Unauthenticated:
            pass
    for user_id, session_id in sorted(ended):
        sessions.revoke(user_id, session_id)


def verify_email(token: str, *, now: datetime) -> None:
    """Mark the address verified (GetItem + TransactWriteItems); the link works once."""
    found = one_time.find(Purpose.VERIFY_EMAIL, token, now=now)
    mark_verified = store.update_op(
        keys.user(found["user_id"]),
        "SET email_verified = :yes",
        {":yes": True, ":email": found["email"]},
        # A link sent to an address the account no longer has verifies nothing.
        condition="attribute_exists(pk) AND email = :email",
    )
    one_time.redeem(found, [mark_verified])


def resend_verification(principal: Principal, *, now: datetime) -> None:
    """Email a new verification link (one PutItem after authentication)."""
    user = principal.user
    if user.get("email_verified"):
        raise Conflict("This email address is already verified.", code="already_verified")
    item, token = one_time.new_token_item(Purpose.VERIFY_EMAIL, user_id=user["id"], email=user["email"], now=now)
    store.put(item)
    account_email.send_quietly(account_email.verification(user["email"], user["name"], token), purpose="verify_email")


RESET_EMAILS_PER_HOUR = 3


RESET_EMAIL_QUEUE = "RESET_EMAIL_QUEUE_URL"


def forgot_password(email: str) -> None:
    """Queue the request for `send_reset_link` (one SendMessageBatch), whatever the address.

    Nothing depends on whether the address has an account before the answer, so a known and an unknown
    address answer alike and in the same time: looking it up, writing the link and calling Brevo would
    make a known address measurably slower (it was twice as slow), which tells an attacker who has an account.
    """
    queues.send(RESET_EMAIL_QUEUE, [json.dumps({"email": email})])


def send_reset_link(email: str, *, now: datetime) -> None:
    """Email a reset link if, and only if, the address has an account (the reset-email queue's worker).

    BatchGetItem (owner and the per-address counter), Query (the user's other links, voided), then one
    TransactWriteItems (token and counter). At most three reset emails per address per hour, so nobody
    can flood a mailbox.
    """
    owner, counter = store.batch_get([keys.email(email), keys.throttle("reset-email", email)])
    if owner is None:
        return
    epoch = int(now.timestamp())
    recent = counter["count"] if counter and counter["window_ends"] > epoch else 0
    if recent >= RESET_EMAILS_PER_HOUR:
        logger.info("password reset email suppressed: hourly limit reached")
        return
    item, token = one_time.new_token_item(Purpose.RESET_PASSWORD, user_id=owner["user_id"], email=email, now=now)
    window_ends = counter["window_ends"] if counter and recent else epoch + 3600
    store.transact(
        [
            *one_time.void_pending_ops(owner["user_id"], now=now),
            store.put_op(item),
            store.put_op(
                {
                    **keys.throttle("reset-email", email),
                    "count": recent + 1,
                    "window_ends": window_ends,
                    "expires_at": window_ends,
                }
            ),
        ]
    )
    account_email.send_quietly(account_email.password_reset(email, token), purpose="reset_password")


def reset_password(token: str, password: str, *, now: datetime) -> None:
    """Set a new password from an emailed link, end every session of the user and void the user's other
    reset and email-change links (GetItem, two GetItems for the strength check's words, Query, transaction)."""
    found = one_time.find(Purpose.RESET_PASSWORD, token, now=now)
    user = store.get(keys.user(found["user_id"]), consistent=True)
    if user is None:
        raise InvalidToken("This link is invalid or has expired. Please ask for a new one.")
    workspace = store.get(keys.workspace(user["current_workspace_id"])) if user.get("current_workspace_id") else None
    strength.require_strong(
        password,
        related=strength.related_words(user["email"], user["name"], (workspace or {}).get("name")),
        field="body.password",
    )
    set_password = store.update_op(
        keys.user(found["user_id"]),
        "SET password_hash = :hash ADD session_version :one",
        {":hash": passwords.hash_password(password), ":one": 1, ":email": found["email"]},
        condition="attribute_exists(pk) AND email = :email",
    )
    one_time.redeem(
        found,
        [
            set_password,
            throttle.clear(throttle.ACCOUNT, found["email"]),
            *one_time.void_pending_ops(found["user_id"], now=now, keep=found),
        ],
    )


def require_current_password(user: dict[str, Any], given: str | None) -> None:
    """Return if `given` is the user's password; else 422 `wrong_current_password` (missing counts as wrong).

    What a stolen access cookie alone must not do (a new password, a new address) asks for it.
    """
    if not given or not passwords.verify_password(user["password_hash"], given):
        raise InvalidInput(
            "The current password is not right.",
            code="wrong_current_password",
            details=[{"field": "body.current_password", "message": "does not match" if given else "required"}],
        )


def change_password(principal: Principal, current: str, new: str, *, now: datetime) -> SignedIn:
    """Change the password of the signed-in user, given the current one.

    Every other session ends and the user's pending reset and email-change links stop working; this one
    continues in a fresh session (a Query and one transaction after authentication).
    """
    user = principal.user
    require_current_password(user, current)
    strength.require_strong(
        new,
        related=strength.related_words(user["email"], user["name"], principal.workspace.get("name")),
        field="body.new_password",
    )
    version = int(user["session_version"]) + 1
    session, refresh_token = sessions.new_session_item(
        user_id=user["id"], workspace_id=principal.workspace_id, session_version=version, now=now
    )
    set_password = store.update_op(
        keys.user(user["id"]),
        "SET password_hash = :hash, session_version = :version",
        {":hash": passwords.hash_password(new), ":version": version, ":seen": user["session_version"]},
        condition="session_version = :seen",
    )
    store.transact([set_password, store.put_op(session), *one_time.void_pending_ops(user["id"], now=now)])
    user = {**user, "session_version": version}
    return SignedIn(user, principal.workspace_id, access_token_for(user, session, now=now), refresh_token.value)


def update_profile(
    principal: Principal, *, name: str | None, email: str | None, current_password: str | None, now: datetime
) -> str | None:
    """Correct the user's own name at once; a new email takes effect only once confirmed from that address,
    and asking for one needs the current password (see `collectra.auth.email_change`).

    Returns the address a confirmation was sent to, if any. A wrong password changes nothing, not even the name.
    """
    user = principal.user
    changes_email = email is not None and email != user["email"]
    if changes_email:
        require_current_password(user, current_password)
    if name is not None and name != user["name"]:
        store.update(
            keys.user(user["id"]),
            "SET #name = :name, updated_at = :now",
            names={"#name": "name"},
            values={":name": name, ":now": iso(now)},
            condition="attribute_exists(pk)",
        )
        user = {**user, "name": name}
    if not changes_email or email is None:
        return None
    email_change.request(user, email, session_id=str(principal.session["session_id"]), now=now)
    return email
