"""The dated reference rates: every half-year since 2013 through today's, and no figure without one."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from uk_bank_rate import bundled_history, late_payment_rate

from collectra.interest import RateMissing, charges_of, terms_of
from collectra.interest.rates import SERIES, half_year_of, latest, next_half_year, rate_on
from tests.unit.interest.stored import debt_of


@pytest.mark.rates
@pytest.mark.parametrize("series", SERIES)
def test_the_data_has_the_half_year_containing_today(series: str) -> None:
    """Fails on 1 January and 1 July until someone adds the new half-year (docs/late-payment.md). `make
    rates-check` runs it (CI prints it on every run); it is kept out of `make test` because a central bank's
    calendar must not block unrelated changes: the product itself never borrows a rate (below)."""
    today = date.today()  # the real calendar, on purpose: CI says when the data is stale
    newest = latest(series)
    assert newest is not None
    assert newest >= half_year_of(today), f"add {series}'s rate for the half-year from {half_year_of(today)}"


@pytest.mark.parametrize("series", SERIES)
def test_every_half_year_since_2013_has_a_rate(series: str) -> None:
    start, end = date(2013, 1, 1), latest(series)
    assert end is not None
    while start <= end:
        assert rate_on(series, start).valid_from == start
        start = next_half_year(start)


@pytest.mark.parametrize(
    ("series", "day", "rate"),
    [
        # ecb.europa.eu key interest rates: 4.50 from 20 Sep 2023, 4.25 from 12 Jun 2024
        ("ECB_MRO", date(2024, 6, 30), Decimal("4.50")),
        ("ECB_MRO", date(2024, 7, 1), Decimal("4.25")),
        # bundesbank.de Basiszinssatz: 3.62 from 1 Jan 2024, 3.37 from 1 Jul 2024, negative 2016-2022
        ("DE_BASIS", date(2024, 1, 1), Decimal("3.62")),
        ("DE_BASIS", date(2024, 12, 31), Decimal("3.37")),
        ("DE_BASIS", date(2020, 3, 3), Decimal("-0.88")),
        # taux de l'intérêt légal, autres cas: 0.04 for all of 2014 (one yearly rate), 4.22 for 2023-H2
        ("FR_LEGAL", date(2014, 11, 1), Decimal("0.04")),
        ("FR_LEGAL", date(2023, 9, 1), Decimal("4.22")),
        # Bank Rate on 30 June 2020 (0.10, cut 19 March 2020) for 2020-H2
        ("UK_BASE", date(2020, 7, 1), Decimal("0.10")),
    ],
)
def test_the_rate_of_a_day_is_its_half_years(series: str, day: date, rate: Decimal) -> None:
    assert rate_on(series, day).rate == rate


def test_a_half_year_the_data_lacks_raises_rate_missing() -> None:
    end = latest("ECB_MRO")
    assert end is not None
    with pytest.raises(RateMissing, match="ECB_MRO"):
        rate_on("ECB_MRO", next_half_year(end))
    with pytest.raises(RateMissing):
        rate_on("ECB_MRO", date(2012, 12, 31))


@pytest.mark.parametrize("jurisdiction", ["EU", "DE", "FR", "UK"])
def test_a_date_in_a_missing_half_year_gives_no_figure_rather_than_a_wrong_one(jurisdiction: str) -> None:
    newest = [latest(series) for series in SERIES]
    missing = next_half_year(max(day for day in newest if day is not None))
    terms = terms_of({"late_payment": {"enabled": True, "jurisdiction": jurisdiction}}, None)
    debt = debt_of(100_000, missing.isoformat(), "GBP" if jurisdiction == "UK" else "EUR")

    charges = charges_of(debt, terms, as_of=missing + timedelta(days=10))

    assert charges.interest_accrued == 0
    assert charges.periods == ()
    assert charges.not_claimed == "rates_missing"
    assert charges.compensation > 0  # the fixed sum needs no rate


def test_the_uk_rows_are_the_bank_of_englands_bank_rate_on_the_day_the_1998_act_names() -> None:
    """Each UK_BASE row against the Bank of England Database's Bank Rate series (as uk-bank-rate bundles it) on
    31 December / 30 June before the half-year (SI 2002/1675); rows past what the bundle observed are not
    checked here."""
    checked = 0
    start, end = date(2013, 1, 1), latest("UK_BASE")
    assert end is not None
    while start <= end:
        statutory = late_payment_rate(bundled_history, start)
        if statutory is not None and statutory.reference_date <= statutory.observed_to:
            assert rate_on("UK_BASE", start).rate == statutory.reference_rate, start
            checked += 1
        start = next_half_year(start)
    assert checked >= 28  # 2013-H1 through 2026-H2


def test_the_basiszinssatz_moves_by_what_the_ecb_rate_moved() -> None:
    """§247(1) BGB: the Basiszinssatz changes on 1 January / 1 July by the points the ECB's main refinancing
    rate moved since its last change, so the two series keep one distance (-0.88 points since before 2013):
    a typo in either series breaks it."""
    start, end = date(2013, 1, 1), min(filter(None, (latest("ECB_MRO"), latest("DE_BASIS"))))
    while start <= end:
        assert rate_on("DE_BASIS", start).rate - rate_on("ECB_MRO", start).rate == Decimal("-0.88"), start
        start = next_half_year(start)


@pytest.mark.parametrize("jurisdiction", ["EU", "DE", "FR"])
def test_interest_stops_short_of_a_missing_half_year_and_says_from_when(jurisdiction: str) -> None:
    newest = min(day for day in (latest("ECB_MRO"), latest("DE_BASIS")) if day is not None)
    missing = next_half_year(newest)
    last_known = missing - timedelta(days=1)
    terms = terms_of({"late_payment": {"enabled": True, "jurisdiction": jurisdiction}}, None)
    debt = debt_of(100_000, (newest - timedelta(days=30)).isoformat(), "EUR")

    known = charges_of(debt, terms, as_of=last_known)
    later = charges_of(debt, terms, as_of=missing + timedelta(days=40))

    assert known.rates_missing_from is None and known.interest_to == last_known
    assert later.interest_accrued == known.interest_accrued > 0
    assert later.interest_to == last_known
    assert later.rates_missing_from == missing
    assert later.not_claimed == "rates_missing"
