"""Stopping reminders: the debtor's opt-out link (GET and POST /u/{token}, one-click included) and Brevo's
webhook (POST /webhooks/brevo) reporting bounces, complaints and deliveries.

Reminders are sent as in test_reminders.py: the planner at a moved clock, then the sender draining the
queue; each email is read from the Brevo stand-in's outbox, with the message id Brevo gave it.
Debts fall due on Thursday 2027-03-04: step -3 goes on Monday 1 March, step 0 on the 4th.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from local.brevo import BrevoStandIn, webhook_event
from local.harness import Answer
from tests.conftest import BREVO_WEBHOOK_TOKEN, PASSWORD, Account, new_debt
from tests.support.http import Browser
from tests.support.reminders import drain, plan

pytestmark = pytest.mark.usefixtures("own_reminders_only")

FIRST_REMINDER = "2027-03-01T09:00:00+01:00"  # step -3 of a debt due on 2027-03-04
DUE_DAY = "2027-03-04T09:00:00+01:00"  # step 0
FORM = {"content-type": "application/x-www-form-urlencoded"}


def new_person(account: Account, *, locale: str = "fr", email: str | None = None) -> dict[str, Any]:
    """A debtor with an address of their own, so the outbox can be read for them alone."""
    body = {
        "name": "Émile Zola",
        "email": email or f"debtor-{uuid.uuid4().hex[:10]}@example.fr",
        "locale": locale,
        "time_zone": "Europe/Paris",
    }
    answer = account.browser.call("POST", "/debtors", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


@pytest.fixture
def person(account: Account) -> dict[str, Any]:
    return new_person(account)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def cycle(now: str) -> None:
    plan(at(now))
    drain()


def emails_to(brevo: BrevoStandIn, person: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]


def opt_out_path(email: dict[str, Any]) -> str:
    """The opt-out link of a reminder, as its text carries it."""
    text: str = email["textContent"]
    link = next(word for word in text.split() if "/u/" in word)
    return "/u/" + link.split("/u/", 1)[1]


def token_of(account: Account, person: dict[str, Any]) -> str:
    from collectra.reminders.compose import opt_out_token

    return opt_out_token(account.workspace_id, person["id"])


def timeline_types(account: Account, debt: dict[str, Any]) -> list[str]:
    return [entry["type"] for entry in account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]]


def debtor_now(account: Account, person: dict[str, Any]) -> dict[str, Any]:
    return dict(account.browser.call("GET", f"/debtors/{person['id']}").json())


def post_opt_out(path: str, *, body: str = "", headers: dict[str, str] | None = None) -> Answer:
    """A POST as a browser's form or a mail provider makes it: no cookie, no CSRF header."""
    return Browser().call(
        "POST", path, raw_body=body, csrf_header=False, send_cookies=False, headers={**FORM, **(headers or {})}
    )


EVENT_AT = datetime(2027, 3, 1, 8, 5, tzinfo=UTC)


def brevo_event(kind: str, message: dict[str, Any], email: str, **extra: Any) -> dict[str, Any]:
    """One event about an email of the outbox, as Brevo's transactional webhook posts it (echoing its message id,
    tags and `X-Mailin-custom` header)."""
    return {**webhook_event(message, kind, email=email, at=EVENT_AT), **extra}


def post_webhook(payload: Any, *, token: str | None = BREVO_WEBHOOK_TOKEN) -> Answer:
    path = "/webhooks/brevo" + (f"?{urlencode({'token': token})}" if token is not None else "")
    return Browser().call(
        "POST", path, raw_body=json.dumps(payload), csrf_header=False, headers={"user-agent": "Brevo/1.0"}
    )


def communication_of(message: dict[str, Any]) -> dict[str, Any]:
    """The record of an email of the outbox: the claim its `X-Mailin-custom` header names."""
    from collectra import store
    from collectra.reminders.records import read_reference

    named = read_reference(message["headers"]["X-Mailin-custom"])
    assert named is not None
    found = store.get(named[1], consistent=True)
    assert found is not None and found["id"].startswith("com_")
    return found


# ---------------------------------------------------------------- the opt-out page


