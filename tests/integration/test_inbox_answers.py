"""POST /workspace/inbox/{id}/answer: a member answers a debtor's question; the debtor gets it by email (under the
reminders' rules) and on their page, the debt's timeline keeps it, the question closes, and it is sent once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from local.brevo import BrevoStandIn
from tests.conftest import Account, new_debt
from tests.integration.test_debtor_page import link_token
from tests.integration.test_inbox_life_cycle import answer_from_the_page, inbox, the_item
from tests.integration.test_opt_out_and_brevo_events import emails_to, new_person
from tests.support.http import Browser
from tests.support.meanwhile import meanwhile

REPLY = "Yes: half now, half at the end of the month. <b>Thanks</b>"


def asked(account: Account, *, debt_for_all: bool = False) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A debtor with an address of their own who asked a question from their page: them, their debt, the item."""
    person = new_person(account)
    debt = new_debt(account, person["id"])
    if debt_for_all:
        new_debt(account, person["id"])
    answer_from_the_page(account, person["id"], "question", "all" if debt_for_all else debt["id"], "Two parts?")
    return person, debt, the_item(account, "question")["id"]


def answer(account: Account, item_id: str, message: str = REPLY) -> Any:
    return account.browser.call("POST", f"/workspace/inbox/{item_id}/answer", {"message": message})


def test_an_answer_is_emailed_shown_on_the_page_kept_on_the_timeline_and_closes_the_question(
    account: Account, brevo: BrevoStandIn
) -> None:
    person, debt, item_id = asked(account)

    answered = answer(account, item_id)

    assert answered.status == 200, answered.body
    assert (answered.json()["state"], answered.json()["closed_reason"]) == ("done", "answered")
    [email] = emails_to(brevo, person)
    assert REPLY in email["textContent"] and "&lt;b&gt;Thanks&lt;/b&gt;" in email["htmlContent"]
    assert email["subject"] == "Hopper & Co a répondu à votre question"  # the debtor's language
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    timeline = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    [entry] = [entry for entry in timeline if entry["type"] == "business_answer"]
    assert entry["data"] == {"message": REPLY, "item_id": item_id}
    page = Browser().call("GET", f"/p/{link_token(account, person['id'])}").body
    assert "Réponses de Hopper &amp; Co" in page and "half now, half at the end of the month" in page
    assert "<b>Thanks</b>" not in page
    assert inbox(account)["open_count"] == 0


def test_a_question_about_all_debts_is_answered_on_each_open_debt(account: Account, brevo: BrevoStandIn) -> None:
    person, _, item_id = asked(account, debt_for_all=True)
    debts = account.browser.call("GET", f"/debts?debtor_id={person['id']}").json()["items"]

    assert answer(account, item_id).status == 200

    assert len(debts) == 2
    for each in debts:
        timeline = account.browser.call("GET", f"/debts/{each['id']}/timeline").json()["items"]
        assert [entry["type"] for entry in timeline].count("business_answer") == 1
    assert len(emails_to(brevo, person)) == 1


def test_answering_again_sends_nothing_more(account: Account, brevo: BrevoStandIn) -> None:
    person, _, item_id = asked(account)

    first, again = answer(account, item_id), answer(account, item_id, "Another text")

    assert (first.status, again.status) == (200, 200)
    assert first.json() == again.json()
    assert len(emails_to(brevo, person)) == 1


def test_a_double_click_sends_one_email(account: Account, brevo: BrevoStandIn) -> None:
    person, _, item_id = asked(account)

    with meanwhile("AnswerQuestionFunction", "UpdateItem", lambda: answer(account, item_id)) as other:
        first = answer(account, item_id)

    assert (first.status, other.answer.status) == (200, 200), first.body
    assert len(emails_to(brevo, person)) == 1


def test_many_clicks_at_once_send_one_email(account: Account, brevo: BrevoStandIn) -> None:
    person, _, item_id = asked(account)

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: answer(account, item_id).status, range(6)))

    assert set(statuses) <= {200, 409} and 200 in statuses
    assert len(emails_to(brevo, person)) == 1
    assert the_item(account, "question")["closed_reason"] == "answered"


def test_a_debtor_who_opted_out_is_not_emailed_and_the_question_stays_open(
    account: Account, brevo: BrevoStandIn
) -> None:
    person, _, item_id = asked(account)
    from collectra import store
    from collectra.store import keys

    store.update(
        keys.debtor(account.workspace_id, person["id"]), "SET email_suppressed = :why", values={":why": "opted_out"}
    )

    refused = answer(account, item_id)

    assert refused.status == 409
    assert refused.json()["error"]["code"] == "debtor_unreachable"
    assert refused.json()["error"]["details"] == {"reason": "opted_out"}
    assert emails_to(brevo, person) == []
    assert the_item(account, "question")["state"] == "open"


def test_only_a_question_is_answered(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    answer_from_the_page(account, debtor["id"], "dispute", debt["id"], "No")

    refused = answer(account, the_item(account, "dispute")["id"])
    missing = answer(account, "inb_nothing")
    empty = answer(account, the_item(account, "dispute")["id"], "   ")

    assert (refused.status, refused.json()["error"]["code"]) == (409, "not_a_question")
    assert missing.status == 404
    assert empty.status == 422


def test_an_address_brevo_refuses_leaves_the_question_open_to_answer_again(
    account: Account, brevo: BrevoStandIn
) -> None:
    person, _, item_id = asked(account)
    brevo.fail_next(400, 1)

    refused = answer(account, item_id)
    again = answer(account, item_id)

    assert (refused.status, refused.json()["error"]["code"]) == (409, "address_refused")
    assert again.status == 200, again.body
    assert len(emails_to(brevo, person)) == 1


def test_the_daily_quota_holds_answers_too(account: Account, brevo: BrevoStandIn) -> None:
    person, _, item_id = asked(account)
    from collectra import store
    from collectra.store import keys

    store.update(keys.workspace(account.workspace_id), "SET sending_quota_cap = :none", values={":none": 0})

    refused = answer(account, item_id)

    assert refused.status == 429
    assert refused.json()["error"]["code"] == "daily_quota"
    assert emails_to(brevo, person) == []
    assert the_item(account, "question")["state"] == "open"
