"""GET and PATCH /workspace."""

from __future__ import annotations

from typing import Any

import pytest

from collectra import store
from collectra.store import keys
from tests.conftest import Account
from tests.support.http import Browser
from tests.support.world import get_item

ADDRESS = {"line1": "12 Rue de la Paix", "postal_code": "75002", "city": "Paris", "country": "fr"}


def test_workspace_starts_with_sensible_defaults(account: Account) -> None:
    body = account.browser.call("GET", "/workspace").json()
    assert body["id"] == account.workspace_id
    assert (body["default_currency"], body["time_zone"], body["locale"]) == ("EUR", "Europe/Paris", "en")


def test_patch_changes_only_the_fields_sent(account: Account) -> None:
    answer = account.browser.call(
        "PATCH",
        "/workspace",
        {
            "legal_name": "Hopper & Co SAS",
            "postal_address": ADDRESS,
            "sender_name": "Hopper Accounts",
            "reply_to": "Accounts@Hopper.example",
            "default_currency": "jpy",
            "time_zone": "Asia/Tokyo",
            "locale": "fr",
        },
    )

    assert answer.status == 200
    body = answer.json()
    assert body["name"] == "Hopper & Co"
    assert body["legal_name"] == "Hopper & Co SAS"
    assert body["postal_address"]["country"] == "FR"
    assert body["reply_to"] == "accounts@hopper.example"
    assert (body["default_currency"], body["time_zone"], body["locale"]) == ("JPY", "Asia/Tokyo", "fr")
    assert account.browser.call("GET", "/workspace").json() == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"default_currency": "XYZ"}, "body.default_currency"),
        ({"time_zone": "Mars/Olympus"}, "body.time_zone"),
        ({"locale": "tlh"}, "body.locale"),
        ({"reply_to": "nobody"}, "body.reply_to"),
        ({"name": ""}, "body.name"),
        ({"postal_address": {"line1": "x"}}, "body.postal_address.city"),
        ({"colour": "red"}, "body.colour"),
    ],
)
def test_invalid_change_names_the_field_and_changes_nothing(
    account: Account, change: dict[str, Any], field: str
) -> None:
    before = get_item(keys.workspace(account.workspace_id))

    answer = account.browser.call("PATCH", "/workspace", change)

    assert answer.status == 422
    assert field in [detail["field"] for detail in answer.json()["error"]["details"]]
    assert get_item(keys.workspace(account.workspace_id)) == before


def test_required_fields_cannot_be_cleared(account: Account) -> None:
    answer = account.browser.call("PATCH", "/workspace", {"name": None})
    assert answer.status == 422
    assert account.browser.call("GET", "/workspace").json()["name"] == "Hopper & Co"


def test_a_member_may_read_but_not_change_the_workspace(account: Account) -> None:
    store.update(
        keys.membership(account.workspace_id, account.user_id),
        "SET #r = :member",
        names={"#r": "role"},
        values={":member": "member"},
    )

    assert account.browser.call("GET", "/workspace").status == 200
    refused = account.browser.call("PATCH", "/workspace", {"name": "Mine now"})

    assert refused.status == 403
    assert refused.json()["error"]["code"] == "insufficient_role"
    assert account.browser.call("GET", "/workspace").json()["name"] == "Hopper & Co"


def test_workspace_requires_sign_in(browser: Browser) -> None:
    assert browser.call("GET", "/workspace").status == 401
    assert browser.call("PATCH", "/workspace", {"name": "x"}).status == 401
