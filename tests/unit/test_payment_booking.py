"""The rules that spread one payment's money over its debts, whatever order Stripe's events come in."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from collectra.payments.booking import Facts, Share, rebalance

SHARES = [Share("a", 3_000), Share("b", 2_000)]


def book(booked: dict[str, int], facts: Facts) -> dict[str, int]:
    after = dict(booked)
    for debt_id, amount in rebalance(SHARES, booked, facts.net).items():
        after[debt_id] = after.get(debt_id, 0) + amount
    return after


def test_a_payment_fills_each_debt_up_to_its_share() -> None:
    assert rebalance(SHARES, {}, 5_000) == {"a": 3_000, "b": 2_000}


def test_an_overpayment_goes_to_the_last_debt_instead_of_being_lost() -> None:
    assert rebalance(SHARES, {}, 5_500) == {"a": 3_000, "b": 2_500}


def test_a_partial_refund_comes_back_from_the_last_debt_first() -> None:
    assert rebalance(SHARES, {"a": 3_000, "b": 2_000}, 2_500) == {"b": -2_000, "a": -500}


def test_money_back_comes_first_from_what_a_debt_holds_beyond_its_amount() -> None:
    """The refund of an overpayment of "a" never takes from "b", which was paid exactly."""
    assert rebalance(SHARES, {"a": 3_000, "b": 2_000}, 2_000, over={"a": 3_000}) == {"a": -3_000}
    assert rebalance(SHARES, {"a": 3_000, "b": 2_000}, 1_000, over={"a": 1_000}) == {"a": -2_000, "b": -2_000}


def test_booking_the_same_facts_again_books_nothing() -> None:
    booked = book({}, Facts(paid=5_000, refunded=1_000))
    assert rebalance(SHARES, booked, Facts(paid=5_000, refunded=1_000).net) == {}


def test_refunds_and_lost_disputes_never_take_back_more_than_was_paid() -> None:
    assert Facts(paid=5_000, refunded=4_000, lost=5_000).net == 0
    assert Facts(refunded=1_000).net == 0  # a refund seen before its payment takes nothing yet


def test_facts_only_grow() -> None:
    assert Facts(paid=5_000).merge(Facts(refunded=1_000)).merge(Facts(paid=0, refunded=500)) == Facts(5_000, 1_000, 0)


@given(
    st.lists(
        st.builds(
            Facts,
            paid=st.sampled_from([0, 5_000]),
            refunded=st.integers(0, 5_000),
            lost=st.sampled_from([0, 5_000]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_order_of_the_same_events_books_the_same_amounts(events: list[Facts]) -> None:
    outcomes = set()
    for order in itertools.islice(itertools.permutations(events), 24):
        facts, booked = Facts(), dict[str, int]()
        for event in order:
            facts = facts.merge(event)
            booked = book(booked, facts)
        outcomes.add(tuple(sorted((debt, amount) for debt, amount in booked.items() if amount)))
        assert sum(booked.values()) == facts.net
        assert all(amount >= 0 for amount in booked.values())
    assert len(outcomes) == 1
