"""The sender: one queued message is one email to one debtor about one or more claimed steps.

At most one email per debt per step, whatever happens:
- the planner's claim (one item per debt and step) means no second planner queues the same step;
- the email's record is its lead claim (the first of its debts by id): before Brevo is called, that claim
  becomes the communication (status "sending"), conditionally on still being claimed or queued, so a
  redelivered message or a second sender finds it; its id is made from the claims;
- Brevo is asked with an idempotency key made from that id, so sending again after a crash between
  Brevo's answer and our record (within Brevo's 15 minutes) does not email twice; after that window a
  "sending" record is marked "uncertain" and not sent again: a missed reminder is better than a double;
- the rules are checked again here, so a payment, dispute, pause or opt-out since planning is honoured;
- an email is counted against the workspace's daily quota (`quota`) before its record is written; over the
  quota, or with no verified owner, its steps are given back and planned again later: never lost, never sent.

A workspace's template renders under a budget (`budget`): one that fails or exceeds it fails that message
alone, at once: its steps are marked failed, each debt's timeline says `reminder_failed` with the reason,
the business sees it in the reminders status, and the debt goes on to its next step's day. Nothing is sent
and nothing is retried: the same template would fail again, and hold the batch each time.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from collectra import config, store
from collectra.clock import iso
from collectra.debtors.links import ensure_link
from collectra.debtors.records import Debtor
from collectra.debts import records as debt_records
from collectra.debts import service as debts_service
from collectra.debts.records import Debt
from collectra.debts.timeline import SYSTEM, entry_op
from collectra.email import brevo
from collectra.email.display_name import via_collectra
from collectra.errors import Conflict
from collectra.inbox import items as inbox
from collectra.promises.rule import is_promise_step
from collectra.reminders import promised, quota
from collectra.reminders.budget import TemplateRefused
from collectra.reminders.claims import CLAIMED, QUEUED
from collectra.reminders.compose import compose, opt_out_token
from collectra.reminders.eligibility import reason_not_to_remind
from collectra.reminders.policy import Step, day_opening, next_step_day, opening, policy_of, rate_allows
from collectra.reminders.records import Communication, communication_index, communication_reference
from collectra.store import keys
from collectra.workspaces import sending_rights
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.records import Workspace

BREVO_IDEMPOTENCY = timedelta(minutes=15)
RETRIES = 3
BACKOFF_SECONDS = 0.5
WAIT_AT_MOST_SECONDS = 5  # a 429 asking for longer gives the message back to the queue instead
_NAMESPACE = uuid.UUID("6f1c2e0a-5b1d-4f7e-9c39-5d8e1f2a7b10")


class RetryLater(Exception):
    """The message should come back later (Brevo unavailable, or rate-limited); nothing was recorded as sent."""


@dataclass(frozen=True, order=True)
class Claim:
    debt_id: str
    step: int


Key = dict[str, str]


def communication_id(workspace_id: str, debtor_id: str, claims: list[Claim]) -> str:
    described = ",".join(f"{claim.debt_id}:{claim.step}" for claim in sorted(claims, key=lambda c: c.debt_id))
    return "com_" + hashlib.sha256(f"{workspace_id}|{debtor_id}|{described}".encode()).hexdigest()[:26]


def send(message: dict[str, Any], *, now: datetime) -> str:
    """Send the email a queued message asks for; returns what happened (for logs and metrics)."""
    workspace_id, debtor_id = message["workspace_id"], message["debtor_id"]
    claims = [Claim(str(c["debt_id"]), int(c["step"])) for c in message["claims"]]
    comm_id = communication_id(workspace_id, debtor_id, claims)
    found_workspace, found_debtor, *rest = store.batch_get(
        [
            keys.workspace(workspace_id),
            keys.debtor(workspace_id, debtor_id),
            *[keys.debt(workspace_id, claim.debt_id) for claim in claims],
            *[keys.reminder_claim(workspace_id, claim.debt_id, claim.step) for claim in claims],
        ],
        consistent=True,
    )
    workspace, debtor = cast(Workspace | None, found_workspace), cast(Debtor | None, found_debtor)
    if workspace is None or debtor is None or is_closed(workspace):
        # A workspace being deleted: nothing is written, its erasure removes the claims with everything else.
        return "no_debtor" if workspace is None or debtor is None else "workspace_deleted"
    found_debts, found_claims = cast(list[Debt | None], rest[: len(claims)]), rest[len(claims) :]
    # Which claim became this email's record, if one did (a redelivered message, or a second sender).
    comm = next((cast(Communication, r) for r in found_claims if r is not None and r.get("id") == comm_id), None)
    if comm is not None and comm["status"] != "sending":
        return "duplicate"
    live = [
        (claim, debt)
        for claim, debt, record in zip(claims, found_debts, found_claims, strict=True)
        if debt is not None and record is not None and record.get("status") in (CLAIMED, QUEUED, "sending")
    ]
    if comm is None and not live:
        return "duplicate"
    zone = debtor.get("time_zone") or workspace.get("time_zone") or "UTC"
    today = now.astimezone(ZoneInfo(zone)).date()
    if comm is None:
        ready = [(claim, debt) for claim, debt in live if not reason_not_to_remind(debt, debtor, today)]
        if not ready:
            _close_claims(workspace_id, [claim for claim, _ in live], "skipped")
            return "skipped"
        held = _held_back(workspace, debtor, ready, now=now)
        if held is not None:
            return held
        lead = min(claim for claim, _ in ready)
        record = keys.reminder_claim(workspace_id, lead.debt_id, lead.step)
    else:
        ready = [(claim, debt) for claim, debt in live if claim.debt_id in comm["debt_ids"]]
        record = {"pk": comm["pk"], "sk": comm["sk"]}
    listed = communication_index(workspace_id, comm["created_at"] if comm else iso(now), comm_id)
    if comm is not None and now - datetime.fromisoformat(comm["created_at"]) > BREVO_IDEMPOTENCY:
        # Sent or not, Brevo would no longer recognise it: record it as sent rather than risk a double.
        _record_sent(
            workspace, debtor, record, listed, ready, comm_id=comm_id, message_id=None, now=now, status="uncertain"
        )
        return "uncertain"
    # The email speaks of a broken promise if it carries one; else in the tone of the furthest step it carries, by
    # that debt's own steps if it has them.
    furthest, furthest_debt = max(ready, key=lambda pair: (is_promise_step(pair[0].step), pair[0].step))
    step = promised.step_of(policy_of(workspace, furthest_debt), furthest.step)
    token = ensure_link(workspace_id, debtor)
    try:
        email = compose(
            workspace,
            debtor,
            [debt for _, debt in ready],
            step.template,
            page_token=token,
            today=debts_service.today_in(workspace, now),
            more=promised.values if step is promised.STEP else None,
            about=furthest_debt,
        )
    except TemplateRefused as refused:
        _record_failed(
            workspace,
            debtor,
            (record, listed) if comm else None,
            ready,
            comm_id=comm_id,
            reason=refused.reason,
            now=now,
        )
        return "template_failed"
    if comm is None:
        _start_communication(workspace_id, debtor, record, comm_id, ready, step=step, now=now)
    opt_out = f"{config.public_base_url()}/u/{opt_out_token(workspace_id, debtor_id)}"
    outgoing = brevo.Message(
        to_email=_address(debtor),
        to_name=debtor["name"],
        subject=email.subject,
        html=email.html,
        text=email.text,
        sender_email=config.email_sender_address(),
        sender_name=via_collectra(workspace.get("sender_name") or workspace.get("legal_name") or workspace["name"]),
        reply_to=workspace.get("reply_to"),
        bcc=(workspace.get("reminder_policy") or {}).get("bcc"),
        headers={
            "idempotencyKey": str(uuid.uuid5(_NAMESPACE, comm_id)),
            "List-Unsubscribe": f"<{opt_out}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Brevo's webhook echoes it with every event about this email: the key of its record.
            brevo.REFERENCE_HEADER: communication_reference(workspace_id, *_claim_of(record)),
        },
        tags=("reminder", step.tone),
    )
    try:
        message_id = _send_with_retries(outgoing)
    except brevo.EmailRejected as rejected:
        if rejected.status not in (400, 404):
            raise  # our key or our account: nothing a debtor's address explains; the queue keeps the message
        _reject_address(workspace_id, debtor, (record, listed), ready, rejected.code, comm_id=comm_id, now=now)
        return "invalid_address"
    _record_sent(
        workspace, debtor, record, listed, ready, comm_id=comm_id, message_id=message_id, now=now, status="sent"
    )
    return "sent"


def _claim_of(record: Key) -> tuple[str, int]:
    """The debt and step of the claim whose key is `record` (`keys.reminder_claim`)."""
    return record["pk"].rsplit("#DEBT#", 1)[1], int(record["sk"].removeprefix("CLAIM#"))


def _held_back(workspace: Workspace, debtor: Debtor, ready: list[tuple[Claim, Debt]], *, now: datetime) -> str | None:
    """Why these steps must wait (they are given back, to be planned again later), or None to send them now."""
    policy = policy_of(workspace)
    limit_until = rate_allows(policy, debtor.get("recent_reminders") or [], now)
    if limit_until is not None:  # more emails reached them since planning: give the steps back
        zone = debtor.get("time_zone") or workspace.get("time_zone") or "UTC"
        _release(workspace["id"], ready, opening(policy, zone, limit_until))
        return "deferred"
    if not sending_rights.has_verified_owner(workspace, now=now):  # planned before, or by a verified admin
        _release(workspace["id"], ready, now + sending_rights.LOOK_AGAIN)
        return sending_rights.OWNER_NOT_VERIFIED
    if not quota.take(workspace, now):  # today's quota is used up: tomorrow's opening, with tomorrow's quota
        zone = debtor.get("time_zone") or workspace.get("time_zone") or "UTC"
        _release(workspace["id"], ready, opening(policy, zone, quota.next_day(now)))
        return "daily_quota"
    return None


def _start_communication(
    workspace_id: str,
    debtor: Debtor,
    record: Key,
    comm_id: str,
    ready: list[tuple[Claim, Debt]],
    *,
    step: Step,
    now: datetime,
) -> None:
    """The lead claim becomes the email's record before Brevo is called, once: a second sender finds it and waits."""
    fields = {
        # Listed in its workspace only once it has an outcome (`_outcome_op`): its index entry is written once.
        "id": comm_id,
        "kind": "reminder",
        "debtor_id": debtor["id"],
        # Brevo's events about this email may affect its recipient only (collectra.reminders.feedback).
        "recipient_digest": brevo.recipient_digest(_address(debtor)),
        "debt_ids": [claim.debt_id for claim, _ in ready],
        "steps": {claim.debt_id: claim.step for claim, _ in ready},
        "tone": step.tone,
        "template": step.template,
        "status": "sending",
        "events": {},
        "created_at": iso(now),
    }
    names = {f"#{name}": name for name in fields}
    try:
        store.update(
            record,
            # The record of what was emailed to whom is kept as long as its workspace, not a claim's 400 days.
            "SET " + ", ".join(f"#{name} = :{name}" for name in fields) + " REMOVE expires_at",
            values={**{f":{name}": value for name, value in fields.items()}, ":claimed": CLAIMED, ":queued": QUEUED},
            condition="#status IN (:claimed, :queued)",
            names=names,
        )
    except Conflict as error:
        raise RetryLater("another sender is sending this email") from error


