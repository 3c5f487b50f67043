"""How long things are kept: every kind of item the table holds has a stated lifetime (docs/privacy.md, "How long
things are kept"), and each transient kind is written, by the flows that make it, with an `expires_at` (the
table's TTL attribute, checked in tests/test_template.py) within that lifetime. The lifetimes of what is not
in the table (logs, queued messages, export archives) are the template's: tests/test_template_retention.py."""

from __future__ import annotations

import inspect
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from collectra.store import keys
from local.brevo import BrevoStandIn
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, Clock, new_debt
from tests.support.debtor_page import write_back
from tests.support.http import ROOT, Browser, harness
from tests.support.populated import populate
from tests.support.reminders import drain, plan
from tests.support.reset_emails import deliver_reset_emails
from tests.support.stripe_events import deliver, event
from tests.support.team import invite
from tests.support.world import all_items, existing_item, get_item

MINUTE, HOUR, DAY = 60, 3600, 24 * 3600
HELD_DEBT = {"invoice_number": "INV-HELD", "amount": 3_300, "currency": "EUR", "due_on": "2026-11-01"}


@dataclass(frozen=True)
class Kind:
    """A kind of item: the row of docs/privacy.md's retention table that states its lifetime (`row`), the
    `keys` functions that make its keys, the shape of those keys, and its lifetime in seconds when the TTL
    removes it (None: it is kept as long as what it belongs to, and goes when that is deleted)."""

    row: str
    makers: tuple[str, ...]
    pk: str
    sk: str
    lifetime: int | None
    # Where the lifetime counts from when not the test's clock: the item's own moment (a sender takes its "now"
    # from the message it sends, which another test's planner may have queued days ahead on the shared queue).
    counted_from: str | None = None
    # Told from another kind under the same keys by whether it has an `id`: a reminder claim that became an
    # email's record (`collectra.reminders.records.Communication`) is that email.
    has_id: bool | None = None

    def holds(self, item: dict[str, Any]) -> bool:
        shaped = bool(re.fullmatch(self.pk, item["pk"]) and re.fullmatch(self.sk, item["sk"]))
        return shaped and (self.has_id is None or ("id" in item) == self.has_id)


