"""Late-payment interest and compensation on the debtor's page in a real browser (issue 17), and paying them.

A French workspace (jurisdiction FR: the ECB rate + 10 points, the EUR 40 indemnité forfaitaire) and a German
one (DE, §288 BGB: the base rate + 9 points between businesses, the EUR 40 lump sum), each turning late payment
on in the web app's settings, each with a business debtor whose invoice fell due 60 days before the current
half-year began; the business reads the charges on the debt's screen. Each debtor opens their page in their
language and reads the principal, the interest with its rates and days, the compensation and the total; then pays
everything through the Stripe stand-in's checkout (one line per invoice and per charge), and the debt is then
paid, charges included.

Interest runs to today, or, while the current half-year's reference rate is not recorded yet, to the last day of
the previous half-year (the law counts no day without its rate; docs/late-payment.md says how to add the rates):
either way the previous half-year's days are charged, so the test does not depend on the central banks' calendar.
The expected interest is computed here from the law's terms (simple interest on the principal, day by day,
rounded once, half-up), with the reference rate the API states for each period: this test proves the page
shows what the law gives and that paying it settles it, not the rate table itself (tests/interest does).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from local.client import WebClient
from local.gateway import Gateway
from local.seed import _connect_stripe
from tests.browser.app import App, normalised, poll

pytestmark = pytest.mark.browser

DUE_BEFORE_HALF_YEAR = 60  # days before the current half-year began: some of the interest is at a recorded rate
COMPENSATION = 4_000  # EUR 40 in cents: Directive 2011/7/EU art. 6, Code de commerce D441-5, §288(5) BGB


def _euros(minor: int, locale: str) -> str:
    """An amount as French and German write euros ("1 234,56 €", "1.234,56 €"; spaces as plain spaces)."""
    whole, cents = divmod(minor, 100)
    grouped = f"{whole:,}".replace(",", " " if locale == "fr" else ".")
    return f"{grouped},{cents:02d} €"


def _rate(rate: str) -> str:
    """A rate's number as French and German write it, trailing zeros dropped ("12.50" is "12,5")."""
    return format(Decimal(rate).normalize(), "f").replace(".", ",")


def _half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _year_days(basis: str, day: date) -> int:
    if basis.endswith("/360"):
        return 360
    if basis.endswith("/365"):
        return 365
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    return 366 if leap else 365


def _expected_interest(charges: dict[str, Any]) -> int:
    """The law's sum over the API's periods: principal x rate x days / year, exact, rounded once half-up."""
    exact = sum(
        (
            Decimal(period["principal"])
            * Decimal(period["rate"])
            / 100
            * period["days"]
            / _year_days(charges["interest"]["basis"], date.fromisoformat(period["from"]))
            for period in charges["interest"]["periods"]
        ),
        Decimal(0),
    )
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Business:
    """A business signed up through the API, claiming late-payment charges under one law, Stripe connected."""

    def __init__(self, gateway: Gateway, *, jurisdiction: str, time_zone: str, locale: str) -> None:
        self.client = WebClient(gateway.url)
        self.time_zone, self.jurisdiction = time_zone, jurisdiction
        tag = uuid.uuid4().hex[:8]
        self.email, self.password = f"late-{jurisdiction.lower()}-{tag}@example.com", f"late-payment-{tag}-pass"
        signup = {
            "email": self.email,
            "password": self.password,
            "name": f"Owner {jurisdiction}",
            "workspace_name": f"Atelier {jurisdiction} {tag}",
        }
        assert self.client.call("POST", "/auth/signup", signup).status == 201
        settings = {"legal_name": f"Atelier {jurisdiction} {tag}", "time_zone": time_zone, "locale": locale}
        assert self.client.call("PATCH", "/workspace", settings).status == 200
        _connect_stripe(self.client, gateway.stripe.url)  # type: ignore[attr-defined]

    def today(self) -> date:
        return datetime.now(UTC).astimezone(ZoneInfo(self.time_zone)).date()

    def overdue_debt(self, debtor: dict[str, Any], invoice: str, amount: int) -> tuple[dict[str, Any], str]:
        """A business debtor's invoice due DUE_BEFORE_HALF_YEAR days before this half-year, and their page's URL."""
        answer = self.client.call("POST", "/debtors", {**debtor, "kind": "business"})
        assert answer.status == 201, answer.body
        created = answer.json()
        assert created["kind"] == "business"
        due_on = _half_year_start(self.today()) - timedelta(days=DUE_BEFORE_HALF_YEAR)
        body = {
            "debtor_id": created["id"],
            "invoice_number": invoice,
            "amount": amount,
            "currency": "EUR",
            "due_on": due_on.isoformat(),
        }
        answer = self.client.call("POST", "/debts", body)
        assert answer.status == 201, answer.body
        page = self.client.call("POST", f"/debtors/{created['id']}/link").json()["url"]
        return answer.json(), page

    def debt(self, debt_id: str) -> dict[str, Any]:
        answer = self.client.call("GET", f"/debts/{debt_id}")
        assert answer.status == 200, answer.body
        return dict(answer.json())


