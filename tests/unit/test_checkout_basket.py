"""A Checkout basket names what a session pays: the same press reuses a session, any difference makes another."""

from __future__ import annotations

from typing import Any, cast

from collectra.debts.records import Debt
from collectra.payments.checkout import Instalment, Quoted, basket_of
from collectra.payments.quote import Quote

DEBT = cast(Debt, {"id": "debt_1", "version": 3, "amount": 10_000, "currency": "EUR"})


def basket(designation: str, quote: Quote, **debt: Any) -> str:
    return basket_of([Quoted(cast(Debt, {**DEBT, **debt}), quote, None)], designation)


def test_the_same_debts_paid_the_same_way_for_the_same_amounts_share_a_basket() -> None:
    assert basket("all", Quote(10_000, 12, 4_000)) == basket("all", Quote(10_000, 12, 4_000))


def test_the_designation_the_version_and_a_new_days_interest_each_make_another_basket() -> None:
    today = basket("all", Quote(10_000, 12, 4_000))

    assert basket("principal", Quote(10_000, 12, 4_000)) != today
    assert basket("all", Quote(10_000, 12, 4_000), version=4) != today
    assert basket("all", Quote(10_000, 13, 4_000)) != today  # a day later, a cent more of interest


def test_an_instalment_is_its_own_basket_by_plan_and_number() -> None:
    quoted = [Quoted(DEBT, Quote(5_000, 0, 0), None)]
    second = basket_of(quoted, "principal", Instalment("plan_1", 2, 3))

    assert second == basket_of(quoted, "principal", Instalment("plan_1", 2, 3))
    assert second != basket_of(quoted, "principal")  # paying 50.00 of the invoice is not paying the instalment
    assert second != basket_of(quoted, "principal", Instalment("plan_1", 3, 3))
    assert second != basket_of(quoted, "principal", Instalment("plan_2", 2, 3))