ID = r"[^#]+"
HISTORY = rf"WS#{ID}#DEBT#{ID}"
KINDS = (
    Kind("Accounts", ("user",), rf"USER#{ID}", "PROFILE", None),
    Kind("Accounts", ("email",), r"EMAIL#.+", "USER", None),
    Kind("Sessions", ("user_session",), rf"USER#{ID}", rf"SESSION#{ID}", 30 * DAY),
    Kind("Memberships", ("user_workspace",), rf"USER#{ID}", rf"WORKSPACE#{ID}", None),
    Kind("Memberships", ("membership",), rf"WS#{ID}", rf"MEMBER#{ID}", None),
    Kind("Invitations", ("invitation",), rf"WS#{ID}", r"INVITE#.+", 7 * DAY),
    Kind("Emailed one-time links", ("one_time_token",), r"TOKEN#[0-9a-f]{64}", "TOKEN", 7 * DAY),
    Kind(
        "Sign-in throttling counters", ("throttle",), r"THROTTLE#login-(account|ip)#[0-9a-f]+", "COUNTER", 30 * MINUTE
    ),
    Kind("Page-link guessing counters", ("throttle",), r"THROTTLE#page-ip#[0-9a-f]+", "COUNTER", 30 * MINUTE),
    Kind("Password-reset email counters", ("throttle",), r"THROTTLE#reset-email#[0-9a-f]+", "COUNTER", HOUR),
    Kind("Invitation email counters", ("throttle",), r"THROTTLE#invitation-email#[0-9a-f]+", "COUNTER", HOUR),
    Kind("Workspaces", ("workspace", "reminder_run"), rf"WS#{ID}", "WORKSPACE|REMINDER-RUN", None),
    Kind("Workspaces", ("stripe_account",), r"STRIPE-ACCOUNT#.+", "STRIPE-ACCOUNT", None),
    Kind("Debtors", ("debtor", "external_ref"), rf"WS#{ID}", r"DEBTOR#.+|EXTREF#.+", None),
    Kind("Debts, timelines, ledgers", ("debt", "invoice_number"), rf"WS#{ID}", r"DEBT#.+|INVOICE#.+", None),
    Kind("Debts, timelines, ledgers", (), HISTORY, r"[TL]#.+", None),
    Kind("Reminder step claims", ("reminder_claim",), HISTORY, r"CLAIM#\d{4}", 400 * DAY, has_id=False),
    Kind("Communications", ("reminder_claim",), HISTORY, r"CLAIM#\d{4}", None, has_id=True),
    Kind("Payment attempts", ("payment_attempt",), rf"WS#{ID}#PAYMENT#{ID}", "PAYMENT", None),
    Kind("Payment attempts", ("payment_intent",), r"STRIPE-PI#.+", "STRIPE-PI", None),
    Kind("Stripe event records", ("stripe_event",), r"STRIPE-EVENT#.+", "STRIPE-EVENT", 30 * DAY),
    Kind("Reminder engine status", ("reminder_engine",), "REMINDER-ENGINE", "LAST-RUN", None),
    Kind(
        "Daily sending counters",
        ("sending_day",),
        r"QUOTA#[0-9a-f]{32}",
        r"DAY#\d{4}-\d{2}-\d{2}",
        61 * DAY,  # 60 days after the end of its UTC day
        counted_from="opened_at",
    ),
    # At most EXPORT_RETENTION_DAYS (1 to 30), like the archive; the export slot frees itself after an hour.
    Kind("Data exports", ("export",), rf"USER#{ID}", rf"EXPORT#{ID}", 30 * DAY),
    Kind("Data exports", ("export_slot",), rf"USER#{ID}", "EXPORTING", HOUR),
    # Kept while unfinished (the sweeper resumes it), then 30 days by TTL.
    Kind("Erasure jobs", ("erasure_job",), rf"(WS|USER)#{ID}", r"ERASURE#.+", None),
    Kind("Figures", ("analytics_deltas", "analytics_closing"), rf"WS#{ID}", r"AGG#.+", None),
    Kind("Inbox items", ("inbox_item",), rf"WS#{ID}", r"INBOX#.+", None),
    Kind("Payment plans", ("plan",), rf"WS#{ID}", rf"PLAN#{ID}", None),
    # Claimed at the run's moment (a digest run's or an alert's), which another test may have queued ahead.
    Kind("Member notice claims", ("member_notice",), rf"WS#{ID}", r"NOTICE#.+", 8 * DAY, counted_from="claimed_at"),
)


def kinds_of(item: dict[str, Any]) -> list[Kind]:
    return [kind for kind in KINDS if kind.holds(item)]


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


# ---------------------------------------------------------------- the inventory is complete and written down


def _item_key_makers() -> list[str]:
    """The functions of `collectra.store.keys` that make an item's key (the others name index partitions)."""
    return [
        name
        for name, function in inspect.getmembers(keys, inspect.isfunction)
        if not name.startswith("_")
        and function.__module__ == keys.__name__
        and "dict" in str(function.__annotations__["return"])
    ]


def test_every_kind_of_key_the_table_uses_has_a_stated_lifetime() -> None:
    listed = {maker for kind in KINDS for maker in kind.makers}
    assert sorted(set(_item_key_makers()) - listed) == [], "add the new kind to KINDS and to docs/privacy.md"


def test_the_privacy_document_states_the_lifetime_of_every_kind() -> None:
    document = (ROOT / "docs" / "privacy.md").read_text()
    retention = document.split("## How long things are kept", 1)[1]
    rows = {line.split("|")[1].strip().strip("*") for line in retention.splitlines() if line.startswith("| ")}
    assert sorted({kind.row for kind in KINDS} - rows) == []


# ---------------------------------------------------------------- each transient kind, through its flow