def _address(debtor: Debtor) -> str:
    """The debtor's address; a debtor without one is never sent anything (`reason_not_to_remind`)."""
    return cast(str, debtor["email"])


def _send_with_retries(message: brevo.Message) -> str:
    for attempt in range(RETRIES):
        try:
            return brevo.send(message)
        except brevo.EmailUnavailable as unavailable:
            wait = unavailable.retry_after
            if wait is not None and wait > WAIT_AT_MOST_SECONDS:
                raise RetryLater(f"Brevo asks us to wait {wait} s") from unavailable
            if attempt == RETRIES - 1:
                raise RetryLater("Brevo is unavailable") from unavailable
            time.sleep(wait if wait is not None else BACKOFF_SECONDS * 2**attempt)
    raise RetryLater("Brevo is unavailable")  # not reached: the loop returns or raises


def _record_sent(
    workspace: Workspace,
    debtor: Debtor,
    record: Key,
    listed: Key,
    ready: list[tuple[Claim, Debt]],
    *,
    comm_id: str,
    message_id: str | None,
    now: datetime,
    status: str,
) -> None:
    """The communication (its lead claim), its other claims, each debt's next step and timeline, and the debtor's
    weekly count: one transaction."""
    workspace_id = workspace["id"]
    zone = debtor.get("time_zone") or workspace.get("time_zone") or "UTC"
    week_ago = now - timedelta(days=7)
    recent = [s for s in debtor.get("recent_reminders") or [] if datetime.fromisoformat(s) > week_ago] + [iso(now)]
    current = {claim.debt_id: debt for claim, debt in ready}
    for _ in range(4):
        operations = [
            _outcome_op(
                record,
                listed,
                "SET #status = :status, message_id = :message, sent_at = :now",
                {":status": status, ":message": message_id, ":now": iso(now)},
            ),
            store.update_op(
                keys.debtor(workspace_id, debtor["id"]),
                "SET recent_reminders = :recent",
                {":recent": recent},
                "attribute_exists(pk)",
            ),
        ]
        for claim, _ in ready:
            debt = current[claim.debt_id]
            operations += _claim_status_ops(workspace_id, claim, status, record)
            policy = policy_of(workspace, debt)
            reached = promised.last_policy_step(claim.step, debt)
            day = next_step_day(policy, date.fromisoformat(debt["due_on"]), reached)
            updated: Debt = {
                **debt,
                "reminder_step": max(reached, debt["reminder_step"]),
                "next_reminder_at": iso(day_opening(policy, zone, day)) if day else None,
                "last_reminded_at": iso(now),
                "version": debt["version"] + 1,
            }
            updated.pop("reminder_failure", None)  # it went, this time
            if is_promise_step(claim.step):
                updated.pop("broken_promise", None)
            operations += debts_service.saved_ops(workspace_id, debt, updated, now=now)
            operations.append(
                entry_op(
                    workspace_id,
                    claim.debt_id,
                    "reminder_sent" if status == "sent" else "reminder_uncertain",
                    actor=SYSTEM,
                    now=now,
                    data={
                        "step": claim.step,
                        "tone": promised.step_of(policy, claim.step).tone,
                        "communication_id": comm_id,
                    },
                )
            )
        try:
            store.transact(operations)
        except Conflict:  # a debt changed since we read it (a payment, an edit): read them again
            fresh = store.batch_get([keys.debt(workspace_id, claim.debt_id) for claim, _ in ready], consistent=True)
            current = {debt["id"]: cast(Debt, debt) for debt in fresh if debt is not None}
            ready = [(claim, debt) for claim, debt in ready if claim.debt_id in current]
            continue
        # One Query of the debtor's open inbox items: an email that went resolves the failures of its debts.
        inbox.close_matching(
            workspace_id,
            kinds=["reminder_failed"],
            debtor_id=debtor["id"],
            debt_ids=list(current),
            reason="reminder_sent",
            now=now,
        )
        return
    raise RetryLater("the debts kept changing while the sending was recorded")


