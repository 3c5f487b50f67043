"""What Brevo tells us of the reminders it carried: delivered, bounced, blocked, marked as spam, unsubscribed.

Brevo does not sign its webhooks, so the URL configured at Brevo carries a secret (`?token=`), compared
in constant time with those in Secrets Manager (BREVO_WEBHOOK_SECRET_NAME; several, one per line or
comma-separated, while it is rotated). Brevo posts one event per request (or, for a "batched" webhook, a
list of them) and delivers an event again when it got no 2xx, so every event is applied once:
- it is recorded on its communication, found through the reference the sender set as the email's
  `X-Mailin-custom` header, which Brevo echoes in each event (the key of the email's record, so no lookup
  item by message id is kept), as `events.<event>` = when it first happened (a second open, a redelivery,
  changes nothing); an event without our reference, or naming another message id than the record's, is
  ignored (`unknown_message`);
- an event names a message and an address: unless that address is the one the message was sent to, the
  event is about someone else and changes nothing (`not_the_recipient`): nobody can stop another person's
  reminders, in this workspace or another, by pairing a message id with their address;
- an event saying the address cannot or must not be written to (a hard bounce, an invalid address, a
  spam complaint, an unsubscribe through Brevo) suppresses that address in the communication's
  workspace: each debtor there with that address is marked and each of their open debts gets a
  timeline entry. The record on the communication is written last, so an event half applied when a
  failure struck is finished when Brevo delivers it again.
- a hard bounce, an invalid address or a block opens an inbox item about the debtor (`inbox.items`), once per
  email, so that a person corrects the address;
- "blocked" is otherwise only recorded: Brevo blocks for reasons of its own account-wide lists or of the sender,
  which say nothing certain of this debtor's address for this business (the hard bounce, complaint or
  unsubscribe that put an address on Brevo's list came as an event of its own).

No address or bounce text is logged or stored: a bounce reason often quotes the address.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from collectra import config, store
from collectra.clock import iso
from collectra.debts.timeline import SYSTEM
from collectra.email.brevo import recipient_digest
from collectra.errors import Conflict, Unauthenticated
from collectra.inbox import items as inbox
from collectra.reminders import quota
from collectra.reminders.opt_out import suppress
from collectra.reminders.records import Communication, read_reference
from collectra.secrets import secret
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed

# Brevo's transactional email events, as its webhook names them; anything else is acknowledged and ignored.
RECORDED = frozenset(
    {
        "request",  # accepted for sending
        "delivered",
        "deferred",
        "soft_bounce",
        "hard_bounce",
        "blocked",
        "invalid_email",
        "error",
        "spam",  # the recipient complained
        "unsubscribed",
        "opened",
        "unique_opened",
        "proxy_open",
        "unique_proxy_open",
        "click",
    }
)
# The events that suppress the address, and the reason the debtor is marked with.
SUPPRESSING = {
    "hard_bounce": "hard_bounce",
    "invalid_email": "invalid_email",
    "spam": "complaint",
    "unsubscribed": "unsubscribed",
}
# The events saying the address cannot be written to: a person must correct it (the inbox; a blocked address too,
# though it stays unsuppressed: someone should look at why Brevo refuses it).
UNDELIVERABLE = frozenset({"hard_bounce", "invalid_email", "blocked"})
# What slows a workspace's daily quota down (collectra.reminders.quota): a bounce, or a complaint.
_TROUBLE = {"hard_bounce": quota.BOUNCED, "invalid_email": quota.BOUNCED, "spam": quota.COMPLAINED}
SUPPRESSED_ENTRY = "reminders_suppressed"
_UNSUPPRESSED_WITH_ADDRESS = (
    "email = :email AND (attribute_not_exists(email_suppressed) OR attribute_type(email_suppressed, :null))"
)
REFERENCE_FIELD = "X-Mailin-custom"  # the field of Brevo's events that echoes the header of that name
MAX_EVENTS = 1000  # a batched webhook carries at most a few hundred
_MAX_MESSAGE_ID = 512
_MAX_EMAIL = 254
# Timestamps outside these years are not Brevo's: the event keeps the time it was received instead.
_EARLIEST, _LATEST = datetime(2000, 1, 1, tzinfo=UTC).timestamp(), datetime(2100, 1, 1, tzinfo=UTC).timestamp()


class BadWebhookToken(Unauthenticated):
    code = "bad_webhook_token"


class UnreadableEvent(ValueError):
    """The body is not one of Brevo's transactional events (or a list of them)."""


@dataclass(frozen=True)
class DeliveryEvent:
    kind: str  # Brevo's `event`
    message_id: str
    email: str | None  # the recipient, lower-cased; personal data: never logged
    at: datetime
    reference: str | None = None  # its `X-Mailin-custom`: which email's record (`records.communication_reference`)


def check_token(given: str | None) -> None:
    """Raise BadWebhookToken unless `given` is one of the configured webhook secrets (constant time)."""
    name = config.brevo_webhook_secret_name()
    candidate = (given or "").encode()
    accepted = [part for part in secret(name).replace(",", " ").split() if part]
    matched = False
    for expected in accepted:  # every secret is compared, so the time taken says nothing of which one matched
        matched |= hmac.compare_digest(expected.encode(), candidate)
    if not matched or not given:
        raise BadWebhookToken("The webhook token is missing or wrong.")


