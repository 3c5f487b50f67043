"""What erasing does to each kind of item: delete it, keep it, or keep an anonymised copy of it.

Pure functions of one item (no reads, no writes, no clock), so the rules can be read in one place and
tested without a table; `collectra.privacy.worker` finds the items and writes the decisions. Three scopes:

- a **workspace** is deleted: what accounting law requires stays, anonymised, until `expires_at` (the
  table's TTL) removes it: debts (invoice number, amounts, currency, dates, status), ledger entries
  (amount, method, dates, the Stripe payment's id) and payment attempts (amounts, Stripe ids, dates,
  outcome). Anything else goes: debtors, messages, communications, memberships, invitations, claims,
  timelines. Kept records also lose their index attributes (`gsi*pk`/`gsi*sk`), so they leave every list,
  and the debtor they pointed to: nothing left names or points at a person.
- a **member**'s account is deleted but the workspace goes on: entries that name them as their actor keep
  an anonymous one.
- a **debtor** is erased by the business: the accounting stays, what identifies the person goes: their
  record's personal fields, what they wrote on their page, the old and new values of their corrections,
  their communications' addresses, subjects and bodies, their suppression, and the claim on the business's
  reference for them.

Fields are kept by allowlist: a field added to an item later is erased until someone decides it may stay.
Each rule is idempotent: applied to its own output, it keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

ERASED = "[erased]"
ERASED_NAME = "Erased debtor"
ERASED_USER = {"kind": "user", "id": "erased"}
ERASED_DEBTOR = {"kind": "debtor", "id": "erased"}
# Entries whose data holds what a debtor wrote, or their personal details before and after a correction.
DEBTOR_MESSAGE = "debtor_message"
BUSINESS_ANSWER = "business_answer"  # what the business answered the debtor (`reminders.answers`)
DEBTOR_CORRECTED = "debtor_corrected"


class Kind(StrEnum):
    WORKSPACE = "workspace"
    MEMBERSHIP = "membership"
    INVITATION = "invitation"
    DEBTOR = "debtor"
    DEBT = "debt"
    INVOICE_CLAIM = "invoice_claim"
    REFERENCE_CLAIM = "reference_claim"
    REMINDER_RUN = "reminder_run"
    TIMELINE_ENTRY = "timeline_entry"
    LEDGER_ENTRY = "ledger_entry"
    REMINDER_CLAIM = "reminder_claim"
    PAYMENT_ATTEMPT = "payment_attempt"
    COMMUNICATION = "communication"
    ERASURE_JOB = "erasure_job"
    INBOX_ITEM = "inbox_item"
    MEMBER_NOTICE = "member_notice"  # a digest or dispute alert claimed for a member (`keys.member_notice`)
    ANALYTICS = "analytics"  # the figures' deltas and closing states: sums by date and currency, nobody's data
    PLAN = "plan"  # a debtor's payment plan (`plans.records`): deleted with the workspace, and with the debtor
    OTHER = "other"


_BY_SK_PREFIX = (
    ("MEMBER#", Kind.MEMBERSHIP),
    ("INVITE#", Kind.INVITATION),
    ("DEBTOR#", Kind.DEBTOR),
    ("DEBT#", Kind.DEBT),
    ("INVOICE#", Kind.INVOICE_CLAIM),
    ("EXTREF#", Kind.REFERENCE_CLAIM),
    ("T#", Kind.TIMELINE_ENTRY),
    ("L#", Kind.LEDGER_ENTRY),
    ("CLAIM#", Kind.REMINDER_CLAIM),
    ("ERASURE#", Kind.ERASURE_JOB),
    ("INBOX#", Kind.INBOX_ITEM),
    ("NOTICE#", Kind.MEMBER_NOTICE),
    ("AGG#", Kind.ANALYTICS),
    ("PLAN#", Kind.PLAN),
)
_BY_SK = {
    "WORKSPACE": Kind.WORKSPACE,
    "REMINDER-RUN": Kind.REMINDER_RUN,
    "PAYMENT": Kind.PAYMENT_ATTEMPT,
}


def kind_of(item: Mapping[str, Any]) -> Kind:
    """What an item of a workspace is, from its sort key (`collectra.store.keys`); a reminder claim that became an
    email's record (it has the email's `id`) is a communication."""
    sk = str(item.get("sk", ""))
    if sk in _BY_SK:
        return _BY_SK[sk]
    for prefix, kind in _BY_SK_PREFIX:
        if sk.startswith(prefix):
            return Kind.COMMUNICATION if kind is Kind.REMINDER_CLAIM and "id" in item else kind
    return Kind.OTHER


@dataclass(frozen=True)
class Decision:
    """What to do with one item: keep it as it is, delete it, or write `item` in its place."""

    action: Literal["keep", "delete", "replace"]
    item: dict[str, Any] | None = None


KEEP = Decision("keep")
DELETE = Decision("delete")


def _replace_unless_same(before: Mapping[str, Any], after: dict[str, Any]) -> Decision:
    return KEEP if dict(before) == after else Decision("replace", after)


# ---------------------------------------------------------------- a workspace deleted


@dataclass(frozen=True)
class Retention:
    """When the workspace's deletion was asked for, and until when its accounting records are kept (epoch s)."""

    erased_at: str
    expires_at: int