def _record_failed(
    workspace: Workspace,
    debtor: Debtor,
    started: tuple[Key, Key] | None,
    ready: list[tuple[Claim, Debt]],
    *,
    comm_id: str,
    reason: str,
    now: datetime,
) -> None:
    """The steps failed: on each debt's timeline and the debt itself (the status lists it), which moves on to
    its next step's day; the communication, if one was started, failed. One transaction."""
    workspace_id = workspace["id"]
    zone = debtor.get("time_zone") or workspace.get("time_zone") or "UTC"
    operations = []
    record = started[0] if started else None
    if started is not None:
        operations.append(
            _outcome_op(
                *started, "SET #status = :failed, failure = :why", {":failed": "failed", ":why": "template_failed"}
            )
        )
    operations.append(_failure_for_the_inbox(workspace_id, debtor, ready, comm_id=comm_id, reason=reason, now=now))
    for claim, debt in ready:
        operations += _claim_status_ops(workspace_id, claim, "failed", record)
        failure = {"step": claim.step, "reason": reason, "failed_at": iso(now)}
        policy = policy_of(workspace, debt)
        day = next_step_day(policy, date.fromisoformat(debt["due_on"]), promised.last_policy_step(claim.step, debt))
        values = debt_records.next_look_values(workspace_id, debt, iso(day_opening(policy, zone, day))) if day else None
        if values is None:  # nothing more to send for it, or it cannot be reminded of any more: out of the index
            expression, values = "SET reminder_failure = :failure REMOVE gsi5pk, gsi5sk", {}
        else:
            expression = f"{debt_records.NEXT_LOOK}, reminder_failure = :failure"
        operations.append(
            store.update_op(
                keys.debt(workspace_id, claim.debt_id),
                expression,
                {**values, ":failure": failure},
                "attribute_exists(pk)",
            )
        )
        operations.append(
            entry_op(
                workspace_id,
                claim.debt_id,
                "reminder_failed",
                actor=SYSTEM,
                now=now,
                data={
                    "step": claim.step,
                    "reason": reason,
                    **({"communication_id": comm_id} if started else {}),
                },
            )
        )
    store.transact(operations)


