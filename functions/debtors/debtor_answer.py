"""POST /p/{token}/answer: the debtor disputes, says they paid, asks, or promises a date."""

from __future__ import annotations

from collectra import clock
from collectra.debtors.page import (
    InvalidAnswer,
    PromiseAmountRefused,
    PromiseTooFar,
    answer_page,
    csrf_valid,
    read_answer,
)
from collectra.debts.service import today_in
from collectra.digest.disputes import announce, disputed_by
from collectra.errors import Conflict, Contention
from collectra.http import gate
from collectra.http.app import configure, entry_point, source_ip
from collectra.http.docs import page_errors
from collectra.http.pages import form_of, nonce, open_or_refuse, page_again, page_not_found, redirect

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver(enable_validation=True)
configure(app)
app.not_found(page_not_found)


@app.post(
    "/p/<token>/answer",
    summary="Answer from the debtor's page (HTML form)",
    description="`application/x-www-form-urlencoded`: kind (dispute, already_paid, question, promise), debt_id "
    "(an id or all), message, promise_date, promise_amount, csrf_token. Each answer is a message on the debt's "
    "timeline; a dispute makes the debt disputed and stops reminders; a promise (the debt's `promise`, as "
    "`POST /debts/{id}/promise` records it) holds reminders until it is kept or broken. Its date may be at most "
    "the workspace's `promise_max_days` away (90 unless set; a later one is refused with a notice and records "
    "nothing); its amount (in the debt's currency as typed, `120.50` or `120,50`; for one invoice only) is all "
    "that is outstanding when left empty, and never more. A dispute is queued for the members who asked to "
    "hear of disputes at once. "
    "Answers 303 back to the page.",
    tags=["debtor page"],
    responses={
        **page_errors(gate.FORM),
        303: {"description": "Recorded; back to the page", "content": {}},
        404: {"description": "No such page", "content": {"text/html": {}}},
        429: {"description": "Too many unknown links from this address", "content": {"text/html": {}}},
        409: {
            "description": "The debt was being changed meanwhile: the page again, asking to send again",
            "content": {"text/html": {}},
        },
        422: {"description": "Unreadable answer: the page again, with a notice", "content": {"text/html": {}}},
    },
)
def answer(token: str) -> Response[str]:
    style = nonce()
    now = clock.utcnow()
    context = open_or_refuse(token, source_ip(app), now=now, style_nonce=style)
    if isinstance(context, Response):
        return context
    try:
        given = read_answer(form_of(app), today=today_in(context.workspace, now), workspace=context.workspace)
        if not csrf_valid(context.link.digest, given.csrf_token, now=now):
            raise InvalidAnswer("The form has expired; reload the page.")
        disputed = disputed_by(context.debts, given.kind, given.debt_id)
        answer_page(context, given, now=now)
    except (Contention, Conflict):  # others were writing the same debt (a second click, another tab): nothing was
        # recorded by this answer, and sending again will do
        return page_again(context, token, now=now, style_nonce=style, notice="answer_try_again", status=409)
    except PromiseAmountRefused:
        return page_again(context, token, now=now, style_nonce=style, notice="answer_promise_amount", status=422)
    except PromiseTooFar:
        return page_again(context, token, now=now, style_nonce=style, notice="answer_promise_too_far", status=422)
    except InvalidAnswer:
        return page_again(context, token, now=now, style_nonce=style, notice="answer_invalid", status=422)
    announce(context.link.workspace_id, disputed)  # the members who asked are told off this request
    return redirect(f"/p/{token}?notice=answer_received_{given.kind}")


handler = entry_point(app, reads=gate.FORM)