def items_where(**fields: Any) -> list[dict[str, Any]]:
    return [item for item in all_items() if all(item.get(name) == value for name, value in fields.items())]


def test_a_session_lasts_thirty_days_from_its_last_refresh(clock: Clock, account: Account) -> None:
    signed_up = epoch(clock.now)
    [session] = [i for i in items_where(user_id=account.user_id) if i["sk"].startswith("SESSION#")]
    assert session["expires_at"] == signed_up + 30 * DAY

    clock.advance(days=10)
    assert account.browser.call("POST", "/auth/refresh").status == 200

    assert existing_item({"pk": session["pk"], "sk": session["sk"]})["expires_at"] == epoch(clock.now) + 30 * DAY


def test_failed_sign_ins_are_counted_for_thirty_minutes(clock: Clock, account: Account) -> None:
    stranger = Browser()
    answer = stranger.call("POST", "/auth/login", {"email": account.email, "password": "not the password"})
    assert answer.status == 401

    for counter in (keys.throttle("login-account", account.email), keys.throttle("login-ip", stranger.source_ip)):
        assert existing_item(counter)["expires_at"] == epoch(clock.now) + 30 * MINUTE


def test_unknown_page_links_are_counted_for_thirty_minutes(clock: Clock, emulator: Any) -> None:
    visitor = Browser()
    assert visitor.call("GET", f"/p/ws_x.dbt_x.{uuid.uuid4().hex}").status == 404

    counter = get_item(keys.throttle("page-ip", visitor.source_ip))
    assert counter is not None and counter["expires_at"] == epoch(clock.now) + 30 * MINUTE


def test_a_verification_link_lasts_two_days(clock: Clock, unverified_account: Account) -> None:
    [token] = items_where(user_id=unverified_account.user_id, purpose="verify_email")
    assert token["expires_at"] == epoch(clock.now) + 48 * HOUR


def test_a_password_reset_link_lasts_an_hour_and_so_does_the_count_of_reset_emails(
    clock: Clock, account: Account
) -> None:
    assert Browser().call("POST", "/auth/password/forgot", {"email": account.email}).status in (200, 202, 204)
    deliver_reset_emails()

    [token] = items_where(user_id=account.user_id, purpose="reset_password")
    assert token["expires_at"] == epoch(clock.now) + HOUR
    counter = get_item(keys.throttle("reset-email", account.email))
    assert counter is not None and counter["expires_at"] == epoch(clock.now) + HOUR


def test_an_email_change_link_lasts_a_day_and_its_cancel_link_seven(clock: Clock, account: Account) -> None:
    new_address = f"moved-{uuid.uuid4().hex[:10]}@example.com"
    changed = account.browser.call("PATCH", "/auth/me", {"email": new_address, "current_password": account.password})
    assert changed.status == 200

    [token] = items_where(user_id=account.user_id, purpose="change_email")
    assert token["expires_at"] == epoch(clock.now) + 24 * HOUR
    [cancel] = items_where(user_id=account.user_id, purpose="cancel_email_change")
    assert cancel["expires_at"] == epoch(clock.now) + 7 * DAY


def test_an_invitation_and_its_link_last_seven_days(clock: Clock, account: Account, brevo: BrevoStandIn) -> None:
    address, _ = invite(account.browser, brevo, "member")

    invitation = get_item(keys.invitation(account.workspace_id, address))
    [token] = items_where(email=address, purpose="join_workspace")
    assert invitation is not None and invitation["expires_at"] == epoch(clock.now) + 7 * DAY
    assert token["expires_at"] == epoch(clock.now) + 7 * DAY


def test_a_stripe_event_is_remembered_for_thirty_days(clock: Clock, account: Account) -> None:
    account_id = account.browser.call("POST", "/workspace/stripe/connect").json()["account_id"]
    update = event(
        "account.updated", {"id": account_id, "object": "account", "charges_enabled": True}, account=account_id
    )

    assert deliver(update, STRIPE_WEBHOOK_SECRET).status == 200

    record = get_item(keys.stripe_event(update["id"]))
    assert record is not None and record["expires_at"] == epoch(clock.now) + 30 * DAY


