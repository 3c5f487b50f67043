"""The debtor's public page: who may see it, what it shows, and what the debtor can answer.

Opening the page costs two reads: the debtor, the business and the visitor's guessing counter in one
batch (the token names the debtor), then the debtor's debts. Unknown tokens count against the visitor's
address, so guessing links is slowed down long before it could succeed (and 256-bit secrets make it
hopeless anyway).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, cast

from pydantic import ConfigDict, Field, ValidationError

from collectra import config, store
from collectra.auth import throttle
from collectra.auth.records import ThrottleCounter
from collectra.debtors.links import LinkTarget, read_token
from collectra.debtors.records import Debtor
from collectra.debts import service as debts
from collectra.debts.records import Actor, Debt, debtor_message_index
from collectra.debts.states import COLLECTIBLE, OPEN_STATES, Action, Status
from collectra.debts.timeline import actor_debtor, entry_item, entry_op
from collectra.errors import CollectraError, Conflict, Contention, InvalidInput, NotFound, TooManyRequests
from collectra.inbox import items as inbox
from collectra.models import Model
from collectra.promises import rule
from collectra.promises import service as promises
from collectra.secrets import secret
from collectra.store import keys
from collectra.workspaces.lifecycle import is_closed
from collectra.workspaces.promises import latest_promise, promise_allowed
from collectra.workspaces.records import Workspace

GUESSING = throttle.Rule(scope="page-ip", free_failures=19, first_lock_seconds=60)
_TRANSACTION_ITEMS = 100  # DynamoDB's limit per TransactWriteItems


class PageNotFound(NotFound):
    """Unknown, revoked or rotated link: the same plain page for all of them."""


@dataclass(frozen=True)
class PageContext:
    link: LinkTarget
    debtor: Debtor
    workspace: Workspace
    debts: list[Debt]
    payment: dict[str, Any] | None = None  # the payment attempt the debtor came back from, if asked for


def open_page(token: str, source_ip: str, *, now: datetime, payment_id: str | None = None) -> PageContext:
    """What the page shows, or PageNotFound / TooManyRequests (too many unknown links from this address).

    `payment_id`: a payment attempt to report on (the debtor is back from Checkout), read in the same batch.
    """
    target = read_token(token)
    counter_key = throttle.key(GUESSING, source_ip)
    payment = None
    if target is None:
        debtor, workspace, counter = None, None, cast(ThrottleCounter | None, store.get(counter_key))
    else:
        wanted = [keys.debtor(target.workspace_id, target.debtor_id), keys.workspace(target.workspace_id), counter_key]
        if payment_id and len(payment_id) <= 64:
            wanted.append(keys.payment_attempt(target.workspace_id, payment_id))
        found_debtor, found_workspace, found_counter, *rest = store.batch_get(wanted)
        debtor, workspace = cast(Debtor | None, found_debtor), cast(Workspace | None, found_workspace)
        counter = cast(ThrottleCounter | None, found_counter)
        payment = rest[0] if rest else None
    wait = throttle.retry_after(GUESSING, counter, now=now)
    if wait:
        raise TooManyRequests("Too many attempts from this address.", retry_after=wait)
    # A workspace being deleted answers as an unknown link: its pages, payments and answers stop at once.
    if target is None or debtor is None or workspace is None or is_closed(workspace) or not target.opens(debtor):
        store.transact([throttle.failure_update(GUESSING, source_ip, counter, now=now)])
        raise PageNotFound("There is no such page.")
    listed: list[dict[str, Any]] = []  # the index projects only the status: the debts come by key
    start = None
    while True:  # one page in practice; a debtor with many settled debts may take more
        page = store.query(
            "gsi3pk = :p",
            {
                ":p": keys.debts_of_debtor(target.workspace_id, target.debtor_id),
                **{f":s{n}": status.value for n, status in enumerate(OPEN_STATES)},
            },
            index="gsi3",
            names={"#status": "status"},
            start_key=start,
            filter_expression=f"#status IN ({', '.join(f':s{n}' for n in range(len(OPEN_STATES)))})",
        )
        listed += page.items
        if page.last_key is None:
            break
        start = page.last_key
    owed = cast(list[Debt], store.whole(listed, index="gsi3"))
    if payment is not None and payment.get("debtor_id") != target.debtor_id:
        payment = None
    return PageContext(target, debtor, workspace, owed, payment)


VIEW_RECORDED_EVERY_S = 3600  # at most one page view per debtor per hour reaches the timelines
_VIEWED_AT = "page_view_recorded_at"  # on the debtor item: when a view last reached the timelines (epoch s)


def record_view(context: PageContext, *, now: datetime) -> bool:
    """A page view appears on the timeline of every debt the page showed, at most once an hour per debtor.

    Anyone holding the link can reload the page at will, and each view used to write an entry on every
    open debt. Now the entries are written in one transaction with a conditional stamp on the debtor, so
    of the views within an hour (concurrent ones included) only the first writes; the others write
    nothing. Returns whether this view was recorded. A view is never refused for it: the page shows anyway.
    """
    if not context.debts:
        return False
    actor = actor_debtor(context.debtor["id"])
    stamp = int(now.timestamp())
    stamped = store.update_op(
        keys.debtor(context.link.workspace_id, context.debtor["id"]),
        f"SET {_VIEWED_AT} = :now",
        {":now": stamp, ":since": stamp - VIEW_RECORDED_EVERY_S},
        condition=f"attribute_exists(pk) AND (attribute_not_exists({_VIEWED_AT}) OR {_VIEWED_AT} <= :since)",
    )
    entries = [
        entry_op(context.link.workspace_id, debt["id"], "page_viewed", actor=actor, now=now)
        for debt in context.debts[: _TRANSACTION_ITEMS - 1]
    ]
    try:
        store.transact([stamped, *entries])
    except (Conflict, Contention):  # recorded within the hour (or being recorded right now) by another view
        return False
    return True


def csrf_token(link_hash: str, day: date) -> str:
    """Ties the answer form to this link and day, so another site cannot post it on the debtor's behalf."""
    key = secret(config.jwt_secret_name()).encode()
    return hmac.new(key, f"page-form:{link_hash}:{day.isoformat()}".encode(), hashlib.sha256).hexdigest()[:40]


