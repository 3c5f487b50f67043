"""PATCH /debtors/{id} writes each correction on the timeline of every debt of the debtor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from collectra.store import keys
from tests.conftest import Account, new_debt
from tests.support.world import all_items, existing_item

READS = {"GetItem", "BatchGetItem", "Query"}


def corrections_on(account: Account, debt_id: str) -> list[dict[str, Any]]:
    answer = account.browser.call("GET", f"/debts/{debt_id}/timeline?limit=100")
    assert answer.status == 200, answer.body
    return [entry for entry in answer.json()["items"] if entry["type"] == "debtor_corrected"]


def correct(account: Account, debtor: dict[str, Any], **changes: Any) -> Any:
    return account.browser.call("PATCH", f"/debtors/{debtor['id']}", {"version": debtor["version"], **changes})


def test_a_correction_is_on_every_debt_of_the_debtor_with_before_and_after(
    account: Account, debtor: dict[str, Any]
) -> None:
    debts = [new_debt(account, debtor["id"]) for _ in range(2)]

    answer = correct(account, debtor, phone="+33 1 23 45 67 89", name="Émile Édouard Zola")

    assert answer.status == 200, answer.body
    for debt in debts:
        (entry,) = corrections_on(account, debt["id"])
        assert entry["actor"] == {"kind": "user", "id": account.user_id}
        assert entry["data"] == {
            "debtor_id": debtor["id"],
            "changes": {
                "name": {"from": "Émile Zola", "to": "Émile Édouard Zola"},
                "phone": {"from": None, "to": "+33 1 23 45 67 89"},
            },
        }


def test_each_correction_is_an_entry_of_its_own_in_order(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])

    first = correct(account, debtor, company="Zola SARL").json()
    correct(account, first, company=None)

    assert [entry["data"]["changes"] for entry in corrections_on(account, debt["id"])] == [
        {"company": {"from": None, "to": "Zola SARL"}},
        {"company": {"from": "Zola SARL", "to": None}},
    ]


def test_a_correction_that_changes_nothing_writes_nothing(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    debt = new_debt(account, debtor["id"])
    before = all_items()
    dynamodb_calls.clear()

    answer = correct(account, debtor, name=debtor["name"], email=debtor["email"], phone=None)

    assert answer.status == 200
    assert answer.json()["version"] == debtor["version"]
    assert all_items() == before
    assert dynamodb_calls == ["BatchGetItem"]
    assert corrections_on(account, debt["id"]) == []


def test_the_same_correction_sent_twice_is_written_once(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])

    first = correct(account, debtor, notes="Prefers phone calls")
    again = correct(account, debtor, notes="Prefers phone calls")

    assert first.status == 200
    assert again.status == 409
    assert again.json()["error"]["code"] == "version_conflict"
    assert len(corrections_on(account, debt["id"])) == 1


def test_a_debtor_without_debts_is_corrected(account: Account, debtor: dict[str, Any]) -> None:
    answer = correct(account, debtor, email="zola@example.fr")

    assert answer.status == 200
    assert (answer.json()["email"], answer.json()["version"]) == ("zola@example.fr", debtor["version"] + 1)
    assert existing_item(keys.debtor(account.workspace_id, debtor["id"]))["email"] == "zola@example.fr"


def test_a_correction_reads_twice_and_writes_once(
    account: Account, debtor: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    for _ in range(3):
        new_debt(account, debtor["id"])
    dynamodb_calls.clear()

    assert correct(account, debtor, company="Zola SARL").status == 200

    assert len([call for call in dynamodb_calls if call in READS]) <= 2, dynamodb_calls
    assert [call for call in dynamodb_calls if call not in READS] == ["TransactWriteItems"]


def test_a_lifted_address_suppression_is_part_of_what_changed(account: Account, debtor: dict[str, Any]) -> None:
    from collectra import store

    debt = new_debt(account, debtor["id"])
    store.update(  # as a hard bounce reported by Brevo leaves it
        keys.debtor(account.workspace_id, debtor["id"]),
        "SET email_suppressed = :reason",
        values={":reason": "hard_bounce"},
    )

    correct(account, debtor, email="zola@example.fr")

    (entry,) = corrections_on(account, debt["id"])
    assert entry["data"]["changes"] == {
        "email": {"from": "emile@example.fr", "to": "zola@example.fr"},
        "email_suppressed": {"from": "hard_bounce", "to": None},
    }


def test_erasing_the_debtor_erases_the_values_of_their_corrections(account: Account, debtor: dict[str, Any]) -> None:
    debt = new_debt(account, debtor["id"])
    correct(account, debtor, phone="+33 1 23 45 67 89")
    account.browser.call("POST", f"/debts/{debt['id']}/cancel")

    assert account.browser.call("DELETE", f"/debtors/{debtor['id']}").status == 200

    (entry,) = corrections_on(account, debt["id"])
    assert entry["data"]["changes"] == {"phone": {"from": "[erased]", "to": "[erased]"}}
    assert "23 45" not in repr([item for item in all_items() if account.workspace_id in item["pk"]])


# ---------------------------------------------------------------- more debts than one transaction holds

MANY = 120


@pytest.fixture
def debtor_with_many_debts(account: Account, debtor: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    rows = "".join(
        f"INV-{n:04d},{debtor['name']},{debtor['email']},{debtor['external_ref']},10.00,EUR,2027-01-01\n"
        for n in range(MANY)
    )
    answer = account.browser.call(
        "POST",
        "/debts/import",
        raw_body="Invoice Number,Customer Name,Customer Email,Customer Reference,Amount,Currency,Due Date\n" + rows,
        headers={"content-type": "text/csv; charset=utf-8"},
    )
    assert answer.status == 200, answer.body
    assert answer.json()["created"] == MANY
    debt_ids = [
        item["id"]
        for item in all_items()
        if item["pk"] == f"WS#{account.workspace_id}" and item["sk"].startswith("DEBT#")
    ]
    assert len(debt_ids) == MANY
    current = account.browser.call("GET", f"/debtors/{debtor['id']}").json()
    return current, debt_ids


def corrections_by_debt(account: Account) -> dict[str, list[dict[str, Any]]]:
    """Each debt's `debtor_corrected` entries, read from the table (120 timelines through HTTP are slow)."""
    found: dict[str, list[dict[str, Any]]] = {}
    prefix = f"WS#{account.workspace_id}#DEBT#"
    for item in all_items():
        if item["pk"].startswith(prefix) and item.get("type") == "debtor_corrected":
            found.setdefault(item["pk"].removeprefix(prefix), []).append(item)
    return found


