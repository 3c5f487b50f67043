"""When a promise to pay is kept or broken (collectra.promises.rule), and what a debtor may type as its amount."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.debts.records import Actor, Promise
from collectra.promises.rule import (
    AmountRefused,
    decide_at,
    is_promise_step,
    new_promise,
    outcome,
    paid_since,
    promised_amount,
    reminder_step_of,
    written_amount,
)

MADE = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DEBTOR: Actor = {"kind": "debtor", "id": "dbt_1"}


def promise(amount: int = 5_000, *, paid_before: int = 0, on: date = date(2027, 3, 3), zone: str = "UTC") -> Promise:
    return new_promise(amount, on, zone=zone, by=DEBTOR, amount_paid=paid_before, now=MADE)


def test_the_grace_day_ends_at_midnight_two_days_after_the_date_in_the_business_zone() -> None:
    assert decide_at(date(2027, 3, 3), "UTC") == datetime(2027, 3, 5, tzinfo=UTC)
    assert decide_at(date(2027, 3, 3), "Europe/Paris") == datetime(2027, 3, 4, 23, tzinfo=UTC)
    assert decide_at(date(2027, 3, 3), "America/Los_Angeles") == datetime(2027, 3, 5, 8, tzinfo=UTC)


def test_the_grace_day_follows_a_change_of_clocks() -> None:
    """Paris moves to summer time on 28 March 2027: the midnight that ends the 28th is at 22:00 UTC."""
    assert decide_at(date(2027, 3, 27), "Europe/Paris") == datetime(2027, 3, 28, 22, tzinfo=UTC)
    assert decide_at(date(2027, 3, 26), "Europe/Paris") == datetime(2027, 3, 27, 23, tzinfo=UTC)


def test_open_until_its_grace_day_ends_then_broken() -> None:
    made = promise(zone="Europe/Paris")
    end = datetime(2027, 3, 4, 23, tzinfo=UTC)

    assert outcome(made, 0, end - timedelta(microseconds=1)) is None
    assert outcome(made, 0, end) == "broken"


def test_kept_as_soon_as_what_was_paid_since_reaches_the_amount_even_before_the_date() -> None:
    made = promise(5_000, paid_before=2_000)

    assert outcome(made, 6_999, MADE) is None
    assert outcome(made, 7_000, MADE) == "kept"
    assert outcome(made, 7_000, MADE + timedelta(days=30)) == "kept"  # kept wins over a late look


def test_a_payment_before_the_promise_does_not_count_for_it() -> None:
    made = promise(3_000, paid_before=2_000)

    assert paid_since(made, 2_000) == 0
    assert outcome(made, 4_000, datetime(2027, 3, 5, tzinfo=UTC)) == "broken"


def test_a_refund_counts_against_what_was_paid_since() -> None:
    """2,000 paid before; after the promise 3,000 more in, then 1,000 given back: 2,000 since, short of 3,000."""
    made = promise(3_000, paid_before=2_000)

    assert paid_since(made, 2_000 + 3_000 - 1_000) == 2_000
    assert outcome(made, 4_000, datetime(2027, 3, 5, tzinfo=UTC)) == "broken"


@pytest.mark.parametrize(
    ("asked", "outstanding", "expected"), [(None, 12_500, 12_500), (1, 12_500, 1), (12_500, 12_500, 12_500)]
)
def test_the_amount_is_what_was_asked_or_all_that_is_outstanding(
    asked: int | None, outstanding: int, expected: int
) -> None:
    assert promised_amount(asked, outstanding) == expected


@pytest.mark.parametrize(("asked", "outstanding"), [(0, 12_500), (-1, 12_500), (12_501, 12_500), (None, 0)])
def test_an_amount_outside_nothing_to_all_outstanding_is_refused(asked: int | None, outstanding: int) -> None:
    with pytest.raises(AmountRefused):
        promised_amount(asked, outstanding)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("120.50", "EUR", 12_050), ("120,5", "EUR", 12_050), (" 7 ", "EUR", 700), ("12", "JPY", 12), ("12.00", "JPY", 12)],
)
def test_an_amount_as_a_debtor_types_it(text: str, currency: str, minor: int) -> None:
    assert written_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [("12.345", "EUR"), ("12.5", "JPY"), ("1 000", "EUR"), ("1e3", "EUR"), ("-3", "EUR"), ("", "EUR"), ("١٢", "EUR")],
)
def test_what_is_not_an_amount_is_refused(text: str, currency: str) -> None:
    with pytest.raises(AmountRefused):
        written_amount(text, currency)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_a_broken_promise_step_is_never_a_policy_step_nor_none_sent(made_at: datetime) -> None:
    step = reminder_step_of(new_promise(1, date(2030, 1, 1), zone="UTC", by=DEBTOR, amount_paid=0, now=made_at))

    assert is_promise_step(step)
    assert not is_promise_step(-1) and not is_promise_step(0)
