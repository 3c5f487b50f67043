"""The late-payment charges of one debt as its debtor's page explains them: one line per part, each with the
plain sentence that says where it comes from and which law grants it.

The caller (`collectra.http.pages`) computes the charges (`collectra.interest`) and hands them over as plain
data; this module only words them, so the page package stays below everything it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from collectra.pages.formatting import format_date, format_decimal, format_money, format_rate
from collectra.pages.messages import message, plural_key

# The law each jurisdiction's claim rests on, named as the law names itself (the same in every language).
LEGAL_BASIS = {
    "FR": "Article L441-10 du Code de commerce",
    "DE": "§ 288 BGB",
    "UK": "Late Payment of Commercial Debts (Interest) Act 1998",
    "EU": "Directive 2011/7/EU",
}
# A French consumer owes the legal rate (taux de l'intérêt légal), not the commercial rate of L441-10.
FR_CONSUMER_BASIS = "Article L313-2 du Code monétaire et financier"
FR_LEGAL_SERIES = "FR_LEGAL"

_Money = Callable[[int], str]  # an amount in minor units, written for the debtor


@dataclass(frozen=True)
class ChargePeriod:
    """Days at one rate (a half-year, or the part of one the debt was late and not held by a dispute)."""

    start: date
    end: date  # inclusive
    days: int
    principal_minor: int  # the principal interest ran on over these days
    rate: Decimal  # percent a year
    reference_rate: Decimal | None
    margin: Decimal | None
    contractual: bool
    series: str | None = None


@dataclass(frozen=True)
class PageCharges:
    """What the workspace claims on one debt beyond its principal, as of `as_of`. Amounts in minor units."""

    jurisdiction: str  # "EU" | "DE" | "FR" | "UK"
    as_of: date
    principal_minor: int
    interest_accrued_minor: int
    interest_paid_minor: int
    interest_due_minor: int
    interest_waived: bool
    compensation_minor: int
    compensation_paid_minor: int
    compensation_due_minor: int
    compensation_waived: bool
    total_due_minor: int
    periods: tuple[ChargePeriod, ...] = ()
    pauses: tuple[tuple[date, date | None], ...] = ()  # [from, to): the days a dispute held interest
    # The first day whose reference rate is not yet in the data: interest is counted only to `counted_to`, the
    # day before (None: no day could be counted yet).
    rates_missing_from: date | None = None
    counted_to: date | None = None

    @property
    def payable_beyond_principal(self) -> bool:
        """Whether "pay everything" would pay more than the invoice amount."""
        return self.total_due_minor > self.principal_minor


@dataclass(frozen=True)
class ChargeLine:
    """One line of the breakdown: what it is, its amount (or "waived"), and the sentence explaining it."""

    label: str
    amount: str
    explained: tuple[str, ...]
    total: bool = False


def basis_of(charges: PageCharges) -> str:
    if any(period.series == FR_LEGAL_SERIES for period in charges.periods):
        return FR_CONSUMER_BASIS
    return LEGAL_BASIS.get(charges.jurisdiction, LEGAL_BASIS["EU"])


def charge_lines(charges: PageCharges, currency: str, locale: str, *, creditor: str) -> list[ChargeLine]:
    """The breakdown, in order: principal outstanding, interest to `as_of` (or to the last day whose reference
    rate is known, saying so), compensation, total."""

    def money(amount: int) -> str:
        return format_money(amount, currency, locale)

    basis = basis_of(charges)
    principal = ChargeLine(
        message(locale, "charge_principal"), money(charges.principal_minor), (message(locale, "charge_principal_note"),)
    )
    lines = [principal, _interest(charges, locale, money, basis=basis, creditor=creditor)]
    if charges.compensation_minor or charges.compensation_waived:
        lines.append(_compensation(charges, locale, money, basis=basis, creditor=creditor))
    lines.append(
        ChargeLine(
            message(locale, "charge_total"),
            money(charges.total_due_minor),
            (message(locale, "charge_total_note"),),
            total=True,
        )
    )
    return lines


def _interest(charges: PageCharges, locale: str, money: _Money, *, basis: str, creditor: str) -> ChargeLine:
    counted_to = charges.counted_to if charges.rates_missing_from else charges.as_of
    label = message(locale, "charge_interest", date=format_date(counted_to or charges.as_of, locale))
    sentences = [message(locale, "charge_interest_note", basis=basis)]
    if charges.rates_missing_from:
        sentences.append(message(locale, "charge_rates_missing", first=format_date(charges.rates_missing_from, locale)))
    sentences += [_period(period, locale, money) for period in charges.periods]
    sentences += [_pause(start, end, locale) for start, end in charges.pauses]
    if charges.interest_waived:
        return ChargeLine(label, message(locale, "charge_waived"), (*sentences, _waived(locale, creditor)))
    if charges.interest_paid_minor:
        sentences.append(
            message(
                locale,
                "charge_already_paid",
                accrued=money(charges.interest_accrued_minor),
                paid=money(charges.interest_paid_minor),
            )
        )
    return ChargeLine(label, money(charges.interest_due_minor), tuple(sentences))


def _compensation(charges: PageCharges, locale: str, money: _Money, *, basis: str, creditor: str) -> ChargeLine:
    label = message(locale, "charge_compensation")
    sentences = [message(locale, "charge_compensation_note", basis=basis, amount=money(charges.compensation_minor))]
    if charges.compensation_waived:
        return ChargeLine(label, message(locale, "charge_waived"), (*sentences, _waived(locale, creditor)))
    if charges.compensation_paid_minor:
        sentences.append(
            message(
                locale,
                "charge_already_paid",
                accrued=money(charges.compensation_minor),
                paid=money(charges.compensation_paid_minor),
            )
        )
    return ChargeLine(label, money(charges.compensation_due_minor), tuple(sentences))


def _period(period: ChargePeriod, locale: str, money: _Money) -> str:
    if period.contractual:
        how = message(locale, "charge_rate_contractual")
    elif period.reference_rate is not None and period.margin:
        how = message(
            locale,
            "charge_rate_reference",
            reference=format_rate(period.reference_rate, locale),
            margin=format_decimal(period.margin, locale),
        )
    else:
        how = message(locale, "charge_rate_legal")
    return message(
        locale,
        plural_key("charge_period", period.days, locale),
        start=format_date(period.start, locale),
        end=format_date(period.end, locale),
        days=period.days,
        principal=money(period.principal_minor),
        rate=format_rate(period.rate, locale),
        how=how,
    )


def _pause(start: date, end: date | None, locale: str) -> str:
    if end is None:
        return message(locale, "charge_paused_since", start=format_date(start, locale))
    # `end` is the first day counted again: the page names the last day held.
    last = date.fromordinal(end.toordinal() - 1)
    return message(locale, "charge_paused", start=format_date(start, locale), end=format_date(last, locale))


def _waived(locale: str, creditor: str) -> str:
    return message(locale, "charge_waived_note", creditor=creditor)
