"""GET /workspace/analytics/aging and export.csv: what each debtor owed, by how late, as of any date, re-run later
with the same figures."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Account, Clock, new_debt
from tests.support.http import Browser

ZERO = {"not_due": 0, "days_1_30": 0, "days_31_60": 0, "days_61_90": 0, "days_over_90": 0}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def new_debtor(browser: Browser, name: str) -> dict[str, Any]:
    answer = browser.call("POST", "/debtors", {"name": name, "email": f"{uuid.uuid4().hex[:8]}@example.com"})
    assert answer.status == 201, answer.body
    return dict(answer.json())


def aging(browser: Browser, **query: Any) -> dict[str, Any]:
    path = "/workspace/analytics/aging"
    if query:
        path += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    answer = browser.call("GET", path)
    assert answer.status == 200, answer.body
    return dict(answer.json())


def rows(browser: Browser, cursor: str | None = None, **query: Any) -> list[dict[str, Any]]:
    """Every row of the report, page after page (from `cursor`'s)."""
    found: list[dict[str, Any]] = []
    while True:
        page = aging(browser, **query, **({"cursor": cursor} if cursor else {}))
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def row(debtor: dict[str, Any], currency: str, **buckets: int) -> dict[str, Any]:
    filled = ZERO | buckets
    return {
        "debtor_id": debtor["id"],
        "debtor_name": debtor["name"],
        "currency": currency,
        **filled,
        "total": sum(filled.values()),
    }


def move(account: Account, clock: Clock, when: str) -> Browser:
    clock.now = at(when)
    return account.new_browser()  # signed in at that time


def pay(browser: Browser, debt: dict[str, Any], amount: int, received_on: str) -> None:
    answer = browser.call("POST", f"/debts/{debt['id']}/payments", {"amount": amount, "received_on": received_on})
    assert answer.status == 201, answer.body


def edit(browser: Browser, debt: dict[str, Any], **changes: Any) -> None:
    current = browser.call("GET", f"/debts/{debt['id']}").json()
    answer = browser.call("PATCH", f"/debts/{debt['id']}", {"version": current["version"], **changes})
    assert answer.status == 200, answer.body


@pytest.fixture
def january(account: Account, clock: Clock) -> dict[str, Any]:
    """Debts recorded on 10 January 2027 (Paris), then changed on 10 February: paid in part, edited, written off,
    disputed, and a new one."""
    browser = move(account, clock, "2027-01-10T11:00:00+01:00")
    alice, bruno = new_debtor(browser, "Alice Martin"), new_debtor(browser, "Bruno Costa")
    debts = {
        "a": new_debt(account := _as(account, browser), alice["id"], amount=10_000, due_on="2027-01-05"),
        "b": new_debt(account, alice["id"], amount=5_000, due_on="2026-11-15"),
        "c": new_debt(account, alice["id"], amount=7_000, currency="USD", due_on="2027-02-20"),
        "d": new_debt(account, bruno["id"], amount=3_000, due_on="2026-10-01"),
        "e": new_debt(account, bruno["id"], amount=2_000, due_on="2026-12-20"),
    }
    browser = move(account, clock, "2027-02-10T11:00:00+01:00")
    pay(browser, debts["a"], 4_000, "2027-01-20")  # received in January, booked in February: February's
    edit(browser, debts["b"], amount=6_000, due_on="2027-01-25")
    assert browser.call("POST", f"/debts/{debts['d']['id']}/write-off", {}).status == 200
    assert browser.call("POST", f"/debts/{debts['e']['id']}/dispute", {}).status == 200
    debts["f"] = new_debt(_as(account, browser), bruno["id"], amount=1_000, due_on="2027-01-01")
    return {"browser": browser, "alice": alice, "bruno": bruno, **debts}


def _as(account: Account, browser: Browser) -> Account:
    account.browser = browser
    return account


def test_a_past_month_end_shows_the_debts_as_they_stood_then(january: dict[str, Any]) -> None:
    alice, bruno = january["alice"], january["bruno"]

    report = aging(january["browser"], as_of="2027-01-31")

    assert report["as_of"] == "2027-01-31" and report["group_by"] == "debtor"
    assert report["next_cursor"] is None
    assert report["items"] == [
        row(alice, "EUR", days_1_30=10_000, days_61_90=5_000),  # a: 26 days late, b: 77 (before its edit)
        row(alice, "USD", not_due=7_000),
        row(bruno, "EUR", days_31_60=2_000, days_over_90=3_000),  # e: 42 days, d: 122 (not yet written off)
    ]


def test_today_shows_the_debts_as_they_are(january: dict[str, Any]) -> None:
    alice, bruno = january["alice"], january["bruno"]

    report = aging(january["browser"])

    assert report["as_of"] == "2027-02-10"
    assert report["items"] == [
        row(alice, "EUR", days_1_30=6_000, days_31_60=6_000),  # b edited: 6 000 due 25 January; a: 6 000 left
        row(alice, "USD", not_due=7_000),
        row(bruno, "EUR", days_31_60=3_000),  # e disputed still owed, f new; d written off
    ]


def test_a_report_run_again_later_gives_the_same_figures(
    january: dict[str, Any], account: Account, clock: Clock
) -> None:
    before = aging(january["browser"], as_of="2027-01-31")
    february = aging(january["browser"], as_of="2027-02-10")
    browser = move(account, clock, "2027-03-15T11:00:00+01:00")
    pay(browser, january["c"], 7_000, "2027-03-14")
    edit(browser, january["a"], due_on="2027-03-30")
    assert browser.call("POST", f"/debts/{january['b']['id']}/cancel", {}).status == 200

    assert aging(browser, as_of="2027-01-31") == before
    assert aging(browser, as_of="2027-02-10") == february


def test_the_day_ends_at_midnight_in_the_workspaces_time_zone(account: Account, clock: Clock) -> None:
    browser = move(account, clock, "2027-01-10T11:00:00+01:00")
    debtor = new_debtor(browser, "Chloé Durand")
    debt = new_debt(_as(account, browser), debtor["id"], amount=10_000, due_on="2027-01-20")
    browser = move(account, clock, "2027-01-31T23:30:00+01:00")
    pay(browser, debt, 1_000, "2027-01-31")  # still 31 January in Paris
    browser = move(account, clock, "2027-02-01T00:30:00+01:00")
    pay(browser, debt, 500, "2027-02-01")  # 31 January in UTC, but February in Paris

    assert aging(browser, as_of="2027-01-31")["items"] == [row(debtor, "EUR", days_1_30=9_000)]
    assert aging(browser, as_of="2027-01-09")["items"] == []  # before the debt was recorded


def test_a_page_holds_the_rows_of_a_few_debtors_and_reads_no_history_for_today(
    account: Account, clock: Clock, dynamodb_calls: list[str]
) -> None:
    browser = move(account, clock, "2027-01-10T11:00:00+01:00")
    debtors = [new_debtor(browser, name) for name in ("Ada", "Bea", "Cid", "Dee")]
    for debtor in debtors:
        new_debt(_as(account, browser), debtor["id"], amount=1_000, due_on="2027-01-01")
        new_debt(account, debtor["id"], amount=2_000, due_on="2027-02-01")
    settled = new_debtor(browser, "Eve")
    paid = new_debt(account, settled["id"], amount=3_000, due_on="2027-01-01")
    pay(browser, paid, 3_000, "2027-01-10")

    dynamodb_calls.clear()
    first = aging(browser, limit=2)
    calls_today = list(dynamodb_calls)
    dynamodb_calls.clear()
    rest = rows(browser, limit=2, cursor=first["next_cursor"])
    dynamodb_calls.clear()
    aging(browser, limit=2, as_of="2027-01-09")
    calls_before_anything = list(dynamodb_calls)

    assert [r["debtor_name"] for r in first["items"] + rest] == ["Ada", "Bea", "Cid", "Dee"]  # Eve owes nothing
    assert all(r["days_1_30"] == 1_000 and r["not_due"] == 2_000 for r in first["items"] + rest)
    # The caller's read, the page of debtors, each one's debts (2), their 4 debts: no history, nothing scanned.
    assert calls_today == ["BatchGetItem", "Query", "Query", "Query", "BatchGetItem"]
    assert "Scan" not in calls_before_anything


def test_a_past_report_reads_the_history_of_only_the_debts_changed_since(
    january: dict[str, Any], dynamodb_calls: list[str]
) -> None:
    dynamodb_calls.clear()
    aging(january["browser"], as_of="2027-01-31")

    # Caller; debtors; 2 debtors' debts; their 6 debts; the histories of a, b, d, e (changed since; f is newer).
    assert sorted(dynamodb_calls) == sorted(["BatchGetItem", "Query", "Query", "Query", "BatchGetItem", *["Query"] * 4])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("as_of=2100-01-01", "query.as_of"),
        ("as_of=31/01/2027", "query.as_of"),
        ("group_by=currency", "query.group_by"),
        ("currency=EURO", "query.currency"),
        ("limit=0", "query.limit"),
        ("cursor=bm9wZQ", "query.cursor"),
    ],
)
def test_bad_input_is_refused_naming_its_field(account: Account, query: str, field: str) -> None:
    answer = account.browser.call("GET", f"/workspace/analytics/aging?{query}")

    assert answer.status == 422, answer.body
    assert field in [detail["field"] for detail in answer.json()["error"]["details"]]