def test_a_debtor_with_more_debts_than_a_transaction_holds_gets_every_entry(
    account: Account, debtor_with_many_debts: tuple[dict[str, Any], list[str]]
) -> None:
    debtor, debt_ids = debtor_with_many_debts

    answer = correct(account, debtor, company="Zola SARL")

    assert answer.status == 200, answer.body
    written = corrections_by_debt(account)
    assert sorted(written) == sorted(debt_ids)
    assert all(len(entries) == 1 for entries in written.values())
    assert "correction_pending" not in existing_item(keys.debtor(account.workspace_id, debtor["id"]))
    assert corrections_on(account, debt_ids[-1])[0]["data"]["changes"] == {"company": {"from": None, "to": "Zola SARL"}}


def test_a_correction_interrupted_after_its_transaction_is_finished_by_the_next_request(
    account: Account, debtor_with_many_debts: tuple[dict[str, Any], list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectra import store

    debtor, debt_ids = debtor_with_many_debts

    def crash(items: Any) -> None:
        raise TimeoutError("the function timed out")

    with monkeypatch.context() as patched:
        patched.setattr(store, "put_many", crash)
        interrupted = correct(account, debtor, company="Zola SARL")
    assert interrupted.status == 500
    assert 0 < len(corrections_by_debt(account)) < MANY
    assert existing_item(keys.debtor(account.workspace_id, debtor["id"]))["correction_pending"]

    retried = correct(account, debtor, company="Zola SARL")  # the client tries again with what it read

    assert retried.status == 409
    written = corrections_by_debt(account)
    assert sorted(written) == sorted(debt_ids)
    assert all(len(entries) == 1 for entries in written.values())
    stored = existing_item(keys.debtor(account.workspace_id, debtor["id"]))
    assert "correction_pending" not in stored
    assert stored["company"] == "Zola SARL"


def test_a_correction_leaves_the_open_debts_count_and_payment_sessions_as_payments_left_them(
    account: Account, debtor: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A debt recorded and a Pay pressed between the correction's read and its write are not undone by it."""
    from collectra import store

    key = keys.debtor(account.workspace_id, debtor["id"])
    real_transact = store.transact
    meanwhile: list[Callable[[], object]] = [
        lambda: new_debt(account, debtor["id"]),
        lambda: store.update(
            key, "SET checkouts = :live, checkout_version = :one", values={":live": {"pay_x": {}}, ":one": 1}
        ),
    ]

    def transact_after_a_payment(operations: Any) -> None:
        monkeypatch.setattr(store, "transact", real_transact)
        for step in meanwhile:
            step()
        real_transact(operations)

    monkeypatch.setattr(store, "transact", transact_after_a_payment)
    assert correct(account, debtor, phone="+33 1 23 45 67 89").status == 200

    after = account.browser.call("GET", f"/debtors/{debtor['id']}").json()
    assert (after["phone"], after["open_debts"]) == ("+33 1 23 45 67 89", 1)
    assert existing_item(key)["checkouts"] == {"pay_x": {}}
