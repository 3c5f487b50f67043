"""What the reminder engine keeps in the table: each step claimed, each email and what Brevo said of it, the
daily sending counters, and when the planner last ran. Key strings come from `store.keys`; a debt's place in
the reminder index is the debt's own (`debts.records`)."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from collectra.store import keys


class ReminderClaim(TypedDict):
    """A step of the policy taken for a debt (`reminders.claims` says what each status means)."""

    pk: str
    sk: str
    status: str  # "claimed", "queued", "sending", "sent", "uncertain", "skipped" or "failed"
    claimed_at: str
    expires_at: int


class Communication(TypedDict):
    """One email to a debtor about one or more of their debts, and what Brevo said of it since; listed by
    creation time in its workspace (gsi1)."""

    pk: str
    sk: str
    gsi1pk: str
    gsi1sk: str
    id: str
    kind: str  # "reminder"
    debtor_id: str
    recipient_digest: str  # whom Brevo's events about it may concern, without keeping the address
    debt_ids: list[str]
    steps: dict[str, int]  # the step it carries for each debt
    template: str
    tone: str
    status: str  # "sending", then "sent", "uncertain" or "failed"
    created_at: str
    message_id: NotRequired[str]  # Brevo's
    sent_at: NotRequired[str]
    failure: NotRequired[str]
    events: NotRequired[dict[str, Any]]  # Brevo's events, by kind


class BrevoMessage(TypedDict):
    """Which communication a Brevo message id is (Brevo's webhook names only its message id)."""

    pk: str
    sk: str
    workspace_id: str
    communication_id: str


class SendingDay(TypedDict):
    """One UTC day's sending quota of a workspace, what it sent and the trouble that came back."""

    pk: str
    sk: str
    quota: int
    sent: int
    opened_at: str
    expires_at: int
    hard_bounce: NotRequired[int]
    complaint: NotRequired[int]


class ReminderRun(TypedDict):
    """When the planner last looked at a workspace's reminders (or, for the engine, completed a run)."""

    pk: str
    sk: str
    ran_at: str
    summary: NotRequired[dict[str, Any]]


def communication_index(workspace_id: str, created_at: str, communication_id: str) -> dict[str, str]:
    """A communication's place in its workspace's list of them, by creation time."""
    return {"gsi1pk": keys.communications_of_workspace(workspace_id), "gsi1sk": f"{created_at}#{communication_id}"}


def brevo_message(message_id: str, workspace_id: str, communication_id: str) -> BrevoMessage:
    key = keys.brevo_message(message_id)
    return {"pk": key["pk"], "sk": key["sk"], "workspace_id": workspace_id, "communication_id": communication_id}


def reminder_claim(workspace_id: str, debt_id: str, step: int, *, claimed_at: str, expires_at: int) -> ReminderClaim:
    key = keys.reminder_claim(workspace_id, debt_id, step)
    return {"pk": key["pk"], "sk": key["sk"], "status": "claimed", "claimed_at": claimed_at, "expires_at": expires_at}


def reminder_run(key: dict[str, str], ran_at: str, summary: dict[str, Any] | None = None) -> ReminderRun:
    """A workspace's last look (`keys.reminder_run`) or the engine's last run (`keys.reminder_engine`)."""
    run: ReminderRun = {"pk": key["pk"], "sk": key["sk"], "ran_at": ran_at}
    if summary is not None:
        run["summary"] = summary
    return run