def another_workspace() -> Browser:
    """Someone else's business, signed in."""
    other = Browser()
    signup = {
        "email": f"other-{uuid.uuid4().hex[:10]}@example.com",
        "password": PASSWORD,
        "name": "Ada Lovelace",
        "workspace_name": "Lovelace Ltd",
    }
    assert other.call("POST", "/auth/signup", signup).status == 201
    return other


def test_the_opt_out_page_speaks_the_debtors_language_and_names_only_the_business(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)
    path = opt_out_path(email)

    page = Browser().call("GET", path, send_cookies=False)

    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in page.body
    assert "Ne plus recevoir les rappels de Hopper &amp; Co" in page.body
    assert f'<form method="post" action="{path}">' in page.body
    assert page.body.count("<button") == 1
    assert "Émile" not in page.body and person["email"] not in page.body  # the link is in every email
    assert email["headers"]["List-Unsubscribe"].endswith(f"{path}>")  # the header and the text: one link
    assert debtor_now(account, person)["email_suppressed"] is None  # opening the page changes nothing


def test_the_opt_out_page_sends_the_same_headers_as_the_debtors_page(account: Account) -> None:
    german = new_person(account, locale="de")
    page = Browser().call("GET", f"/u/{token_of(account, german)}")

    assert page.status == 200 and 'lang="de"' in page.body and "Keine Erinnerungen mehr" in page.body
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "noindex" in page.headers["x-robots-tag"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "form-action 'self'" in page.headers["content-security-policy"]


def test_opting_out_stops_the_next_reminders_and_is_on_the_timeline_once(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    settled = new_debt(account, person["id"], due_on="2027-03-04", amount=500)
    account.browser.call("POST", f"/debts/{settled['id']}/payments", {"amount": 500, "received_on": "2027-02-01"})
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)
    path = opt_out_path(email)

    first = post_opt_out(path, body=urlencode({"List-Unsubscribe": "One-Click"}))
    again = post_opt_out(path, body=urlencode({"List-Unsubscribe": "One-Click"}))
    cycle(DUE_DAY)

    assert first.status == again.status == 200
    assert "Rappels arrêtés" in first.body and "<button" not in first.body
    assert first.headers["referrer-policy"] == "no-referrer"
    assert len(emails_to(brevo, person)) == 1  # step 0 did not go
    view = debtor_now(account, person)
    assert view["email_suppressed"] == "opted_out"
    assert timeline_types(account, debt).count("reminders_opted_out") == 1
    assert "reminders_opted_out" not in timeline_types(account, settled)  # only the debts still owed
    assert "<button" not in Browser().call("GET", path).body  # the page now says it is done


def test_a_mail_providers_one_click_unsubscribe_works_without_cookie_origin_or_form_token(
    account: Account, person: dict[str, Any], brevo: BrevoStandIn
) -> None:
    new_debt(account, person["id"], due_on="2027-03-04")
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)
    url = email["headers"]["List-Unsubscribe"].strip("<>")
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    answer = post_opt_out("/u/" + url.split("/u/", 1)[1], body="List-Unsubscribe=One-Click")

    assert answer.status == 200
    assert debtor_now(account, person)["email_suppressed"] == "opted_out"
    cycle(DUE_DAY)
    assert len(emails_to(brevo, person)) == 1


def test_the_opt_out_form_posted_from_the_page_itself_is_accepted(account: Account, person: dict[str, Any]) -> None:
    path = f"/u/{token_of(account, person)}"

    answer = post_opt_out(path, body="List-Unsubscribe=One-Click", headers={"origin": "null"})

    assert answer.status == 200
    assert debtor_now(account, person)["email_suppressed"] == "opted_out"


def test_another_site_cannot_opt_a_debtor_out(account: Account, person: dict[str, Any]) -> None:
    answer = post_opt_out(f"/u/{token_of(account, person)}", headers={"origin": "https://evil.example"})

    assert answer.status == 403
    assert debtor_now(account, person)["email_suppressed"] is None


