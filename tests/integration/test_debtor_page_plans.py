"""Payment plans from the debtor's side, through the page's doors: the page shows a plan form, an offer or a
running plan; POST /p/{token}/plan proposes or accepts one; POST /p/{token}/pay with plan_id pays what the plan
asks now through Stripe Checkout (the stand-in), and Stripe's signed webhook settles it; exports and erasures
follow the plans."""

from __future__ import annotations

import html
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from collectra.pages.messages import message
from local.harness import Answer
from local.stripe import StripeStandIn
from tests.conftest import PASSWORD, STRIPE_WEBHOOK_SECRET, Account, new_debt
from tests.support import debtor_page
from tests.support.debtor_page import FORM, connect_stripe, csrf_of
from tests.support.erasure import run_jobs_of
from tests.support.exports import download, export_now
from tests.support.http import Browser
from tests.support.meanwhile import meanwhile
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, press
from tests.support.world import all_items

CREDITOR = "Hopper & Co"


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


def today() -> date:
    """The business's today (the workspace's zone is Europe/Paris unless set: the tests run near noon UTC)."""
    return date.today()


def enable_plans(account: Account, **settings: Any) -> None:
    body = {"enabled": True, "max_instalments": 6, "max_days": 180, "min_first_percent": 10} | settings
    answer = account.browser.call("PATCH", "/workspace", {"payment_plans": body})
    assert answer.status == 200, answer.body


def page_of(account: Account, debtor_id: str) -> str:
    return debtor_page.page_token(account.browser, debtor_id)


def post_plan(token: str, fields: dict[str, str], *, csrf: str | None = None) -> Answer:
    form = {"csrf_token": csrf or csrf_of(token), **fields}
    return Browser().call("POST", f"/p/{token}/plan", raw_body=urlencode(form), headers=FORM, csrf_header=False)


def proposal(**changes: str) -> dict[str, str]:
    """The plan form as the page posts it: all the EUR debts in 3 monthly instalments from three days on."""
    return {
        "action": "propose",
        "debt_id": "all",
        "currency": "EUR",
        "count": "3",
        "first_due_on": (today() + timedelta(days=3)).isoformat(),
        "every": "month",
    } | changes


def propose(token: str, **changes: str) -> Answer:
    return post_plan(token, proposal(**changes))


def plans_of(account: Account, debtor_id: str) -> list[dict[str, Any]]:
    answer = account.browser.call("GET", f"/debtors/{debtor_id}/plans")
    assert answer.status == 200, answer.body
    return list(answer.json()["items"])


def plan_of(account: Account, plan_id: str) -> dict[str, Any]:
    answer = account.browser.call("GET", f"/plans/{plan_id}")
    assert answer.status == 200, answer.body
    return dict(answer.json())


def asked(plan: dict[str, Any]) -> dict[str, int] | None:
    """What the plan asks now: which instalment, and how much of it."""
    now = plan["asked_now"]
    return {"number": now["number"], "amount": now["amount"]} if now else None


def in_plan(account: Account, debt_id: str) -> str | None:
    """The plan a debt is shown in (status `in_plan`), or None (and its status is not `in_plan`)."""
    shown = account.browser.call("GET", f"/debts/{debt_id}").json()
    held = (shown.get("plan") or {}).get("id")
    assert (shown["status"] == "in_plan") == (held is not None), shown
    return held


def said(key: str, locale: str = "fr", **values: Any) -> str:
    return html.escape(message(locale, key, creditor=CREDITOR, **values), quote=False)


def page_text(token: str) -> str:
    return html.unescape(Browser().call("GET", f"/p/{token}").body)


@pytest.fixture
def owing(account: Account, debtor: dict[str, Any]) -> dict[str, Any]:
    """Two debts of the debtor, 100.00 and 200.00 EUR, and their page."""
    first = new_debt(account, debtor["id"], amount=10_000, due_on="2026-11-01")
    second = new_debt(account, debtor["id"], amount=20_000, due_on="2026-11-15")
    return {"debts": [first, second], "token": page_of(account, debtor["id"]), "debtor": debtor}


# ---------------------------------------------------------------- proposing