_KEY = ("pk", "sk")
DEBT_KEPT = (
    *_KEY,
    "id",
    "workspace_id",
    "invoice_number",
    "amount",
    "currency",
    "issued_on",
    "due_on",
    "amount_paid",
    "interest_paid",  # late-payment charges paid: accounting facts, as principal is
    "compensation_paid",
    "status",
    "last_paid_at",
    "created_at",
    "updated_at",
)
# `charge`: a line of interest or compensation stays apart from principal (`debts.service.ledger_sum`).
LEDGER_KEPT = (
    *_KEY,
    "id",
    "kind",
    "charge",
    "amount",
    "currency",
    "method",
    "received_on",
    "recorded_at",
    "attempt_id",
)
PAYMENT_KEPT = (
    *_KEY,
    "id",
    "workspace_id",
    "amount",
    "currency",
    "status",
    "paid",
    "refunded",
    "lost",
    "booked",
    "payment_intent_id",
    "session_id",
    "dispute_status",
    "designation",  # the invoice amount only, or the late-payment charges too
    "quoted_on",
    "created_at",
    "updated_at",
    "settled_at",
)
SHARE_KEPT = ("debt_id", "invoice_number", "planned", "lines")  # lines: what it paid of principal and charges
# The one job item of the workspace's own deletion, kept until its very end (then it records that it was done).
WORKSPACE_JOB_SK = "ERASURE#WORKSPACE"


def _kept(item: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: item[name] for name in fields if name in item}


def _anonymised(item: Mapping[str, Any], fields: tuple[str, ...], retention: Retention) -> dict[str, Any]:
    kept = _kept(item, fields)
    kept |= {"anonymised_at": retention.erased_at, "expires_at": retention.expires_at}
    if "version" in item:
        # A writer that read the item before (a late webhook, a planner run) must not write its copy back.
        kept["version"] = int(item["version"]) + 1
    return kept