def test_the_report_holds_only_the_callers_workspace(account: Account, debtor: dict[str, Any]) -> None:
    new_debt(account, debtor["id"], amount=1_000)
    other = Browser()
    signup = {
        "email": f"{uuid.uuid4().hex[:8]}@example.com",
        "password": account.password,
        "name": "Other",
        "workspace_name": "Other Ltd",
    }
    assert other.call("POST", "/auth/signup", signup).status == 201

    assert aging(other)["items"] == []
    assert [r["debtor_id"] for r in aging(account.browser)["items"]] == [debtor["id"]]


def test_the_accountants_file_has_the_same_rows_in_major_units(account: Account, clock: Clock) -> None:
    browser = move(account, clock, "2027-01-10T11:00:00+01:00")
    sly = new_debtor(browser, '=HYPERLINK("http://evil.example","Sly")')
    yen = new_debtor(browser, "Zoë, Tanaka & Co")
    new_debt(_as(account, browser), sly["id"], amount=12_345, due_on="2027-01-05")
    new_debt(account, yen["id"], amount=5_000, currency="JPY", due_on="2027-03-01")
    new_debt(account, yen["id"], amount=1_050, issued_on="2026-08-01", due_on="2026-09-01")

    answer = browser.call("GET", "/workspace/analytics/export.csv?as_of=2027-01-10")

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="aging-by-debtor-2027-01-10.csv"'
    assert answer.body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(answer.body.removeprefix("\ufeff"))))
    assert table == [
        ["as_of", "debtor_id", "debtor_name", "currency", *ZERO, "total"],
        ["2027-01-10", sly["id"], "'" + sly["name"], "EUR", "0.00", "123.45", "0.00", "0.00", "0.00", "123.45"],
        ["2027-01-10", yen["id"], yen["name"], "EUR", "0.00", "0.00", "0.00", "0.00", "10.50", "10.50"],
        ["2027-01-10", yen["id"], yen["name"], "JPY", "5000", "0", "0", "0", "0", "5000"],
    ]
    json_rows = aging(browser, as_of="2027-01-10")["items"]
    assert [(r["debtor_id"], r["currency"], r["total"]) for r in json_rows] == [
        (sly["id"], "EUR", 12_345),
        (yen["id"], "EUR", 1_050),
        (yen["id"], "JPY", 5_000),
    ]


