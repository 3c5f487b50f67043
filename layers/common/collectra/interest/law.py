"""What each law gives a creditor on a late payment: the reference series and margin, the day count, the fixed
compensation, and the lowest contractual rate it allows.

* EU — Directive 2011/7/EU (https://eur-lex.europa.eu/eli/dir/2011/7/oj), the default for business debtors
  in EU states without a rule of their own here: art. 2(5) and 2(7), art. 3: the ECB main refinancing rate
  in force on 1 January / 1 July plus 8 points; art. 6: EUR 40 per invoice. The Directive
  covers commercial transactions only: nothing for consumers. It sets no floor on an agreed rate.
* DE — §288 BGB (https://www.gesetze-im-internet.de/bgb/__288.html) on the Basiszinssatz of §247 BGB:
  + 9 points when no consumer is party (§288(2)); + 5 points for a consumer (§288(1)); EUR 40 between
  businesses (§288(5)). For obligations that arose before 29 July 2014 (Art. 229 §34 EGBGB) the old §288(2)
  gave + 8 points and no lump sum: read from the debt's `issued_on`. A higher agreed rate stands (§288(3));
  the statutory rate is the floor of a business's rate (§288(6): it cannot be contracted away).
* FR — Code de commerce (https://www.legifrance.gouv.fr/codes/id/LEGITEXT000005634379) L441-10:
  the ECB rate + 10 points unless the terms set a rate, which may not be below three times the taux de
  l'intérêt légal; D441-5: EUR 40 indemnité forfaitaire pour frais de recouvrement. A consumer owes the
  taux de l'intérêt légal (Code civil 1231-6; Code monétaire et financier L313-2), the "autres cas" rate as
  the creditor is a business, and no lump sum (D441-5 is for professionals).
* UK — Late Payment of Commercial Debts (Interest) Act 1998 (https://www.legislation.gov.uk/ukpga/1998/20)
  and the Late Payment of Commercial Debts (Rates of Interest) (No. 3) Order 2002
  (https://www.legislation.gov.uk/uksi/2002/1675) art. 4: Bank of England base rate in force on 31 December
  (interest that starts to run from 1 January to 30 June) or 30 June (from 1 July to 31 December) + 8 points,
  fixed for the debt by the day statutory interest starts to run (the day after the due date), not renewed each
  half-year; s5A fixed sums GBP 40 (debt under 1,000), 70 (under 10,000), 100; business
  debtors only. No floor on an agreed rate is modelled (s8-9: a "substantial remedy" is for a court).

The day count. No statute fixes it; the choice for each law, and why (docs/late-payment.md):
* UK actual/365: gov.uk "Late commercial payments: charging interest and debt recovery"
  (https://www.gov.uk/late-commercial-payments-interest-debt-recovery) works out daily interest as the year's
  interest divided by 365; leap years too.
* FR actual/365: pénalités "au prorata du nombre de jours de retard" over a 365-day year, as the profession's
  worked L441-10 examples compute them (montant x taux x jours / 365).
* DE actual/actual: Verzugszinsen are counted to the day ("taggenau", the Effektivzinsmethode), the year being
  the calendar year: 365 days, 366 in a leap year, as German practice guides compute §288 interest
  (Säumnistage / 365, in a leap year / 366).
* EU actual/365: the Directive is silent; a 365-day year like the UK and French rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from collectra.interest.rates import DE_BASIS, ECB_MRO, FR_LEGAL, UK_BASE, rate_on

JURISDICTIONS = ("EU", "DE", "FR", "UK")
BUSINESS = "business"
CONSUMER = "consumer"

ACTUAL_365 = "actual/365"
ACTUAL_ACTUAL = "actual/actual"

# §288 BGB in its version from 29 July 2014 applies to obligations that arose on or after that day.
DE_2014_REFORM = date(2014, 7, 29)


@dataclass(frozen=True)
class Law:
    """What one jurisdiction gives a creditor against one kind of debtor."""

    jurisdiction: str
    series: str | None  # the reference rate; None: no statutory interest for this debtor
    margin: Decimal | None
    basis: str
    currency: str  # the currency of the fixed compensation
    source: str
    # The UK fixes the reference rate once, by the half-year in which interest starts to run (SI 2002/1675
    # art. 4); the Directive, §288 BGB and L441-10 take each half-year's own rate.
    rate_fixed_at_start: bool = False

    def rate_day(self, day: date, starts_to_run: date) -> date:
        """The day whose half-year's reference rate applies to `day`'s interest."""
        return starts_to_run if self.rate_fixed_at_start else day

    def year_days(self, day: date) -> int:
        """The days of the year `day`'s interest is divided by."""
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        return 366 if self.basis == ACTUAL_ACTUAL and leap else 365