def anonymous_actor(actor: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A person acting (a member, a debtor) becomes anonymous; Collectra or Stripe stay what they were."""
    if not actor:
        return None
    if actor.get("kind") == "user":
        return dict(ERASED_USER)
    if actor.get("kind") == "debtor":
        return dict(ERASED_DEBTOR)
    return dict(actor)


def in_workspace_deletion(item: Mapping[str, Any], retention: Retention) -> Decision:
    """The rule for each item a deleted workspace owns. The workspace item itself and its deletion's job are
    kept while the deletion runs: `tombstone` replaces the workspace at the very end."""
    if item.get("anonymised_at"):
        return KEEP
    kind = kind_of(item)
    if kind is Kind.WORKSPACE or (kind is Kind.ERASURE_JOB and item.get("sk") == WORKSPACE_JOB_SK):
        return KEEP
    if kind is Kind.DEBT:
        return Decision("replace", _anonymised(item, DEBT_KEPT, retention))
    if kind is Kind.LEDGER_ENTRY:
        entry = _anonymised(item, LEDGER_KEPT, retention)
        if item.get("method") == "card" and item.get("reference"):
            entry["reference"] = item["reference"]  # Stripe's PaymentIntent id; a typed reference is free text
        if item.get("recorded_by"):
            entry["recorded_by"] = anonymous_actor(item["recorded_by"])
        return Decision("replace", entry)
    if kind is Kind.PAYMENT_ATTEMPT:
        attempt = _anonymised(item, PAYMENT_KEPT, retention)
        attempt["shares"] = [_kept(share, SHARE_KEPT) for share in item.get("shares") or []]
        return Decision("replace", attempt)
    return DELETE


def tombstone(workspace: Mapping[str, Any], retention: Retention, *, deleted_at: str) -> dict[str, Any]:
    """What is left of the workspace item: that it existed and was deleted, for as long as its accounting
    records are kept (a late Stripe event finds it, and knows to keep only the money's facts)."""
    from collectra.workspaces.lifecycle import DELETED

    return {
        # The connected account stays named, so a late Stripe event is still checked against it.
        **_kept(workspace, (*_KEY, "id", "created_at", "stripe_account_id")),
        "status": DELETED,
        "deletion_requested_at": retention.erased_at,
        "deleted_at": deleted_at,
        "retain_until": retention.expires_at,
        "anonymised_at": retention.erased_at,
        "expires_at": retention.expires_at,
    }


# ---------------------------------------------------------------- a member gone


def in_member_erasure(item: Mapping[str, Any], user_id: str) -> Decision:
    """The rule for each item of a workspace a deleted user belonged to: their name leaves what they did."""
    kind = kind_of(item)
    if kind in (Kind.MEMBERSHIP, Kind.MEMBER_NOTICE):
        # The membership holds the member's notification choices; the notices, which emails they were sent.
        return DELETE if item.get("user_id") == user_id else KEEP
    mine = {"kind": "user", "id": user_id}
    if kind is Kind.TIMELINE_ENTRY and _is(item.get("actor"), mine):
        return Decision("replace", {**item, "actor": dict(ERASED_USER)})
    if kind is Kind.LEDGER_ENTRY and _is(item.get("recorded_by"), mine):
        return Decision("replace", {**item, "recorded_by": dict(ERASED_USER)})
    if kind is Kind.INVITATION and item.get("invited_by") == user_id:
        return Decision("replace", {**item, "invited_by": ERASED_USER["id"]})
    if kind is Kind.INBOX_ITEM and item.get("assignee_id") == user_id:
        return Decision("replace", _unassigned(item))
    if kind is Kind.DEBT and any(w.get("by") == user_id for w in (item.get("charges_waived") or {}).values()):
        return Decision("replace", _waived_by_no_one(item, user_id))
    return KEEP


def _waived_by_no_one(debt: Mapping[str, Any], user_id: str) -> dict[str, Any]:
    """The debt with the departed member's name gone from the charges they waived (`charges_waived`)."""
    waived = {
        charge: {**record, "by": ERASED_USER["id"]} if record.get("by") == user_id else dict(record)
        for charge, record in debt["charges_waived"].items()
    }
    return {**debt, "charges_waived": waived, "version": int(debt.get("version", 0)) + 1}


def _unassigned(item: Mapping[str, Any]) -> dict[str, Any]:
    """An inbox item assigned to no one, out of its assignee's lists (an item without an assignee has no gsi3/gsi4
    entry: `inbox.items.placed`)."""
    kept = {name: value for name, value in item.items() if not name.startswith(("gsi3", "gsi4"))}
    return {**kept, "assignee_id": None, "version": int(item.get("version", 0)) + 1}


def _is(actor: Any, wanted: Mapping[str, str]) -> bool:
    return isinstance(actor, Mapping) and actor.get("kind") == wanted["kind"] and actor.get("id") == wanted["id"]


# ---------------------------------------------------------------- a debtor erased

DEBTOR_KEPT = (
    *_KEY,
    "id",
    "workspace_id",
    "locale",
    "time_zone",
    "kind",  # business or consumer: not about the person, and the law's charges on their debts still follow it
    "open_debts",
    "paid_debts",  # counters its debts' writes still ADD to (a refund after the erasure takes a paid debt back)
    "days_to_pay_total",
    "days_late_total",
    "created_at",
    "checkouts",
)
COMMUNICATION_KEPT = (
    *_KEY,
    "claimed_at",  # the claim it is (`reminders.records.Communication`)
    "expires_at",
    "gsi1pk",
    "gsi1sk",
    "id",
    "kind",
    "debtor_id",
    "debt_ids",
    "steps",
    "tone",
    "template",
    "status",
    "events",
    "failure",
    "message_id",
    "created_at",
    "sent_at",
)


def erased_debtor(debtor: Mapping[str, Any], *, erased_at: str) -> dict[str, Any]:
    """The debtor as an anonymous record its debts still point to (no name, address, link or suppression)."""
    if debtor.get("erased"):
        return dict(debtor)
    return {
        **_kept(debtor, DEBTOR_KEPT),
        "name": ERASED_NAME,
        "erased": True,
        "erased_at": erased_at,
        "updated_at": erased_at,
        "version": int(debtor.get("version", 0)) + 1,
    }


def in_debtor_erasure(item: Mapping[str, Any], debtor_id: str) -> Decision:
    """The rule for the items tied to an erased debtor: their debts' history entries, their communications,
    the claim on their reference, their payment plans (what they agreed to pay when, and the business's notes on
    it: the ledger keeps what was paid). The debtor's own record is `erased_debtor` (written with its checks: its
    open plan, an allowlist's omission, goes with it)."""
    kind = kind_of(item)
    if kind in (Kind.REFERENCE_CLAIM, Kind.PLAN):
        return DELETE if item.get("debtor_id") == debtor_id else KEEP
    if kind is Kind.COMMUNICATION:
        if item.get("debtor_id") != debtor_id:
            return KEEP
        return _replace_unless_same(item, _kept(item, COMMUNICATION_KEPT))
    if kind is Kind.TIMELINE_ENTRY:
        return _replace_unless_same(item, _entry_without_debtor_values(item, debtor_id))
    return KEEP


def _entry_without_debtor_values(entry: Mapping[str, Any], debtor_id: str) -> dict[str, Any]:
    data = dict(entry.get("data") or {})
    if entry.get("type") in (DEBTOR_MESSAGE, BUSINESS_ANSWER) and data.get("message"):
        data["message"] = ERASED
    elif entry.get("type") == DEBTOR_CORRECTED and data.get("debtor_id") in (debtor_id, None):
        changes = data.get("changes") or {}
        data["changes"] = {field: {"from": ERASED, "to": ERASED} for field in changes}
    return {**entry, "data": data}