def test_the_accountants_file_of_a_month_end_shows_a_debt_paid_since_as_it_stood(
    account: Account, clock: Clock
) -> None:
    browser = move(account, clock, "2027-01-10T11:00:00+01:00")
    payer = new_debtor(browser, "Late Payer GmbH")
    debt = new_debt(_as(account, browser), payer["id"], amount=20_000, due_on="2027-01-05")
    pay(move(account, clock, "2027-02-03T11:00:00+01:00"), debt, 20_000, "2027-02-03")

    answer = account.new_browser().call("GET", "/workspace/analytics/export.csv?as_of=2027-01-31")

    assert answer.status == 200, answer.body
    table = list(csv.reader(io.StringIO(answer.body.removeprefix("\ufeff"))))
    owed = ["0.00", "200.00", "0.00", "0.00", "0.00", "200.00"]  # 26 days past due on 31 January, paid since
    assert [row for row in table if row[1] == payer["id"]] == [["2027-01-31", payer["id"], payer["name"], "EUR", *owed]]


def test_the_file_refuses_a_day_not_begun(account: Account) -> None:
    answer = account.browser.call("GET", "/workspace/analytics/export.csv?as_of=2100-01-01")

    assert answer.status == 422
    assert [detail["field"] for detail in answer.json()["error"]["details"]] == ["query.as_of"]
