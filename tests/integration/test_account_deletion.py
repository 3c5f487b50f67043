"""Deleting an account, a workspace, a debtor: personal data erased, accounting records kept anonymised.

Workspaces are filled through the doors users use (tests/support/populated.py, plus recognisable values of
our own); the erasure runs as in AWS (the deletion queue's messages to the worker, the sweeper's schedule),
crashes included; then every stored item (`all_items`, global lookups included) is searched for each
personal value.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from collectra.store import keys
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import PASSWORD, Account, Clock, new_debt
from tests.support.debtor_page import connect_stripe, csrf_of, page_token, post_form, write_back
from tests.support.erasure import deliver, drop_messages_of, receive_for, run_jobs_of, sweep
from tests.support.http import Browser
from tests.support.populated import Populated, owned_by, populate
from tests.support.reminders import plan
from tests.support.stripe_standin import Outbox, press
from tests.support.team import invite, new_member
from tests.support.verification import verify_by_link
from tests.support.world import all_items, existing_item, get_item, messages_to


def is_email(item: dict[str, Any]) -> bool:
    """An email's record: the reminder claim of its first debt, which has the email's id."""
    return item["sk"].startswith("CLAIM#") and "id" in item


def tag() -> str:
    return uuid.uuid4().hex[:8]


def holding(value: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items in which `value` appears anywhere (keys included), case folded."""
    wanted = value.casefold()
    return [item for item in items if wanted in repr(item).casefold()]


def answer_from_page(token: str, debt_id: str, message: str) -> None:
    write_back(token, debt_id, message)


def press_pay(token: str, debt_id: str, csrf: str | None = None) -> tuple[int, str]:
    answer = post_form(token, "pay", {"debt_id": debt_id}, csrf=csrf)
    return answer.status, answer.headers.get("location", "")


def years_later(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)