def _turn_late_payment_on(app: App, business: Business, law: str) -> None:
    """The owner signs in to the web app and claims late-payment charges under `law` in the settings."""
    app.forget_everything()
    app.open("sign-in")
    app.fill("Email", business.email)
    app.fill("Password", business.password)
    app.click("button", "Sign in")
    app.wait_url("/app")
    app.heading("Home")
    app.open("account")
    app.heading("Late payment")
    app.click("checkbox", "Claim late-payment charges")
    Select(app.field("Law that applies")).select_by_visible_text(law)
    app.click("button", "Save late-payment terms")
    app.wait_text("Late-payment terms saved.")
    app.axe("account-late-payment")
    terms = business.client.call("GET", "/workspace").json()["late_payment"]
    assert (terms["enabled"], terms["jurisdiction"]) == (True, business.jurisdiction), terms


def _read_the_debt_in_the_app(app: App, debt: dict[str, Any], charges: dict[str, Any]) -> None:
    """The business's own view of the same charges: the debt's screen (English)."""
    app.open(f"debts/{debt['id']}")
    app.heading("Late-payment charges")

    def euros(minor: int) -> str:
        return f"€{minor // 100:,}.{minor % 100:02d}"

    app.wait_text(f"Interest to today {euros(charges['interest']['due'])}", f"Total due {euros(charges['total_due'])}")
    app.button("Waive interest")
    app.axe("debt-late-payment")


def _check_charges(business: Business, debt: dict[str, Any], *, margin: str) -> dict[str, Any]:
    """The debt's charges as the API states them, checked against the law: interest from the day after the due
    date to today, at the reference rate + the law's margin, and the EUR 40."""
    charges = business.debt(debt["id"])["charges"]
    assert charges is not None, "the workspace claims late-payment charges, yet the debt has none"
    interest = charges["interest"]
    due_on, counted_to = date.fromisoformat(debt["due_on"]), date.fromisoformat(interest["periods"][-1]["to"])
    if charges["not_claimed"] == "rates_missing":  # the current half-year's rate is not recorded yet
        assert counted_to == _half_year_start(business.today()) - timedelta(days=1), charges
        assert interest["rates_missing_from"] == (counted_to + timedelta(days=1)).isoformat()
    else:
        assert (charges["not_claimed"], counted_to) == (None, business.today()), charges
    assert interest["to"] == counted_to.isoformat()
    assert interest["from"] == (due_on + timedelta(days=1)).isoformat()
    assert sum(period["days"] for period in interest["periods"]) == (counted_to - due_on).days
    for period in interest["periods"]:
        assert not period["contractual"] and period["principal"] == debt["amount"]
        assert Decimal(period["margin"]) == Decimal(margin)
        assert Decimal(period["rate"]) == Decimal(period["reference_rate"]) + Decimal(margin)
    assert interest["accrued"] == interest["due"] == _expected_interest(charges) > 0
    assert charges["compensation"]["due"] == COMPENSATION
    assert charges["principal_outstanding"] == debt["amount"]
    assert charges["total_due"] == debt["amount"] + interest["due"] + COMPENSATION
    return dict(charges)


def _read_page(phone: webdriver.Chrome, page: str, charges: dict[str, Any], *, locale: str) -> None:
    phone.get(page)
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == locale
    text = normalised(phone.find_element(By.TAG_NAME, "body").text)
    interest = charges["interest"]
    for amount in (charges["principal_outstanding"], interest["due"], COMPENSATION, charges["total_due"]):
        assert _euros(amount, locale) in text, f"{_euros(amount, locale)} is not on the page:\n{text}"
    assert _euros(COMPENSATION, locale) == "40,00 €"
    for period in interest["periods"]:
        assert _rate(period["rate"]) in text, f"the rate {period['rate']} is not on the page:\n{text}"
        assert re.search(rf"\b{period['days']}\b", text), f"the period's {period['days']} days are not on the page"


