"""The instalment scheduler through the door AWS uses: the reminders' schedule event, at its `time`.

The business signs up on Monday 2027-03-01 (the `clock` fixture pins the API's "now"), in Paris (its workspace's
zone, without a reminder policy of its own: its emails go at 09:00). Its debtor owes 60.00 due 1 February and 40.00
due 1 April; their plan pays 100.00 in three instalments, 33.33 on 10 March, 33.33 on 10 April, 33.34 on 10 May,
with the default 5 grace days. The scheduler runs at the event's `time`, so a test moves it through the months
without moving the API's clock. Each test's scheduler sees its own workspace's plans only (the session's emulator
holds every other test's).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from collectra.debts.timeline import read_timeline
from collectra.inbox import items as inbox
from collectra.plans import service
from collectra.reminders.instalments import due_in_shard as EVERY_DUE_PLAN
from collectra.store import keys
from collectra.workspaces.records import Workspace
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.debtor_page import connect_stripe
from tests.support.http import Browser, harness
from tests.support.meanwhile import meanwhile
from tests.support.reminders import drain, plan, planner_sees
from tests.support.stripe_standin import Outbox, control
from tests.support.verification import verify_by_link
from tests.support.world import existing_item

SCHEDULER = "InstalmentSchedulerFunction"
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
PARIS = ZoneInfo("Europe/Paris")
MONTHLY = [date(2027, 3, 10), date(2027, 4, 10), date(2027, 5, 10)]


def paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


def scheduler_sees(monkeypatch: pytest.MonkeyPatch, keep: Callable[[dict[str, Any]], bool]) -> None:
    """The scheduler reads only the due plans `keep` accepts."""
    from collectra.reminders import instalments as scheduler

    everything = EVERY_DUE_PLAN

    def due(shard: int, now: datetime) -> Any:
        for entries in everything(shard, now):
            kept = [entry for entry in entries if keep(dict(entry))]
            if kept:
                yield kept

    monkeypatch.setattr(scheduler, "due_in_shard", due)


def run(moment: datetime) -> dict[str, Any]:
    """One scheduled run at `moment`; what it answered."""
    return dict(harness().run_schedule(SCHEDULER, moment))


@pytest.fixture
def business(clock: Clock, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Account:
    clock.now = START
    account: Account = request.getfixturevalue("account")
    planner_sees(monkeypatch, lambda debt: debt["workspace_id"] == account.workspace_id)
    scheduler_sees(monkeypatch, lambda entry: entry["workspace_id"] == account.workspace_id)
    return account


def a_debtor(account: Account) -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.fr"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": "fr", "time_zone": "Europe/Paris"}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def a_plan(account: Account, person: dict[str, Any], *, now: datetime = START) -> dict[str, Any]:
    """60.00 and 40.00 owed, proposed by the debtor in three monthly instalments and approved at once."""
    owed = [
        new_debt(account, person["id"], amount=6_000, issued_on="2027-01-01", due_on="2027-02-01"),
        new_debt(account, person["id"], amount=4_000, issued_on="2027-01-01", due_on="2027-04-01"),
    ]
    workspace = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    workspace["payment_plans"] = {"enabled": True, "auto_approve": True}
    debts = [existing_item(keys.debt(account.workspace_id, debt["id"])) for debt in owed]
    debtor = existing_item(keys.debtor(account.workspace_id, person["id"]))
    started = service.propose(workspace, debtor, debts, MONTHLY, now=now)  # type: ignore[arg-type]
    assert started["status"] == "active"
    return dict(started)


@pytest.fixture
def person(business: Account) -> dict[str, Any]:
    return a_debtor(business)


@pytest.fixture
def active(business: Account, person: dict[str, Any]) -> dict[str, Any]:
    return a_plan(business, person)


def plan_emails(brevo: BrevoStandIn, person: dict[str, Any]) -> list[str]:
    """The kinds of plan email the debtor was sent, oldest first."""
    found = [m for m in reversed(brevo.outbox()) if m["to"][0]["email"] == person["email"]]
    return [m["tags"][1] for m in found if m.get("tags", [None])[0] == "plan"]


def reminder_emails(brevo: BrevoStandIn, person: dict[str, Any]) -> int:
    found = [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]
    return sum(1 for m in found if (m.get("tags") or [None])[0] == "reminder")


def stored_plan(account: Account, plan_id: str) -> dict[str, Any]:
    return existing_item(keys.plan(account.workspace_id, plan_id))


def types(account: Account, debt_id: str) -> list[str]:
    return [entry["type"] for entry in read_timeline(account.workspace_id, debt_id, cursor=None, limit=100)[0]]


# ---------------------------------------------------------------- the life of a plan


def test_a_plan_is_confirmed_then_each_instalment_announced_once_then_a_missed_one_noted_then_it_breaks(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    run(START)
    assert plan_emails(brevo, person) == ["plan_started"]
    subject = next(m for m in brevo.outbox() if m["to"][0]["email"] == person["email"])["subject"]
    assert "échéancier" in subject  # in the debtor's language

    run(paris("2027-03-07T08:59"))
    assert plan_emails(brevo, person) == ["plan_started"]  # not before 09:00, 3 days before the 10th
    run(paris("2027-03-07T09:00"))
    run(paris("2027-03-07T09:15"))  # the next run, and the same event delivered again
    run(paris("2027-03-07T09:00"))
    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming"]

    run(paris("2027-03-11T09:00"))  # the day after the date, unpaid, within the 5 grace days
    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming", "instalment_missed"]
    assert stored_plan(business, active["id"])["status"] == "active"
    assert reminder_emails(brevo, person) == 0
    plan(paris("2027-03-11T09:00"))  # the reminders' own run: the plan's debts are not in it
    drain()
    assert reminder_emails(brevo, person) == 0

    run(paris("2027-03-15T23:59"))
    assert stored_plan(business, active["id"])["status"] == "active"  # the last grace day is not over
    run(paris("2027-03-16T00:00"))
    broken = stored_plan(business, active["id"])
    assert broken["status"] == "broken"
    assert plan_emails(brevo, person)[-1] == "instalment_missed"  # told at the day's sending hour, not at midnight
    for debt_id in active["debt_ids"]:
        assert "plan_broken" in types(business, debt_id)
        debt = existing_item(keys.debt(business.workspace_id, debt_id))
        assert not debt.get("plan")
        assert debt["due_on"] <= "2027-03-16"  # what remains is due at once
        assert debt.get("gsi5pk", "").startswith("REMIND#")  # back in the reminders' index
    assert inbox.get(business.workspace_id, inbox.item_id("plan_broken", active["id"])) is not None

    run(paris("2027-03-16T09:00"))
    assert plan_emails(brevo, person)[-1] == "plan_broken"
    assert "gsi5pk" not in stored_plan(business, active["id"])  # nothing left to do: out of the scheduler's index
    plan(paris("2027-03-16T09:00"))  # and normal reminders resume at once
    drain()
    assert reminder_emails(brevo, person) == 1


def test_a_plan_paid_early_is_completed_and_the_debtor_thanked(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    run(START)
    for debt_id, amount in zip(active["debt_ids"], (6_000, 4_000), strict=True):
        paid = business.browser.call(
            "POST", f"/debts/{debt_id}/payments", {"amount": amount, "received_on": "2027-03-01"}
        )
        assert paid.status == 201, paid.body

    run(paris("2027-03-07T09:00"))
    run(paris("2027-03-07T09:15"))

    assert stored_plan(business, active["id"])["status"] == "completed"
    assert plan_emails(brevo, person) == ["plan_started", "plan_completed"]
    assert "gsi5pk" not in stored_plan(business, active["id"])


def owed_by(account: Account, person: dict[str, Any]) -> tuple[Workspace, dict[str, Any], list[Any]]:
    owed = [
        new_debt(account, person["id"], amount=6_000, issued_on="2027-01-01", due_on="2027-02-01"),
        new_debt(account, person["id"], amount=4_000, issued_on="2027-01-01", due_on="2027-04-01"),
    ]
    workspace = cast(Workspace, existing_item(keys.workspace(account.workspace_id)))
    workspace["payment_plans"] = {"enabled": True, "auto_approve": False}
    debts = [existing_item(keys.debt(account.workspace_id, debt["id"])) for debt in owed]
    return workspace, existing_item(keys.debtor(account.workspace_id, person["id"])), debts


def test_an_offer_is_emailed_and_a_declined_proposal_answered_with_the_business_note(
    business: Account, brevo: BrevoStandIn
) -> None:
    from collectra.debts.timeline import actor_user

    offered_to, declined_to = a_debtor(business), a_debtor(business)
    workspace, debtor, debts = owed_by(business, offered_to)
    offered = service.offer(workspace, debtor, debts, MONTHLY, actor=actor_user(business.user_id), now=START)
    workspace, debtor, debts = owed_by(business, declined_to)
    proposed = service.propose(workspace, debtor, debts, MONTHLY, now=START)
    assert proposed["status"] == "proposed"
    run(START)
    assert plan_emails(brevo, declined_to) == []  # the business has not answered yet: nothing to tell

    service.decline(workspace, proposed, actor=actor_user(business.user_id), reason="Not before April", now=START)
    run(START.replace(minute=15))
    run(START.replace(minute=30))

    assert plan_emails(brevo, offered_to) == ["plan_offered"]
    assert plan_emails(brevo, declined_to) == ["plan_declined"]
    [declined] = [m for m in brevo.outbox() if m["to"][0]["email"] == declined_to["email"]]
    assert "Not before April" in declined["textContent"]
    assert "gsi5pk" not in stored_plan(business, proposed["id"])
    assert "gsi5pk" not in stored_plan(business, offered["id"])  # sent: the debtor's acceptance brings it back


def test_a_debtor_who_opted_out_is_not_emailed_and_the_notice_is_not_tried_again(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    from collectra import store

    store.update(
        keys.debtor(business.workspace_id, person["id"]), "SET email_suppressed = :why", values={":why": "opted_out"}
    )
    run(START)
    run(paris("2027-03-07T09:00"))

    assert plan_emails(brevo, person) == []
    assert set(stored_plan(business, active["id"])["notices"]) == {"plan_started#0", "instalment_upcoming#1"}


# ---------------------------------------------------------------- once, whatever happens


def test_two_schedulers_at_once_send_each_notice_once(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    run(START)
    moment = paris("2027-03-07T09:00")
    with meanwhile(SCHEDULER, "UpdateItem", lambda: run(moment)):  # another one, just before the first one's claim
        run(moment)

    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming"]


def test_schedulers_on_threads_send_each_notice_once(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    run(START)
    moment = paris("2027-03-07T09:00")
    start = threading.Barrier(3)

    def scheduler() -> None:
        start.wait()
        run(moment)

    threads = [threading.Thread(target=scheduler) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming"]


def test_a_run_that_died_after_brevo_took_the_email_is_taken_over_and_sends_nothing_twice(
    business: Account,
    person: dict[str, Any],
    active: dict[str, Any],
    brevo: BrevoStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from collectra.reminders import plan_notices as notices

    run(START)
    real = notices._record
    crashes = [1]

    def crash(*args: Any, **kwargs: Any) -> None:
        if crashes:
            crashes.pop()
            raise RuntimeError("the function died here")
        real(*args, **kwargs)

    monkeypatch.setattr(notices, "_record", crash)
    answered = run(paris("2027-03-07T09:00"))
    assert answered["failed"] == 1  # counted (PlanLookFailed), logged with ids only
    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming"]  # Brevo took it

    run(paris("2027-03-07T09:01"))  # its claim is still held
    run(paris("2027-03-07T09:03"))  # the claim ran out: taken over, sent under the same key
    assert plan_emails(brevo, person) == ["plan_started", "instalment_upcoming"]
    assert not stored_plan(business, active["id"])["notices"]["instalment_upcoming#1"].startswith("claimed:")


def test_a_failing_plan_does_not_stop_another_workspaces_plans(
    business: Account,
    person: dict[str, Any],
    active: dict[str, Any],
    brevo: BrevoStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = sign_up(brevo, "Other & Co")
    other_person = a_debtor(other)
    other_plan = a_plan(other, other_person)
    scheduler_sees(monkeypatch, lambda entry: entry["workspace_id"] in (business.workspace_id, other.workspace_id))
    real = service.settle

    def settle(workspace_id: str, plan_id: str, *, now: datetime) -> Any:
        if workspace_id == business.workspace_id:
            raise KeyError("a corrupt plan")
        return real(workspace_id, plan_id, now=now)

    monkeypatch.setattr(service, "settle", settle)
    answered = run(START)

    assert answered["failed"] == 1
    assert plan_emails(brevo, other_person) == ["plan_started"]
    assert plan_emails(brevo, person) == []
    assert stored_plan(other, other_plan["id"])["notices"]["plan_started#0"]
    monkeypatch.setattr(service, "settle", real)
    run(START.replace(minute=15))  # it is looked at again by the next run
    assert plan_emails(brevo, person) == ["plan_started"]


def sign_up(brevo: BrevoStandIn, company: str) -> Account:
    browser = Browser()
    email = f"owner-{uuid.uuid4().hex[:12]}@example.com"
    answer = browser.call(
        "POST", "/auth/signup", {"email": email, "password": PASSWORD, "name": "Owner", "workspace_name": company}
    )
    assert answer.status == 201, answer.body
    verify_by_link(browser, brevo, email)
    return Account(email, browser, answer.json())


# ---------------------------------------------------------------- the forecast


def forecast(browser: Browser) -> list[dict[str, Any]]:
    answer = browser.call("GET", "/workspace/analytics/summary")
    assert answer.status == 200, answer.body
    [euros] = [c for c in answer.json()["currencies"] if c["currency"] == "EUR"]
    return list(euros["forecast"])


def test_the_forecast_plans_the_instalments_and_predicts_the_plans_debts_again_once_it_breaks(
    business: Account, person: dict[str, Any], active: dict[str, Any], clock: Clock
) -> None:
    run(START)

    weeks = forecast(business.browser)
    assert [week["planned"] for week in weeks] == [0, 3_333, 0, 0, 0, 3_333, 0, 0]  # 10 May is beyond 8 weeks
    assert sum(week["predicted"] for week in weeks) == 0  # the plan's debts are not predicted as well

    run(paris("2027-03-16T00:00"))  # broken
    clock.now = paris("2027-03-16T10:00").astimezone(UTC)
    weeks = forecast(business.new_browser())  # signed in again, two weeks later
    assert sum(week["planned"] for week in weeks) == 0
    assert sum(week["predicted"] for week in weeks) == 10_000


# ---------------------------------------------------------------- automatic collection: each instalment charged once

CARD = "4242424242424242"


def collected_automatically(account: Account, plan_id: str, stripe_api: StripeStandIn, card: str = CARD) -> str:
    """The workspace connected to Stripe, and the plan's debtor's card saved as a setup-mode Checkout saves it (a
    Customer, a session completed on Stripe's page): the plan collects automatically. The connected account's id."""
    from collectra import store
    from collectra.payments import stripe_api as stripe_client

    outbox = Outbox(stripe_api.url)
    account_id = connect_stripe(account.browser, stripe_api, outbox)
    client = stripe_client.client()
    customer = client.v1.customers.create(params={"name": "Émile Zola"}, options={"stripe_account": account_id})
    session = client.v1.checkout.sessions.create(
        params={  # type: ignore[arg-type]
            "mode": "setup",
            "customer": customer.id,
            "currency": "eur",
            "payment_method_types": ["card", "sepa_debit"],
            "expires_at": int((datetime.now(UTC) + timedelta(minutes=31)).timestamp()),
            "success_url": "https://pay.example/done",
            "cancel_url": "https://pay.example/cancelled",
        },
        options={"stripe_account": account_id},
    )
    control(stripe_api.url, f"sessions/{session.id}/setup", {"method": card})
    intent = client.v1.setup_intents.retrieve(str(session.setup_intent), options={"stripe_account": account_id})
    saved = {
        "mode": "automatic",
        "customer_id": customer.id,
        "payment_method_id": str(intent.payment_method),
        "method": {"type": "card" if card.isdigit() else "sepa_debit", "last4": card[-4:]},
    }
    store.update(
        keys.plan(account.workspace_id, plan_id),
        "SET #collection = :saved, version = version + :one",
        values={":saved": saved, ":one": 1},
        names={"#collection": "collection"},
    )
    return account_id


def intents_of(stripe_api: StripeStandIn, plan_id: str) -> set[str]:
    """The PaymentIntents Stripe made for the plan (each made one event or more, its metadata naming the plan)."""
    events = control(stripe_api.url, "events", method="GET")["events"]
    return {
        entry["event"]["data"]["object"]["id"]
        for entry in events
        if entry["event"]["type"].startswith("payment_intent.")
        and entry["event"]["data"]["object"].get("metadata", {}).get("plan_id") == plan_id
    }


def test_an_automatic_instalment_is_announced_then_charged_once_on_its_date_however_the_scheduler_runs(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn, stripe_api: StripeStandIn
) -> None:
    collected_automatically(business, active["id"], stripe_api)
    run(START)
    run(paris("2027-03-07T09:00"))
    [upcoming] = [
        m
        for m in brevo.outbox()
        if (m.get("tags") or [None, None])[1:2] == ["instalment_upcoming"] and m["to"][0]["email"] == person["email"]
    ]
    assert "4242" in upcoming["textContent"]  # "prélevée ... sur votre carte se terminant par 4242"
    assert intents_of(stripe_api, active["id"]) == set()

    moment = paris("2027-03-10T09:00")
    with meanwhile(SCHEDULER, "TransactWriteItems", lambda: run(moment)):  # a second scheduler, at the worst moment
        run(moment)
    run(moment)  # the same event delivered again
    threads = [threading.Thread(target=run, args=(moment,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run(paris("2027-03-10T09:15"))

    assert len(intents_of(stripe_api, active["id"])) == 1
    assert stored_plan(business, active["id"])["charges"]["1"]["tries"] == 1


def test_a_charge_that_needs_the_debtor_emails_them_the_link_once(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn, stripe_api: StripeStandIn
) -> None:
    collected_automatically(business, active["id"], stripe_api, card="4000002760003184")  # needs authentication
    run(START)
    run(paris("2027-03-07T09:00"))
    run(paris("2027-03-10T09:00"))
    run(paris("2027-03-10T09:15"))
    run(paris("2027-03-11T09:00"))

    charge = stored_plan(business, active["id"])["charges"]["1"]
    assert (charge["state"], charge.get("next_try_at")) == ("action_required", None)
    assert len(intents_of(stripe_api, active["id"])) == 1
    emails = plan_emails(brevo, person)
    assert emails.count("instalment_charge_failed") == 1
    [failed] = [
        m
        for m in brevo.outbox()
        if (m.get("tags") or [None, None])[1:2] == ["instalment_charge_failed"]
        and m["to"][0]["email"] == person["email"]
    ]
    assert "/p/" in failed["textContent"] and "3184" in failed["textContent"]  # the page to pay it, the card named


def test_a_route_may_send_what_is_due_at_once_and_the_scheduler_then_sends_it_no_more(
    business: Account, person: dict[str, Any], active: dict[str, Any], brevo: BrevoStandIn
) -> None:
    from collectra.reminders import plan_notices

    sent = plan_notices.send_due(business.workspace_id, active["id"], now=START)
    again = plan_notices.send_due(business.workspace_id, active["id"], now=START)
    run(START)

    assert (sent.sent, again.sent) == (["plan_started#0"], [])
    assert plan_emails(brevo, person) == ["plan_started"]


def test_a_sepa_debit_on_its_way_holds_the_break_until_it_lands(
    business: Account, person: dict[str, Any], active: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    collected_automatically(business, active["id"], stripe_api, card="DE89370400440532013000")  # settles later
    run(START)
    run(paris("2027-03-10T09:00"))
    assert stored_plan(business, active["id"])["charges"]["1"]["state"] == "processing"

    run(paris("2027-03-16T00:00"))  # past the grace days, but the money is on its way
    assert stored_plan(business, active["id"])["status"] == "active"

    [intent] = intents_of(stripe_api, active["id"])
    control(stripe_api.url, f"payment_intents/{intent}/settle")
    Outbox(stripe_api.url).deliver_new()  # Stripe's signed webhooks: the money is booked
    run(paris("2027-03-16T09:00"))
    assert stored_plan(business, active["id"])["status"] == "active"
    assert len(intents_of(stripe_api, active["id"])) == 1


def test_a_run_that_died_after_charging_is_retried_without_a_second_charge(
    business: Account,
    person: dict[str, Any],
    active: dict[str, Any],
    stripe_api: StripeStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from collectra.reminders import plan_notices

    collected_automatically(business, active["id"], stripe_api)
    run(START)
    real = plan_notices.send_notices
    crashes = [1]

    def dies(*args: Any, **kwargs: Any) -> Any:
        if crashes:
            crashes.pop()
            raise RuntimeError("the function died after charging")
        return real(*args, **kwargs)

    monkeypatch.setattr(plan_notices, "send_notices", dies)
    assert run(paris("2027-03-10T09:00"))["failed"] == 1
    assert len(intents_of(stripe_api, active["id"])) == 1

    run(paris("2027-03-10T09:15"))  # the next run looks at it again: nothing charged twice
    run(paris("2027-03-10T09:30"))
    assert len(intents_of(stripe_api, active["id"])) == 1
    assert stored_plan(business, active["id"])["charges"]["1"]["tries"] == 1
