"""Answering a debtor's question from the inbox: an email to the debtor under the reminders' own rules, the answer
on the debt's timeline and on the debtor's page, and the question closed ("answered").

The same rules as a reminder: the acting member's address and a workspace owner's are verified
(`workspaces.sending_rights`), the debtor may be written to (an address, not erased, not opted out, not bounced:
`eligibility.SUPPRESSED`), and the email counts against the workspace's daily quota (`quota.take`). It carries the
reminders' one-click unsubscribe.

Exactly once, however often it is asked (a double click, a retry): the question is claimed before Brevo is called
(`answering` on the item, a conditional write), the email carries an idempotency key derived from the item, so
Brevo accepts it once, and the item records the answer when it closes (`answered_with`), after which asking again
answers the item as it is. A claim left by a request that died is taken over after `LEASE`, sending the message
first claimed under the same key.
"""

from __future__ import annotations

import html
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from collectra import config, store
from collectra.auth.principal import Principal
from collectra.clock import iso
from collectra.debtors.links import ensure_link
from collectra.debtors.records import Debtor
from collectra.debts.service import listed_debts_of_debtor
from collectra.debts.states import OPEN_STATES
from collectra.debts.timeline import actor_user, entry_item
from collectra.email import brevo
from collectra.email.display_name import via_collectra
from collectra.errors import Conflict, NotFound, TooManyRequests
from collectra.inbox import items as inbox
from collectra.inbox import lists
from collectra.inbox.changes import NO_SUCH_ITEM
from collectra.inbox.items import InboxItem
from collectra.pages.formatting import resolve_locale
from collectra.pages.messages import message as said
from collectra.reminders import quota
from collectra.reminders.compose import opt_out_token
from collectra.reminders.eligibility import SUPPRESSED
from collectra.store import keys
from collectra.workspaces import sending_rights

ANSWERED = "answered"
ANSWER_ENTRY = "business_answer"  # the timeline entry: what the business answered, and to which item
LEASE = timedelta(minutes=2)  # a claim older than this belongs to a request that died: the next one takes over
PAGE_REPLIES_KEPT = 5  # the latest answers the debtor's page shows
_ENTRIES_IN_TRANSACTION = 90  # the rest of a debtor's debts get the entry in batches after it
_NAMESPACE = uuid.UUID("6f0d3f7e-5a53-4c39-9f2b-5d51c2a9d3a1")


def answer(principal: Principal, item_id: str, text: str, *, now: datetime) -> dict[str, Any]:
    """Email `text` to the debtor whose question `item_id` is, record it, close the question; the item as the list
    shows it. Asked again once it went, the same item, and nothing sent twice."""
    workspace_id = principal.workspace_id
    item = inbox.get(workspace_id, item_id, consistent=True)
    if item is None:
        raise NotFound(NO_SUCH_ITEM)
    if item.get("answered_with"):
        return lists.shown(workspace_id, [item])[0]
    if item["kind"] != "question":
        raise Conflict("Only a debtor's question can be answered from the inbox.", code="not_a_question")
    if item["state"] != "open":
        raise Conflict("This question was closed; reopen it to answer it.", code="item_closed")
    sending_rights.require_may_remind(principal, now=now)
    [found] = store.batch_get([keys.debtor(workspace_id, item["debtor_id"])], consistent=True)
    debtor = cast(Debtor | None, found)
    _check_reachable(debtor)
    assert debtor is not None  # noqa: S101 - _check_reachable
    try:
        text = _claim(item, text, user_id=principal.user_id, now=now)
    except Conflict:
        stored = inbox.get(workspace_id, item_id, consistent=True)
        if stored is not None and stored.get("answered_with"):  # the other click's answer went
            return lists.shown(workspace_id, [stored])[0]
        raise
    if not quota.take(principal.workspace, now):
        _release(item)
        raise TooManyRequests(
            "Today's sending quota is used up: the answer can go tomorrow.",
            retry_after=int((quota.next_day(now) - now).total_seconds()) + 1,
            code="daily_quota",
        )
    try:
        brevo.send(_email(principal, debtor, item, text))
    except brevo.EmailRejected as rejected:
        _release(item)
        raise Conflict("The debtor's address was refused; correct it first.", code="address_refused") from rejected
    except brevo.EmailUnavailable:
        _release(item)
        raise
    answered = _record(principal, item, debtor, text, now=now)
    return lists.shown(workspace_id, [answered])[0]


def _check_reachable(debtor: Debtor | None) -> None:
    if debtor is None or debtor.get("erased"):
        reason = "no_debtor"
    elif not debtor.get("email"):
        reason = "no_email"
    elif debtor.get("email_suppressed"):
        suppressed = debtor.get("email_suppressed")
        reason = str(suppressed) if suppressed in SUPPRESSED else "suppressed"
    else:
        return
    raise Conflict(
        "Collectra may not email this debtor (no address, or they opted out, or it bounced).",
        code="debtor_unreachable",
        details={"reason": reason},
    )


def answer_id(item_id: str) -> str:
    """The one answer an item can have: the email's idempotency key and the timeline entry's id derive from it."""
    return f"ans_{item_id.removeprefix('inb_')}"