def _pay_everything(phone: webdriver.Chrome, charges: dict[str, Any], *, locale: str) -> None:
    """Press the page's "pay everything" (the pay button that names the total), pay on the stand-in's checkout."""
    total = _euros(charges["total_due"], locale)
    buttons = phone.find_elements(By.CSS_SELECTOR, "form[action$='/pay'] button[type=submit]")
    everything = [button for button in buttons if total in normalised(button.text)]
    assert everything, f"no pay button names the total {total}: {[normalised(b.text) for b in buttons]}"
    everything[0].click()
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("/checkout/cs_"))
    # One line per invoice and per charge, the total their sum.
    lines = sorted(int(re.sub(r"\D", "", cell.text)) for cell in phone.find_elements(By.CSS_SELECTOR, "td.amount"))
    assert lines == sorted([charges["principal_outstanding"], charges["interest"]["due"], COMPENSATION])
    assert int(re.sub(r"\D", "", phone.find_element(By.ID, "total").text)) == charges["total_due"]
    phone.find_element(By.ID, "pay").click()  # the stand-in's webhook settles it before the way back
    WebDriverWait(phone, 10).until(expected_conditions.url_contains("?payment=pay_"))
    note = normalised(phone.find_element(By.ID, "payment-note").text)
    assert total in note, f"the payment note does not say {total}: {note}"


def _paid(business: Business, debt: dict[str, Any], charges: dict[str, Any]) -> None:
    def settled() -> dict[str, Any] | None:
        now = business.debt(debt["id"])
        return now if now["status"] == "paid" else None

    now = poll(settled, f"{debt['invoice_number']} never became paid")
    assert (now["amount_paid"], now["amount_outstanding"]) == (debt["amount"], 0)
    after = now["charges"]
    assert after["interest"]["paid"] == charges["interest"]["due"]
    assert after["compensation"]["paid"] == COMPENSATION
    assert after["interest"]["due"] == after["compensation"]["due"] == after["total_due"] == 0
    entries = business.client.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    received = [entry for entry in entries if entry["type"] == "payment_received"]
    assert sum(entry["data"]["amount"] for entry in received) == charges["total_due"]


@dataclass(frozen=True)
class Case:
    jurisdiction: str
    law: str  # its name in the app's settings (English)
    locale: str
    time_zone: str
    margin: str  # points over the reference rate between businesses
    debtor: dict[str, str]
    amount: int


FRANCE = Case(
    "FR", "France", "fr", "Europe/Paris", "10", {"name": "Société Martin", "email": "compta@martin.example"}, 123_456
)
GERMANY = Case(
    "DE", "Germany", "de", "Europe/Berlin", "9", {"name": "Müller GmbH", "email": "konto@mueller.example"}, 250_000
)


@pytest.mark.parametrize("case", [FRANCE, GERMANY], ids=["france", "germany"])
def test_a_business_debtor_reads_the_late_payment_charges_in_their_language_and_pays_everything(
    app: App, chromium: webdriver.Chrome, gateway: Gateway, case: Case
) -> None:
    app.violations.clear()
    business = Business(gateway, jurisdiction=case.jurisdiction, time_zone=case.time_zone, locale=case.locale)
    _turn_late_payment_on(app, business, case.law)
    debtor = {**case.debtor, "locale": case.locale, "time_zone": case.time_zone}
    debt, url = business.overdue_debt(debtor, f"LP-{case.jurisdiction}-001", case.amount)
    page = f"{gateway.url}{urlsplit(url).path}"
    charges = _check_charges(business, debt, margin=case.margin)
    _read_the_debt_in_the_app(app, debt, charges)

    _read_page(chromium, page, charges, locale=case.locale)
    _pay_everything(chromium, charges, locale=case.locale)
    _paid(business, debt, charges)

    # Back on the page, nothing is asked of that invoice any more.
    chromium.get(page)
    total = _euros(charges["total_due"], case.locale)
    buttons = chromium.find_elements(By.CSS_SELECTOR, "form[action$='/pay'] button[type=submit]")
    assert not [button.text for button in buttons if total in normalised(button.text)]
    assert not app.violations, "axe found serious or critical violations:\n" + "\n".join(map(str, app.violations))
