"""POST /debts/import with real CSV files: idempotent, row by row, dry runs, and clear refusals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from tests.conftest import Account
from tests.support.world import item_count

FRENCH_EXPORT = (
    "\ufeffN° facture;Nom du client;Courriel;Montant;Devise;Date d'échéance;Date de facture;Référence client\n"
    "F-001;Émile Zola;emile@example.fr;1 234,56;EUR;31/12/2026;01/12/2026;C-1\n"
    "F-002;Émile Zola;emile@example.fr;99,00;EUR;15/01/2027;02/12/2026;C-1\n"
    "F-003;George Sand;george@example.fr;2.500,00;EUR;2027-02-01;;C-2\n"
)


def import_csv(account: Account, text: str, query: str = "?locale=fr") -> Any:
    return account.browser.call(
        "POST", "/debts/import" + query, raw_body=text, headers={"content-type": "text/csv; charset=utf-8"}
    )


def test_a_french_export_creates_debtors_and_debts(account: Account) -> None:
    answer = import_csv(account, FRENCH_EXPORT)

    assert answer.status == 200, answer.body
    assert answer.json() | {"errors": None} == {
        "dry_run": False,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": None,
    }
    debts = account.browser.call("GET", "/debts").json()["items"]
    assert sorted((d["invoice_number"], d["amount"], d["due_on"]) for d in debts) == [
        ("F-001", 123_456, "2026-12-31"),
        ("F-002", 9_900, "2027-01-15"),
        ("F-003", 250_000, "2027-02-01"),
    ]
    debtors = account.browser.call("GET", "/debtors").json()["items"]
    assert [(d["name"], d["open_debts"]) for d in debtors] == [("Émile Zola", 2), ("George Sand", 1)]
    timeline = account.browser.call("GET", f"/debts/{debts[0]['id']}/timeline").json()["items"]
    assert timeline[0]["type"] == "imported"


def test_importing_the_same_file_twice_changes_nothing(account: Account) -> None:
    import_csv(account, FRENCH_EXPORT)
    before = item_count()

    again = import_csv(account, FRENCH_EXPORT).json()

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert item_count() == before


def test_a_changed_row_updates_its_debt(account: Account) -> None:
    import_csv(account, FRENCH_EXPORT)
    changed = FRENCH_EXPORT.replace("99,00;EUR;15/01/2027", "149,00;EUR;20/01/2027")

    result = import_csv(account, changed).json()

    assert (result["created"], result["updated"], result["unchanged"]) == (0, 1, 2)
    debt = next(d for d in account.browser.call("GET", "/debts").json()["items"] if d["invoice_number"] == "F-002")
    assert (debt["amount"], debt["due_on"]) == (14_900, "2027-01-20")
    kinds = [e["type"] for e in account.browser.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]]
    assert kinds == ["imported", "edited"]


def test_a_dry_run_reports_and_writes_nothing(account: Account) -> None:
    before = item_count()
    result = import_csv(account, FRENCH_EXPORT, "?locale=fr&dry_run=true").json()
    assert (result["dry_run"], result["created"]) == (True, 3)
    assert item_count() == before


def test_bad_rows_are_reported_and_never_block_the_good_ones(account: Account) -> None:
    text = (
        "Invoice Number,Customer,Email,Amount,Currency,Due Date\n"
        'A-1,Ada,ada@example.com,"1,250.00",EUR,2026-12-01\n'
        "A-2,Bob,bob@example.com,abc,EUR,2026-12-01\n"
        "A-3,Cy,,10.00,EUR,2026-12-01\n"
        "A-4,Di,di@example.com,5.00,EUR,not a date\n"
    )
    result = import_csv(account, text, "?locale=en").json()

    assert (result["created"], result["rejected"]) == (1, 3), result
    assert [(e["row"], e["column"]) for e in result["errors"]] == [
        (3, "Amount"),
        (4, "Email"),
        (5, "Due Date"),
    ]
    assert all(e["reason"] for e in result["errors"])


def test_a_malformed_file_is_refused_whole(account: Account) -> None:
    before = item_count()
    answer = import_csv(account, "Customer,Amount\nAda,12.00\n")
    assert answer.status == 422
    assert answer.json()["error"]["code"] == "malformed_csv"
    assert item_count() == before


def test_a_row_with_several_problems_is_one_rejected_row_with_each_problem_named(account: Account) -> None:
    text = "Invoice Number,Customer,Email,Amount,Currency,Due Date\nB-1,Bo,bo@example.com,abc,EUR,someday\n"
    result = import_csv(account, text, "?locale=en").json()
    assert result["rejected"] == 1
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Amount"), (2, "Due Date")]


def many_rows(rows: int, customers: int, start: int = 0) -> str:
    lines = ["Invoice,Customer,Email,Amount,Currency,Due date"]
    for n in range(start, start + rows):
        lines.append(f"B-{n:05d},Customer {n % customers},c{n % customers:03d}@example.com,{n + 1}.50,EUR,2027-03-01")
    return "\n".join(lines) + "\n"


def rows_by_customer(numbers: Iterable[int], customers: int) -> dict[str, int]:
    return dict(Counter(f"Customer {n % customers}" for n in numbers))


def open_debts_by_customer(account: Account) -> dict[str, int]:
    return {d["name"]: d["open_debts"] for d in account.browser.call("GET", "/debtors?limit=100").json()["items"]}


def test_new_debts_are_written_many_to_a_transaction_and_each_debtor_counts_them(
    account: Account, dynamodb_calls: list[str]
) -> None:
    answer = import_csv(account, many_rows(250, customers=40), query="")

    assert answer.json()["created"] == 250
    transactions = dynamodb_calls.count("TransactWriteItems")
    # 250 debts x 3 items + 40 debtors, 100 items each less the figures' shards the group's debts fall in (up to 16)
    assert transactions <= 12, dynamodb_calls
    assert len(dynamodb_calls) <= 22, dynamodb_calls
    assert open_debts_by_customer(account) == rows_by_customer(range(250), customers=40)

    dynamodb_calls.clear()
    more = import_csv(account, many_rows(100, customers=40, start=250), query="")  # the same customers again

    assert more.json()["created"] == 100
    assert open_debts_by_customer(account) == rows_by_customer(range(350), customers=40)
    assert dynamodb_calls.count("Query") <= 2, dynamodb_calls  # emails looked up by ranges, not one by one


def test_a_row_that_conflicts_meanwhile_is_rejected_and_the_rest_of_its_transaction_written(
    account: Account, monkeypatch: Any
) -> None:
    from collectra import store
    from collectra.imports import apply
    from collectra.store import keys

    batched = apply._batched

    def someone_claims_b00003_meanwhile(wanted: list[dict[str, str]]) -> list[dict[str, Any] | None]:
        found = batched(wanted)
        store.put({**keys.invoice_number(account.workspace_id, "B-00003"), "debt_id": "dbt_elsewhere"})
        return found

    monkeypatch.setattr(apply, "_batched", someone_claims_b00003_meanwhile)
    answer = import_csv(account, many_rows(10, customers=3), query="").json()

    assert (answer["created"], answer["rejected"]) == (9, 1)
    assert answer["errors"][0]["row"] == 5 and "changed while importing" in answer["errors"][0]["reason"]
    assert open_debts_by_customer(account) == rows_by_customer(set(range(10)) - {3}, customers=3)
    invoices = {d["invoice_number"] for d in account.browser.call("GET", "/debts?limit=50").json()["items"]}
    assert invoices == {f"B-{n:05d}" for n in range(10)} - {"B-00003"}


def test_the_debtor_kind_column_sets_the_kind_of_the_debtors_it_creates(account: Account) -> None:
    text = (
        "Invoice Number,Customer,Email,Amount,Due Date,Type de client\n"
        "K-1,Acme SARL,ap@acme.example,10.00,2026-12-01,B2B\n"
        "K-2,Jo Private,jo@private.example,10.00,2026-12-01,particulier\n"
        "K-3,Ann Else,ann@else.example,10.00,2026-12-01,\n"
        "K-4,Bo Weird,bo@weird.example,10.00,2026-12-01,household\n"
    )

    result = import_csv(account, text, "?locale=en").json()

    assert (result["created"], result["rejected"]) == (3, 1), result
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(5, "Type de client")]
    assert "household" in result["errors"][0]["reason"]
    debtors = account.browser.call("GET", "/debtors").json()["items"]
    assert {d["name"]: d["kind"] for d in debtors} == {
        "Acme SARL": "business",
        "Jo Private": "consumer",
        "Ann Else": "business",
    }


def test_a_row_that_contradicts_its_recorded_debtors_kind_is_refused(account: Account) -> None:
    import_csv(
        account, "Invoice,Customer,Email,Amount,Due Date,debtor_kind\nK-1,Jo,jo@p.example,1.00,2026-12-01,consumer\n"
    )
    text = (
        "Invoice,Customer,Email,Amount,Due Date,debtor_kind\n"
        "K-2,Jo,jo@p.example,1.00,2026-12-01,business\n"
        "K-3,Jo,jo@p.example,1.00,2026-12-01,consumer\n"
        "K-4,Jo,jo@p.example,1.00,2026-12-01,\n"
    )

    result = import_csv(account, text, "?locale=en").json()

    assert (result["created"], result["rejected"]) == (2, 1), result
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "debtor_kind")]
    assert "recorded as a consumer" in result["errors"][0]["reason"]
    [jo] = account.browser.call("GET", "/debtors").json()["items"]
    assert (jo["kind"], jo["open_debts"]) == ("consumer", 3)