def test_a_page_without_plans_enabled_shows_no_plan_form(account: Account, owing: dict[str, Any]) -> None:
    body = Browser().call("GET", f"/p/{owing['token']}").body
    assert f'action="/p/{owing["token"]}/plan"' not in body
    refused = propose(owing["token"])
    assert refused.status == 409
    assert said("plan_unavailable") in refused.body
    assert plans_of(account, owing["debtor"]["id"]) == []


def test_within_the_rules_with_auto_approve_the_plan_starts_at_once(account: Account, owing: dict[str, Any]) -> None:
    enable_plans(account, auto_approve=True)
    token = owing["token"]
    shown = page_text(token)
    assert message("fr", "plan_propose_submit") in shown
    assert message("fr", "plan_intro_auto", creditor=CREDITOR) in shown

    answer = propose(token)

    assert answer.status == 303, answer.body
    assert answer.headers["location"] == f"/p/{token}?notice=plan_started"
    [plan] = plans_of(account, owing["debtor"]["id"])
    assert (plan["status"], plan["proposed_by"], plan["total"]) == ("active", "debtor", 30_000)
    assert [step["amount"] for step in plan["instalments"]] == [10_000, 10_000, 10_000]
    assert sorted(plan["debt_ids"]) == sorted(debt["id"] for debt in owing["debts"])
    for debt in owing["debts"]:
        assert in_plan(account, debt["id"]) == plan["id"]
    after = page_text(f"{token}?notice=plan_started")
    assert message("fr", "plan_started") in after
    assert message("fr", "status_in_plan") in after
    assert message("fr", "plan_propose_submit") not in after  # one open plan at a time
    assert message("fr", "plan_pay_instalment", number=1, amount="100,00\u00a0€") not in after  # payments are off


def test_without_auto_approve_the_proposal_awaits_the_business_in_its_inbox(
    account: Account, owing: dict[str, Any]
) -> None:
    enable_plans(account, auto_approve=False)

    answer = propose(owing["token"], count="2", every="two_weeks", debt_id=owing["debts"][0]["id"])

    assert answer.status == 303 and answer.headers["location"].endswith("?notice=plan_proposed"), answer.body
    [plan] = plans_of(account, owing["debtor"]["id"])
    assert (plan["status"], plan["debt_ids"], plan["total"]) == ("proposed", [owing["debts"][0]["id"]], 10_000)
    first, second = (date.fromisoformat(step["due_on"]) for step in plan["instalments"])
    assert second - first == timedelta(days=14)
    items = account.browser.call("GET", "/workspace/inbox?kind=plan_proposed").json()["items"]
    assert [item["debtor_id"] for item in items] == [owing["debtor"]["id"]]
    assert account.browser.call("GET", f"/debts/{owing['debts'][0]['id']}").json()["status"] == "open"
    assert message("fr", "plan_proposed_status", creditor=CREDITOR) in page_text(owing["token"])


@pytest.mark.parametrize(
    ("situation", "fields"),
    [
        ("too many instalments", {"count": "7"}),
        ("the last beyond the workspace's days", {"count": "6", "every": "month", "first_due_on": "+60"}),
        ("a first date in the past", {"first_due_on": "-1"}),
    ],
)
def test_outside_the_rules_is_refused_with_the_page_and_nothing_is_recorded(
    account: Account, owing: dict[str, Any], situation: str, fields: dict[str, str]
) -> None:
    enable_plans(account, auto_approve=True)
    if "first_due_on" in fields:
        fields = fields | {"first_due_on": (today() + timedelta(days=int(fields["first_due_on"]))).isoformat()}
    before = [item for item in all_items() if item["pk"] == f"WS#{account.workspace_id}"]

    answer = propose(owing["token"], **fields)

    assert answer.status == 422, (situation, answer.body)
    assert answer.headers["content-type"].startswith("text/html")
    assert "6 échéances" in html.unescape(answer.body)  # the notice names the workspace's rules
    assert plans_of(account, owing["debtor"]["id"]) == []
    after = [item for item in all_items() if item["pk"] == f"WS#{account.workspace_id}"]
    assert [i for i in after if i["sk"].startswith("PLAN#")] == []
    assert {i["sk"]: i.get("version") for i in after if i["sk"].startswith(("DEBT#", "DEBTOR#"))} == {
        i["sk"]: i.get("version") for i in before if i["sk"].startswith(("DEBT#", "DEBTOR#"))
    }


