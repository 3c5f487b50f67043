"""What a reminder's template is given of late-payment charges: formatted, in the debtor's language, and empty
text when nothing is claimed (so `{% if %}` tests them and an unconditional use shows nothing)."""

from __future__ import annotations

from datetime import date

from collectra.interest import Terms, charges_of
from collectra.reminders.charges import INVOICE_NAMES, NAMES, email_values, invoice_values
from collectra.reminders.checking import template_problems
from collectra.reminders.templates import render_text

DEBT = {"amount": 100_000, "amount_paid": 0, "currency": "EUR", "issued_on": "2026-01-01", "due_on": "2026-01-31"}
MID_MARCH = date(2026, 3, 15)


def test_an_invoice_claimed_on_names_interest_with_its_rate_and_days_and_the_compensation() -> None:
    charges = charges_of(DEBT, Terms(jurisdiction="EU", debtor_kind="business"), as_of=MID_MARCH)

    shown = invoice_values(charges, "EUR", "de")

    # 10.15 % (ECB 2.15 + 8, Directive 2011/7/EU art. 2(6)) for 43 days on EUR 1,000.00: 11.9575 -> 11.96.
    assert (shown["interest"], shown["interest_rate"], shown["interest_days"]) == ("11,96\xa0€", "10,15\xa0%", 43)
    assert (shown["compensation"], shown["total_due"]) == ("40,00\xa0€", "1.051,96\xa0€")
    assert shown["charges"] == (
        "Verzugszinsen 11,96\xa0€ (10,15\xa0% pro Jahr für 43 Tage); Verzugspauschale 40,00\xa0€; "
        "insgesamt fällig 1.051,96\xa0€"
    )


def test_nothing_claimed_is_empty_text_everywhere() -> None:
    waived = {**DEBT, "charges_waived": {"interest": {}, "compensation": {}}}
    for charges in (None, charges_of(waived, Terms(jurisdiction="EU", debtor_kind="business"), as_of=MID_MARCH)):
        assert invoice_values(charges, "EUR", "en") == dict.fromkeys(INVOICE_NAMES, "")
        assert email_values([(100_000, "EUR", charges)], "en") == dict.fromkeys(NAMES, "")


def test_an_emails_sums_keep_currencies_apart_and_count_uncharged_invoices_in_the_total() -> None:
    terms = Terms(jurisdiction="EU", debtor_kind="business")
    eur = charges_of(DEBT, terms, as_of=MID_MARCH)
    usd = charges_of({**DEBT, "currency": "USD"}, terms, as_of=MID_MARCH)  # interest, but no EUR 40 in dollars

    sums = email_values([(100_000, "EUR", eur), (100_000, "USD", usd), (5_000, "EUR", None)], "en")

    assert sums["interest_total"] == "€11.96 + $11.96"
    assert sums["compensation_total"] == "€40.00"
    assert sums["total_due"] == "€1,101.96 + $1,011.96"
    assert sums["late_charges"] == "interest of €11.96 + $11.96 and the fixed compensation for recovery costs of €40.00"


def test_a_workspaces_own_template_may_name_the_charges_and_shows_nothing_when_none_are_claimed() -> None:
    text = "{{ total_due }}{% for i in invoices %}{{ i.interest }}{% endfor %} {{ pay_link }} {{ opt_out_link }}"

    assert template_problems("Due {{ total_due }}", text) == []
    values = {"invoices": [dict.fromkeys(INVOICE_NAMES, "")], "pay_link": "p", "opt_out_link": "o"}
    assert render_text("Due", text, values | dict.fromkeys(NAMES, ""), "en")[1] == " p o"
