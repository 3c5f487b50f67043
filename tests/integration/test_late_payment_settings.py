"""The workspace's late-payment settings through PATCH and GET /workspace: defaults, validation, the law's floor
on a contractual rate, who may change them; and a debtor's kind through the debtor routes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from collectra.interest import rate_floor
from collectra.store import keys
from local.brevo import BrevoStandIn
from tests.conftest import Account, Clock
from tests.support.team import new_member
from tests.support.world import existing_item

DEFAULTS = {
    "enabled": False,
    "jurisdiction": "EU",
    "claim_interest": True,
    "claim_compensation": True,
    "contractual_rate": None,
    "grace_days": 0,
    "pause_while_disputed": True,
    "allocation": "principal_first",
}
# A day of a half-year whose reference rates the data holds.
MID_MARCH_2026 = datetime(2026, 3, 15, 12, tzinfo=UTC)


@pytest.fixture
def mid_march_2026(clock: Clock) -> Clock:
    """Now is a day of a half-year whose reference rates the data holds (asked for before `account`: a session
    signed in later than its clock's now would not be valid yet)."""
    clock.now = MID_MARCH_2026
    return clock


def _settings(account: Account) -> dict[str, Any]:
    return dict(account.browser.call("GET", "/workspace").json()["late_payment"])


def test_a_workspace_claims_nothing_until_it_says_so(account: Account) -> None:
    assert _settings(account) == DEFAULTS
    assert "late_payment" not in existing_item(keys.workspace(account.workspace_id))


def test_the_settings_are_sent_whole_and_stored_whole(account: Account) -> None:
    answer = account.browser.call(
        "PATCH", "/workspace", {"late_payment": {"enabled": True, "jurisdiction": "DE", "grace_days": 5}}
    )

    assert answer.status == 200, answer.body
    expected = DEFAULTS | {"enabled": True, "jurisdiction": "DE", "grace_days": 5}
    assert answer.json()["late_payment"] == expected == _settings(account)
    assert existing_item(keys.workspace(account.workspace_id))["late_payment"] == expected


@pytest.mark.parametrize(
    ("late_payment", "field"),
    [
        ({"jurisdiction": "ES"}, "body.late_payment.jurisdiction"),
        ({"grace_days": 91}, "body.late_payment.grace_days"),
        ({"grace_days": -1}, "body.late_payment.grace_days"),
        ({"grace_days": 1.5}, "body.late_payment.grace_days"),
        ({"grace_days": "3"}, "body.late_payment.grace_days"),
        ({"contractual_rate": "0"}, "body.late_payment.contractual_rate"),
        ({"contractual_rate": 100.01}, "body.late_payment.contractual_rate"),
        ({"contractual_rate": "12.345"}, "body.late_payment.contractual_rate"),
        ({"contractual_rate": "12,5"}, "body.late_payment.contractual_rate"),
        ({"contractual_rate": True}, "body.late_payment.contractual_rate"),
        ({"enabled": "yes"}, "body.late_payment.enabled"),
        ({"allocation": "interest_first"}, "body.late_payment.allocation"),
        ({"compound": True}, "body.late_payment.compound"),
    ],
)
def test_bad_settings_are_refused_naming_the_field_and_change_nothing(
    account: Account, late_payment: dict[str, Any], field: str
) -> None:
    account.browser.call("PATCH", "/workspace", {"late_payment": {"enabled": True, "jurisdiction": "UK"}})
    before = existing_item(keys.workspace(account.workspace_id))

    answer = account.browser.call("PATCH", "/workspace", {"name": "Renamed", "late_payment": late_payment})

    assert answer.status == 422, answer.body
    assert [d["field"] for d in answer.json()["error"]["details"]] == [field]
    assert existing_item(keys.workspace(account.workspace_id)) == before


def test_the_settings_cannot_be_cleared(account: Account) -> None:
    before = existing_item(keys.workspace(account.workspace_id))

    answer = account.browser.call("PATCH", "/workspace", {"late_payment": None})

    assert answer.status == 422
    assert existing_item(keys.workspace(account.workspace_id)) == before


@pytest.mark.parametrize(("sent", "kept"), [("12.5", "12.5"), (12.5, "12.5"), (9, "9"), ("100.00", "100")])
def test_a_contractual_rate_is_kept_as_decimal_text(account: Account, sent: Any, kept: str) -> None:
    answer = account.browser.call("PATCH", "/workspace", {"late_payment": {"contractual_rate": sent}})

    assert answer.status == 200, answer.body
    assert answer.json()["late_payment"]["contractual_rate"] == kept


def test_a_contractual_rate_below_the_french_floor_is_refused_and_changes_nothing(
    mid_march_2026: Clock, account: Account
) -> None:
    floor = rate_floor("FR", "business", date(2026, 3, 15))
    assert floor is not None  # three times the taux de l'intérêt légal (L441-10 Code de commerce)
    before = existing_item(keys.workspace(account.workspace_id))

    below = account.browser.call(
        "PATCH",
        "/workspace",
        {"late_payment": {"jurisdiction": "FR", "contractual_rate": str(floor - Decimal("0.01"))}},
    )

    assert below.status == 422, below.body
    error = below.json()["error"]
    assert error["code"] == "contractual_rate_below_floor"
    assert error["details"][0]["field"] == "body.late_payment.contractual_rate"
    assert Decimal(error["details"][0]["floor"]) == floor
    assert existing_item(keys.workspace(account.workspace_id)) == before

    at_floor = account.browser.call(
        "PATCH", "/workspace", {"late_payment": {"jurisdiction": "FR", "contractual_rate": str(floor)}}
    )
    assert at_floor.status == 200, at_floor.body


def test_where_the_law_sets_no_floor_any_rate_is_agreed(mid_march_2026: Clock, account: Account) -> None:
    assert rate_floor("UK", "business", date(2026, 3, 15)) is None

    answer = account.browser.call(
        "PATCH", "/workspace", {"late_payment": {"jurisdiction": "UK", "contractual_rate": 1}}
    )

    assert answer.status == 200, answer.body


def test_only_owners_and_admins_change_the_settings(account: Account, brevo: BrevoStandIn) -> None:
    member, _ = new_member(account.browser, brevo, "member")
    admin, _ = new_member(account.browser, brevo, "admin", name="Grace Hopper")
    before = existing_item(keys.workspace(account.workspace_id))

    refused = member.call("PATCH", "/workspace", {"late_payment": {"enabled": True}})

    assert refused.status == 403
    assert existing_item(keys.workspace(account.workspace_id)) == before
    assert member.call("GET", "/workspace").json()["late_payment"] == DEFAULTS  # a member may read them
    assert admin.call("PATCH", "/workspace", {"late_payment": {"enabled": True}}).status == 200


# ---------------------------------------------------------------- a debtor's kind


def test_a_debtor_is_a_business_unless_said_otherwise(account: Account) -> None:
    business = account.browser.call("POST", "/debtors", {"name": "Acme SARL", "email": "ap@acme.example"}).json()
    consumer = account.browser.call(
        "POST", "/debtors", {"name": "Jo Private", "email": "jo@private.example", "kind": "consumer"}
    ).json()

    assert (business["kind"], consumer["kind"]) == ("business", "consumer")
    assert account.browser.call("GET", f"/debtors/{consumer['id']}").json()["kind"] == "consumer"


def test_a_debtor_recorded_before_kinds_reads_as_a_business(account: Account, debtor: dict[str, Any]) -> None:
    from collectra import store

    store.update(keys.debtor(account.workspace_id, debtor["id"]), "REMOVE kind")

    shown = account.browser.call("GET", f"/debtors/{debtor['id']}").json()
    assert shown["kind"] == "business"
    # Saying so changes nothing: no new version, no correction on the timeline.
    same = account.browser.call("PATCH", f"/debtors/{debtor['id']}", {"version": shown["version"], "kind": "business"})
    assert same.json()["version"] == shown["version"]


def test_a_debtor_kind_is_corrected_like_any_field(account: Account, debtor: dict[str, Any]) -> None:
    changed = account.browser.call(
        "PATCH", f"/debtors/{debtor['id']}", {"version": debtor["version"], "kind": "consumer"}
    )
    assert (changed.status, changed.json()["kind"]) == (200, "consumer")

    stale = account.browser.call(
        "PATCH", f"/debtors/{debtor['id']}", {"version": debtor["version"], "kind": "business"}
    )
    assert stale.status == 409

    for bad in (None, "household"):
        refused = account.browser.call(
            "PATCH", f"/debtors/{debtor['id']}", {"version": changed.json()["version"], "kind": bad}
        )
        assert refused.status == 422
        assert refused.json()["error"]["details"][0]["field"].startswith("body.kind")
    assert account.browser.call("GET", f"/debtors/{debtor['id']}").json()["kind"] == "consumer"
