"""Sending a member's emails exactly once: the daily digest of one local day, the alert of one dispute.

Each email is claimed before Brevo is called (`keys.member_notice`, a conditional Put), as reminders are: a
message delivered twice, a retried function or two schedulers that queued the same member all find the
claim and send nothing. Brevo unavailable: the claim is withdrawn and the message fails, so SQS hands it back
and the email goes later. Brevo refusing it: the claim stays (sending again would be refused again).

Whether to send is decided on a consistent read of the membership when the message is handled, not when it
was queued: a member who turned the email off, or left, between the two gets nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

from collectra import store
from collectra.clock import iso
from collectra.debts.states import Status
from collectra.digest import emails
from collectra.digest.content import gather
from collectra.digest.schedule import reported_window, send_day
from collectra.digest.settings import choices, zone_of
from collectra.digest.unsubscribe import link
from collectra.email import brevo
from collectra.errors import Conflict
from collectra.observability import logger
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

# A claim outlives every redelivery and retry of its message (SQS keeps a message 4 days) by a margin.
CLAIM_DAYS = 8

Outcome = Literal["sent", "already_sent", "empty", "not_wanted", "rejected"]


class SendLater(Exception):
    """Brevo could not take an email now: its message must come back."""


def send_digest(message: dict[str, Any], *, now: datetime) -> Outcome:
    """The digest of one member for the local day of `message["slot"]`, if they still want it and it has news."""
    workspace_id, user_id = str(message["workspace_id"]), str(message["user_id"])
    workspace, membership, user = store.batch_get(
        [keys.workspace(workspace_id), keys.membership(workspace_id, user_id), keys.user(user_id)], consistent=True
    )
    if not _wanted(workspace, membership, user, "daily_digest"):
        return "not_wanted"
    assert workspace is not None  # noqa: S101 - _wanted said so
    assert membership is not None  # noqa: S101
    assert user is not None  # noqa: S101
    zone = zone_of(membership, workspace)
    day = send_day(datetime.fromisoformat(str(message["slot"])), zone)
    start, end = reported_window(day, zone)
    found = gather(workspace_id, day - timedelta(days=1), start, end)
    if found.empty:
        return "empty"
    recipient = _recipient(workspace, user, link(workspace_id, user_id, "daily_digest"))
    return _claim_and_send(
        workspace_id, user_id, f"DIGEST#{day.isoformat()}", lambda: emails.digest(recipient, found), now=now
    )


def send_dispute_alerts(message: dict[str, Any], *, now: datetime) -> dict[str, int]:
    """The alert of one dispute (a debt at a version) to every member who asked for it at once; how many went
    which way. A debt no longer disputed (resolved meanwhile) alerts no one."""
    workspace_id, debt_id, version = str(message["workspace_id"]), str(message["debt_id"]), int(message["version"])
    workspace, debt = store.batch_get([keys.workspace(workspace_id), keys.debt(workspace_id, debt_id)])
    outcomes: dict[str, int] = {}
    if is_closed(workspace) or debt is None or debt.get("status") != Status.DISPUTED.value:
        return outcomes
    assert workspace is not None  # noqa: S101 - is_closed(None) is True
    wanting = [m for m in store.partition_items(f"WS#{workspace_id}", "MEMBER#") if choices(m)["disputes_at_once"]]
    users = store.batch_get([keys.user(str(member["user_id"])) for member in wanting])
    unavailable = 0
    for member, user in zip(wanting, users, strict=True):
        user_id = str(member["user_id"])
        if user is None or not user.get("email"):
            continue
        recipient = _recipient(workspace, user, link(workspace_id, user_id, "disputes_at_once"))
        try:
            outcome = _claim_and_send(
                workspace_id,
                user_id,
                f"DISPUTE#{debt_id}#{version}",
                partial(emails.dispute, recipient, debt),
                now=now,
            )
        except SendLater:
            unavailable += 1
            continue
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if unavailable:
        raise SendLater(f"{unavailable} dispute alert(s) to send later")
    return outcomes


def _wanted(
    workspace: dict[str, Any] | None, membership: dict[str, Any] | None, user: dict[str, Any] | None, setting: str
) -> bool:
    return (
        not is_closed(workspace)
        and membership is not None
        and bool(choices(membership)[setting])
        and user is not None
        and bool(user.get("email"))
    )


def _recipient(workspace: dict[str, Any], user: dict[str, Any], unsubscribe_link: str) -> emails.Recipient:
    return emails.Recipient(
        email=str(user["email"]),
        name=user.get("name"),
        workspace_name=str(workspace.get("name") or ""),
        unsubscribe_link=unsubscribe_link,
    )


def _claim_and_send(
    workspace_id: str, user_id: str, notice: str, compose: Callable[[], brevo.Message], *, now: datetime
) -> Outcome:
    key = keys.member_notice(workspace_id, user_id, notice)
    claim = {
        **key,
        "workspace_id": workspace_id,
        "user_id": user_id,
        "notice": notice,
        "claimed_at": iso(now),
        "expires_at": int((now + timedelta(days=CLAIM_DAYS)).timestamp()),
    }
    try:
        store.put(claim, condition="attribute_not_exists(pk)")
    except Conflict:
        return "already_sent"
    try:
        brevo.send(compose())
    except brevo.EmailUnavailable as error:
        store.transact([store.delete_op(key)])  # not sent: the next delivery of the message claims it again
        raise SendLater(str(error)) from error
    except brevo.EmailRejected as error:
        logger.warning("member notice refused by Brevo", extra={"notice": notice.split("#", 1)[0], "code": error.code})
        return "rejected"
    return "sent"
