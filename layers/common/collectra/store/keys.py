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


def export(user_id: str, export_id: str) -> dict[str, str]:
    """An export the user asked for: its state and where its archive is; only its requester can read it."""
    return _key(f"USER#{user_id}", f"EXPORT#{export_id}")


def exports_of_workspace(workspace_id: str) -> str:
    """The gsi1 partition listing the exports that hold a workspace's data, so its deletion, or a debtor's
    erasure, finds their archives without a Scan (the records themselves stay in their requester's partition)."""
    return f"WS#{workspace_id}#EXPORTS"


def export_slot(user_id: str) -> dict[str, str]:
    """The user's export under way, if any: written with a condition, so that one runs at a time."""
    return _key(f"USER#{user_id}", "EXPORTING")


def email(address: str) -> dict[str, str]:
    """The unique owner of an email address (normalised to lower case)."""
    return _key(f"EMAIL#{address.lower()}", "USER")


def workspace(workspace_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", "WORKSPACE")


def membership(workspace_id: str, user_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"MEMBER#{user_id}")


def invitation(workspace_id: str, address: str) -> dict[str, str]:
    """The pending invitation of an email address to a workspace: one per address, a new one replaces it."""
    return _key(f"WS#{workspace_id}", f"INVITE#{address.lower()}")


def one_time_token(token_hash: str) -> dict[str, str]:
    """An emailed single-use token (email verification, password reset), stored by its hash only."""
    return _key(f"TOKEN#{token_hash}", "TOKEN")


def throttle(scope: str, subject: str) -> dict[str, str]:
    """A counter of failures for a subject (an account, an IP address); the subject is hashed."""
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return _key(f"THROTTLE#{scope}#{digest}", "COUNTER")


# ---------------------------------------------------------------- debtors and debts
# The table's key and four overloaded indexes serve every list the API offers: debtors by name (gsi1) and
# by email (gsi2); debts by due date (gsi1), of one status by due date (gsi2), of one debtor by due date
# (gsi3), and by amount outstanding (gsi4). Each list request reads one page of one partition. Which fields
# an item carries for them is decided by its records module (`debts.records`, `debtors.records`).


def debtor(workspace_id: str, debtor_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"DEBTOR#{debtor_id}")


def debt(workspace_id: str, debt_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"DEBT#{debt_id}")


def invoice_number(workspace_id: str, number: str) -> dict[str, str]:
    """Claims an invoice number within a workspace (unique), pointing at its debt."""
    return _key(f"WS#{workspace_id}", f"INVOICE#{number}")


def external_ref(workspace_id: str, reference: str) -> dict[str, str]:
    """Claims a business's own customer reference within a workspace (unique), pointing at its debtor."""
    return _key(f"WS#{workspace_id}", f"EXTREF#{reference}")


def debt_history(workspace_id: str, debt_id: str) -> str:
    """The partition of a debt's timeline and ledger entries."""
    return f"WS#{workspace_id}#DEBT#{debt_id}"


def debtors_by_name(workspace_id: str) -> str:
    return f"WS#{workspace_id}#DEBTORS"


def debtors_by_email(workspace_id: str) -> str:
    return f"WS#{workspace_id}#DEBTOR-EMAILS"


def debts_by_due_date(workspace_id: str) -> str:
    return f"WS#{workspace_id}#DEBTS"


def debts_by_status(workspace_id: str, status: str) -> str:
    return f"WS#{workspace_id}#DEBTS#{status}"


def debts_of_debtor(workspace_id: str, debtor_id: str) -> str:
    return f"WS#{workspace_id}#DEBTOR#{debtor_id}"


def debts_by_outstanding(workspace_id: str) -> str:
    return f"WS#{workspace_id}#OWED"


REMINDER_SHARDS = 16  # partitions of the "next reminder due" index (gsi5), so that none is hot


def reminder_shard(debtor_id: str) -> int:
    """The shard of a debtor's debts: all in one, so that one slice of a run plans them together."""
    return int(hashlib.sha256(debtor_id.encode()).hexdigest()[:8], 16) % REMINDER_SHARDS


def reminders_due(shard: int) -> str:
    """The gsi5 partition of the debts of every workspace whose next reminder may be due, one of REMINDER_SHARDS."""
    return f"REMIND#{shard:02d}"


def ledger_of_workspace(workspace_id: str) -> str:
    """The gsi1 partition listing a workspace's ledger entries (by the time they were recorded), so the home
    summary reads the money that came in lately in one Query instead of every debt's history."""
    return f"WS#{workspace_id}#LEDGER"


def debtor_messages_of_workspace(workspace_id: str) -> str:
    """The gsi1 partition listing what debtors wrote from their pages (timeline entries `debtor_message`, by
    time), so the home summary shows the latest ones in one Query."""
    return f"WS#{workspace_id}#DEBTOR-MESSAGES"


# ---------------------------------------------------------------- the inbox (what needs a person)
# An item sits in the workspace's own partition, keyed by an id derived from what produced it, and in four lists
# by state, newest first: all (gsi1, every attribute), of one kind (gsi2), of one assignee (gsi3), of one kind and
# assignee (gsi4); and by debtor, kind and debt (gsi5, one partition a state), which gives the open count, what
# closes itself when a debt or debtor is resolved, and a debtor's items for their erasure. `inbox.items` writes them.


def inbox_item(workspace_id: str, item_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"INBOX#{item_id}")


def inbox_items(workspace_id: str, state: str, kind: str | None = None, assignee_id: str | None = None) -> str:
    """The partition listing a workspace's inbox items in `state`, narrowed to a kind and/or an assignee."""
    partition = f"WS#{workspace_id}#INBOX#{state}"
    if kind is not None:
        partition += f"#KIND#{kind}"
    if assignee_id is not None:
        partition += f"#ASSIGNEE#{assignee_id}"
    return partition


def inbox_items_by_debtor(workspace_id: str, state: str) -> str:
    """The gsi5 partition of a workspace's inbox items in `state`, sorted by debtor, kind and debt: the open one
    counts what is open and finds what a change resolves; both find a debtor's items when they are erased."""
    return f"WS#{workspace_id}#INBOX-BY-DEBTOR#{state}"


# ---------------------------------------------------------------- payments
# A payment attempt lives under its workspace; Stripe's ids (a connected account, a PaymentIntent, an
# event) are global lookups, since a webhook names only them.


def payment_attempt(workspace_id: str, attempt_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}#PAYMENT#{attempt_id}", "PAYMENT")


def payments_of_workspace(workspace_id: str) -> str:
    """The gsi1 partition listing a workspace's payment attempts (by creation time), so they can be found."""
    return f"WS#{workspace_id}#PAYMENTS"


def stripe_account(account_id: str) -> dict[str, str]:
    """Which workspace a connected Stripe account belongs to."""
    return _key(f"STRIPE-ACCOUNT#{account_id}", "STRIPE-ACCOUNT")


def payment_intent(payment_intent_id: str) -> dict[str, str]:
    """Which payment attempt a Stripe PaymentIntent pays (refunds and disputes name only the charge's)."""
    return _key(f"STRIPE-PI#{payment_intent_id}", "STRIPE-PI")


def stripe_event(event_id: str) -> dict[str, str]:
    """A Stripe event already applied; expires after Stripe's retry window (three days) and then some."""
    return _key(f"STRIPE-EVENT#{event_id}", "STRIPE-EVENT")


# ---------------------------------------------------------------- reminders


def reminder_claim(workspace_id: str, debt_id: str, step: int) -> dict[str, str]:
    """That step of the policy was taken for this debt: written once, so it is emailed at most once. The claim of an
    email's lead debt is also the email's record (`reminders.records.Communication`)."""
    return _key(debt_history(workspace_id, debt_id), f"CLAIM#{step:04d}")


def communications_of_workspace(workspace_id: str) -> str:
    """The gsi1 partition listing a workspace's communications (the claims that became emails, by creation time)."""
    return f"WS#{workspace_id}#COMMS"


def reminder_run(workspace_id: str) -> dict[str, str]:
    """When the planner last looked at this workspace's reminders, and what it found."""
    return _key(f"WS#{workspace_id}", "REMINDER-RUN")


def sending_days(workspace_id: str) -> str:
    """The partition of a workspace's daily sending counters. Throttling counters, like the sign-in ones: they
    hold nobody's data and expire by TTL, so they sit outside the workspace's partitions (its export and its
    erasure need not know them) and counting an email never contends with the workspace's own items. Keyed by
    a hash of the workspace's id, as throttles are by their subject's: nothing left after an erasure names it."""
    return f"QUOTA#{hashlib.sha256(workspace_id.encode()).hexdigest()[:32]}"


def sending_day(workspace_id: str, day: str) -> dict[str, str]:
    """One UTC day's sending quota of a workspace and what it sent, bounced and was complained about."""
    return _key(sending_days(workspace_id), f"DAY#{day}")


def reminder_engine() -> dict[str, str]:
    """When the planner last completed a run, whatever it found."""
    return _key("REMINDER-ENGINE", "LAST-RUN")


# ---------------------------------------------------------------- erasure (account, workspace, debtor)


def erasure_job(partition: str, subject: str) -> dict[str, str]:
    """An erasure under way or done, kept where its subject lives: `WS#<ws>` for a workspace ("WORKSPACE"), a
    member's traces ("MEMBER#<user>") or a debtor ("DEBTOR#<id>"); `USER#<id>` for an account ("ACCOUNT")."""
    return _key(partition, f"ERASURE#{subject}")


def unfinished_erasures() -> str:
    """The gsi1 partition listing erasures not finished yet (by request time), for the sweeper that resumes them."""
    return "ERASURES#UNFINISHED"


def tokens_of_user(user_id: str) -> str:
    """The gsi1 partition listing a user's pending emailed tokens, so that deleting the account finds them."""
    return f"USER#{user_id}#TOKENS"


# ---------------------------------------------------------------- members' notifications (digest, dispute alerts)
# A member's choices live on their membership (`MEMBER#<user>`), so leaving the workspace or deleting the account
# takes them away with it. A member who wants the daily digest is also listed in gsi1 under one of a few shards,
# sorted by the next time it is due (`digest.settings`): each run reads only what is due, whatever the time zone.

DIGEST_SHARDS = 4  # partitions of the "next digest due" index, so that no one partition takes every member's writes


def digest_shard(workspace_id: str, user_id: str) -> int:
    return int(hashlib.sha256(f"{workspace_id}.{user_id}".encode()).hexdigest()[:8], 16) % DIGEST_SHARDS


def digests_due(shard: int) -> str:
    """The gsi1 partition of the members of every workspace who want the daily digest, one of DIGEST_SHARDS."""
    return f"DIGEST#{shard:02d}"


MEMBER_NOTICE_PREFIX = "NOTICE#"  # the sort keys of the member notices of a workspace, `NOTICE#<user>#...`


def member_notice(workspace_id: str, user_id: str, notice: str) -> dict[str, str]:
    """That email (`DIGEST#<local day>`, `DISPUTE#<debt>#<version>`) was claimed for that member: written once,
    before sending, so it goes at most once whoever runs it twice."""
    return _key(f"WS#{workspace_id}", f"{MEMBER_NOTICE_PREFIX}{user_id}#{notice}")


# ---------------------------------------------------------------- analytics
# Under the workspace's main partition (its export and its deletion find them with its other items), sorted by
# the time they stand for: the deltas of a quarter of an hour (every time zone's midnight falls on one), then
# closing states, each of everything recorded before its instant. `ANALYTICS_PREFIX` + an instant
# `YYYY-MM-DDTHH:MMZ`, then "#C" for a closing state or "#S<shard>" for a shard of deltas ("C" sorts first: a
# closing state at T holds what came before T, the shards of the quarter starting at T come after it).

ANALYTICS_PREFIX = "AGG#"


def analytics_deltas(workspace_id: str, quarter: str, shard: int) -> dict[str, str]:
    """One shard of what the debts written in the quarter of an hour starting at `quarter` changed in the figures."""
    return _key(f"WS#{workspace_id}", f"{ANALYTICS_PREFIX}{quarter}#S{shard:02d}")


def analytics_closing(workspace_id: str, instant: str) -> dict[str, str]:
    """The figures as they stood at `instant` (a business day's midnight): every delta recorded before it, folded."""
    return _key(f"WS#{workspace_id}", f"{ANALYTICS_PREFIX}{instant}#C")


# ---------------------------------------------------------------- payment plans
# A plan lives in its workspace's main partition; a debtor's plans are listed by creation time (gsi3), and a plan
# the instalment scheduler must look at sits in one of REMINDER_SHARDS partitions of gsi5 (by its debtor, as their
# debts' reminders), sorted by when it looks next (`plans.records.with_indexes`).


def plan(workspace_id: str, plan_id: str) -> dict[str, str]:
    return _key(f"WS#{workspace_id}", f"PLAN#{plan_id}")


def plans_of_debtor(workspace_id: str, debtor_id: str) -> str:
    """The gsi3 partition of a debtor's plans, oldest first (`created_at#id`)."""
    return f"WS#{workspace_id}#PLANS#{debtor_id}"


def plans_due(shard: int) -> str:
    """The gsi5 partition of the plans of every workspace the scheduler may have to look at, one of REMINDER_SHARDS
    (shard = `reminder_shard(debtor_id)`)."""
    return f"PLANS-DUE#{shard:02d}"