def csrf_valid(link_hash: str, token: str, *, now: datetime) -> bool:
    today = now.date()
    return any(hmac.compare_digest(csrf_token(link_hash, day), token) for day in (today, today - timedelta(days=1)))


class Answer(Model):
    """What the debtor sends from the page's form."""

    model_config = ConfigDict(extra="ignore")

    kind: Literal["dispute", "already_paid", "question", "promise"]
    debt_id: str = Field(default="all", max_length=64)
    message: str = Field(default="", max_length=2000)
    promise_date: date | None = None  # bounded by the workspace's horizon in read_answer, stricter than CalendarDate
    promise_amount: str | None = Field(default=None, max_length=20)  # in the debt's currency, as typed: "120,50"
    csrf_token: str = Field(max_length=64)


class InvalidAnswer(CollectraError):
    status = 422
    code = "invalid_answer"


class PromiseAmountRefused(InvalidAnswer):
    """A promised amount that is not a number, not more than 0, more than what is outstanding, or given for
    several invoices at once: the page says what an amount may be."""

    code = "promise_amount_refused"


class PromiseTooFar(InvalidAnswer):
    """A promise beyond the workspace's horizon: the page says which date is the last one accepted."""

    code = "promise_too_far"


def read_answer(form: dict[str, str], *, today: date, workspace: Workspace) -> Answer:
    """The answer the form posted, or InvalidAnswer (PromiseTooFar for a promise beyond the horizon).

    `today` is the business's date; a promise must name a date from today to its horizon
    (`collectra.workspaces.promises`).
    """
    try:
        answer = Answer.model_validate({name: value for name, value in form.items() if value != ""})
    except ValidationError as error:
        raise InvalidAnswer("The answer could not be read.") from error
    if answer.kind != "promise":
        return answer
    if answer.promise_date is None or answer.promise_date < today:
        raise InvalidAnswer("A promise needs a date from today on.")
    if not promise_allowed(answer.promise_date, workspace, today):
        raise PromiseTooFar(f"A promise can name a date up to {latest_promise(workspace, today).isoformat()}.")
    return answer


