"""Debtors through their HTTP routes: record, list and search, correct, erase, link."""

from __future__ import annotations

from typing import Any, cast

from collectra.debtors.links import secret_hash
from collectra.debtors.records import Debtor
from collectra.store import keys
from tests.conftest import Account, new_debt
from tests.support.world import all_items, existing_item, get_item, item_count


def test_a_debtor_takes_the_workspace_defaults(account: Account) -> None:
    answer = account.browser.call("POST", "/debtors", {"name": "Ada", "email": "ADA@Example.com"})

    assert answer.status == 201
    body = answer.json()
    assert (body["email"], body["locale"], body["time_zone"], body["open_debts"]) == (
        "ada@example.com",
        "en",
        "Europe/Paris",
        0,
    )


def test_external_ref_is_unique_in_a_workspace(account: Account, debtor: dict[str, Any]) -> None:
    before = item_count()
    again = account.browser.call(
        "POST", "/debtors", {"name": "X", "email": "x@example.com", "external_ref": debtor["external_ref"]}
    )
    assert again.status == 409
    assert again.json()["error"]["code"] == "external_ref_taken"
    assert item_count() == before


def test_bad_debtor_input_names_the_field(account: Account) -> None:
    answer = account.browser.call("POST", "/debtors", {"name": "X", "email": "nope", "time_zone": "Mars/Base"})
    assert answer.status == 422
    fields = {detail["field"] for detail in answer.json()["error"]["details"]}
    assert {"body.email", "body.time_zone"} <= fields


def test_list_is_by_name_and_search_ignores_accents_and_case(account: Account) -> None:
    for name, email in [
        ("Zoé Martin", "zoe@example.com"),
        ("Émile Durand", "emile@example.com"),
        ("Anna Schmidt", "anna@example.de"),
    ]:
        account.browser.call("POST", "/debtors", {"name": name, "email": email})

    everyone = account.browser.call("GET", "/debtors").json()["items"]
    found = account.browser.call("GET", "/debtors?search=EMI").json()["items"]
    by_email = account.browser.call("GET", "/debtors?search=anna@").json()["items"]

    assert [d["name"] for d in everyone] == ["Anna Schmidt", "Émile Durand", "Zoé Martin"]
    assert [d["name"] for d in found] == ["Émile Durand"]
    assert [d["name"] for d in by_email] == ["Anna Schmidt"]


