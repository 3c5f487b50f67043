"""What the reminder engine keeps in the table: each step claimed (the lead claim of an email is also its record
and what Brevo said of it), the daily sending counters, and when the planner last ran. Key strings come from
`store.keys`; a debt's place in the reminder index is the debt's own (`debts.records`)."""

from __future__ import annotations

import re
from typing import Any, NotRequired, TypedDict

from collectra.store import keys


class ReminderClaim(TypedDict):
    """A step of the policy taken for a debt (`reminders.claims` says what each status means).

    The claim of an email's lead debt (`lead_claim`) is also that email's record, its `Communication`: one item
    per email, not a claim and a communication beside it."""

    pk: str
    sk: str
    status: str  # "claimed", "queued", "sending", "sent", "uncertain", "skipped" or "failed"
    claimed_at: str
    # When the TTL removes it (`claims.CLAIM_KEPT_FOR`); an email's record has none: it is kept with its workspace.
    expires_at: NotRequired[int]


class Communication(ReminderClaim):
    """One email to a debtor about one or more of their debts, and what Brevo said of it since: the fields its lead
    claim gains when the sender starts it. It sits in its lead debt's history partition, so a debtor's erasure
    finds it among their debts' histories; it is listed by creation time in its workspace once it has an outcome
    (gsi1: the claims that became emails, nothing else)."""

    gsi1pk: NotRequired[str]  # listed once it has an outcome (sent, uncertain or failed)
    gsi1sk: NotRequired[str]
    id: str
    kind: str  # "reminder"
    debtor_id: str
    recipient_digest: str  # whom Brevo's events about it may concern, without keeping the address
    debt_ids: list[str]
    steps: dict[str, int]  # the step it carries for each debt
    template: str
    tone: str
    created_at: str
    message_id: NotRequired[str | None]  # Brevo's
    sent_at: NotRequired[str]
    failure: NotRequired[str]
    events: NotRequired[dict[str, Any]]  # Brevo's events, by kind


class SendingDay(TypedDict):
    """One UTC day's sending quota of a workspace, what it sent and the trouble that came back."""

    pk: str
    sk: str
    quota: int
    sent: int
    opened_at: str
    expires_at: int
    bounced: NotRequired[int]  # hard bounces and invalid addresses of the day's emails (quota.BOUNCED)
    complained: NotRequired[int]  # complaints (quota.COMPLAINED)
    bounce_rate_told: NotRequired[bool]  # operators were told the day's bounce rate went over 2% (quota.TOLD)
    complaint_rate_told: NotRequired[bool]


class ReminderRun(TypedDict):
    """When the planner last looked at a workspace's reminders (or, for the engine, completed a run)."""

    pk: str
    sk: str
    ran_at: str
    summary: NotRequired[dict[str, Any]]


def communication_index(workspace_id: str, created_at: str, communication_id: str) -> dict[str, str]:
    """A communication's place in its workspace's list of them, by creation time."""
    return {"gsi1pk": keys.communications_of_workspace(workspace_id), "gsi1sk": f"{created_at}#{communication_id}"}


# What the sender sets as the email's `X-Mailin-custom` header, and Brevo's webhook echoes back with each event:
# the key of the email's record, so no lookup item by Brevo's message id is needed.
_REFERENCE = re.compile(r"(ws_[0-9a-z]{1,64})/([a-z]{1,8}_[0-9a-z]{1,64})/([0-9]{1,4})")


def communication_reference(workspace_id: str, debt_id: str, step: int) -> str:
    """The reference of the email whose record is the claim of this debt and step."""
    return f"{workspace_id}/{debt_id}/{step}"


def read_reference(reference: str) -> tuple[str, dict[str, str]] | None:
    """The workspace and the record's key a reference names, or None when it is not one of ours."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return None
    workspace_id, debt_id, step = match.groups()
    return workspace_id, keys.reminder_claim(workspace_id, debt_id, int(step))


def reminder_claim(workspace_id: str, debt_id: str, step: int, *, claimed_at: str, expires_at: int) -> ReminderClaim:
    key = keys.reminder_claim(workspace_id, debt_id, step)
    return {"pk": key["pk"], "sk": key["sk"], "status": "claimed", "claimed_at": claimed_at, "expires_at": expires_at}


def reminder_run(key: dict[str, str], ran_at: str, summary: dict[str, Any] | None = None) -> ReminderRun:
    """A workspace's last look (`keys.reminder_run`) or the engine's last run (`keys.reminder_engine`)."""
    run: ReminderRun = {"pk": key["pk"], "sk": key["sk"], "ran_at": ran_at}
    if summary is not None:
        run["summary"] = summary
    return run
