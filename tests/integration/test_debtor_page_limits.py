"""What a debtor holding their link can write, bounded: a promise at most the workspace's horizon away
(written with its message in one transaction, or not at all), and one page view an hour on the timelines."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest

from collectra.debts.service import today_in
from collectra.store import keys
from tests.conftest import Account, Clock, new_debt
from tests.support.contention import others_writing
from tests.support.debtor_page import page_token, post_form
from tests.support.http import Browser
from tests.support.world import existing_item, get_item, item_count


@pytest.fixture
def page(account: Account, debtor: dict[str, Any]) -> dict[str, Any]:
    """A debtor (French) with two open debts, and their page's token."""
    debts = [new_debt(account, debtor["id"]), new_debt(account, debtor["id"])]
    return {"token": page_token(account.browser, debtor["id"]), "debts": debts}


def business_today(account: Account) -> Any:
    workspace = get_item(keys.workspace(account.workspace_id))
    assert workspace is not None
    from collectra import clock

    return today_in(workspace, clock.utcnow())


def timeline(account: Account, debt_id: str) -> list[dict[str, Any]]:
    """The debt's timeline as stored (the business's sign-in would not outlive a moved clock)."""
    from collectra.debts.timeline import read_timeline

    return read_timeline(account.workspace_id, debt_id, cursor=None, limit=100)[0]


def promise(token: str, day: str, debt_id: str = "all") -> Any:
    return post_form(token, "answer", {"kind": "promise", "debt_id": debt_id, "promise_date": day, "message": "Soon"})


# ---------------------------------------------------------------- the promise's horizon


@pytest.mark.parametrize("far", ["9999-12-31", "2099-01-31"])
def test_a_promise_beyond_the_horizon_is_refused_with_a_notice_and_records_nothing(
    account: Account, page: dict[str, Any], far: str
) -> None:
    Browser().call("GET", f"/p/{page['token']}")  # the view is recorded now, not while answering
    before = item_count()

    answer = promise(page["token"], far)

    assert answer.status == 422, answer.body
    latest = business_today(account) + timedelta(days=90)
    assert "une promesse de paiement peut aller jusqu\u2019au" in html.unescape(answer.body)
    assert f'max="{latest.isoformat()}"' in answer.body  # the date picker offers no later day
    assert item_count() == before
    debt = account.browser.call("GET", f"/debts/{page['debts'][0]['id']}").json()
    assert (debt["promise"], debt["version"]) == (None, 1)


def test_a_promise_on_the_last_day_of_the_horizon_is_recorded_on_every_debt_it_names(
    account: Account, page: dict[str, Any]
) -> None:
    latest = (business_today(account) + timedelta(days=90)).isoformat()

    assert promise(page["token"], latest).status == 303

    for debt in page["debts"]:
        assert existing_item(keys.debt(account.workspace_id, debt["id"]))["promise"]["on"] == latest


def test_the_business_chooses_its_horizon_from_1_to_180_days(account: Account, page: dict[str, Any]) -> None:
    assert account.browser.call("GET", "/workspace").json()["promise_max_days"] == 90
    for refused in (0, 181, None, "ten"):
        assert account.browser.call("PATCH", "/workspace", {"promise_max_days": refused}).status == 422, refused

    changed = account.browser.call("PATCH", "/workspace", {"promise_max_days": 10})

    assert changed.status == 200 and changed.json()["promise_max_days"] == 10
    today = business_today(account)
    assert promise(page["token"], (today + timedelta(days=11)).isoformat()).status == 422
    assert promise(page["token"], (today + timedelta(days=10)).isoformat()).status == 303


def test_a_promise_and_its_message_are_written_together_or_not_at_all(account: Account, page: dict[str, Any]) -> None:
    debt_id = page["debts"][0]["id"]
    promised = (business_today(account) + timedelta(days=20)).isoformat()
    Browser().call("GET", f"/p/{page['token']}")

    with others_writing(keys.debt(account.workspace_id, debt_id), times=100):
        refused = promise(page["token"], promised, debt_id)

    assert refused.status == 409  # others kept writing the debt: tried again, then given up, and said so
    assert "Merci de l\u2019envoyer à nouveau" in html.unescape(refused.body)  # their page, in their language
    assert "debtor_message" not in [entry["type"] for entry in timeline(account, debt_id)]
    assert promise(page["token"], promised, debt_id).status == 303
    types = [entry["type"] for entry in timeline(account, debt_id)]
    assert (types.count("debtor_message"), types.count("promise_made")) == (1, 1)


# ---------------------------------------------------------------- views


def test_page_views_reach_the_timelines_once_an_hour(account: Account, page: dict[str, Any], clock: Clock) -> None:
    for _ in range(5):
        assert Browser().call("GET", f"/p/{page['token']}").status == 200
    clock.advance(minutes=59)
    assert Browser().call("GET", f"/p/{page['token']}").status == 200

    views = [[e for e in timeline(account, debt["id"]) if e["type"] == "page_viewed"] for debt in page["debts"]]
    assert [len(seen) for seen in views] == [1, 1]

    clock.advance(minutes=2)
    assert Browser().call("GET", f"/p/{page['token']}").status == 200
    views = [[e for e in timeline(account, debt["id"]) if e["type"] == "page_viewed"] for debt in page["debts"]]
    assert [len(seen) for seen in views] == [2, 2]