def read_events(payload: bytes, *, received: datetime) -> list[DeliveryEvent]:
    """The events in a webhook body: one object, or a list of them for a batched webhook."""
    try:
        body = json.loads(payload)
    except ValueError as error:
        raise UnreadableEvent("the body is not JSON") from error
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_EVENTS or not all(isinstance(item, dict) for item in items):
        raise UnreadableEvent("the body is not an event or a list of events")
    return [_event(item, received) for item in items]


def _event(item: dict[str, Any], received: datetime) -> DeliveryEvent:
    kind, message_id, email = item.get("event"), item.get("message-id"), item.get("email")
    if not isinstance(kind, str) or not isinstance(message_id, str) or not 0 < len(message_id) <= _MAX_MESSAGE_ID:
        raise UnreadableEvent("an event without an event name or a message id")
    address = email.strip().lower() if isinstance(email, str) and 0 < len(email.strip()) <= _MAX_EMAIL else None
    reference = item.get(REFERENCE_FIELD)
    return DeliveryEvent(
        kind=kind,
        message_id=message_id,
        email=address,
        at=_moment(item, received),
        reference=reference if isinstance(reference, str) else None,
    )


def _moment(item: dict[str, Any], received: datetime) -> datetime:
    """When it happened: `ts_event` (seconds, UTC), else `ts_epoch` (milliseconds), else `ts`."""
    for field, scale in (("ts_event", 1), ("ts_epoch", 1000), ("ts", 1)):
        value = item.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and _EARLIEST <= value / scale < _LATEST:
            return datetime.fromtimestamp(value / scale, UTC)
    return received


def handle(event: DeliveryEvent, *, now: datetime) -> str:
    """Apply one event; what happened, as a stable word for the logs, the metrics and Brevo's log:
    recorded, suppressed, duplicate, unknown_message, not_the_recipient or ignored."""
    if event.kind not in RECORDED:
        return "ignored"
    named = read_reference(event.reference) if event.reference else None
    if named is None:
        return "unknown_message"  # not a reminder of ours (an account's email, say)
    workspace_id, record = named
    found_communication, workspace = store.batch_get([record, keys.workspace(workspace_id)], consistent=True)
    communication = cast(Communication | None, found_communication)
    if communication is None or "id" not in communication or is_closed(workspace):
        return "unknown_message"  # a workspace being deleted records nothing more
    if communication.get("message_id") not in (None, event.message_id):
        return "unknown_message"  # the reference and the message id name two different emails
    communication_id = communication["id"]
    if event.kind in (communication.get("events") or {}):
        return "duplicate"
    if event.email and not _names_the_recipient(communication, event.email):
        return "not_the_recipient"  # an event about someone else than the message's recipient changes nothing
    reason = SUPPRESSING.get(event.kind)
    suppressed = 0
    if reason and event.email:
        suppressed = suppress_address(workspace_id, event.email, reason, communication_id=communication_id, now=now)
    if event.kind in UNDELIVERABLE:
        inbox.open_item(
            workspace_id,
            kind="undeliverable_address",
            source=communication_id,  # one item for an email, whichever of these events Brevo sends about it
            debtor_id=communication["debtor_id"],
            now=now,
            detail={"event": event.kind},
        )
    if not _record(record, event):
        return "duplicate"  # a concurrent delivery of the same event recorded it first
    trouble = _TROUBLE.get(event.kind)
    if trouble and communication.get("created_at"):  # once per event and email: it was just recorded
        quota.count_trouble(workspace_id, str(communication["created_at"]), trouble)
    return "suppressed" if suppressed else "recorded"


def _names_the_recipient(communication: Communication, email: str) -> bool:
    """Whether `email` is the address the communication was sent to (its record keeps a digest of that address:
    every record has one since records are claims, `reminders.records.Communication`)."""
    return hmac.compare_digest(communication["recipient_digest"], recipient_digest(email))


def suppress_address(workspace_id: str, email: str, reason: str, *, communication_id: str, now: datetime) -> int:
    """Mark every debtor of the workspace with this address `reason`; how many were not marked already.

    A debtor whose address was corrected since the email went out no longer matches and is left alone;
    a debtor already suppressed (opted out, say) keeps the reason they have.
    """
    marked = 0
    for debtor in _debtors_with(workspace_id, email):
        if debtor.get("email_suppressed") or debtor.get("erased"):
            continue
        if suppress(
            workspace_id,
            debtor["id"],
            reason,
            condition=_UNSUPPRESSED_WITH_ADDRESS,
            values={":email": email, ":null": "NULL"},
            stamp="email_suppressed_at",
            entry=SUPPRESSED_ENTRY,
            actor=SYSTEM,
            data={"reason": reason, "source": "brevo", "communication_id": communication_id},
            now=now,
        ):
            marked += 1
    return marked


def _debtors_with(workspace_id: str, email: str) -> list[dict[str, Any]]:
    found = store.query_all(
        "gsi2pk = :p AND begins_with(gsi2sk, :prefix)",
        {":p": keys.debtors_by_email(workspace_id), ":prefix": f"{email}#"},
        index="gsi2",
    )
    return [debtor for debtor in found if debtor.get("email") == email]


def _record(record: dict[str, str], event: DeliveryEvent) -> bool:
    """`events.<event>` = when it happened, unless it is there already (then False, and nothing changes)."""
    try:
        store.update(
            record,
            "SET events.#kind = :at",
            values={":at": iso(event.at)},
            names={"#kind": event.kind},
            condition="attribute_exists(pk) AND attribute_not_exists(events.#kind)",
        )
    except Conflict:
        return False
    return True
