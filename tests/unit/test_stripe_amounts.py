"""Stripe's `amount` per currency, against the rules in docs.stripe.com/currencies (see docs/decisions.md)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.money import MINOR_UNIT_EXPONENT
from collectra.payments.stripe_amounts import (
    StripeAmountRefused,
    from_stripe,
    stripe_can_charge,
    stripe_floor,
    to_stripe,
)


@pytest.mark.parametrize(
    ("currency", "ours", "stripes", "why"),
    [
        ("EUR", 12_345, 12_345, "two decimals in both"),
        ("JPY", 500, 500, "zero-decimal in both"),
        ("MGA", 1_250_000, 12_500, "two decimals in ISO 4217, zero-decimal in Stripe"),
        ("ISK", 5_000, 500_000, "zero decimals in ISO 4217, written with two (00) in Stripe"),
        ("UGX", 7, 700, "zero decimals in ISO 4217, written with two (00) in Stripe"),
        ("HUF", 1_050, 1_050, "charges may carry decimals; the divisible-by-100 rule is for payouts"),
        ("TWD", 12_345, 12_345, "charges may carry decimals; the divisible-by-100 rule is for payouts"),
        ("KWD", 12_340, 12_340, "three decimals, ending in 0"),
        ("BHD", 1_000, 1_000, "three decimals, ending in 0"),
        ("JOD", 990, 990, "three decimals, ending in 0"),
        ("OMR", 10, 10, "three decimals, ending in 0"),
        ("TND", 7_770, 7_770, "three decimals, ending in 0"),
    ],
)
def test_each_special_currency_has_stripes_amount(currency: str, ours: int, stripes: int, why: str) -> None:
    assert to_stripe(ours, currency) == stripes, why
    assert to_stripe(ours, currency.lower()) == stripes  # Stripe writes currencies in lower case
    assert from_stripe(stripes, currency.lower()) == ours, why


@pytest.mark.parametrize(
    ("currency", "ours", "about", "said"),
    [
        ("MGA", 1_250_050, "amount", "whole ariary"),
        ("KWD", 12_345, "amount", "end in 0"),
        ("BHD", 1, "amount", "end in 0"),
        ("TND", 7_775, "amount", "end in 0"),
        ("IQD", 1_000, "currency", "Stripe cannot charge in IQD"),
        ("LYD", 1_000, "currency", "Stripe cannot charge in LYD"),
        ("IRR", 100, "currency", "Stripe cannot charge in IRR"),
        ("XXX", 100, "currency", "not an ISO 4217 currency"),
    ],
)
def test_what_stripe_cannot_take_exactly_is_refused_and_says_why(
    currency: str, ours: int, about: str, said: str
) -> None:
    with pytest.raises(StripeAmountRefused) as refused:
        to_stripe(ours, currency)

    assert (refused.value.status, refused.value.code, refused.value.about) == (422, "stripe_amount_refused", about)
    assert said in refused.value.message and currency in refused.value.message


def test_a_kwd_refusal_names_the_amount_as_written_and_the_nearest_payable_ones() -> None:
    with pytest.raises(StripeAmountRefused, match=r"12\.345 KWD .* 12\.340 KWD or 12\.350 KWD"):
        to_stripe(12_345, "KWD")


@pytest.mark.parametrize(("currency", "stripes"), [("ISK", 550), ("UGX", 1), ("isk", 12_345)])
def test_a_stripe_amount_that_is_not_whole_minor_units_is_refused_not_rounded(currency: str, stripes: int) -> None:
    with pytest.raises(StripeAmountRefused, match="not a whole number"):
        from_stripe(stripes, currency)


def test_stripe_charges_the_common_currencies_and_not_the_others() -> None:
    assert all(stripe_can_charge(code) for code in ("EUR", "usd", "JPY", "ISK", "HUF", "KWD", "MGA", "UGX"))
    assert not any(stripe_can_charge(code) for code in ("IQD", "LYD", "CUP", "KPW", "SYP", "XXX", ""))


def test_checking_a_debt_does_not_load_the_stripe_library() -> None:
    # Creating a debt checks its amount with this module, and must start cold without `stripe`.
    probe = "import sys, collectra.payments.chargeable; print('stripe' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "False"


currencies = st.sampled_from(sorted(MINOR_UNIT_EXPONENT))
amounts = st.integers(min_value=0, max_value=10**13)


def outcome(convert: Callable[[int, str], int], amount: int, currency: str) -> int | StripeAmountRefused:
    """The converted amount, or the refusal (returned, so that the test can look at it)."""
    try:
        return convert(amount, currency)
    except StripeAmountRefused as refused:
        return refused


@given(currencies, amounts)
def test_there_and_back_is_exact_or_refused_with_a_clear_error(currency: str, amount: int) -> None:
    sent = outcome(to_stripe, amount, currency)

    if isinstance(sent, StripeAmountRefused):
        assert currency in sent.message
        assert sent.about == ("amount" if stripe_can_charge(currency) else "currency")
    else:
        assert from_stripe(sent, currency) == amount


@given(currencies, amounts)
def test_from_stripe_and_back_is_exact_or_refused_with_a_clear_error(currency: str, stripes: int) -> None:
    ours = outcome(from_stripe, stripes, currency)

    if isinstance(ours, StripeAmountRefused):
        assert currency in ours.message and ours.about == "amount"
    elif stripe_can_charge(currency) and stripe_floor(ours, currency) == ours:
        assert to_stripe(ours, currency) == stripes


@given(currencies.filter(stripe_can_charge), amounts)
def test_the_floor_is_the_largest_amount_stripe_takes(currency: str, amount: int) -> None:
    floor = stripe_floor(amount, currency)

    assert 0 <= amount - floor < 100
    to_stripe(floor, currency)  # never refused
    if floor != amount:
        with pytest.raises(StripeAmountRefused):
            to_stripe(amount, currency)
