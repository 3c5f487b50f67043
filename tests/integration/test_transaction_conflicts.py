"""A failed condition is answered by the operation that failed, wherever that operation stands in its
transaction: each case runs as written and with one more operation put in front of every transaction, as a
new feature might put one there (when reasons were read by position, that shifted which check "failed")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from collectra import store
from collectra.store import keys
from tests.conftest import Account, new_debt
from tests.support.world import item_count

NOWHERE = {"pk": "NOTHING#HERE", "sk": "NOTHING"}


@pytest.fixture(params=["as written", pytest.param("one operation put in front", marks=pytest.mark.rewrites_aws_calls)])
def in_front(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if request.param == "as written":
        return False
    real_transact = store.transact

    def with_one_in_front(operations: Iterable[store.Operation]) -> None:
        real_transact([store.check_op(NOWHERE, "attribute_not_exists(pk)", name="in_front"), *operations])

    monkeypatch.setattr(store, "transact", with_one_in_front)
    return True


def test_an_invoice_number_another_debt_has_is_answered_as_taken(
    account: Account, debtor: dict[str, Any], in_front: bool
) -> None:
    first, second = new_debt(account, debtor["id"]), new_debt(account, debtor["id"])
    before = item_count()

    answer = account.browser.call(
        "PATCH", f"/debts/{second['id']}", {"version": second["version"], "invoice_number": first["invoice_number"]}
    )

    assert (answer.status, answer.json()["error"]["code"]) == (409, "invoice_number_taken")
    assert item_count() == before


def test_a_debt_for_a_debtor_that_is_gone_is_answered_as_not_found(account: Account, in_front: bool) -> None:
    before = item_count()

    answer = account.browser.call(
        "POST",
        "/debts",
        {"debtor_id": "dbt_gone", "invoice_number": "GONE-1", "amount": 100, "currency": "EUR", "due_on": "2026-12-01"},
    )

    assert (answer.status, answer.json()["error"]["code"]) == (404, "debtor_not_found")
    assert item_count() == before


def test_a_debt_changed_between_read_and_write_is_answered_as_stale_not_as_its_other_checks(
    account: Account, debtor: dict[str, Any], in_front: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The debt's own condition and the new invoice number's claim are in the same transaction: only the
    debt's failed, so the answer is the stale version, not the invoice number."""
    debt = new_debt(account, debtor["id"])
    meddling = store.transact

    def transact_after_another_edit(operations: Iterable[store.Operation]) -> None:
        monkeypatch.setattr(store, "transact", meddling)
        store.update(keys.debt(account.workspace_id, debt["id"]), "SET version = version + :one", values={":one": 1})
        meddling(operations)

    monkeypatch.setattr(store, "transact", transact_after_another_edit)
    answer = account.browser.call(
        "PATCH", f"/debts/{debt['id']}", {"version": debt["version"], "invoice_number": "FRESH-1"}
    )

    assert (answer.status, answer.json()["error"]["code"]) == (409, "version_conflict")


def test_a_debtor_correction_tells_a_taken_reference_from_a_stale_version(
    account: Account, debtor: dict[str, Any], in_front: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = account.browser.call(
        "POST", "/debtors", {"name": "Other", "email": "other@example.com", "external_ref": "TAKEN-REF"}
    ).json()
    path = f"/debtors/{debtor['id']}"

    taken = account.browser.call("PATCH", path, {"version": debtor["version"], "external_ref": other["external_ref"]})
    assert (taken.status, taken.json()["error"]["code"]) == (409, "external_ref_taken")

    meddling = store.transact

    def transact_after_another_correction(operations: Iterable[store.Operation]) -> None:
        monkeypatch.setattr(store, "transact", meddling)
        store.update(
            keys.debtor(account.workspace_id, debtor["id"]), "SET version = version + :one", values={":one": 1}
        )
        meddling(operations)

    monkeypatch.setattr(store, "transact", transact_after_another_correction)
    stale = account.browser.call("PATCH", path, {"version": debtor["version"], "external_ref": "FREE-REF"})
    assert (stale.status, stale.json()["error"]["code"]) == (409, "version_conflict")