def test_a_forged_or_foreign_token_gets_the_plain_404_and_changes_nothing(
    account: Account, person: dict[str, Any]
) -> None:
    token = token_of(account, person)
    workspace_id, debtor_id, mac = token.split(".")
    forged = [
        f"{workspace_id}.{debtor_id}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}",
        f"{workspace_id}.{debtor_id}",
        f"{workspace_id}.dbt_{'0' * 26}.{mac}",
        "x" * 43,
    ]
    for candidate in forged:
        shown = Browser().call("GET", f"/u/{candidate}")
        posted = post_opt_out(f"/u/{candidate}", body="List-Unsubscribe=One-Click")
        assert shown.status == posted.status == 404, candidate
        assert "This link does not work" in shown.body
        assert "Hopper" not in shown.body and "Hopper" not in posted.body
        assert shown.headers["referrer-policy"] == "no-referrer"

    assert debtor_now(account, person)["email_suppressed"] is None


# ---------------------------------------------------------------- Brevo's webhook


@pytest.fixture
def sent(account: Account, person: dict[str, Any], brevo: BrevoStandIn) -> dict[str, Any]:
    """A real reminder to `person`, sent through the planner and the sender: its debt and Brevo's message id."""
    debt = new_debt(account, person["id"], due_on="2027-03-04")
    cycle(FIRST_REMINDER)
    [email] = emails_to(brevo, person)
    return {"debt": debt, "message": email, "email": person["email"]}