@pytest.fixture
def own_planner_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The planner sees only the workspaces a test names (the session's emulator holds every other test's debts)."""
    from collectra.reminders import planner

    mine: list[str] = []
    everything = planner.due_now
    monkeypatch.setattr(planner, "due_now", lambda now: [i for i in everything(now) if i["workspace_id"] in mine])
    return mine


@pytest.fixture
def populated(account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock) -> Populated:
    return populate(account, stripe_api, brevo, clock)


# ---------------------------------------------------------------- the last owner's account, and the workspace with it


@dataclass
class Recognisable:
    """Personal values no other test stores, each found somewhere in the table before the deletion."""

    values: dict[str, str]
    token: str  # our own debtor's page link
    invoices: set[str]


def fill_with_recognisable_values(populated: Populated, brevo: BrevoStandIn, clock: Clock) -> Recognisable:
    owner, t = populated.browser, tag()
    values = {
        "owner name": f"Perpetua Quillfeather {t}",
        "owner email": populated.account.email,
        "workspace name": f"Quillfeather Patisserie {t}",
        "legal name": f"Quillfeather SARL {t}",
        "street": f"{t} Rue des Lilas Bleus",
        "reply-to": f"billing-{t}@quillfeather.example",
        "debtor name": f"Ottilie Brandywine {t}",
        "debtor email": f"ottilie-{t}@example.org",
        "debtor phone": f"+336{int(t, 16) % 10**8:08d}",
        "debtor company": f"Brandywine Orchards {t}",
        "debtor notes": f"Call after six, gate code {t}",
        "page message": f"Could I pay the rest in June? {t}",
        "payment reference": f"Transfer from Ottilie {t}",
        "populated debtor's email": populated.debtor["email"],
        "populated debtor's reference": populated.debtor["external_ref"],
        "opted-out debtor's email": populated.opted_out["email"],
        "invited address": f"invitee-{t}@example.com",
    }
    assert owner.call("PATCH", "/auth/me", {"name": values["owner name"]}).status == 200
    settings = {
        "name": values["workspace name"],
        "legal_name": values["legal name"],
        "reply_to": values["reply-to"],
        "postal_address": {"line1": values["street"], "postal_code": "75011", "city": "Paris", "country": "FR"},
    }
    assert owner.call("PATCH", "/workspace", settings).status == 200
    fields = {"phone": values["debtor phone"], "company": values["debtor company"], "notes": values["debtor notes"]}
    made = owner.call(
        "POST",
        "/debtors",
        {"name": values["debtor name"], "email": values["debtor email"], "time_zone": "Europe/Paris", **fields},
    )
    assert made.status == 201, made.body
    debtor = made.json()
    populated.account.browser = owner  # signed in at the moved clock
    overdue = new_debt(
        populated.account,
        debtor["id"],
        due_on=(clock.now - timedelta(days=10)).date().isoformat(),
        issued_on=(clock.now - timedelta(days=40)).date().isoformat(),
    )
    paid = owner.call(
        "POST",
        f"/debts/{overdue['id']}/payments",
        {"amount": 1_000, "received_on": clock.now.date().isoformat(), "reference": values["payment reference"]},
    )
    assert paid.status == 201, paid.body
    token = str(owner.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]).rsplit("/", 1)[1]
    answer_from_page(token, overdue["id"], values["page message"])
    invite(owner, brevo, "member", values["invited address"])
    stored = all_items()
    for what, value in values.items():
        assert holding(value, stored), f"the test's {what} was never stored: this test would prove nothing"
    invoices = {debt["invoice_number"] for debt in [*populated.debts, overdue]}
    return Recognisable(values, token, invoices)


def test_deleting_the_last_owners_account_erases_the_workspace_and_keeps_only_anonymised_accounting(
    populated: Populated,
    brevo: BrevoStandIn,
    clock: Clock,
    own_planner_runs: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from collectra.privacy import worker
    from collectra.reminders.compose import opt_out_token

    owner, workspace_id = populated.browser, populated.account.workspace_id
    own_planner_runs.append(workspace_id)
    filled = fill_with_recognisable_values(populated, brevo, clock)
    other_device = populated.account.new_browser()
    pay_form = csrf_of(populated.page_token)

    deleted = owner.call("DELETE", "/account", {"password": PASSWORD})

    assert deleted.status == 200, deleted.body
    assert deleted.json() == {"deleted": True, "workspaces_deleted": [workspace_id], "workspaces_left": []}
    assert {c.split("=", 1)[0] for c in deleted.cookies} >= {"access_token", "refresh_token"}
    # At once, before the worker has run: sessions, links, reminders and payments all stop.
    assert other_device.call("GET", "/auth/me").status == 401
    assert populated.member.call("GET", "/workspace").status == 401
    assert Browser().call("GET", f"/p/{filled.token}").status == 404
    opt_out = opt_out_token(workspace_id, populated.debtor["id"])
    assert Browser().call("GET", f"/u/{opt_out}", send_cookies=False).status == 404
    assert press_pay(populated.page_token, populated.debts[2]["id"], pay_form)[0] == 404
    sent_before = len(messages_to(brevo, filled.values["debtor email"]))
    planned = plan(clock.now)
    assert planned["claimed"] == 0 and planned["due"] >= 1  # the overdue debt was due, and not claimed
    assert len(messages_to(brevo, filled.values["debtor email"])) == sent_before
    login = Browser().call("POST", "/auth/login", {"email": populated.account.email, "password": PASSWORD})
    assert login.status == 401

    # The worker crashes half-way; the job keeps its position; a second delivery finishes from there.
    [message] = receive_for(workspace_id)
    owned = owned_by(workspace_id, all_items())
    monkeypatch.setattr(worker, "BATCH", 5)
    writes = {"count": 0}
    real_write = worker._write

    def crash_on_the_fourth_batch(*args: Any) -> None:
        writes["count"] += 1
        if writes["count"] == 4:
            raise RuntimeError("the worker died half-way")
        real_write(*args)

    monkeypatch.setattr(worker, "_write", crash_on_the_fourth_batch)
    assert deliver(message)["batchItemFailures"]
    job = existing_item({"pk": f"WS#{workspace_id}", "sk": "ERASURE#WORKSPACE"})
    assert job["status"] == "running" and job["processed"] == 15 and job["position"]
    assert holding(filled.values["debtor email"], all_items())  # half-done: not finished yet

    monkeypatch.setattr(worker, "_write", real_write)
    assert not deliver(message)["batchItemFailures"]
    job = existing_item({"pk": f"WS#{workspace_id}", "sk": "ERASURE#WORKSPACE"})
    assert job["status"] == "done"
    assert job["processed"] == len(owned)  # resumed where it stopped: no item was walked twice

    everything = all_items()
    for what, value in filled.values.items():
        assert not holding(value, everything), f"{what} is still stored: {holding(value, everything)}"
    only_anonymised_accounting_is_left(workspace_id, job, filled.invoices, everything)
    account_items = [item["sk"] for item in everything if item["pk"] == f"USER#{populated.account.user_id}"]
    assert account_items == ["ERASURE#ACCOUNT"]
    assert populated.member.call("GET", "/auth/me").status == 401


def only_anonymised_accounting_is_left(
    workspace_id: str, job: dict[str, Any], invoices: set[str], everything: list[dict[str, Any]]
) -> None:
    left = owned_by(workspace_id, everything)
    retention_end = years_later(datetime.fromisoformat(job["requested_at"]), 10).timestamp()
    assert left and all(abs(item["expires_at"] - retention_end) < 5 for item in left)
    assert {item["invoice_number"] for item in left if item["sk"].startswith("DEBT#")} == invoices
    assert {item["amount"] for item in left if item["sk"].startswith("L#")} >= {500, 1_000, 4_200}
    [attempt] = [item for item in left if item["sk"] == "PAYMENT"]
    assert attempt["paid"] == 4_200 and attempt["payment_intent_id"].startswith("pi_")
    assert not any(name.startswith("gsi") for item in left for name in item)
    assert {item["sk"].split("#")[0] for item in left} <= {"WORKSPACE", "ERASURE", "DEBT", "L", "PAYMENT"}
    assert existing_item(keys.workspace(workspace_id))["status"] == "deleted"
    pointing_here = [
        item
        for item in everything
        if item.get("workspace_id") == workspace_id and not item["pk"].startswith(f"WS#{workspace_id}")
    ]
    assert pointing_here == []  # no Stripe, Brevo or membership lookup points into the workspace any more


# ---------------------------------------------------------------- a member leaves, the workspace goes on


def test_a_member_deleting_their_account_leaves_the_workspace_as_it_was_and_anonymous_on_its_timeline(
    account: Account, debtor: dict[str, Any], brevo: BrevoStandIn
) -> None:
    t = tag()
    address, token = invite(account.browser, brevo, "admin", f"leaving-{t}@example.com")
    member = Browser()
    joined = member.call(
        "POST", "/auth/invitations/accept", {"token": token, "name": f"Leaving Member {t}", "password": PASSWORD}
    )
    assert joined.status == 200, joined.body
    member_id = joined.json()["user"]["id"]
    debt = member.call(
        "POST",
        "/debts",
        {
            "debtor_id": debtor["id"],
            "invoice_number": f"INV-{t}",
            "amount": 5_000,
            "currency": "EUR",
            "due_on": "2027-01-01",
        },
    ).json()
    assert member.call("POST", f"/debts/{debt['id']}/pause").status == 200
    other_device = Browser()
    assert other_device.call("POST", "/auth/login", {"email": address, "password": PASSWORD}).status == 200

    gone = member.call("DELETE", "/account", {"password": PASSWORD})

    assert gone.status == 200, gone.body
    assert gone.json()["workspaces_left"] == [account.workspace_id] and gone.json()["workspaces_deleted"] == []
    assert other_device.call("GET", "/auth/me").status == 401
    assert run_jobs_of(account.workspace_id) >= 1
    everything = all_items()
    assert not holding(address, everything) and not holding(f"Leaving Member {t}", everything)
    # Only the records that the erasures happened still name the (now meaningless) id; TTL removes them.
    assert {item["sk"] for item in holding(member_id, everything)} == {"ERASURE#ACCOUNT", f"ERASURE#MEMBER#{member_id}"}
    timeline = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    assert {entry["type"] for entry in timeline} >= {"created", "reminders_paused"}
    assert all(
        entry["actor"] == {"kind": "user", "id": "erased"} for entry in timeline if entry["actor"]["kind"] == "user"
    )
    # The workspace, its debtor and debts are untouched, and its owner goes on.
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["invoice_number"] == f"INV-{t}"
    assert account.browser.call("GET", f"/debtors/{debtor['id']}").json()["name"] == debtor["name"]
    members = account.browser.call("GET", "/workspace/members").json()
    assert [m["id"] for m in members["members"]] == [account.user_id]


def test_an_owner_leaves_while_another_owner_remains_and_the_last_owner_takes_the_workspace_with_them(
    account: Account, brevo: BrevoStandIn
) -> None:
    second, second_id = new_member(account.browser, brevo, "owner", name=f"Second Owner {tag()}")

    first_gone = account.browser.call("DELETE", "/account", {"password": PASSWORD})

    assert first_gone.json()["workspaces_left"] == [account.workspace_id]
    assert second.call("GET", "/workspace").status == 200
    assert existing_item(keys.workspace(account.workspace_id))["owner_count"] == 1

    last_gone = second.call("DELETE", "/account", {"password": PASSWORD})

    assert last_gone.json()["workspaces_deleted"] == [account.workspace_id]
    assert existing_item(keys.workspace(account.workspace_id))["status"] == "deleting"
    run_jobs_of(account.workspace_id)
    assert existing_item(keys.workspace(account.workspace_id))["status"] == "deleted"
    assert get_item(keys.user(second_id)) is None


# ---------------------------------------------------------------- bad input, repeats and duplicates


def test_a_wrong_password_deletes_nothing(account: Account, debtor: dict[str, Any]) -> None:
    before = all_items()

    for path in ("/account", "/workspace"):
        refused = account.browser.call("DELETE", path, {"password": "not the password"})
        assert refused.status == 422, refused.body
        assert refused.json()["error"]["code"] == "wrong_password"

    assert all_items() == before
    assert account.browser.call("GET", "/auth/me").status == 200
    assert receive_for(account.workspace_id) == []


def test_deleting_again_and_duplicate_messages_change_nothing_twice(
    account: Account, debtor: dict[str, Any], clock: Clock
) -> None:
    debt = new_debt(account, debtor["id"])
    assert account.browser.call("POST", f"/debts/{debt['id']}/cancel").status == 200
    second_device = account.new_browser()

    first = account.browser.call("DELETE", "/workspace", {"password": PASSWORD})

    assert first.status == 202, first.body
    assert first.json()["status"] == "deleting"
    assert second_device.call("DELETE", "/workspace", {"password": PASSWORD}).status == 401
    [message] = receive_for(account.workspace_id)
    clock.advance(minutes=3)
    # Little time left: the worker stops after its first batch and queues the job again to go on.
    assert not deliver(message, remaining_ms=1_000, delete=False)["batchItemFailures"]
    midway = owned_by(account.workspace_id, all_items())
    clock.advance(minutes=3)
    deliver(message)  # the same message again: resumes, and what it already anonymised stays as it was
    run_jobs_of(account.workspace_id)
    done = {(i["pk"], i["sk"]): i for i in owned_by(account.workspace_id, all_items())}
    for item in midway:
        if item.get("anonymised_at"):
            assert done[(item["pk"], item["sk"])] == item
    snapshot = all_items()

    deliver(message)  # a duplicate after the end
    assert all_items() == snapshot
    [kept] = [item for item in done.values() if item["sk"].startswith("DEBT#")]
    assert kept["invoice_number"] == debt["invoice_number"] and kept["status"] == "cancelled"


def test_a_lost_message_is_found_again_by_the_sweeper(account: Account, debtor: dict[str, Any], clock: Clock) -> None:
    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    assert drop_messages_of(account.workspace_id) == 1

    sweep(clock.now + timedelta(minutes=5))
    assert receive_for(account.workspace_id) == []  # a job that moved recently may still be running: left alone
    sweep(clock.now + timedelta(minutes=20))

    assert len(receive_for(account.workspace_id)) == 1
    assert run_jobs_of(account.workspace_id) == 1
    assert existing_item(keys.workspace(account.workspace_id))["status"] == "deleted"
    assert get_item(keys.debtor(account.workspace_id, debtor["id"])) is None


# ---------------------------------------------------------------- the account stays when only the workspace goes


def test_deleting_a_workspace_keeps_the_account_and_its_next_sign_in_lands_in_another_workspace(
    account: Account, brevo: BrevoStandIn, unique_email: str
) -> None:
    other = Browser()
    signed_up = other.call(
        "POST",
        "/auth/signup",
        {"email": f"x{unique_email}", "password": PASSWORD, "name": "Other Owner", "workspace_name": "Other & Co"},
    )
    assert signed_up.status == 201
    verify_by_link(other, brevo, f"x{unique_email}")  # an unverified owner could not invite
    other_workspace = signed_up.json()["workspace"]["id"]
    _, token = invite(other, brevo, "member", account.email)
    joined = Browser().call("POST", "/auth/invitations/accept", {"token": token, "password": PASSWORD})
    assert joined.status == 200, joined.body
    only_here, _ = new_member(account.browser, brevo, "member")
    assert account.browser.call("POST", "/auth/switch-workspace", {"workspace_id": account.workspace_id}).status == 200

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    run_jobs_of(account.workspace_id)

    again = Browser()
    signed_in = again.call("POST", "/auth/login", {"email": account.email, "password": PASSWORD})
    assert signed_in.status == 200, signed_in.body
    assert again.call("GET", "/workspace").json()["id"] == other_workspace
    assert only_here.call("GET", "/workspace").status == 401
    assert existing_item(keys.user(account.user_id))["email"] == account.email


# ---------------------------------------------------------------- a card payment completed just before the deletion


def open_checkout(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox, amount: int
) -> tuple[dict[str, Any], str]:
    """A debt the debtor has pressed Pay for: it, and the Stripe Checkout page left open in their browser."""
    connect_stripe(account.browser, stripe_api, outbox)
    debt = new_debt(account, debtor["id"], amount=amount)
    status, checkout = press_pay(page_token(account.browser, debtor["id"]), debt["id"])
    assert status == 303
    return debt, checkout


def test_a_payment_completed_after_the_deletion_was_asked_for_is_recorded_anonymised(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    outbox = Outbox(stripe_api.url)
    debt, checkout = open_checkout(account, debtor, stripe_api, outbox, 7_700)

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    press(checkout, "pay")  # in the debtor's browser, on Stripe's page, still open
    outbox.deliver_new()

    history = [item for item in all_items() if item["pk"] == keys.debt_history(account.workspace_id, debt["id"])]
    assert not [item for item in history if item["sk"].startswith("L#")]  # no ledger written any more
    run_jobs_of(account.workspace_id)
    [attempt] = [item for item in owned_by(account.workspace_id, all_items()) if item["sk"] == "PAYMENT"]
    assert (attempt["status"], attempt["paid"]) == ("succeeded", 7_700)
    assert attempt["expires_at"] == existing_item(keys.workspace(account.workspace_id))["retain_until"]
    assert "debtor_id" not in attempt


def test_open_checkout_sessions_expire_when_the_workspace_is_erased(
    account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    outbox = Outbox(stripe_api.url)
    _, checkout = open_checkout(account, debtor, stripe_api, outbox, 3_300)

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    run_jobs_of(account.workspace_id)

    status, _ = press(checkout, "pay")
    assert status >= 400  # Stripe no longer takes the money
    assert [event["type"] for event in outbox.new()] == ["checkout.session.expired"]


# ---------------------------------------------------------------- one debtor erased by the business


def test_erasing_a_debtor_is_refused_with_open_debts_and_then_leaves_nothing_personal_of_them(
    populated: Populated, brevo: BrevoStandIn
) -> None:
    owner, workspace_id = populated.browser, populated.account.workspace_id
    debtor = populated.debtor
    refused = owner.call("DELETE", f"/debtors/{debtor['id']}")
    assert refused.status == 409
    assert refused.json()["error"]["code"] == "debtor_has_open_debts"
    assert "open debt" in refused.json()["error"]["message"]
    t = tag()
    corrected_phone = f"+331{int(t, 16) % 10**8:08d}"
    current = owner.call("GET", f"/debtors/{debtor['id']}").json()
    assert (
        owner.call(
            "PATCH", f"/debtors/{debtor['id']}", {"version": current["version"], "phone": corrected_phone}
        ).status
        == 200
    )
    for debt in populated.debts[:3]:
        if owner.call("GET", f"/debts/{debt['id']}").json()["status"] in ("open", "partially_paid", "disputed"):
            assert owner.call("POST", f"/debts/{debt['id']}/write-off").status == 200
    other_before = get_item(keys.debtor(workspace_id, populated.opted_out["id"]))
    comms_before = [i for i in owned_by(workspace_id, all_items()) if is_email(i) and i["debtor_id"] == debtor["id"]]
    assert comms_before  # the reminder populate sent

    erased = owner.call("DELETE", f"/debtors/{debtor['id']}")

    assert erased.status == 200, erased.body
    everything = all_items()
    for value in (debtor["email"], debtor["external_ref"], corrected_phone, "Can I pay in May?", "Émile Zola"):
        found = [i for i in holding(value, everything) if i["pk"].startswith(f"WS#{workspace_id}")]
        assert found == [], (value, found)
    stored = existing_item(keys.debtor(workspace_id, debtor["id"]))
    assert stored["erased"] is True and "email_suppressed" not in stored
    assert get_item(keys.debtor(workspace_id, populated.opted_out["id"])) == other_before
    comms_after = [i for i in owned_by(workspace_id, everything) if is_email(i) and i["debtor_id"] == debtor["id"]]
    assert len(comms_after) == len(comms_before) and all(c["status"] for c in comms_after)
    assert existing_item({"pk": f"WS#{workspace_id}", "sk": f"ERASURE#DEBTOR#{debtor['id']}"})["status"] == "done"
    for debt in populated.debts[:3]:
        assert owner.call("GET", f"/debts/{debt['id']}").json()["invoice_number"] == debt["invoice_number"]