def test_a_reminder_steps_claim_is_kept_four_hundred_days(
    account: Account, debtor: dict[str, Any], own_reminders_only: None
) -> None:
    debt = new_debt(account, debtor["id"], due_on="2027-03-02")
    monday_morning_in_paris = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    plan(monday_morning_in_paris)
    claim = get_item(keys.reminder_claim(account.workspace_id, debt["id"], 0))
    drain()  # the email goes, so no other test's sender finds it queued

    assert claim is not None and claim["expires_at"] == epoch(monday_morning_in_paris) + 400 * DAY
    emailed = get_item(keys.reminder_claim(account.workspace_id, debt["id"], 0))
    assert emailed is not None and emailed["status"] == "sent" and "expires_at" not in emailed  # kept as its email


# ---------------------------------------------------------------- everything a workspace's life writes


@pytest.fixture
def written(
    account: Account, stripe_api: StripeStandIn, brevo: BrevoStandIn, clock: Clock, own_reminders_only: None
) -> tuple[list[dict[str, Any]], datetime, datetime]:
    """The items written while a workspace lives a little: one of everything it owns, its people signing in
    and failing to, forgetting a password, changing an address, asking for an export; and the span of time
    it took."""
    before = {(item["pk"], item["sk"]): item for item in all_items()}
    start = clock.now
    populated = populate(account, stripe_api, brevo, clock)  # with a teammate, and an invitation left pending
    # A step taken but never emailed (its debt paused before the sender came): a claim that stays a claim.
    held = populated.browser.call("POST", "/debts", {**HELD_DEBT, "debtor_id": populated.debtor["id"]}).json()
    assert populated.browser.call("POST", f"/debts/{held['id']}/remind").status == 202
    assert populated.browser.call("POST", f"/debts/{held['id']}/pause").status == 200
    drain()
    # A dispute from the page, told at once to the owner who asked: the alert's claim, which expires.
    alerts = {"disputes_at_once": True}
    assert populated.browser.call("PATCH", "/workspace/members/me/notifications", alerts).status == 200
    write_back(populated.page_token, held["id"], "This was never ordered.", kind="dispute")
    harness().drain("NotifierFunction")
    Browser().call("POST", "/auth/login", {"email": account.email, "password": "not the password"})
    Browser().call("POST", "/auth/password/forgot", {"email": account.email})
    deliver_reset_emails()
    Browser().call("GET", f"/p/{populated.page_token}x")
    moved = {"email": f"moved-{uuid.uuid4().hex[:10]}@example.com", "current_password": account.password}
    assert populated.browser.call("PATCH", "/auth/me", moved).status == 200
    assert populated.browser.call("POST", "/account/export").status == 202
    assert account.new_browser().call("POST", "/auth/refresh").status == 200
    ours = (f"WS#{account.workspace_id}", f"USER#{account.user_id}")  # items of other tests may change meanwhile
    items = [
        item
        for item in all_items()
        if (item["pk"], item["sk"]) not in before
        or (before[(item["pk"], item["sk"])] != item and item["pk"].startswith(ours))
    ]
    return items, start, clock.now


def test_everything_a_workspaces_life_writes_is_of_one_kind_and_expires_within_its_lifetime(
    written: tuple[list[dict[str, Any]], datetime, datetime],
) -> None:
    items, start, end = written
    seen = set()
    for item in items:
        found = kinds_of(item)
        assert len(found) == 1, (item["pk"], item["sk"], [kind.row for kind in found])
        kind = found[0]
        seen.add(kind.row)
        if kind.lifetime is not None:
            until = (
                epoch(max(end, datetime.fromisoformat(item[kind.counted_from]))) if kind.counted_from else epoch(end)
            )
            assert epoch(start) < int(item.get("expires_at", 0)) <= until + kind.lifetime, (kind.row, item)
    transient = {kind.row for kind in KINDS if kind.lifetime is not None}
    assert transient <= seen  # every transient kind was written, and checked