def test_a_missing_or_wrong_token_is_refused_and_changes_nothing(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    event = brevo_event("hard_bounce", sent["message"], sent["email"])

    for token in (None, "", "wrong", BREVO_WEBHOOK_TOKEN[:-1], BREVO_WEBHOOK_TOKEN + "x"):
        answer = post_webhook(event, token=token)
        assert answer.status == 401, token
        assert answer.json()["error"]["code"] == "bad_webhook_token"

    assert debtor_now(account, person)["email_suppressed"] is None
    assert communication_of(sent["message"])["events"] == {}


def test_a_hard_bounce_suppresses_the_debtor_and_stops_reminders(
    account: Account, person: dict[str, Any], sent: dict[str, Any], brevo: BrevoStandIn
) -> None:
    answer = post_webhook(brevo_event("hard_bounce", sent["message"], sent["email"].upper(), reason="550 5.1.1"))

    assert answer.status == 200
    assert answer.json() == {"received": True, "result": "suppressed"}
    assert debtor_now(account, person)["email_suppressed"] == "hard_bounce"
    assert timeline_types(account, sent["debt"]).count("reminders_suppressed") == 1
    assert communication_of(sent["message"])["events"] == {"hard_bounce": "2027-03-01T08:05:00Z"}
    cycle(DUE_DAY)
    assert len(emails_to(brevo, person)) == 1


def test_the_same_event_delivered_twice_is_recorded_once(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    event = brevo_event("hard_bounce", sent["message"], sent["email"])

    first = post_webhook(event)
    second = post_webhook(event)

    assert (first.json()["result"], second.json()["result"]) == ("suppressed", "duplicate")
    assert timeline_types(account, sent["debt"]).count("reminders_suppressed") == 1
    assert debtor_now(account, person)["version"] == 2  # one change to the debtor, not two


def test_a_delivery_is_recorded_without_suppressing(
    account: Account, person: dict[str, Any], sent: dict[str, Any], brevo: BrevoStandIn
) -> None:
    for kind in ("request", "delivered", "soft_bounce", "blocked", "delivered"):
        assert post_webhook(brevo_event(kind, sent["message"], sent["email"])).status == 200

    assert set(communication_of(sent["message"])["events"]) == {"request", "delivered", "soft_bounce", "blocked"}
    assert debtor_now(account, person)["email_suppressed"] is None
    assert "reminders_suppressed" not in timeline_types(account, sent["debt"])
    cycle(DUE_DAY)
    assert len(emails_to(brevo, person)) == 2  # step 0 went


def test_an_unknown_message_id_is_acknowledged_and_ignored(sent: dict[str, Any]) -> None:
    other_id = brevo_event("hard_bounce", sent["message"], sent["email"], **{"message-id": "<2027.0@smtp-relay>"})
    unreferenced = brevo_event("hard_bounce", sent["message"], sent["email"])
    del unreferenced["X-Mailin-custom"]  # an email that is not a reminder (an account's): no reference of ours
    unknown_kind = post_webhook(brevo_event("something_new", sent["message"], sent["email"]))

    for event in (other_id, unreferenced):
        answer = post_webhook(event)
        assert answer.status == 200 and answer.json() == {"received": True, "result": "unknown_message"}
    assert unknown_kind.json()["result"] == "ignored"
    assert communication_of(sent["message"])["events"] == {}


def test_a_complaint_suppresses_every_debtor_of_the_workspace_with_that_address_and_no_one_elsewhere(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    twin = new_person(account, email=person["email"])  # the same person recorded twice by the business
    twin_debt = new_debt(account, twin["id"], due_on="2027-05-01")
    other = another_workspace()
    elsewhere = other.call("POST", "/debtors", {"name": "Émile Zola", "email": person["email"]}).json()

    answer = post_webhook(brevo_event("spam", sent["message"], sent["email"]))

    assert answer.json()["result"] == "suppressed"
    assert debtor_now(account, person)["email_suppressed"] == "complaint"
    assert debtor_now(account, twin)["email_suppressed"] == "complaint"
    assert "reminders_suppressed" in timeline_types(account, twin_debt)
    assert other.call("GET", f"/debtors/{elsewhere['id']}").json()["email_suppressed"] is None


def test_a_bounce_for_an_address_corrected_since_leaves_the_debtor_alone(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    corrected = account.browser.call(
        "PATCH", f"/debtors/{person['id']}", {"version": person["version"], "email": "emile.zola@example.fr"}
    )
    assert corrected.status == 200, corrected.body

    answer = post_webhook(brevo_event("hard_bounce", sent["message"], sent["email"]))

    assert answer.json()["result"] == "recorded"
    assert debtor_now(account, person)["email_suppressed"] is None


def test_a_batch_of_events_and_an_unreadable_body_are_acknowledged(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    batch = [brevo_event(kind, sent["message"], sent["email"]) for kind in ("request", "delivered", "unsubscribed")]

    answer = post_webhook(batch)
    unreadable = Browser().call(
        "POST", f"/webhooks/brevo?token={BREVO_WEBHOOK_TOKEN}", raw_body="not json", csrf_header=False
    )

    assert answer.json()["result"] == "recorded=2,suppressed=1"
    assert debtor_now(account, person)["email_suppressed"] == "unsubscribed"
    assert (unreadable.status, unreadable.json()["result"]) == (200, "unreadable")


def test_the_webhook_never_logs_the_address(
    sent: dict[str, Any], capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    capsys.readouterr()
    post_webhook(brevo_event("hard_bounce", sent["message"], sent["email"]))
    post_webhook(brevo_event("delivered", sent["message"], sent["email"]))

    written = capsys.readouterr()
    logged = written.out + written.err + caplog.text
    assert "brevo event" in logged
    assert sent["email"] not in logged


def test_an_event_naming_a_message_and_another_address_suppresses_nobody(
    account: Account, person: dict[str, Any], sent: dict[str, Any]
) -> None:
    bystander = new_person(account)  # a debtor of the same workspace, who was never sent this message
    other = another_workspace()
    elsewhere = other.call("POST", "/debtors", {"name": "Émile Zola", "email": bystander["email"]}).json()

    answers = [post_webhook(brevo_event(kind, sent["message"], bystander["email"])) for kind in ("spam", "hard_bounce")]

    assert [answer.json()["result"] for answer in answers] == ["not_the_recipient"] * 2
    assert debtor_now(account, bystander)["email_suppressed"] is None
    assert debtor_now(account, person)["email_suppressed"] is None
    assert other.call("GET", f"/debtors/{elsewhere['id']}").json()["email_suppressed"] is None
    assert communication_of(sent["message"])["events"] == {}
    # The message's own recipient is still heard.
    assert post_webhook(brevo_event("spam", sent["message"], sent["email"])).json()["result"] == "suppressed"
