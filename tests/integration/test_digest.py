"""The daily digest and the dispute alert, through the doors users use: a member's notification settings
(GET/PATCH /workspace/members/me/notifications), the digest run's schedule, the notifier's queue, the
debtor's answer from their page, and the unsubscribe link (GET and POST /n/{token}).

The digest's time is 08:00 on the member's clock; the runs are fired at chosen moments, and the notifier's
queue drained as the event source mapping does. Other tests' members share the index: each test reads only
the emails sent to its own members.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from collectra.inbox.items import open_item
from collectra.store import keys
from local.brevo import BrevoStandIn
from local.events import scheduled_event
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.integration.test_late_payment_money import claim_charges, stored_debt
from tests.support.debtor_page import page_token, write_back
from tests.support.erasure import run_jobs_of
from tests.support.http import Browser, harness
from tests.support.team import invite
from tests.support.world import all_items, existing_item, messages_to

RUN, NOTIFIER = "DigestRunFunction", "NotifierFunction"
FORM = {"content-type": "application/x-www-form-urlencoded"}
SETTINGS = "/workspace/members/me/notifications"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def run(moment: str) -> dict[str, int]:
    """One digest run at `moment`, then the notifier's queue drained."""
    counts: dict[str, int] = harness().run_schedule(RUN, at(moment))
    harness().drain(NOTIFIER)
    return counts


def digests_to(brevo: BrevoStandIn, address: str) -> list[dict[str, Any]]:
    return [m for m in messages_to(brevo, address) if "digest" in m.get("tags", [])]


def signed_in(email: str, clock: Clock, moment: str | None = None) -> Browser:
    """A browser signed in as `email` at `moment` (the clock moved there): sessions are short, and the tests'
    days are months away from the real one."""
    if moment:
        clock.now = at(moment)
    browser = Browser()
    assert browser.call("POST", "/auth/login", {"email": email, "password": PASSWORD}).status == 200
    return browser


def settings_of(email: str, clock: Clock) -> dict[str, Any]:
    return dict(signed_in(email, clock).call("GET", SETTINGS).json())


def turn_on(email: str, clock: Clock, moment: str, **choices: Any) -> dict[str, Any]:
    answer = signed_in(email, clock, moment).call("PATCH", SETTINGS, {"daily_digest": True, **choices})
    assert answer.status == 200, answer.body
    return dict(answer.json())


def pay(account: Account, clock: Clock, moment: str, amount: int, debtor_id: str) -> dict[str, Any]:
    """A payment booked by hand at `moment` (its ledger entry's time), on a debt of its own."""
    business = signed_in(account.email, clock, moment)
    debt = debt_of(business, debtor_id, amount)
    paid = business.call(
        "POST", f"/debts/{debt['id']}/payments", {"amount": amount, "received_on": clock.now.date().isoformat()}
    )
    assert paid.status in (200, 201), paid.body
    return debt


def debt_of(business: Browser, debtor_id: str, amount: int = 12_500) -> dict[str, Any]:
    body = {
        "debtor_id": debtor_id,
        "invoice_number": f"INV-{uuid.uuid4().hex[:8]}",
        "amount": amount,
        "currency": "EUR",
        "issued_on": "2026-12-01",
        "due_on": "2026-12-31",
    }
    answer = business.call("POST", "/debts", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def teammate(account: Account, brevo: BrevoStandIn, name: str = "Ada Lovelace") -> tuple[str, str]:
    """Someone invited as a member who signs up from the link: their address and user id."""
    address, token = invite(account.browser, brevo, "member")
    body = {"token": token, "name": name, "password": PASSWORD}
    answer = Browser().call("POST", "/auth/invitations/accept", body)
    assert answer.status == 200, answer.body
    return address, str(answer.json()["user"]["id"])


def unsubscribe_path(email: dict[str, Any]) -> str:
    url = str(email["headers"]["List-Unsubscribe"]).strip("<>")
    return "/n/" + url.split("/n/", 1)[1]


def one_click(path: str) -> Any:
    """What a mail provider does (RFC 8058): a form POST, no cookie, no Origin, no CSRF header."""
    return Browser().call(
        "POST", path, raw_body="List-Unsubscribe=One-Click", csrf_header=False, send_cookies=False, headers=FORM
    )


# ---------------------------------------------------------------- the setting


def test_a_member_reads_and_changes_their_own_notifications(account: Account, clock: Clock) -> None:
    before = account.browser.call("GET", SETTINGS)
    assert before.status == 200
    assert before.json() == {
        "daily_digest": False,
        "disputes_at_once": False,
        "time_zone": None,
        "effective_time_zone": "Europe/Paris",
        "next_digest_at": None,
    }

    chosen = turn_on(account.email, clock, "2027-01-14T15:00:00Z", time_zone="America/New_York")

    assert chosen["next_digest_at"] == "2027-01-15T13:00:00Z"  # 08:00 in New York (EST, UTC-5)
    browser = signed_in(account.email, clock)
    assert browser.call("GET", SETTINGS).json() == chosen
    back = browser.call("PATCH", SETTINGS, {"time_zone": None})
    assert back.json()["effective_time_zone"] == "Europe/Paris"
    assert back.json()["next_digest_at"] == "2027-01-15T07:00:00Z"
    off = browser.call("PATCH", SETTINGS, {"daily_digest": False})
    assert off.json()["next_digest_at"] is None
    # The user's side of the membership holds the same choices: the member's own export lists them.
    mirror = existing_item(keys.user_workspace(account.user_id, account.workspace_id))
    assert mirror["notifications"] == {"daily_digest": False, "disputes_at_once": False, "time_zone": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"daily_digest": "yes"}, "daily_digest"),
        ({"daily_digest": None}, "daily_digest"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"weekly": True}, "weekly"),
    ],
)
def test_bad_settings_are_refused_naming_the_field_and_change_nothing(
    account: Account, body: dict[str, Any], field: str
) -> None:
    chosen = account.browser.call("PATCH", SETTINGS, {"daily_digest": True}).json()

    answer = account.browser.call("PATCH", SETTINGS, body)

    assert answer.status == 422
    assert field in str(answer.json()["error"]["details"])
    assert account.browser.call("GET", SETTINGS).json() == chosen


