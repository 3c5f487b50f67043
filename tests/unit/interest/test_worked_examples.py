"""Worked examples from each law's sources, computed by hand in the comments (amounts in minor units).

Interest = principal x rate / 100 x days / year_days, summed over the periods, rounded once, half up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from collectra.interest import Charges, charges_of, terms_of
from tests.unit.interest.stored import debt_of


def charges(jurisdiction: str, debt: dict[str, Any], as_of: date, kind: str = "business", **chosen: Any) -> Charges:
    workspace = {"late_payment": {"enabled": True, "jurisdiction": jurisdiction, **chosen}}
    return charges_of(debt, terms_of(workspace, {"kind": kind}), as_of=as_of)


def test_uk_statutory_interest_is_base_rate_plus_8_over_365_days_even_in_a_leap_year() -> None:
    # gov.uk "Late commercial payments: charging interest and debt recovery": daily interest = the debt x
    # (base rate + 8%) / 365. GBP 1,000 due 31 January 2024; Bank Rate on 31 December 2023 was 5.25%, so
    # 13.25%; 1 February to 21 March 2024 is 50 days: 100000 x 13.25% x 50 / 365 = 1815.07 -> GBP 18.15.
    # 2024 is a leap year and the guidance still divides by 365. Fixed sum: GBP 1,000 is in the 70 band (s5A).
    result = charges("UK", debt_of(100_000, "2024-01-31", "GBP"), date(2024, 3, 21))

    assert result.interest_accrued == 1815
    assert [(p.days, p.rate, p.year_days, p.series) for p in result.periods] == [(50, Decimal("13.25"), 365, "UK_BASE")]
    assert result.compensation == 7_000
    assert result.total_due == 100_000 + 1815 + 7_000
    assert result.basis == "actual/365"
    assert result.interest_from == date(2024, 2, 1)
    assert result.not_claimed is None


def test_uk_rate_is_fixed_by_the_half_year_interest_starts_to_run_in() -> None:
    # SI 2002/1675 art. 4: the base rate on 30 June for interest that starts to run from 1 July to 31 December
    # (5.25% on 30 June 2024), kept for the debt's life: the 4.75% of 31 December 2024 does not apply to its
    # January days. GBP 1,000 due 15 December 2024, 16 December to 14 January: 30 days at 13.25%:
    # 100000 x 13.25 x 30 / 36500 = 1089.04 -> 1089 (re-rating January would give 1070).
    result = charges("UK", debt_of(100_000, "2024-12-15", "GBP"), date(2025, 1, 14))

    assert [(p.start, p.days, p.rate, p.reference_rate) for p in result.periods] == [
        (date(2024, 12, 16), 30, Decimal("13.25"), Decimal("5.25"))
    ]
    assert result.interest_accrued == 1089


@pytest.mark.parametrize(
    ("amount", "fixed_sum"),
    [(99_999, 4_000), (100_000, 7_000), (999_999, 7_000), (1_000_000, 10_000)],
)
def test_uk_fixed_sum_follows_the_debts_band(amount: int, fixed_sum: int) -> None:
    # Late Payment of Commercial Debts (Interest) Act 1998 s5A: GBP 40 under 1,000; 70 under 10,000; 100 above.
    assert charges("UK", debt_of(amount, "2024-01-31", "GBP"), date(2024, 2, 1)).compensation == fixed_sum


def test_de_business_debt_spanning_the_1_july_change_in_a_leap_year() -> None:
    # §288(2) BGB: Basiszinssatz + 9 points. Bundesbank: 3.62% from 1 January 2024, 3.37% from 1 July 2024.
    # EUR 10,000 due 15 June 2024: 16-30 June, 15 days at 12.62%; 1-15 July, 15 days at 12.37%; 2024 has 366
    # days: 1000000 x (12.62 x 15 + 12.37 x 15) / 100 / 366 = 10241.80 -> EUR 102.42; plus EUR 40 (§288(5)).
    result = charges("DE", debt_of(1_000_000, "2024-06-15"), date(2024, 7, 15))

    assert [(p.start, p.end, p.days, p.rate, p.reference_rate, p.margin, p.year_days) for p in result.periods] == [
        (date(2024, 6, 16), date(2024, 6, 30), 15, Decimal("12.62"), Decimal("3.62"), Decimal(9), 366),
        (date(2024, 7, 1), date(2024, 7, 15), 15, Decimal("12.37"), Decimal("3.37"), Decimal(9), 366),
    ]
    assert result.interest_accrued == 10242
    assert result.compensation == 4_000
    assert result.basis == "actual/actual"


def test_de_obligation_from_before_29_july_2014_has_8_points_and_no_lump_sum() -> None:
    # Art. 229 §34 EGBGB keeps the old §288(2) (+ 8 points, no §288(5) lump sum) for older obligations.
    # Basiszinssatz 1 July 2014: -0.73%, so 7.27%; 1-30 July 2014, 30 days of 365:
    # 100000 x 7.27 x 30 / 36500 = 597.53 -> 598.
    result = charges("DE", debt_of(100_000, "2014-06-30", issued_on="2014-06-01"), date(2014, 7, 30))

    assert result.interest_accrued == 598
    assert result.periods[0].margin == Decimal(8)
    assert result.compensation == 0


def test_fr_contractual_rate_example_of_the_profession() -> None:
    # Les Echos Publishing's L441-10 example: EUR 15,000 TTC payable 15 April 2018, rate of the terms 15%,
    # paid 15 May 2018: (15 000 x 15 %) x (30 / 365) = EUR 184.93; plus the EUR 40 indemnité (D441-5).
    result = charges("FR", debt_of(1_500_000, "2018-04-15"), date(2018, 5, 15), contractual_rate="15")

    assert result.interest_accrued == 18_493
    assert result.periods[0].contractual
    assert result.compensation == 4_000


def test_fr_statutory_rate_is_the_ecb_rate_plus_10_points() -> None:
    # L441-10: ECB main refinancing rate (4.25% on 1 July 2024) + 10 = 14.25%; 1-30 October 2024:
    # 100000 x 14.25 x 30 / 36500 = 1171.23 -> 1171.
    result = charges("FR", debt_of(100_000, "2024-09-30"), date(2024, 10, 30))

    assert result.interest_accrued == 1171
    assert (result.periods[0].series, result.periods[0].margin) == ("ECB_MRO", Decimal(10))


def test_fr_floor_of_three_times_the_legal_rate_overrides_a_lower_agreed_rate_from_the_half_year_it_rises() -> None:
    # L441-10: an agreed rate may not be below three times the taux de l'intérêt légal. 10% agreed;
    # 2023-H1 floor 3 x 2.06 = 6.18 (10% stands); 2023-H2 floor 3 x 4.22 = 12.66 (the floor applies).
    # 21-30 June: 10 days at 10%; 1-10 July: 10 days at 12.66%: 100000 x (100 + 126.6) / 36500 = 620.82 -> 621.
    result = charges("FR", debt_of(100_000, "2023-06-20"), date(2023, 7, 10), contractual_rate="10")

    assert [(p.rate, p.contractual, p.series, p.reference_rate) for p in result.periods] == [
        (Decimal(10), True, None, None),
        (Decimal("12.66"), False, "FR_LEGAL", Decimal("4.22")),
    ]
    assert result.interest_accrued == 621


def test_de_agreed_rate_below_the_statutory_rate_gives_the_statutory_rate() -> None:
    # §288(3), (6) BGB: a higher agreed rate stands, a lower one cannot cut the statutory 12.62% (2024-H1).
    result = charges("DE", debt_of(100_000, "2024-03-31"), date(2024, 4, 30), contractual_rate="12")

    assert [(p.rate, p.contractual) for p in result.periods] == [(Decimal("12.62"), False)]


def test_uk_and_eu_agreed_rates_apply_as_agreed() -> None:
    for jurisdiction, currency in (("UK", "GBP"), ("EU", "EUR")):
        result = charges(
            jurisdiction, debt_of(100_000, "2024-03-31", currency), date(2024, 4, 30), contractual_rate="2"
        )
        assert [(p.rate, p.contractual) for p in result.periods] == [(Decimal(2), True)]


def test_eu_directive_reference_rate_plus_8_and_eur_40() -> None:
    # Directive 2011/7/EU art. 2(5), 2(7), 3: ECB rate in force on 1 July 2023 (4.00%) + 8 = 12%;
    # 1-30 July 2023: 100000 x 12 x 30 / 36500 = 986.30 -> 986; art. 6: EUR 40.
    result = charges("EU", debt_of(100_000, "2023-06-30"), date(2023, 7, 30))

    assert (result.interest_accrued, result.compensation) == (986, 4_000)


def test_partial_payment_mid_period_counts_its_day_at_the_old_principal() -> None:
    # GBP 400 paid on 10 February: 1-10 February at 1,000, 11 February-1 March (20 days) at 600, 13.25%:
    # (100000 x 10 + 60000 x 20) x 13.25 / 36500 = 798.63 -> 799.
    debt = debt_of(100_000, "2024-01-31", "GBP", moves=[("2024-02-10", 40_000)])
    result = charges("UK", debt, date(2024, 3, 1))

    assert [(p.start, p.days, p.principal) for p in result.periods] == [
        (date(2024, 2, 1), 10, 100_000),
        (date(2024, 2, 11), 20, 60_000),
    ]
    assert result.interest_accrued == 799
    assert result.principal_outstanding == 60_000


def test_paid_in_full_stops_interest_from_the_next_day() -> None:
    debt = debt_of(100_000, "2023-06-30", moves=[("2023-07-10", 100_000)])
    # 10 days at 12%: 328.77 -> 329, however late it is asked.
    assert charges("EU", debt, date(2023, 7, 10)).interest_accrued == 329
    assert charges("EU", debt, date(2024, 7, 10)).interest_accrued == 329


def test_a_refund_reopens_the_debt_and_interest_runs_again_from_the_day_after() -> None:
    # Paid in full on 10 July, refunded on 20 July: 1-10 July and 21-30 July, 20 days at 12%:
    # 100000 x 12 x 20 / 36500 = 657.53 -> 658.
    debt = debt_of(100_000, "2023-06-30", moves=[("2023-07-10", 100_000), ("2023-07-20", -100_000)])
    result = charges("EU", debt, date(2023, 7, 30))

    assert [(p.start, p.end) for p in result.periods] == [
        (date(2023, 7, 1), date(2023, 7, 10)),
        (date(2023, 7, 21), date(2023, 7, 30)),
    ]
    assert result.interest_accrued == 658
    assert result.principal_outstanding == 100_000


def test_a_waiver_zeroes_what_is_due_and_keeps_what_was_paid() -> None:
    debt = debt_of(
        100_000,
        "2023-06-30",
        interest_paid=300,
        charges_waived={"interest": {"at": "2023-07-30T10:00:00Z", "by": "usr_1", "note": "goodwill"}},
    )
    result = charges("EU", debt, date(2023, 7, 30))

    assert (result.interest_accrued, result.interest_paid, result.interest_due) == (986, 300, 0)
    assert result.interest_waived
    assert (result.compensation_due, result.compensation_waived) == (4_000, False)
    assert result.total_due == 100_000 + 4_000


@pytest.mark.parametrize(
    ("pause_while_disputed", "pauses", "interest"),
    [
        (True, [["2023-07-11", "2023-07-21"]], 658),  # 1-10 and 21-30 July: 20 days
        (True, [["2023-07-11", None]], 329),  # still disputed: 1-10 July
        (False, [["2023-07-11", "2023-07-21"]], 986),  # the workspace keeps counting: 30 days
    ],
)
def test_a_dispute_pauses_interest_when_the_workspace_says_so(
    pause_while_disputed: bool, pauses: list[list[str | None]], interest: int
) -> None:
    debt = debt_of(100_000, "2023-06-30", interest_pauses=pauses)
    result = charges("EU", debt, date(2023, 7, 30), pause_while_disputed=pause_while_disputed)

    assert result.interest_accrued == interest


@pytest.mark.parametrize("pause_while_disputed", [True, False])
def test_a_payment_plan_pauses_interest_whatever_the_dispute_setting(pause_while_disputed: bool) -> None:
    # A plan held the debt 11 to 21 July (an agreed deferral ends the default, §286 BGB): 1-10 and 21-30 July
    # count, 20 days, as a dispute's pause would; and the workspace's choice about disputes does not matter.
    debt = debt_of(100_000, "2023-06-30", interest_pauses=[["2023-07-11", "2023-07-21", "plan"]])
    result = charges("EU", debt, date(2023, 7, 30), pause_while_disputed=pause_while_disputed)

    assert result.interest_accrued == 658
    still = debt_of(100_000, "2023-06-30", interest_pauses=[["2023-07-11", None, "plan"]])
    assert charges("EU", still, date(2023, 7, 30), pause_while_disputed=pause_while_disputed).interest_accrued == 329


def test_grace_days_delay_interest_and_compensation() -> None:
    debt = debt_of(100_000, "2023-06-30")

    within = charges("EU", debt, date(2023, 7, 10), grace_days=10)
    after = charges("EU", debt, date(2023, 7, 11), grace_days=10)

    assert (within.interest_accrued, within.compensation, within.not_claimed) == (0, 0, "grace")
    # One day, 11 July, at 12%: 32.88 -> 33.
    assert (after.interest_accrued, after.compensation, after.interest_from) == (33, 4_000, date(2023, 7, 11))


def test_paid_by_the_due_date_owes_nothing() -> None:
    debt = debt_of(100_000, "2023-06-30", moves=[("2023-06-30", 100_000)])
    result = charges("EU", debt, date(2023, 9, 1))

    assert (result.interest_accrued, result.compensation, result.total_due) == (0, 0, 0)
    assert result.not_claimed == "paid_on_time"


def test_paid_before_this_feature_counts_as_paid_on_the_due_date() -> None:
    debt = {**debt_of(100_000, "2023-06-30"), "amount_paid": 100_000}
    assert charges("EU", debt, date(2023, 9, 1)).interest_accrued == 0


def test_a_debt_in_another_currency_earns_interest_but_no_fixed_compensation() -> None:
    result = charges("EU", debt_of(100_000, "2023-06-30", "GBP"), date(2023, 7, 30))

    assert (result.interest_accrued, result.compensation, result.not_claimed) == (986, 0, "currency")


def test_consumers_in_each_jurisdiction() -> None:
    eu = charges("EU", debt_of(100_000, "2023-06-30"), date(2023, 7, 30), kind="consumer")
    uk = charges("UK", debt_of(100_000, "2023-06-30", "GBP"), date(2023, 7, 30), kind="consumer")
    # §288(1) BGB: Basiszinssatz + 5: 8.62% then 8.37%, 366-day 2024:
    # 1000000 x (8.62 x 15 + 8.37 x 15) / 100 / 366 = 6963.11 -> 6963; no lump sum for a consumer.
    de = charges("DE", debt_of(1_000_000, "2024-06-15"), date(2024, 7, 15), kind="consumer")
    # Code civil 1231-6: the taux de l'intérêt légal, "autres cas" 4.92% for 2024-H2:
    # 100000 x 4.92 x 30 / 36500 = 404.38 -> 404.
    fr = charges("FR", debt_of(100_000, "2024-09-30"), date(2024, 10, 30), kind="consumer")

    assert (eu.interest_accrued, eu.compensation, eu.not_claimed, eu.periods) == (0, 0, "consumer", ())
    assert (uk.interest_accrued, uk.compensation, uk.not_claimed) == (0, 0, "consumer")
    assert (de.interest_accrued, de.compensation, de.not_claimed) == (6963, 0, "consumer")
    assert (fr.interest_accrued, fr.compensation) == (404, 0)
    assert (fr.periods[0].series, fr.periods[0].rate) == ("FR_LEGAL", Decimal("4.92"))


def test_an_agreed_rate_does_not_apply_to_a_consumer() -> None:
    result = charges("DE", debt_of(100_000, "2024-03-31"), date(2024, 4, 30), kind="consumer", contractual_rate="20")

    assert [(p.rate, p.contractual) for p in result.periods] == [(Decimal("8.62"), False)]


def test_declined_charges_are_not_claimed() -> None:
    result = charges("EU", debt_of(100_000, "2023-06-30"), date(2023, 7, 30), claim_interest=False)

    assert (result.interest_accrued, result.compensation, result.not_claimed) == (0, 4_000, "declined")
    assert result.interest_from is None


def test_a_workspace_that_claims_nothing_shows_only_the_principal() -> None:
    debt = debt_of(100_000, "2023-06-30", moves=[("2023-07-01", 30_000)])
    for workspace in ({}, {"late_payment": {"enabled": False, "jurisdiction": "DE"}}):
        terms = terms_of(workspace, None)
        assert terms is None
        result = charges_of(debt, terms, as_of=date(2023, 9, 1))
        assert (result.total_due, result.interest_accrued, result.not_claimed) == (70_000, 0, "off")


def test_de_pre_2014_obligation_agreed_rate_floor_is_its_own_statutory_rate() -> None:
    # Old §288(2): + 8 points. 2014-H2: -0.73 + 8 = 7.27%, so an agreed 7.5% stands (the new law's 8.27 would not).
    debt = debt_of(100_000, "2014-06-30", issued_on="2014-06-01")
    result = charges("DE", debt, date(2014, 7, 30), contractual_rate="7.5")

    assert [(p.rate, p.contractual) for p in result.periods] == [(Decimal("7.5"), True)]
