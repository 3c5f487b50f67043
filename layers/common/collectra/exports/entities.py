"""What each stored item is in an export: its entity (a list in export.json, a CSV file), cleaned of what
is storage or secret.

The export holds what Collectra knows about people and the business, not how it is stored: the table's
keys and index attributes go, and so does every secret or the means to rebuild one (password hashes,
refresh-token and emailed-token hashes, the nonce and hash behind a debtor's page link, live Stripe
Checkout links). Items that only index others (the claim on an invoice number or a customer reference)
are not repeated: the debt and the debtor they point to carry the same value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collectra.debtors.records import kind_of

# The order of export.json's lists and of the CSV files.
ENTITIES = (
    "user",
    "sessions",
    "memberships",
    "exports",
    "workspace",
    "members",
    "invitations",
    "debtors",
    "consents_and_opt_outs",
    "debts",
    "ledger",
    "timeline",
    "messages",
    "reminder_claims",
    "reminder_runs",
    "payment_attempts",
    "payment_plans",
    "communications",
    "inbox",
    "member_notices",
    "erasures",
    "other",
)

SECRET_FIELDS = frozenset(
    {
        "password_hash",
        "token_hash",
        "token_key",  # an invitation's pointer to its emailed token, whose key is the token's hash
        "link_hash",
        "link_nonce",
        "checkouts",  # the debtor's open Checkout Sessions: their live payment links
        "session_url",  # a payment attempt's Checkout link
    }
)
_KEY_FIELDS = frozenset({"pk", "sk"})
# Main-partition items that repeat what another item holds: the invoice number's debt, the reference's debtor.
INDEX_ONLY_PREFIXES = ("INVOICE#", "EXTREF#")
# The figures (`debts.aggregates`): sums worked out from the debts and the ledger the export holds, not records.
DERIVED_PREFIXES = ("AGG#",)
# Bookkeeping of the export itself: which export is under way.
_INTERNAL_SKS = frozenset({"EXPORTING"})

_USER_KINDS = {
    "PROFILE": "user",
    "SESSION#": "sessions",
    "WORKSPACE#": "memberships",
    "EXPORT#": "exports",
    "ERASURE#": "erasures",
}
_MAIN_KINDS = {
    "WORKSPACE": "workspace",
    "MEMBER#": "members",
    "INVITE#": "invitations",
    "DEBTOR#": "debtors",
    "DEBT#": "debts",
    "REMINDER-RUN": "reminder_runs",
    "ERASURE#": "erasures",
    "INBOX#": "inbox",
    "NOTICE#": "member_notices",  # which digests and dispute alerts a member was sent (`digest.notices`)
    "PLAN#": "payment_plans",  # a debtor's instalment plans, proposed, offered, running or ended (`plans.records`)
}
_HISTORY_KINDS = {"T#": "timeline", "L#": "ledger", "CLAIM#": "reminder_claims"}
# A reminder claim's own fields; the claim of an email's lead debt also holds the email (`reminders.records`).
_CLAIM_FIELDS = ("debt_id", "step", "status", "claimed_at", "expires_at")
_CLAIM_ONLY = frozenset({"debt_id", "step", "claimed_at", "expires_at"})
# Why a debtor gets no reminder that is a person's choice or a fact about their address.
_SUPPRESSION_SINCE = ("opted_out_at", "email_suppressed_at")


def clean(item: Mapping[str, Any]) -> dict[str, Any]:
    """The item without its storage keys, index attributes and secrets."""
    return {
        name: value
        for name, value in item.items()
        if name not in _KEY_FIELDS and name not in SECRET_FIELDS and not name.startswith("gsi")
    }


def _kind(sk: str, kinds: Mapping[str, str]) -> str | None:
    for prefix, entity in kinds.items():
        if sk == prefix or (prefix.endswith("#") and sk.startswith(prefix)):
            return entity
    return None


def records_of(item: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The export's records for one stored item: (entity, record) pairs; none for index-only items.

    A record of a debt's history names its debt (the table says it only through the partition key); a debtor
    states its kind, business or consumer, even when recorded before debtors had one; a debtor's message from
    their page is also listed among the messages; a debtor who may not be emailed is also listed among the
    consents and opt-outs.
    """
    pk, sk = str(item.get("pk", "")), str(item.get("sk", ""))
    if sk in _INTERNAL_SKS or sk.startswith(INDEX_ONLY_PREFIXES + DERIVED_PREFIXES):
        return []
    record = clean(item)
    if pk.startswith("USER#"):
        return [(_kind(sk, _USER_KINDS) or "other", record)]
    if "#DEBT#" in pk:
        entity = _kind(sk, _HISTORY_KINDS) or "other"
        record = {"debt_id": pk.rsplit("#DEBT#", 1)[1], **record}
        if entity == "reminder_claims":
            record["step"] = int(sk.split("#", 1)[1])
            if "id" in record:  # the claim of an email's lead debt is that email's record: both are listed
                claim = {name: record[name] for name in _CLAIM_FIELDS if name in record}
                email = {name: value for name, value in record.items() if name not in _CLAIM_ONLY}
                return [(entity, claim), ("communications", email)]
        found = [(entity, record)]
        if entity == "timeline" and record.get("type") == "debtor_message":
            found.append(("messages", _message(record)))
        return found
    if "#PAYMENT#" in pk:
        return [("payment_attempts", record)]
    if pk.startswith("WS#"):
        entity = _kind(sk, _MAIN_KINDS) or "other"
        if entity == "reminder_runs":
            record = {"workspace_id": pk.split("#", 1)[1], **record}
        if entity == "debtors":  # one recorded before debtors had a kind is a business: the export says so
            record["kind"] = kind_of(record)
        found = [(entity, record)]
        if entity == "debtors" and record.get("email_suppressed"):
            found.append(("consents_and_opt_outs", _suppression(record)))
        return found
    return [("other", record)]


def _message(entry: Mapping[str, Any]) -> dict[str, Any]:
    data = entry.get("data") or {}
    return {
        "id": entry["id"],
        "debt_id": entry["debt_id"],
        "at": entry.get("at"),
        "from": entry.get("actor"),
        "kind": data.get("kind"),
        "message": data.get("message"),
        "promise_date": data.get("promise_date"),
    }


def _suppression(debtor: Mapping[str, Any]) -> dict[str, Any]:
    since = next((debtor[name] for name in _SUPPRESSION_SINCE if debtor.get(name)), None)
    return {
        "debtor_id": debtor["id"],
        "email": debtor.get("email"),
        "reminders_by_email": "stopped",
        "reason": debtor["email_suppressed"],
        "since": since,
    }