def test_an_unreadable_or_forged_form_records_nothing(account: Account, owing: dict[str, Any]) -> None:
    enable_plans(account, auto_approve=True)
    forged = post_plan(owing["token"], {"action": "propose", "count": "3", "first_due_on": "2027-01-01"}, csrf="x")
    unreadable = post_plan(owing["token"], {"action": "propose", "count": "three"})
    other_debt = propose(owing["token"], debt_id="debt_of_someone_else")

    assert (forged.status, unreadable.status, other_debt.status) == (422, 422, 409)
    assert said("plan_invalid") in forged.body and said("plan_debts_changed") in other_debt.body
    assert plans_of(account, owing["debtor"]["id"]) == []


def test_two_tabs_proposing_at_once_make_one_plan(account: Account, owing: dict[str, Any]) -> None:
    enable_plans(account, auto_approve=True)
    token = owing["token"]
    csrf, fields = csrf_of(token), proposal()

    with meanwhile("DebtorPlanFunction", "TransactWriteItems", lambda: post_plan(token, fields, csrf=csrf)) as other:
        first = post_plan(token, fields, csrf=csrf)

    assert (other.answer.status, first.status) == (303, 409), first.body
    assert said("plan_exists") in first.body
    [plan] = plans_of(account, owing["debtor"]["id"])
    assert plan["status"] == "active"


# ---------------------------------------------------------------- an offer


def offer(account: Account, owing: dict[str, Any], *dates: date) -> dict[str, Any]:
    body = {
        "debt_ids": [debt["id"] for debt in owing["debts"]],
        "instalments": [{"due_on": day.isoformat()} for day in dates],
    }
    answer = account.browser.call("POST", f"/debtors/{owing['debtor']['id']}/plans", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def withdraw(account: Account, plan_id: str, reason: str) -> None:
    answer = account.browser.call("POST", f"/plans/{plan_id}/cancel", {"reason": reason})
    assert answer.status == 200, answer.body


def test_the_debtor_accepts_the_offer_on_the_page(account: Account, owing: dict[str, Any]) -> None:
    offered = offer(account, owing, today() + timedelta(days=2), today() + timedelta(days=30))
    shown = page_text(owing["token"])
    assert message("fr", "plan_offered_intro", creditor=CREDITOR) in shown
    assert message("fr", "plan_accept_submit") in shown

    accepted = post_plan(owing["token"], {"action": "accept", "plan_id": offered["id"]})
    again = post_plan(owing["token"], {"action": "accept", "plan_id": offered["id"]})

    assert accepted.status == 303 and accepted.headers["location"].endswith("?notice=plan_accepted"), accepted.body
    assert again.status == 303  # a double click: the plan accepted, started once
    plan = plan_of(account, offered["id"])
    assert (plan["status"], plan["total"]) == ("active", 30_000)
    assert [step["amount"] for step in plan["instalments"]] == [15_000, 15_000]
    for debt in owing["debts"]:
        assert in_plan(account, debt["id"]) == offered["id"]
        timeline = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
        assert [entry["type"] for entry in timeline].count("plan_started") == 1


def test_another_debtors_plan_cannot_be_accepted_from_this_page(
    account: Account, owing: dict[str, Any], debtor: dict[str, Any]
) -> None:
    offered = offer(account, owing, today() + timedelta(days=2), today() + timedelta(days=30))
    stranger = account.browser.call("POST", "/debtors", {"name": "Someone Else", "email": "else@example.org"}).json()
    new_debt(account, stranger["id"])
    stranger_token = page_of(account, stranger["id"])

    answer = post_plan(stranger_token, {"action": "accept", "plan_id": offered["id"]})

    assert answer.status == 422
    assert plan_of(account, offered["id"])["status"] == "offered"


# ---------------------------------------------------------------- paying instalments


def started(account: Account, owing: dict[str, Any]) -> dict[str, Any]:
    enable_plans(account, auto_approve=True)
    assert propose(owing["token"]).status == 303
    [plan] = plans_of(account, owing["debtor"]["id"])
    return plan


def press_pay_plan(token: str, plan_id: str) -> str:
    answer = debtor_page.post_form(token, "pay", {"plan_id": plan_id})
    assert answer.status == 303, answer.body
    return str(answer.headers["location"])


def session_of(stripe_api: StripeStandIn, account_id: str, location: str) -> dict[str, Any]:
    import stripe

    client = stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)
    found = client.v1.checkout.sessions.retrieve(
        location.rsplit("/", 1)[1], params={"expand": ["line_items"]}, options={"stripe_account": account_id}
    )
    session: dict[str, Any] = json.loads(json.dumps(found.to_dict(), default=str))
    return session