def _failure_for_the_inbox(
    workspace_id: str, debtor: Debtor, ready: list[tuple[Claim, Debt]], *, comm_id: str, reason: str, now: datetime
) -> store.Operation:
    """The inbox item of an email that could not go: about its debt, or about the debtor when it carried several
    (one item an email, whatever its size, so the transaction stays within DynamoDB's limit)."""
    debt_ids = sorted({claim.debt_id for claim, _ in ready})
    return inbox.open_op(
        workspace_id,
        kind="reminder_failed",
        source=comm_id,
        debtor_id=debtor["id"],
        debt_id=debt_ids[0] if len(debt_ids) == 1 else None,
        now=now,
        detail={"reason": reason, "steps": sorted({claim.step for claim, _ in ready})},
    )


def _close_claims(workspace_id: str, claims: list[Claim], status: str) -> None:
    store.transact([_claim_status_op(workspace_id, claim, status) for claim in claims])


def _outcome_op(record: Key, listed: Key, expression: str, values: dict[str, Any]) -> store.Operation:
    """The email's outcome on its record, which is listed in its workspace from then on (gsi1: the home summary counts
    what was sent or failed; an email still sending is not counted, so its index entry is written once, here)."""
    return store.update_op(
        record,
        f"{expression}, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk",
        {**values, ":gsi1pk": listed["gsi1pk"], ":gsi1sk": listed["gsi1sk"]},
        names={"#status": "status"},
    )