def test_pages_follow_the_cursor_to_the_end(account: Account) -> None:
    for n in range(5):
        account.browser.call("POST", "/debtors", {"name": f"Debtor {n}", "email": f"d{n}@example.com"})
    seen, cursor = [], None
    while True:
        page = account.browser.call("GET", "/debtors?limit=2" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [d["name"] for d in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Debtor {n}" for n in range(5)]


def test_the_list_reads_backwards_by_name_one_page_at_a_time(account: Account) -> None:
    for name in ["Zoé Martin", "Émile Durand", "Anna Schmidt", "Bruno Keller"]:
        account.browser.call("POST", "/debtors", {"name": name, "email": f"{name.split()[1].lower()}@example.com"})
    seen, cursor = [], None
    while True:
        page = account.browser.call("GET", "/debtors?sort=-name&limit=3" + (f"&cursor={cursor}" if cursor else ""))
        seen += [d["name"] for d in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if not cursor:
            break
    assert seen == ["Zoé Martin", "Émile Durand", "Bruno Keller", "Anna Schmidt"]
    assert account.browser.call("GET", "/debtors?sort=open_debts").status == 422


def test_a_cursor_from_another_list_is_refused(account: Account) -> None:
    for n in range(3):
        account.browser.call("POST", "/debtors", {"name": f"D{n}", "email": f"d{n}@example.com"})
    cursor = account.browser.call("GET", "/debtors?limit=1").json()["next_cursor"]
    answer = account.browser.call("GET", "/debts?cursor=" + cursor)
    assert answer.status == 422
    assert answer.json()["error"]["code"] == "invalid_cursor"


def test_has_open_debts_filters_the_list(account: Account, debtor: dict[str, Any]) -> None:
    account.browser.call("POST", "/debtors", {"name": "Nothing Owed", "email": "none@example.com"})
    new_debt(account, debtor["id"])

    owing = account.browser.call("GET", "/debtors?has_open_debts=true").json()["items"]

    assert [d["id"] for d in owing] == [debtor["id"]]
    assert owing[0]["open_debts"] == 1


def test_correction_needs_the_current_version(account: Account, debtor: dict[str, Any]) -> None:
    path = f"/debtors/{debtor['id']}"
    first = account.browser.call("PATCH", path, {"version": debtor["version"], "phone": "+33 1 23 45 67 89"})
    stale = account.browser.call("PATCH", path, {"version": debtor["version"], "company": "Zola SARL"})

    assert first.status == 200
    assert first.json()["version"] == debtor["version"] + 1
    assert stale.status == 409
    assert account.browser.call("GET", path).json()["company"] is None


def test_name_and_email_cannot_be_cleared(account: Account, debtor: dict[str, Any]) -> None:
    answer = account.browser.call("PATCH", f"/debtors/{debtor['id']}", {"version": 1, "email": None})
    assert answer.status == 422


def test_erasing_is_refused_while_debts_are_open(account: Account, debtor: dict[str, Any]) -> None:
    new_debt(account, debtor["id"])
    answer = account.browser.call("DELETE", f"/debtors/{debtor['id']}")
    assert answer.status == 409
    assert answer.json()["error"]["code"] == "debtor_has_open_debts"


def test_erasing_removes_personal_data_and_keeps_the_debts(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    account.browser.call("POST", f"/debts/{debt['id']}/cancel")
    link = account.browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]

    erased = account.browser.call("DELETE", f"/debtors/{debtor['id']}")

    assert erased.status == 200
    stored = existing_item(keys.debtor(account.workspace_id, debtor["id"]))
    assert stored["name"] == "Erased debtor"
    for personal in ("email", "phone", "company", "notes", "external_ref"):
        assert stored.get(personal) is None
    assert "emile" not in repr(stored).lower()
    assert get_item(keys.external_ref(account.workspace_id, debtor["external_ref"])) is None
    assert "link_hash" not in stored
    assert account.browser.call("GET", "/p/" + link.rsplit("/", 1)[1]).status == 404
    gone = account.browser.call("GET", f"/debtors/{debtor['id']}")  # erased is gone, not a debtor to look up
    assert (gone.status, gone.json()["error"]["code"]) == (404, "debtor_erased")
    assert account.browser.call("GET", f"/debts/{debt['id']}").json()["debtor_id"] == debtor["id"]
    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}").status == 200  # idempotent


def test_a_new_link_replaces_the_old_one_and_only_its_hash_is_kept(account: Account, debtor: dict[str, Any]) -> None:
    first = account.browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]
    second = account.browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"]
    first_token, second_token = first.rsplit("/", 1)[1], second.rsplit("/", 1)[1]

    assert len(second_token.rsplit(".", 1)[1]) >= 43  # 256 bits, base64url
    stored = existing_item(keys.debtor(account.workspace_id, debtor["id"]))
    assert stored["link_hash"] == secret_hash(second_token.rsplit(".", 1)[1])
    assert second_token.rsplit(".", 1)[1] not in repr(all_items())
    assert account.browser.call("GET", f"/p/{first_token}").status == 404
    assert account.browser.call("GET", f"/p/{second_token}").status == 200

    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}/link").status == 204
    assert "link_hash" not in existing_item(keys.debtor(account.workspace_id, debtor["id"]))
    assert account.browser.call("GET", f"/p/{second_token}").status == 404


def test_the_link_can_be_made_again_for_emails_but_not_from_the_table_alone(
    account: Account, debtor: dict[str, Any]
) -> None:
    from collectra.debtors.links import link_token

    token = account.browser.call("POST", f"/debtors/{debtor['id']}/link").json()["url"].rsplit("/", 1)[1]
    stored = existing_item(keys.debtor(account.workspace_id, debtor["id"]))

    assert link_token(account.workspace_id, cast(Debtor, stored)) == token  # what a reminder email carries
    assert token.rsplit(".", 1)[1] not in repr(stored)  # neither the secret nor its key is stored
    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}/link").status == 204
    revoked = cast(Debtor, existing_item(keys.debtor(account.workspace_id, debtor["id"])))
    assert link_token(account.workspace_id, revoked) is None