def pay_instalment(token: str, plan_id: str, outbox: Outbox) -> list[dict[str, Any]]:
    """The debtor presses "Pay this instalment", pays on Stripe's page; Stripe's events, delivered once each."""
    status, _ = press(press_pay_plan(token, plan_id), "pay")
    assert status == 303
    events = outbox.new()
    for sent in events:
        assert deliver(sent, STRIPE_WEBHOOK_SECRET).status == 200
    return events


def test_paying_instalments_through_checkout_moves_the_plan_and_the_last_completes_it(
    account: Account, owing: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    account_id = connect_stripe(account.browser, stripe_api, outbox)
    plan = started(account, owing)
    token = owing["token"]
    shown = page_text(token)
    assert message("fr", "plan_pay_instalment", number=1, amount="100,00\u00a0€") in shown
    assert message("fr", "plan_automatic_turn_on") in shown

    location = press_pay_plan(token, plan["id"])
    assert press_pay_plan(token, plan["id"]) == location  # single flight: the same session for a second press
    session = session_of(stripe_api, account_id, location)
    assert session["amount_total"] == 10_000
    assert session["metadata"]["plan_id"] == plan["id"]
    names = [item["description"] for item in session["line_items"]["data"]]
    invoice = owing["debts"][0]["invoice_number"]
    assert names == [message("fr", "checkout_instalment", number=1, count=3, invoice=invoice)]

    status, _ = press(location, "pay")
    assert status == 303
    events = outbox.new()
    assert all(deliver(sent, STRIPE_WEBHOOK_SECRET).status == 200 for sent in events)

    after_one = plan_of(account, plan["id"])
    assert [step["status"] for step in after_one["instalments"]] == ["paid", "upcoming", "upcoming"]
    assert (after_one["status"], after_one["paid"], asked(after_one)) == (
        "active",
        10_000,
        {"number": 2, "amount": 10_000},
    )
    paid_debt = account.browser.call("GET", f"/debts/{owing['debts'][0]['id']}").json()
    assert (paid_debt["status"], paid_debt["amount_paid"]) == ("paid", 10_000)
    # The same events again change nothing: no second booking, the plan as it was.
    again = [deliver(sent, STRIPE_WEBHOOK_SECRET).json()["result"] for sent in events]
    assert set(again) == {"duplicate"}
    assert plan_of(account, plan["id"]) == after_one

    pay_instalment(token, plan["id"], outbox)
    assert asked(plan_of(account, plan["id"])) == {"number": 3, "amount": 10_000}
    last = pay_instalment(token, plan["id"], outbox)

    done = plan_of(account, plan["id"])
    assert (done["status"], done["end_reason"], done["paid"], done["asked_now"]) == (
        "completed",
        "completed",
        30_000,
        None,
    )
    for debt in owing["debts"]:
        settled = account.browser.call("GET", f"/debts/{debt['id']}").json()
        assert settled["status"] == "paid" and in_plan(account, debt["id"]) is None
    assert [deliver(sent, STRIPE_WEBHOOK_SECRET).json()["result"] for sent in last] == ["duplicate"] * len(last)
    assert plan_of(account, plan["id"]) == done


def test_paying_everything_at_once_from_the_page_completes_the_plan(
    account: Account, owing: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    connect_stripe(account.browser, stripe_api, outbox)
    plan = started(account, owing)

    answer = debtor_page.post_form(owing["token"], "pay", {"currency": "EUR"})  # "Pay everything in EUR"
    assert answer.status == 303, answer.body
    status, _ = press(str(answer.headers["location"]), "pay")
    assert status == 303
    assert all(deliver(sent, STRIPE_WEBHOOK_SECRET).status == 200 for sent in outbox.new())

    done = plan_of(account, plan["id"])
    assert (done["status"], done["end_reason"], done["paid"]) == ("completed", "completed", 30_000)
    assert all(in_plan(account, debt["id"]) is None for debt in owing["debts"])


def test_five_presses_at_once_on_pay_this_instalment_make_one_session_and_one_attempt(
    account: Account, owing: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    connect_stripe(account.browser, stripe_api, outbox)
    plan = started(account, owing)
    csrf = csrf_of(owing["token"])

    def press_once(_: int) -> str:
        answer = debtor_page.post_form(owing["token"], "pay", {"plan_id": plan["id"]}, csrf=csrf)
        assert answer.status == 303, answer.body
        return str(answer.headers["location"])

    with ThreadPoolExecutor(max_workers=5) as pool:
        locations = set(pool.map(press_once, range(5)))

    assert len(locations) == 1 and next(iter(locations)).startswith(f"{stripe_api.url}/checkout/cs_")
    attempts = [i for i in all_items() if i["pk"].startswith(f"WS#{account.workspace_id}#PAYMENT#")]
    assert [(a["plan_id"], a["instalment"], a["amount"]) for a in attempts] == [(plan["id"], 1, 10_000)]


def test_paying_a_plan_that_is_not_running_is_refused_with_a_notice(
    account: Account, owing: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox
) -> None:
    connect_stripe(account.browser, stripe_api, outbox)
    enable_plans(account, auto_approve=False)
    assert propose(owing["token"]).status == 303
    [plan] = plans_of(account, owing["debtor"]["id"])

    location = press_pay_plan(owing["token"], plan["id"])

    assert location == f"/p/{owing['token']}?notice=pay_refused_plan_not_active"
    assert said("pay_refused_plan_not_active") in Browser().call("GET", location).body


# ---------------------------------------------------------------- privacy


def test_a_workspace_export_holds_the_debtors_plans(account: Account, owing: dict[str, Any]) -> None:
    plan = started(account, owing)

    exported = json.loads(download(export_now(account.browser)["download_url"]).read("export.json"))

    found = next(record for record in exported["payment_plans"] if record["id"] == plan["id"])
    assert (found["debtor_id"], found["total"], found["status"]) == (owing["debtor"]["id"], 30_000, "active")
    assert not [name for name in found if name in ("pk", "sk") or name.startswith("gsi")]


def test_erasing_the_debtor_deletes_their_plans(account: Account, owing: dict[str, Any]) -> None:
    offered = offer(account, owing, today() + timedelta(days=2), today() + timedelta(days=30))
    withdraw(account, offered["id"], "Émile called: he will pay at once")
    for debt in owing["debts"]:
        assert account.browser.call("POST", f"/debts/{debt['id']}/cancel", {}).status == 200

    erased = account.browser.call("DELETE", f"/debtors/{owing['debtor']['id']}")

    assert erased.status == 200, erased.body
    mine = [item for item in all_items() if item["pk"] == f"WS#{account.workspace_id}"]
    assert [item for item in mine if item["sk"].startswith("PLAN#")] == []
    [person] = [item for item in mine if item["sk"] == f"DEBTOR#{owing['debtor']['id']}"]
    assert "open_plan" not in person
    assert "Émile called" not in str(mine)


def test_deleting_the_workspace_deletes_its_plans(account: Account, owing: dict[str, Any]) -> None:
    started(account, owing)

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    run_jobs_of(account.workspace_id)

    left = [item for item in all_items() if item["pk"] == f"WS#{account.workspace_id}"]
    assert [item for item in left if item["sk"].startswith("PLAN#")] == []
