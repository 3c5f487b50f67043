"""The inbox in a workspace's export, its deletion, a debtor's erasure and a member's departure."""

from __future__ import annotations

from typing import Any

from local.brevo import BrevoStandIn
from tests.conftest import PASSWORD, Account
from tests.integration.test_export import contents
from tests.integration.test_inbox_answers import answer, asked
from tests.integration.test_inbox_life_cycle import inbox, the_item
from tests.support.erasure import run_jobs_of
from tests.support.exports import download, export_now
from tests.support.team import new_member
from tests.support.world import all_items


def inbox_items_of(workspace_id: str) -> list[dict[str, Any]]:
    return [i for i in all_items() if i["pk"] == f"WS#{workspace_id}" and i["sk"].startswith("INBOX#")]


def test_the_export_holds_the_inbox_without_its_index_keys(account: Account) -> None:
    _, _, item_id = asked(account)

    exported = contents(download(export_now(account.browser)["download_url"]))

    [item] = exported["inbox"]
    assert (item["id"], item["kind"], item["state"], item["detail"]) == (
        item_id,
        "question",
        "open",
        {"excerpt": "Two parts?"},
    )
    assert not [name for name in item if name.startswith("gsi") or name in ("pk", "sk")]


def test_erasing_a_debtor_erases_their_inbox_items_and_what_the_business_answered_them(
    account: Account, brevo: BrevoStandIn
) -> None:
    person, debt, item_id = asked(account)
    assert answer(account, item_id, "Yes, Mr Zola, two parts are fine").status == 200
    assert account.browser.call("POST", f"/debts/{debt['id']}/cancel", {}).status == 200

    erased = account.browser.call("DELETE", f"/debtors/{person['id']}")

    assert erased.status == 200, erased.body
    assert inbox_items_of(account.workspace_id) == []
    assert [i for i in all_items() if "Mr Zola" in str(i) and i["pk"].startswith(f"WS#{account.workspace_id}")] == []
    timeline = account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    [entry] = [entry for entry in timeline if entry["type"] == "business_answer"]
    assert entry["data"]["message"] == "[erased]"


def test_a_member_who_leaves_for_good_is_no_longer_anyones_assignee(account: Account, brevo: BrevoStandIn) -> None:
    colleague, colleague_id = new_member(account.browser, brevo, "member")
    _, _, item_id = asked(account)
    assigned = colleague.call("PATCH", f"/workspace/inbox/{item_id}", {"assignee_id": colleague_id})
    assert assigned.status == 200, assigned.body

    assert colleague.call("DELETE", "/account", {"password": PASSWORD}).status == 200
    run_jobs_of(account.workspace_id)

    assert the_item(account, "question")["assignee_id"] is None
    assert inbox(account, f"?assignee={colleague_id}")["items"] == []
    assert [item["id"] for item in inbox(account)["items"]] == [item_id]


def test_deleting_the_workspace_deletes_its_inbox(account: Account) -> None:
    asked(account)
    assert inbox_items_of(account.workspace_id)

    assert account.browser.call("DELETE", "/workspace", {"password": PASSWORD}).status == 202
    run_jobs_of(account.workspace_id)

    assert inbox_items_of(account.workspace_id) == []
