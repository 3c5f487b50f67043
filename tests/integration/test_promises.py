"""Promises to pay through the doors: the business's route, the debtor's form, the planner's schedule and queue.

The business signs in on Monday 2027-03-01 (the `clock` fixture pins the API's "now"); the planner runs at the
scheduled event's `time`, so a test moves it past a promise's grace day without moving the API's clock.
"""

from __future__ import annotations

import html
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from collectra.store import keys
from local.brevo import BrevoStandIn
from tests.conftest import Account, Clock, new_debt
from tests.support.debtor_page import page_token, post_form
from tests.support.http import harness
from tests.support.meanwhile import meanwhile
from tests.support.reminders import PLANNER, deliver_slice, drain, plan, planner_sees, receive_slices
from tests.support.world import existing_item

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def business(clock: Clock, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Account:
    """The account, signed up once the API's clock is pinned to START; the planner sees its debts only."""
    clock.now = START
    account: Account = request.getfixturevalue("account")
    planner_sees(monkeypatch, lambda debt: debt["workspace_id"] == account.workspace_id)
    return account


@pytest.fixture
def person(business: Account) -> dict[str, Any]:
    """A debtor in Paris, in French, with an address of their own (the outbox is read for them alone)."""
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = business.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


@pytest.fixture
def debt(business: Account, person: dict[str, Any]) -> dict[str, Any]:
    """125.00 EUR due Wednesday 10 March: its first reminder (3 days before) falls on Sunday 7, sent Monday 8."""
    return new_debt(business, person["id"], amount=12_500, due_on="2027-03-10")


def promise(account: Account, debt_id: str, **body: Any) -> Any:
    return account.browser.call("POST", f"/debts/{debt_id}/promise", body)


def pay(account: Account, debt_id: str, amount: int) -> None:
    answer = account.browser.call("POST", f"/debts/{debt_id}/payments", {"amount": amount, "received_on": "2027-03-01"})
    assert answer.status == 201, answer.body


def types(account: Account, debt_id: str) -> list[str]:
    """The debt's timeline as stored (read from the table: a sign-in would not outlive the planner's dates)."""
    from collectra.debts.timeline import read_timeline

    return [entry["type"] for entry in read_timeline(account.workspace_id, debt_id, cursor=None, limit=100)[0]]


def counted(account: Account, debtor_id: str) -> tuple[int, int]:
    debtor = existing_item(keys.debtor(account.workspace_id, debtor_id))
    return int(debtor.get("promises_kept", 0)), int(debtor.get("promises_broken", 0))


def stored(account: Account, debt_id: str) -> dict[str, Any]:
    return existing_item(keys.debt(account.workspace_id, debt_id))


def emails_to(brevo: BrevoStandIn, person: dict[str, Any]) -> list[dict[str, Any]]:
    """What the debtor was sent, oldest first."""
    return [m for m in reversed(brevo.outbox()) if m["to"][0]["email"] == person["email"]]


def cycle(moment: datetime) -> dict[str, Any]:
    summary = plan(moment)
    drain()
    return summary


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


# ---------------------------------------------------------------- recorded by the business


def test_a_promise_holds_reminders_and_shows_on_the_debt(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    answer = promise(business, debt["id"], on="2027-03-12")

    assert answer.status == 200, answer.body
    shown = business.browser.call("GET", f"/debts/{debt['id']}").json()["promise"]
    assert (shown["amount"], shown["on"], shown["made_at"]) == (12_500, "2027-03-12", "2027-03-01T09:00:00Z")
    summary = cycle(paris("2027-03-08T09:00"))  # the first reminder's day, inside the promise
    assert emails_to(brevo, person) == []
    assert summary["skipped"].get("promised") is None  # not even read: its next look is the promise's deadline
    assert "promise_made" in types(business, debt["id"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": "2027-03-12", "amount": 0}, "amount"),
        ({"on": "2027-03-12", "amount": 12_501}, "amount"),  # more than is outstanding
        ({"on": "2027-02-28"}, "on"),  # yesterday
        ({"on": "2027-05-31"}, "on"),  # beyond the workspace's 90 days
        ({"on": "2027-03-12", "amount": "12.5"}, "amount"),
        ({}, "on"),
    ],
)
def test_a_promise_out_of_bounds_is_422_naming_its_field_and_changes_nothing(
    business: Account, debt: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    answer = promise(business, debt["id"], **body)

    assert answer.status == 422, answer.body
    assert f"body.{field}" in str(answer.json()["error"]["details"])
    assert stored(business, debt["id"])["version"] == debt["version"]
    assert types(business, debt["id"]) == ["created"]


def test_a_debt_not_being_collected_takes_no_promise(business: Account, debt: dict[str, Any]) -> None:
    assert business.browser.call("POST", f"/debts/{debt['id']}/dispute").status == 200

    answer = promise(business, debt["id"], on="2027-03-12")

    assert (answer.status, answer.json()["error"]["code"]) == (409, "promise_not_allowed")


def test_a_new_promise_replaces_the_open_one_and_a_withdrawn_one_counts_as_neither(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    assert promise(business, debt["id"], on="2027-03-03", amount=5_000).status == 200
    replaced = promise(business, debt["id"], on="2027-03-05", amount=7_000)
    assert replaced.status == 200
    assert replaced.json()["promise"]["amount"] == 7_000

    withdrawn = business.browser.call("DELETE", f"/debts/{debt['id']}/promise")

    assert withdrawn.status == 200 and withdrawn.json()["promise"] is None
    assert business.browser.call("DELETE", f"/debts/{debt['id']}/promise").status == 404
    assert types(business, debt["id"]) == [
        "created",
        "promise_made",
        "promise_replaced",
        "promise_made",
        "promise_withdrawn",
    ]
    cycle(paris("2027-03-08T09:00"))  # both promises' deadlines are past: nothing is decided, reminders go on
    assert counted(business, person["id"]) == (0, 0)
    assert [email["subject"] for email in emails_to(brevo, person)] == ["Un rappel de Hopper & Co"]


def test_two_clicks_on_the_same_version_record_one_promise(business: Account, debt: dict[str, Any]) -> None:
    browsers = [business.browser, business.new_browser()]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def click(browser: Any) -> None:
        start.wait()
        statuses.append(browser.call("POST", f"/debts/{debt['id']}/promise", {"on": "2027-03-12", "version": 1}).status)

    threads = [threading.Thread(target=click, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 409]
    assert types(business, debt["id"]) == ["created", "promise_made"]
    assert stored(business, debt["id"])["version"] == 2


# ---------------------------------------------------------------- kept


def test_the_payment_that_reaches_the_promise_keeps_it_at_once(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    promise(business, debt["id"], on="2027-03-03", amount=5_000)

    pay(business, debt["id"], 3_000)  # a part: still open
    assert business.browser.call("GET", f"/debts/{debt['id']}").json()["promise"]["amount"] == 5_000
    pay(business, debt["id"], 2_000)

    assert business.browser.call("GET", f"/debts/{debt['id']}").json()["promise"] is None
    assert types(business, debt["id"]).count("promise_kept") == 1
    assert counted(business, person["id"]) == (1, 0)
    cycle(paris("2027-03-05T09:00"))  # after the grace day: nothing left to decide, no "you promised"
    assert counted(business, person["id"]) == (1, 0)
    assert emails_to(brevo, person) == []


# ---------------------------------------------------------------- broken


def test_a_promise_unpaid_after_its_grace_day_is_broken_and_the_debtor_hears_you_promised_then_the_steps(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    promise(business, debt["id"], on="2027-03-03", amount=5_000)
    pay(business, debt["id"], 1_000)  # a part of it only

    cycle(paris("2027-03-04T23:59"))  # the grace day (Thursday 4) is not over in Paris
    assert counted(business, person["id"]) == (0, 0)
    cycle(paris("2027-03-05T00:00"))  # it is: broken; the email waits for the sending hours

    assert "promise_broken" in types(business, debt["id"])
    assert counted(business, person["id"]) == (0, 1)
    assert stored(business, debt["id"]).get("promise") is None
    listed = business.browser.call("GET", "/workspace/inbox?kind=broken_promise").json()["items"]
    assert [(item["debt_id"], item["state"]) for item in listed] == [(debt["id"], "open")]
    assert emails_to(brevo, person) == []
    cycle(paris("2027-03-05T08:00"))
    cycle(paris("2027-03-05T08:30"))  # once
    [email] = emails_to(brevo, person)
    assert " ".join(email["subject"].replace("\u202f", " ").replace("\u00a0", " ").split()) == (
        "Vous aviez promis de payer 50,00 € avant le 3 mars 2027"
    )
    assert "/p/" in email["textContent"] and "/u/" in email["textContent"]
    cycle(paris("2027-03-08T09:00"))  # then the policy's own first step, on its day
    assert [email["subject"] for email in emails_to(brevo, person)][1:] == ["Un rappel de Hopper & Co"]
    assert stored(business, debt["id"])["reminder_step"] == 0


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Kiritimati", "Europe/Paris"])
def test_the_grace_day_ends_at_midnight_in_the_business_time_zone(
    business: Account, person: dict[str, Any], debt: dict[str, Any], zone: str
) -> None:
    assert business.browser.call("PATCH", "/workspace", {"time_zone": zone}).status == 200
    promise(business, debt["id"], on="2027-03-03")
    end = datetime(2027, 3, 5, tzinfo=ZoneInfo(zone)).astimezone(UTC)

    plan(end - timedelta(seconds=1))
    assert counted(business, person["id"]) == (0, 0)
    plan(end)

    assert counted(business, person["id"]) == (0, 1)


def test_a_refund_before_the_date_counts_against_the_promise(
    business: Account, person: dict[str, Any], debt: dict[str, Any]
) -> None:
    """Paid before the promise (2,000) then part of it given back: what counts is what was paid since."""
    pay(business, debt["id"], 2_000)
    promise(business, debt["id"], on="2027-03-03", amount=3_000)
    pay(business, debt["id"], 2_500)

    plan(paris("2027-03-05T00:00"))

    assert counted(business, person["id"]) == (0, 1)


# ---------------------------------------------------------------- exactly once


def test_a_redelivered_slice_and_a_second_planner_decide_the_promise_once(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    promise(business, debt["id"], on="2027-03-03", amount=5_000)
    moment = paris("2027-03-05T09:00")
    harness().run_schedule(PLANNER, moment)
    slices: list[dict[str, Any]] = []
    while batch := receive_slices():
        slices += batch
    start = threading.Barrier(2)

    def planner() -> None:
        start.wait()
        for start_at in range(0, len(slices), 10):
            deliver_slice(slices[start_at : start_at + 10], delete=False)

    twice = [threading.Thread(target=planner) for _ in range(2)]
    for thread in twice:
        thread.start()
    for thread in twice:
        thread.join()
    for start_at in range(0, len(slices), 10):  # and SQS hands the same slices over once more
        deliver_slice(slices[start_at : start_at + 10])
    drain()

    assert types(business, debt["id"]).count("promise_broken") == 1
    assert counted(business, person["id"]) == (0, 1)
    assert len(emails_to(brevo, person)) == 1


def test_a_payment_slipping_in_before_the_planner_decides_keeps_the_promise(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    promise(business, debt["id"], on="2027-03-03", amount=5_000)

    with meanwhile("PlanShardFunction", "TransactWriteItems", lambda: pay(business, debt["id"], 5_000)):
        cycle(paris("2027-03-05T09:00"))

    assert [t for t in types(business, debt["id"]) if t in ("promise_kept", "promise_broken")] == ["promise_kept"]
    assert counted(business, person["id"]) == (1, 0)
    assert emails_to(brevo, person) == []


def test_a_payment_racing_the_planner_on_threads_decides_the_promise_once(
    business: Account, person: dict[str, Any], debt: dict[str, Any], brevo: BrevoStandIn
) -> None:
    promise(business, debt["id"], on="2027-03-03", amount=5_000)
    start = threading.Barrier(2)
    done: list[str] = []

    def run(action: Callable[[], Any], name: str) -> None:
        start.wait()
        action()
        done.append(name)

    racing = [
        threading.Thread(target=run, args=(lambda: pay(business, debt["id"], 5_000), "pay")),
        threading.Thread(target=run, args=(lambda: plan(paris("2027-03-05T09:00")), "plan")),
    ]
    for thread in racing:
        thread.start()
    for thread in racing:
        thread.join()
    drain()

    assert sorted(done) == ["pay", "plan"]
    decided = [t for t in types(business, debt["id"]) if t in ("promise_kept", "promise_broken")]
    assert len(decided) == 1
    assert sum(counted(business, person["id"])) == 1
    assert len(emails_to(brevo, person)) == (1 if decided == ["promise_broken"] else 0)
    assert stored(business, debt["id"]).get("promise") is None


# ---------------------------------------------------------------- from the debtor's page


def test_the_debtor_promises_an_amount_from_their_page(
    business: Account, person: dict[str, Any], debt: dict[str, Any]
) -> None:
    token = page_token(business.browser, person["id"])
    fields = {"kind": "promise", "debt_id": debt["id"], "promise_date": "2027-03-05", "promise_amount": "30,50"}

    answer = post_form(token, "answer", fields | {"message": "Le reste en avril"})

    assert answer.status == 303, answer.body
    recorded = stored(business, debt["id"])["promise"]
    assert (recorded["amount"], recorded["on"], recorded["by"]["kind"]) == (3_050, "2027-03-05", "debtor")
    assert {"promise_made", "debtor_message"} <= set(types(business, debt["id"]))


@pytest.mark.parametrize("amount", ["trente", "125,01", "0", "30,505"])
def test_an_amount_the_page_cannot_take_is_refused_with_a_notice_and_records_nothing(
    business: Account, person: dict[str, Any], debt: dict[str, Any], amount: str
) -> None:
    token = page_token(business.browser, person["id"])
    fields = {"kind": "promise", "debt_id": debt["id"], "promise_date": "2027-03-05", "promise_amount": amount}

    answer = post_form(token, "answer", fields)

    assert answer.status == 422
    assert "un montant promis est un nombre" in html.unescape(answer.body)
    assert stored(business, debt["id"])["version"] == debt["version"]
    assert "debtor_message" not in types(business, debt["id"])


def test_an_amount_is_promised_for_one_invoice_at_a_time(
    business: Account, person: dict[str, Any], debt: dict[str, Any]
) -> None:
    new_debt(business, person["id"], amount=500, due_on="2027-03-10")
    token = page_token(business.browser, person["id"])

    answer = post_form(token, "answer", {"kind": "promise", "promise_date": "2027-03-05", "promise_amount": "10"})

    assert answer.status == 422
    assert stored(business, debt["id"]).get("promise") is None


def test_the_business_previews_the_you_promised_email_in_each_language(business: Account) -> None:
    for locale, opening in (("en", "You promised to pay"), ("fr", "Vous aviez promis"), ("de", "Sie hatten zugesagt")):
        answer = business.browser.call(
            "POST", "/workspace/reminder-templates/preview", {"template": "promised", "locale": locale}
        )

        assert answer.status == 200, answer.body
        assert answer.json()["subject"].startswith(opening)
