"""A debt write's delta for the figures (`debts.aggregates`), and how a transaction carries them (merged ADDs)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from collectra import store
from collectra.debts import aggregates
from collectra.debts.records import Debt
from collectra.debts.service import new_debt_item

NOW = datetime(2026, 12, 3, 22, 44, 10, tzinfo=UTC)


def debt(**fields: object) -> Debt:
    made = new_debt_item(
        "ws_1",
        "dbt_1",
        {"invoice_number": "A-1", "amount": 10_000, "currency": "EUR", "issued_on": None, "due_on": "2026-11-01"},
        now=NOW,
        source="api",
    )
    return cast(Debt, {**made, **fields})


def test_a_new_debt_is_invoiced_and_receivable_on_its_due_date() -> None:
    assert aggregates.delta(None, debt(), now=NOW) == {
        "EUR:inv": 10_000,
        "EUR:ra:2026-11-01": 10_000,
        "EUR:rn:2026-11-01": 1,
        "EUR:ea:2026-11-01": 10_000,
    }


def test_paying_in_full_by_page_moves_receivable_to_collected_and_counts_a_paid_debt() -> None:
    before = debt()
    after = debt(amount_paid=10_000, status="paid")

    assert aggregates.delta(before, after, now=NOW, by_page=True) == {
        "EUR:cp": 10_000,
        "EUR:ra:2026-11-01": -10_000,
        "EUR:rn:2026-11-01": -1,
        "EUR:ea:2026-11-01": -10_000,
        "EUR:pn": 1,
        "EUR:ps": NOW.date().toordinal(),  # created today, no issued_on: paid the day it was made
    }


def test_a_promise_moves_what_it_covers_from_predicted_to_promised() -> None:
    promise = {"amount": 4_000, "on": "2026-12-20", "paid_before": 0}

    assert aggregates.delta(debt(), debt(promise=promise), now=NOW) == {
        "EUR:pa:2026-12-20": 4_000,
        "EUR:ea:2026-11-01": -4_000,
    }


def test_a_write_that_moves_no_figure_adds_to_no_item() -> None:
    assert aggregates.delta_op("ws_1", debt(), debt(reminders_paused=True, version=2), now=NOW) == []


def test_a_change_is_booked_in_the_quarter_of_an_hour_it_is_recorded_in() -> None:
    (operation,) = aggregates.delta_op("ws_1", None, debt(), now=NOW)

    assert operation.body["Key"]["sk"].startswith("AGG#2026-12-03T22:30Z#S")


def test_adds_to_one_item_in_one_transaction_become_one_and_zeros_disappear() -> None:
    key = {"pk": "WS#ws_1", "sk": "AGG#2026-12-03T22:30Z#S01"}
    other = store.put_op({"pk": "WS#ws_1", "sk": "DEBT#x"})

    merged = store.merge_counters(
        [
            store.counters_op(key, {"EUR:inv": 5, "EUR:cp": 2}),
            other,
            store.counters_op(key, {"EUR:inv": 1, "EUR:cp": -2}),
        ]
    )

    assert [op.kind for op in merged] == ["Update", "Put"]
    assert merged[0].counters == {"EUR:inv": 6}
    assert merged[0].body["UpdateExpression"] == "ADD #c0 :c0"


def test_a_debt_is_expected_its_stamped_lateness_after_its_due_date() -> None:
    assert aggregates.expected_on(debt()) == "2026-11-01"  # nothing stamped: the due date
    assert aggregates.expected_on(debt(expected_late_days=10)) == "2026-11-11"
    assert aggregates.expected_on(debt(expected_late_days=-3)) == "2026-10-29"


def test_a_new_lateness_moves_what_is_predicted_and_nothing_else() -> None:
    before = debt(amount_paid=4_000, status="partially_paid")
    after = debt(amount_paid=4_000, status="partially_paid", expected_late_days=10, version=2)

    assert aggregates.delta(before, after, now=NOW) == {"EUR:ea:2026-11-01": -6_000, "EUR:ea:2026-11-11": 6_000}
    assert aggregates.delta(after, after, now=NOW) == {}  # stamped again with the same lateness: nothing


def test_a_disputed_debt_is_not_predicted_whatever_its_lateness() -> None:
    before = debt(status="disputed")
    assert aggregates.delta(before, debt(status="disputed", expected_late_days=5), now=NOW) == {}