def message_item(workspace_id: str, debt: Debt, *, actor: Actor, now: datetime, data: dict[str, Any]) -> dict[str, Any]:
    """The debtor's message as an entry of the debt's timeline, also listed under its workspace (gsi1, by
    time) with the debt it is about, so the home summary reads the latest messages in one Query."""
    entry = entry_item(workspace_id, debt["id"], "debtor_message", actor=actor, now=now, data=data)
    return {
        **entry,
        **debtor_message_index(workspace_id, entry),
        "debt_id": debt["id"],
        "debtor_id": debt["debtor_id"],
        "invoice_number": debt["invoice_number"],
    }


_NEEDS_A_PERSON = frozenset({"question", "dispute", "already_paid"})


def _for_the_inbox(
    context: PageContext, answer: Answer, debt: Debt, message: dict[str, Any], *, first: bool, now: datetime
) -> list[store.Operation]:
    """The inbox item a question, a dispute or an "already paid" claim opens, with the message that says it. A
    dispute or a claim is about each debt (each is resolved on its own); a question about all of a debtor's
    debts is one item about the debtor, opened with the first debt's message."""
    if answer.kind not in _NEEDS_A_PERSON:
        return []
    about_all = answer.kind == "question" and answer.debt_id == "all" and len(context.debts) > 1
    if about_all and not first:
        return []
    opening = inbox.open_op(
        context.link.workspace_id,
        kind=answer.kind,
        source=message["id"],
        debtor_id=debt["debtor_id"],
        debt_id=None if about_all else debt["id"],
        now=now,
        detail={"excerpt": answer.message} if answer.message else None,
    )
    return [opening]


def answer_page(context: PageContext, answer: Answer, *, now: datetime) -> None:
    """Record the debtor's answer on each debt it concerns.

    A dispute moves the debt to disputed (reminders stop); a promise (`collectra.promises`) holds reminders until
    it is kept or broken;
    "already paid" and questions are messages for the business. Each debt changes in its own transaction,
    the message with its effect: a message is never recorded without what it asked for, nor the reverse.
    """
    concerned = [d for d in context.debts if answer.debt_id in ("all", d["id"])]
    if not concerned:
        raise InvalidAnswer("That debt is not on this page.")
    actor = actor_debtor(context.debtor["id"])
    workspace_id = context.link.workspace_id
    data: dict[str, Any] = {"kind": answer.kind, "message": answer.message}
    if answer.promise_date:
        data["promise_date"] = answer.promise_date.isoformat()
    amount = _promised_amount(answer, concerned)
    for position, debt in enumerate(concerned):
        message = message_item(workspace_id, debt, actor=actor, now=now, data=data)
        said = [store.put_op(message), *_for_the_inbox(context, answer, debt, message, first=position == 0, now=now)]
        # A debt in a payment plan is neither disputed nor promised from the page: the business hears the message
        # (the inbox) and decides whether to cancel the plan (`debts.states.require_not_in_plan`).
        if debt.get("plan"):
            store.transact(said)
        elif answer.kind == "dispute" and Status(debt["status"]) in COLLECTIBLE:
            debts.change_status(
                workspace_id,
                debt,
                Action.DISPUTE,
                actor=actor,
                now=now,
                today=debts.today_in(context.workspace, now),
                note="disputed by the debtor on their page",
                also=said,
            )
        elif answer.kind == "promise" and answer.promise_date and Status(debt["status"]) in PROMISABLE:
            try:
                promises.make(
                    context.workspace, debt, amount=amount, on=answer.promise_date, actor=actor, now=now, also=said
                )
            except InvalidInput as refused:  # more than is outstanding (the date was checked in read_answer)
                raise PromiseAmountRefused(refused.message) from None
        else:
            store.transact(said)


PROMISABLE = (Status.OPEN, Status.PARTIALLY_PAID)  # a disputed debt gets the message alone


def _promised_amount(answer: Answer, concerned: list[Debt]) -> int | None:
    """The amount typed in the debt's currency (None: all that is outstanding); an amount is for one invoice."""
    if answer.kind != "promise" or answer.promise_amount is None:
        return None
    if len(concerned) != 1:
        raise PromiseAmountRefused("An amount is promised for one invoice at a time.")
    try:
        return rule.written_amount(answer.promise_amount, concerned[0]["currency"])
    except rule.AmountRefused as refused:
        raise PromiseAmountRefused(str(refused)) from None
