# ruff: noqa: RUF001  (French text has typographic apostrophes)
"""The debtor's page explains late-payment charges line by line, in the debtor's language, and offers to pay the
invoice amount or everything."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from collectra.pages import render_debtor_page
from collectra.pages.charges import ChargePeriod, PageCharges
from collectra.pages.formatting import format_rate
from tests.unit.test_pages_render import DISPUTED, OVERDUE, PARTLY_PAID, Document, debt, debtor_page

NBSP, NNBSP = "\u00a0", "\u202f"


def charges(**changes: Any) -> PageCharges:
    """INV-1001 (1,234.56 EUR, due 20 November 2026) seven days late in France on 27 November 2026."""
    values: dict[str, Any] = {
        "jurisdiction": "FR",
        "as_of": date(2026, 11, 27),
        "principal_minor": 123_456,
        "interest_accrued_minor": 296,
        "interest_paid_minor": 0,
        "interest_due_minor": 296,
        "interest_waived": False,
        "compensation_minor": 4_000,
        "compensation_paid_minor": 0,
        "compensation_due_minor": 4_000,
        "compensation_waived": False,
        "total_due_minor": 127_752,
        "periods": (
            ChargePeriod(
                start=date(2026, 11, 21),
                end=date(2026, 11, 27),
                days=7,
                principal_minor=123_456,
                rate=Decimal("12.15"),
                reference_rate=Decimal("2.15"),
                margin=Decimal("10"),
                contractual=False,
                series="ECB_MRO",
            ),
        ),
    }
    return PageCharges(**{**values, **changes})


def page_text(locale: str, *debts: Any) -> str:
    return Document(render_debtor_page(debtor_page(locale=locale, debts=list(debts)))).text


def words(phrase: str) -> str:
    """As `Document.text` has it: every run of white space (no-break spaces too) one space."""
    return " ".join(phrase.split())


def test_a_page_whose_business_claims_nothing_shows_no_charges_and_one_pay_button_per_debt() -> None:
    document = Document(render_debtor_page(debtor_page(debts=[OVERDUE, PARTLY_PAID])))

    assert "charges" not in {attrs.get("id") for attrs in document.all("section")}
    assert all("designation" not in form.hidden() for form in document.forms)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "fr",
            [
                "Intérêts de retard et indemnité forfaitaire",
                f"Montant de la facture restant dû 1{NNBSP}234,56{NBSP}€",
                f"Intérêts au 27 novembre 2026 2,96{NBSP}€",
                "Intérêts de retard selon Article L441-10 du Code de commerce",
                f"Du 21 novembre 2026 au 27 novembre 2026{NBSP}: 7 jours sur 1{NNBSP}234,56{NBSP}€ au taux annuel "
                f"de 12,15{NNBSP}% (taux de référence de 2,15{NNBSP}% majoré de 10 points).",
                f"Indemnité forfaitaire pour frais de recouvrement 40,00{NBSP}€",
                f"Total à payer pour cette facture 1{NNBSP}277,52{NBSP}€",
            ],
        ),
        (
            "de",
            [
                "Verzugszinsen und Pauschale",
                f"Zinsen bis 27. November 2026 2,96{NBSP}€",
                "Verzugszinsen nach § 288 BGB",
                f"Vom 21. November 2026 bis 27. November 2026: 7 Tage auf 1.234,56{NBSP}€ zu 12,15{NBSP}% im Jahr",
                f"Verzugspauschale 40,00{NBSP}€",
                f"Für diese Rechnung insgesamt zu zahlen 1.277,52{NBSP}€",
            ],
        ),
        (
            "en",
            [
                "Late-payment interest and compensation",
                "Interest to 27 November 2026 €2.96",
                "Late-payment interest under Late Payment of Commercial Debts (Interest) Act 1998",
                "From 21 November 2026 to 27 November 2026: 7 days on €1,234.56 at 12.15% a year",
                "Fixed recovery compensation €40.00",
                "Total to pay for this invoice €1,277.52",
            ],
        ),
    ],
)
def test_each_charge_is_a_line_with_its_sentence_in_the_debtors_language(locale: str, expected: list[str]) -> None:
    jurisdiction = {"fr": "FR", "de": "DE", "en": "UK"}[locale]
    text = page_text(locale, replace(OVERDUE, charges=charges(jurisdiction=jurisdiction)))

    for phrase in expected:
        assert words(phrase) in text


def test_the_debtor_can_pay_the_invoice_amount_or_everything() -> None:
    page = debtor_page(debts=[replace(OVERDUE, charges=charges()), PARTLY_PAID])
    document = Document(render_debtor_page(page))

    pay = [form.hidden() for form in document.forms if form.action.endswith("/pay")]
    assert {"debt_id": "debt_1", "designation": "principal"} in [
        {k: v for k, v in hidden.items() if k != "csrf_token"} for hidden in pay
    ]
    assert {"debt_id": "debt_1", "designation": "all"} in [
        {k: v for k, v in hidden.items() if k != "csrf_token"} for hidden in pay
    ]
    assert {"currency": "EUR", "designation": "all"} in [
        {k: v for k, v in hidden.items() if k != "csrf_token"} for hidden in pay
    ]
    assert "Pay the invoice amount of INV-1001 (€1,234.56)" in document.text
    assert "Pay everything for INV-1001 (€1,277.52)" in document.text
    # Everything in EUR: 1,277.52 with the charges of INV-1001, and 300.00 of INV-1002 which has none.
    assert "Pay everything in EUR, with interest and compensation (€1,577.52)" in document.text
    assert "Total with interest and compensation in EUR: €1,577.52" in document.text


def test_a_waived_charge_is_shown_as_waived_and_left_out_of_the_total() -> None:
    waived = charges(interest_waived=True, interest_due_minor=0, total_due_minor=127_456)
    text = page_text("en", replace(OVERDUE, charges=waived))

    assert "Interest to 27 November 2026 Waived" in text
    assert "Demo Plumbing Ltd has waived it: you do not owe it." in text
    assert "Total to pay for this invoice €1,274.56" in text


def test_charges_partly_paid_say_how_much_is_left() -> None:
    text = page_text("en", replace(OVERDUE, charges=charges(interest_paid_minor=100, interest_due_minor=196)))

    assert "Interest to 27 November 2026 €1.96" in text and "€2.96 in all, of which €1.00 is already paid." in text


def test_a_disputed_debt_shows_the_days_its_dispute_held_interest_and_no_pay_button() -> None:
    held = charges(pauses=((date(2026, 11, 1), date(2026, 11, 10)), (date(2026, 11, 20), None)))
    document = Document(render_debtor_page(debtor_page(debts=[replace(DISPUTED, currency="EUR", charges=held)])))

    assert "No interest from 1 November 2026 to 9 November 2026, while the invoice was disputed." in document.text
    assert "No interest since 20 November 2026, while the invoice is disputed." in document.text
    assert not [form for form in document.forms if form.action.endswith("/pay")]


def test_a_debt_whose_rates_are_missing_from_a_day_shows_interest_to_the_day_before_and_says_why() -> None:
    missing = charges(rates_missing_from=date(2026, 7, 1), counted_to=date(2026, 6, 30))
    document = Document(render_debtor_page(debtor_page(debts=[replace(OVERDUE, charges=missing)])))

    assert "Interest to 30 June 2026" in document.text
    assert "The reference rate for the days from 1 July 2026 is not yet in our records" in document.text
    assert "Total to pay for this invoice" in document.text
    assert "all" in [form.hidden().get("designation") for form in document.forms if form.action.endswith("/pay")]


def test_a_contractual_rate_and_a_consumers_legal_rate_say_so() -> None:
    period = charges().periods[0]
    contractual = replace(period, rate=Decimal("25"), reference_rate=None, margin=None, contractual=True)
    legal = replace(period, rate=Decimal("6.67"), margin=None, series="FR_LEGAL")

    by_contract = page_text("fr", replace(OVERDUE, charges=charges(periods=(contractual,))))
    by_law = page_text("fr", replace(OVERDUE, charges=charges(periods=(legal,), compensation_minor=0)))

    assert words(f"25{NNBSP}% (taux fixé par les conditions générales de vente)") in by_contract
    assert "Article L313-2 du Code monétaire et financier" in by_law and "taux de l’intérêt légal" in by_law


def test_a_debt_not_yet_late_enough_for_charges_shows_none() -> None:
    nothing = charges(
        interest_accrued_minor=0,
        interest_due_minor=0,
        compensation_minor=0,
        compensation_due_minor=0,
        total_due_minor=123_456,
        periods=(),
    )
    document = Document(render_debtor_page(debtor_page(debts=[replace(OVERDUE, charges=nothing)])))

    assert "Late-payment interest" not in document.text
    assert all("designation" not in form.hidden() for form in document.forms)


@pytest.mark.parametrize(
    ("rate", "locale", "written"),
    [
        (Decimal("10.15"), "en", "10.15%"),
        (Decimal("8.50"), "fr", f"8,5{NNBSP}%"),
        (Decimal("10"), "de", f"10{NBSP}%"),
        (Decimal("12.125"), "de", f"12,125{NBSP}%"),
    ],
)
def test_rates_are_written_as_each_language_writes_them_and_never_rounded(
    rate: Decimal, locale: str, written: str
) -> None:
    assert format_rate(rate, locale) == written


def test_every_sentence_fits_any_debt() -> None:
    """The placeholders of every charge message are filled for each language (a KeyError would fail here)."""
    for locale in ("en", "fr", "de"):
        page_text(locale, replace(debt(), charges=charges(interest_paid_minor=1, compensation_paid_minor=1)))