def test_every_role_chooses_for_themselves_only(account: Account, brevo: BrevoStandIn) -> None:
    address, _ = teammate(account, brevo)
    member = Browser()
    assert member.call("POST", "/auth/login", {"email": address, "password": PASSWORD}).status == 200

    assert member.call("PATCH", SETTINGS, {"disputes_at_once": True}).status == 200

    assert account.browser.call("GET", SETTINGS).json()["disputes_at_once"] is False
    assert member.call("GET", SETTINGS).json()["disputes_at_once"] is True


# ---------------------------------------------------------------- the digest


def test_the_digest_goes_at_eight_on_the_members_clock_with_yesterdays_payments_and_links(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-01-14T12:00:00Z", time_zone="America/New_York")
    paid = pay(account, clock, "2027-01-14T18:00:00Z", 12_345, debtor["id"])  # 13:00 on the 14th in New York
    pay(account, clock, "2027-01-15T06:00:00Z", 999, debtor["id"])  # 01:00 on the 15th there: today, not yesterday

    run("2027-01-15T12:45:00Z")  # 07:45 in New York
    assert digests_to(brevo, account.email) == []
    run("2027-01-15T13:00:00Z")  # 08:00

    [email] = digests_to(brevo, account.email)
    assert "14 January 2027" in email["textContent"]
    assert "1 payment received: €123.45" in email["textContent"]
    assert "€9.99" not in email["textContent"]
    assert f"/app/debts/{paid['id']}" in email["textContent"]
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_path(email) in email["textContent"]
    assert email["sender"]["name"].endswith("via Collectra")


def test_new_inbox_items_and_broken_promises_are_in_the_digest(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-01-14T12:00:00Z")
    debt = debt_of(signed_in(account.email, clock), debtor["id"])
    yesterday = at("2027-01-14T16:00:00Z")
    for kind, source in (("broken_promise", f"p-{debt['id']}"), ("question", f"q-{debt['id']}")):
        open_item(
            account.workspace_id, kind=kind, source=source, debtor_id=debtor["id"], debt_id=debt["id"], now=yesterday
        )

    run("2027-01-15T07:00:00Z")  # 08:00 in Paris

    [email] = digests_to(brevo, account.email)
    assert "1 promise(s) to pay were broken" in email["textContent"]
    assert "1 new item(s) in the inbox" in email["textContent"]
    assert "/app/inbox" in email["textContent"]
    assert f"/app/debts/{debt['id']}" in email["textContent"]


def test_on_the_day_clocks_go_forward_the_digest_still_goes_at_eight_and_tells_about_whole_days(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    # Paris goes from UTC+1 to UTC+2 at 01:00 UTC on Sunday 28 March 2027.
    assert turn_on(account.email, clock, "2027-03-27T12:00:00Z")["next_digest_at"] == "2027-03-28T06:00:00Z"
    pay(account, clock, "2027-03-27T22:30:00Z", 1_000, debtor["id"])  # Saturday 23:30 in Paris
    pay(account, clock, "2027-03-27T23:30:00Z", 2_000, debtor["id"])  # Sunday 00:30

    run("2027-03-28T05:45:00Z")  # 07:45 in Paris
    assert digests_to(brevo, account.email) == []
    run("2027-03-28T06:00:00Z")  # 08:00 CEST
    [sunday] = digests_to(brevo, account.email)
    assert "€10.00" in sunday["textContent"] and "€20.00" not in sunday["textContent"]
    assert settings_of(account.email, clock)["next_digest_at"] == "2027-03-29T06:00:00Z"

    run("2027-03-29T06:00:00Z")  # Monday's tells about Sunday, a day of 23 hours

    digests = digests_to(brevo, account.email)
    assert len(digests) == 2
    assert "€20.00" in digests[-1]["textContent"] and "€10.00" not in digests[-1]["textContent"]


def test_an_empty_day_sends_nothing_and_the_next_day_is_still_scheduled(
    account: Account, brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-01-14T12:00:00Z")

    run("2027-01-15T07:00:00Z")

    assert digests_to(brevo, account.email) == []
    assert settings_of(account.email, clock)["next_digest_at"] == "2027-01-16T07:00:00Z"
    assert not [item for item in all_items() if item["sk"].startswith(f"NOTICE#{account.user_id}#")]


def test_two_runs_at_once_redelivered_messages_and_a_retried_send_email_once(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-01-14T06:00:00Z")
    pay(account, clock, "2027-01-14T10:00:00Z", 5_000, debtor["id"])
    moment = at("2027-01-15T07:00:00Z")

    # Two schedulers fire at the same moment: each may queue the member.
    runs = [threading.Thread(target=harness().run_schedule, args=(RUN, moment)) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    ours = [m for m in harness().receive(NOTIFIER, limit=10) if account.user_id in m["Body"]]
    assert ours
    brevo.fail_next(503, 1)  # Brevo fails the first send: its claim is withdrawn and its message comes back
    first = harness().deliver(NOTIFIER, ours, delete=False)
    assert first["batchItemFailures"]
    harness().deliver(NOTIFIER, ours, delete=False)  # every one of them delivered again
    harness().deliver(NOTIFIER, ours)  # and once more
    harness().drain(NOTIFIER)
    run("2027-01-15T07:15:00Z")  # a later run finds nothing due: the member was moved on a day

    assert len(digests_to(brevo, account.email)) == 1


def test_a_run_short_of_time_leaves_the_members_due_for_the_next_one(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-01-14T06:00:00Z")
    pay(account, clock, "2027-01-14T10:00:00Z", 5_000, debtor["id"])
    moment = at("2027-01-15T07:00:00Z")

    short = harness().invoke(RUN, scheduled_event(harness().schedules[RUN], moment), remaining_ms=1_000)
    harness().drain(NOTIFIER)

    assert short["left"] == 1 and digests_to(brevo, account.email) == []
    run("2027-01-15T07:15:00Z")
    assert len(digests_to(brevo, account.email)) == 1


def test_nothing_goes_to_a_member_who_turned_it_off_by_the_link_or_left(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    staying, staying_id = teammate(account, brevo)
    leaving, leaving_id = teammate(account, brevo, name="Leaving Soon")
    for email in (account.email, staying, leaving):
        turn_on(email, clock, "2027-01-14T06:00:00Z")
    pay(account, clock, "2027-01-14T10:00:00Z", 5_000, debtor["id"])
    run("2027-01-15T07:00:00Z")
    [first] = digests_to(brevo, staying)
    path = unsubscribe_path(first)

    page = Browser().call("GET", path)  # a mail scanner opening the link turns nothing off
    assert page.status == 200 and "<button" in page.body
    assert settings_of(staying, clock)["daily_digest"] is True
    off, again = one_click(path), one_click(path)
    assert off.status == again.status == 200 and "<button" not in off.body
    assert settings_of(staying, clock)["daily_digest"] is False
    mirror = existing_item(keys.user_workspace(staying_id, account.workspace_id))
    assert mirror["notifications"]["daily_digest"] is False
    owner = signed_in(account.email, clock)
    assert owner.call("DELETE", f"/workspace/members/{leaving_id}").status in (200, 204)
    pay(account, clock, "2027-01-15T10:00:00Z", 7_000, debtor["id"])
    run("2027-01-16T07:00:00Z")

    assert len(digests_to(brevo, staying)) == 1
    assert len(digests_to(brevo, leaving)) == 1  # only the one before they left
    assert len(digests_to(brevo, account.email)) == 2


def test_a_forged_or_altered_link_is_not_found_and_changes_nothing(account: Account) -> None:
    from collectra.digest.unsubscribe import token

    account.browser.call("PATCH", SETTINGS, {"daily_digest": True})
    genuine = token(account.workspace_id, account.user_id, "daily_digest")
    workspace_id, user_id, _, mac = genuine.split(".")

    for forged in (f"{workspace_id}.{user_id}.a.{mac}", genuine[:-2] + "xx", "nothing", "a.b.c.d"):
        assert Browser().call("GET", f"/n/{forged}").status == 404
        assert one_click(f"/n/{forged}").status == 404
    assert account.browser.call("GET", SETTINGS).json()["daily_digest"] is True


def test_the_unsubscribe_form_works_from_a_browser_signed_in_to_the_app(account: Account) -> None:
    from collectra.digest.unsubscribe import token

    account.browser.call("PATCH", SETTINGS, {"daily_digest": True})
    path = f"/n/{token(account.workspace_id, account.user_id, 'daily_digest')}"

    # The page's own form: the member's session cookies go along (same origin), with Origin: null.
    answer = account.browser.call(
        "POST",
        path,
        raw_body=urlencode({"List-Unsubscribe": "One-Click"}),
        csrf_header=False,
        headers={**FORM, "origin": "null"},
    )

    assert answer.status == 200, answer.body
    assert account.browser.call("GET", SETTINGS).json()["daily_digest"] is False


# ---------------------------------------------------------------- disputes at once


def test_a_dispute_from_the_debtors_page_alerts_the_members_who_asked_once_each(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn
) -> None:
    member_email, _ = teammate(account, brevo)
    member = Browser()
    assert member.call("POST", "/auth/login", {"email": member_email, "password": PASSWORD}).status == 200
    assert member.call("PATCH", SETTINGS, {"disputes_at_once": True}).status == 200
    debt = new_debt(account, debtor["id"])
    token = page_token(account.browser, debtor["id"])

    write_back(token, debt["id"], "I never received these goods", kind="dispute")
    ours = [m for m in harness().receive(NOTIFIER, limit=10) if debt["id"] in m["Body"]]
    assert len(ours) == 1
    harness().deliver(NOTIFIER, ours, delete=False)
    harness().deliver(NOTIFIER, ours)  # delivered twice
    harness().drain(NOTIFIER)

    [alert] = [m for m in messages_to(brevo, member_email) if "dispute-alert" in m.get("tags", [])]
    assert debt["invoice_number"] in alert["textContent"]
    assert f"/app/debts/{debt['id']}" in alert["textContent"]
    assert alert["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not [m for m in messages_to(brevo, account.email) if "dispute-alert" in m.get("tags", [])]

    assert one_click(unsubscribe_path(alert)).status == 200
    assert member.call("GET", SETTINGS).json()["disputes_at_once"] is False


def test_a_question_from_the_page_alerts_no_one(account: Account, debtor: dict[str, Any]) -> None:
    account.browser.call("PATCH", SETTINGS, {"disputes_at_once": True})
    debt = new_debt(account, debtor["id"])

    write_back(page_token(account.browser, debtor["id"]), debt["id"], "Can I pay in two parts?")

    assert not [m for m in harness().receive(NOTIFIER, limit=10) if debt["id"] in m["Body"]]


# ---------------------------------------------------------------- erasure


def test_deleting_an_account_takes_its_choices_and_its_sent_notices_with_it(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    member_email, member_id = teammate(account, brevo)
    turn_on(member_email, clock, "2027-01-14T06:00:00Z", disputes_at_once=True)
    pay(account, clock, "2027-01-14T10:00:00Z", 5_000, debtor["id"])
    run("2027-01-15T07:00:00Z")
    assert [item for item in all_items() if item["sk"].startswith(f"NOTICE#{member_id}#")]

    gone = signed_in(member_email, clock).call("DELETE", "/account", {"password": PASSWORD})
    assert gone.status == 200, gone.body
    run_jobs_of(account.workspace_id)

    left = [item for item in all_items() if member_id in repr(item)]
    assert {item["sk"] for item in left} == {"ERASURE#ACCOUNT", f"ERASURE#MEMBER#{member_id}"}


def test_the_digest_counts_principal_received_not_the_late_payment_charges_paid_with_it(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn, clock: Clock
) -> None:
    turn_on(account.email, clock, "2027-02-14T12:00:00Z", time_zone="Europe/Paris")
    claim_charges(signed_in(account.email, clock), "statutory")  # compensation, then interest, then principal
    paid = pay(account, clock, "2027-02-14T15:00:00Z", 12_000, debtor["id"])  # its debt is 45 days overdue

    run("2027-02-15T07:00:00Z")  # 08:00 in Paris

    debt = stored_debt(account, paid["id"])
    assert 0 < debt["amount_paid"] < 12_000 and debt["compensation_paid"] > 0
    [email] = digests_to(brevo, account.email)
    principal = f"€{debt['amount_paid'] // 100}.{debt['amount_paid'] % 100:02d}"
    assert f"1 payment received: {principal}" in email["textContent"]