def _claim_status_ops(workspace_id: str, claim: Claim, status: str, record: Key | None) -> list[store.Operation]:
    """The claim's outcome, unless it is the email's record, whose own update says it (one write per item)."""
    if record is not None and keys.reminder_claim(workspace_id, claim.debt_id, claim.step) == record:
        return []
    return [_claim_status_op(workspace_id, claim, status)]


def _claim_status_op(workspace_id: str, claim: Claim, status: str) -> store.Operation:
    """A claim's outcome (sent, uncertain, skipped, failed): a step with an outcome is never sent again."""
    return store.update_op(
        keys.reminder_claim(workspace_id, claim.debt_id, claim.step),
        "SET #status = :status",
        {":status": status},
        names={"#status": "status"},
    )


def _release(workspace_id: str, ready: list[tuple[Claim, Debt]], later: datetime) -> None:
    """Give the steps back (their claims go) and look at the debts again at `later`."""
    operations = []
    for claim, debt in ready:
        values = debt_records.next_look_values(workspace_id, debt, iso(later))
        operations.append(store.delete_op(keys.reminder_claim(workspace_id, claim.debt_id, claim.step)))
        if values is not None:
            operations.append(
                store.update_op(
                    keys.debt(workspace_id, debt["id"]), debt_records.NEXT_LOOK, values, "attribute_exists(pk)"
                )
            )
    store.transact(operations)


def _reject_address(
    workspace_id: str,
    debtor: Debtor,
    started: tuple[Key, Key],
    ready: list[tuple[Claim, Debt]],
    code: str,
    *,
    comm_id: str,
    now: datetime,
) -> None:
    """Brevo refused the address: no retry storm; the debtor is marked, and the business can correct it (the
    inbox tells them)."""
    record = started[0]
    claims = [claim for claim, _ in ready]
    reason = code or "invalid_address"
    store.transact(
        [
            _failure_for_the_inbox(workspace_id, debtor, ready, comm_id=comm_id, reason=reason, now=now),
            _outcome_op(
                *started,
                "SET #status = :failed, failure = :code",
                {":failed": "failed", ":code": reason},
            ),
            store.update_op(
                keys.debtor(workspace_id, debtor["id"]),
                "SET email_suppressed = :why",
                {":why": "invalid_email"},
                "attribute_exists(pk)",
            ),
            *[op for claim in claims for op in _claim_status_ops(workspace_id, claim, "failed", record)],
        ]
    )