_SOURCES = {
    "EU": "Directive 2011/7/EU art. 2(5), 2(7), 3, 6",
    "DE": "§288 BGB, §247 BGB",
    "FR": "Code de commerce L441-10, D441-5",
    "UK": "Late Payment of Commercial Debts (Interest) Act 1998 s4-6, SI 2002/1675",
}


def law_of(jurisdiction: str, debtor_kind: str, *, issued_on: date | None = None) -> Law:
    """The law of `jurisdiction` for a `debtor_kind` debtor ("business" or "consumer")."""
    consumer = debtor_kind == CONSUMER
    source = _SOURCES[jurisdiction]
    match jurisdiction:
        case "EU":
            return Law("EU", None if consumer else ECB_MRO, None if consumer else Decimal(8), ACTUAL_365, "EUR", source)
        case "DE":
            old = issued_on is not None and issued_on < DE_2014_REFORM
            margin = Decimal(5) if consumer else Decimal(8 if old else 9)
            return Law("DE", DE_BASIS, margin, ACTUAL_ACTUAL, "EUR", source)
        case "FR":
            if consumer:
                return Law("FR", FR_LEGAL, Decimal(0), ACTUAL_365, "EUR", "Code civil 1231-6, CMF L313-2")
            return Law("FR", ECB_MRO, Decimal(10), ACTUAL_365, "EUR", source)
        case "UK":
            uk_margin = None if consumer else Decimal(8)
            uk_series = None if consumer else UK_BASE
            return Law("UK", uk_series, uk_margin, ACTUAL_365, "GBP", source, rate_fixed_at_start=True)
    raise ValueError(f"unknown jurisdiction {jurisdiction!r}")


def compensation_of(jurisdiction: str, debtor_kind: str, amount: int, *, issued_on: date | None = None) -> int:
    """The fixed compensation per invoice in minor units of the law's currency (0 when the law gives none):
    EUR 40 (Directive art. 6, §288(5) BGB, D441-5), GBP 40/70/100 by the debt's amount (1998 Act s5A)."""
    if debtor_kind == CONSUMER:
        return 0
    if jurisdiction == "UK":
        return 4_000 if amount < 100_000 else 7_000 if amount < 1_000_000 else 10_000
    if jurisdiction == "DE" and issued_on is not None and issued_on < DE_2014_REFORM:
        return 0
    return 4_000


def rate_floor(jurisdiction: str, debtor_kind: str, on: date) -> Decimal | None:
    """The lowest contractual rate (percent per year) the law allows a business to agree for `on`'s half-year:
    FR three times the taux de l'intérêt légal (L441-10), DE the statutory rate (§288(2), (6) BGB); None where
    the law sets none (EU, UK) or a contractual rate does not apply (consumers). RateMissing without the data."""
    if debtor_kind == CONSUMER:
        return None
    if jurisdiction == "FR":
        return 3 * rate_on(FR_LEGAL, on).rate
    if jurisdiction == "DE":
        return rate_on(DE_BASIS, on).rate + 9
    return None