def _claim(item: InboxItem, text: str, *, user_id: str, now: datetime) -> str:
    """Claims the question for this answer; the text to send (a dead request's, when taking its claim over)."""
    stale = item.get("answering")
    sent = str(stale["message"]) if stale else text
    claim = {"id": answer_id(item["id"]), "by": user_id, "at": iso(now), "message": sent}
    try:
        store.update(
            {"pk": item["pk"], "sk": item["sk"]},
            "SET answering = :claim",
            values={":claim": claim, ":open": "open", ":stale": iso(now - LEASE)},
            names={"#state": "state", "#at": "at"},
            condition="#state = :open AND (attribute_not_exists(answering) OR answering.#at < :stale)",
        )
    except Conflict as error:
        raise Conflict("This question is being answered right now.", code="answer_in_progress") from error
    return sent


def _release(item: InboxItem) -> None:
    """Gives the claim back, so the answer can be sent again (after a refusal that sent nothing)."""
    try:
        store.update(
            {"pk": item["pk"], "sk": item["sk"]},
            "REMOVE answering",
            values={":id": answer_id(item["id"])},
            condition="answering.id = :id",
        )
    except Conflict:
        return


def _email(principal: Principal, debtor: Debtor, item: InboxItem, text: str) -> brevo.Message:
    workspace = principal.workspace
    workspace_id = principal.workspace_id
    locale = resolve_locale(debtor.get("locale") or workspace.get("locale") or "en")
    creditor = workspace.get("legal_name") or workspace["name"]
    base = config.public_base_url()
    page = f"{base}/p/{ensure_link(workspace_id, debtor)}"
    opt_out = f"{base}/u/{opt_out_token(workspace_id, debtor['id'])}"
    lines = [
        said(locale, "reply_email_intro", name=debtor["name"], creditor=creditor),
        text,
        said(locale, "reply_email_page", link=page),
        said(locale, "reply_email_opt_out", creditor=creditor, link=opt_out),
    ]
    return brevo.Message(
        to_email=str(debtor["email"]),
        to_name=debtor["name"],
        subject=said(locale, "reply_email_subject", creditor=creditor),
        html="".join(f"<p>{html.escape(line).replace(chr(10), '<br>')}</p>" for line in lines),
        text="\n\n".join(lines),
        sender_email=config.email_sender_address(),
        sender_name=via_collectra(workspace.get("sender_name") or creditor),
        reply_to=workspace.get("reply_to"),
        headers={
            "idempotencyKey": str(uuid.uuid5(_NAMESPACE, f"{workspace_id}/{answer_id(item['id'])}")),
            "List-Unsubscribe": f"<{opt_out}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tags=("answer",),
    )


def _record(principal: Principal, item: InboxItem, debtor: Debtor, text: str, *, now: datetime) -> InboxItem:
    """The question closed as answered, the answer on its debt's timeline (on each open debt of the debtor for a
    question about all of them) and on the debtor's page: one transaction, re-read and sent again when the item or
    the debtor's replies changed meanwhile."""
    workspace_id = principal.workspace_id
    identifier = answer_id(item["id"])
    debt_ids = [item["debt_id"]] if item["debt_id"] else _open_debts(workspace_id, item["debtor_id"])
    entries = [
        entry_item(
            workspace_id,
            debt_id,
            ANSWER_ENTRY,
            actor=actor_user(principal.user_id),
            now=now,
            data={"message": text, "item_id": item["id"]},
            entry_id=identifier,
        )
        for debt_id in debt_ids
    ]

    def close(current: InboxItem) -> InboxItem | None:
        if (current.get("answering") or {}).get("id") != identifier:
            return None
        at = iso(now)
        answered = {**current, "state": "done", "closed_at": at, "closed_reason": ANSWERED, "updated_at": at}
        answered["answered_with"] = identifier
        answered.pop("answering", None)
        return cast(InboxItem, answered)

    for _ in range(3):
        replies = [{"at": iso(now), "message": text}, *(debtor.get("page_replies") or [])][:PAGE_REPLIES_KEPT]
        before = debtor.get("page_replies")
        shown = store.update_op(
            keys.debtor(workspace_id, debtor["id"]),
            "SET page_replies = :replies",
            {":replies": replies, **({":before": before} if before else {})},
            "page_replies = :before" if before else "attribute_exists(pk) AND attribute_not_exists(page_replies)",
            name="debtor",
        )
        also = [shown, *[store.put_op(entry) for entry in entries[:_ENTRIES_IN_TRANSACTION]]]
        try:
            outcome = inbox.change(workspace_id, item["id"], close, also=also)
        except store.ConditionsFailed as failed:
            if "debtor" not in failed.failed:
                raise
            [fresh] = store.batch_get([keys.debtor(workspace_id, debtor["id"])], consistent=True)
            debtor = cast(Debtor, fresh or debtor)
            continue
        store.put_many(entries[_ENTRIES_IN_TRANSACTION:])
        if outcome is None:
            raise NotFound(NO_SUCH_ITEM)
        return outcome[0]
    raise Conflict("The debtor changed while the answer was recorded; send it again.", code="answer_in_progress")


def _open_debts(workspace_id: str, debtor_id: str) -> list[str]:
    listed = listed_debts_of_debtor(workspace_id, debtor_id)
    return [str(debt["id"]) for debt in listed if debt.get("status") in OPEN_STATES]
