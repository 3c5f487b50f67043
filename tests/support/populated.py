"""A workspace holding one of everything a workspace can own, made through the doors users use.

Debtors (one who opted out), debts, a manual payment, a card payment through Stripe (its attempt, the
PaymentIntent lookup), a message from the debtor's page, a reminder email (its claim, which is
also its record), timeline and ledger entries, a second member and a pending invitation. Tests of the
workspace's contents, export and erasure start from it and compare with `all_items()`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import Account, Clock, new_debt
from tests.support.debtor_page import connect_stripe, post_form, write_back
from tests.support.http import Browser
from tests.support.reminders import drain
from tests.support.stripe_standin import Outbox, press
from tests.support.team import invite, new_member

FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass
class Populated:
    account: Account
    browser: Browser  # signed in at the clock's time after the reminder (the account's first one has expired)
    debtor: dict[str, Any]
    opted_out: dict[str, Any]
    member: Browser  # a teammate with the member role, signed in at the clock's time
    member_id: str
    debts: list[dict[str, Any]] = field(default_factory=list)
    page_token: str = ""


def owned_by(workspace_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items under the workspace's partitions (`WS#<ws>` and `WS#<ws>#...`)."""
    main = f"WS#{workspace_id}"
    return [item for item in items if item["pk"] == main or item["pk"].startswith(main + "#")]


def populate(account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock) -> Populated:
    """One of everything; moves `clock` to the next Monday morning in Paris to send the reminder."""
    browser = account.browser
    debtor = _debtor(browser, "Émile Zola")
    opted_out = _debtor(browser, "Jules Verne")
    paid_by_hand = new_debt(account, debtor["id"], description="Chaudière")
    paid_by_card = new_debt(account, debtor["id"], amount=4_200)
    reminded = new_debt(account, debtor["id"], amount=9_900)
    quiet = new_debt(account, opted_out["id"], amount=1_000)
    answer = browser.call("POST", f"/debts/{paid_by_hand['id']}/payments", {"amount": 500, "received_on": "2026-11-20"})
    assert answer.status == 201, answer.body
    on = (clock.now.date() + timedelta(days=5)).isoformat()
    promised = browser.call("POST", f"/debts/{paid_by_hand['id']}/promise", {"amount": 3_000, "on": on})
    assert promised.status == 200, promised.body

    token = str(browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]).rsplit("/", 1)[1]
    _pay_by_card(browser, stripe_api, token, paid_by_card["id"])
    _ask_from_the_page(token, reminded["id"])
    _opt_out(account.workspace_id, opted_out["id"])

    clock.now = _next_monday_morning(clock.now)
    later = account.new_browser()  # signed in at the moved clock
    assert later.call("POST", f"/debts/{reminded['id']}/remind").status == 202
    assert drain() >= 1
    member, member_id = new_member(later, brevo, "member")
    invite(later, brevo, "admin")  # left pending
    debts = [paid_by_hand, paid_by_card, reminded, quiet]
    return Populated(account, later, debtor, opted_out, member, member_id, debts, token)


def _debtor(browser: Browser, name: str) -> dict[str, Any]:
    body = {
        "name": name,
        "email": f"debtor-{uuid.uuid4().hex[:10]}@example.fr",
        "locale": "fr",
        "time_zone": "Europe/Paris",
        "external_ref": f"C-{uuid.uuid4().hex[:6]}",
    }
    answer = browser.call("POST", "/debtors", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def _pay_by_card(browser: Browser, stripe_api: StripeStandIn, token: str, debt_id: str) -> None:
    outbox = Outbox(stripe_api.url)
    connect_stripe(browser, stripe_api, outbox)
    pressed = post_form(token, "pay", {"debt_id": debt_id})
    assert pressed.status == 303, pressed.body
    press(pressed.headers["location"], "pay")
    outbox.deliver_new()


def _ask_from_the_page(token: str, debt_id: str) -> None:
    write_back(token, debt_id, "Can I pay in May?")


def _opt_out(workspace_id: str, debtor_id: str) -> None:
    from collectra.reminders.compose import opt_out_token

    answer = Browser().call(
        "POST",
        f"/u/{opt_out_token(workspace_id, debtor_id)}",
        raw_body="List-Unsubscribe=One-Click",
        csrf_header=False,
        send_cookies=False,
        headers=FORM,
    )
    assert answer.status < 400, answer.body


def _next_monday_morning(now: datetime) -> datetime:
    """10:00 in Paris on the next Monday: a sending day and hour whatever day the tests run."""
    paris = now.astimezone(ZoneInfo("Europe/Paris"))
    days = (7 - paris.weekday()) % 7 or 7
    monday = (paris + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    return monday.astimezone(UTC)
