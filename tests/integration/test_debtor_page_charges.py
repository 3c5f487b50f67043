# ruff: noqa: RUF001  (French text has typographic apostrophes)
"""Late-payment charges on the debtor's page (GET /p/{token}) and paying them (POST /p/{token}/pay): the page
explains each line in the debtor's language, and "pay the invoice amount" and "pay everything" each make their own
Checkout Session, whose line items are the invoice and each charge, recorded on the attempt as planned lines."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any
from urllib.request import urlopen
from zoneinfo import ZoneInfo

import pytest

from collectra import clock as clock_module
from collectra import store
from collectra.debts.service import ledger_sum
from collectra.pages import format_date, format_money
from collectra.store import keys
from local.stripe import StripeStandIn
from tests.conftest import STRIPE_WEBHOOK_SECRET, Account, Clock, new_debt
from tests.support.debtor_page import connect_stripe, page_token, post_form
from tests.support.http import Browser
from tests.support.stripe_events import deliver
from tests.support.stripe_standin import Outbox, press

NBSP, NNBSP = "\u00a0", "\u202f"
AMOUNT = 123_456
RATE = 30  # percent a year, agreed in the terms of sale: above every law's floor, so the figures are the test's own
DAYS = 30
INTEREST = int(Fraction(AMOUNT * RATE * DAYS, 100 * 365) + Fraction(1, 2))  # actual/365, rounded once, half up
COMPENSATION = 4_000  # EUR 40, in France and Germany
EVERYTHING = AMOUNT + INTEREST + COMPENSATION
UK_COMPENSATION = 7_000  # GBP 70 for a debt from 1,000 to 9,999.99 (s5A of the 1998 Act)
UK_EVERYTHING = AMOUNT + INTEREST + UK_COMPENSATION
# A day whose half-year's reference rates are in the data, so the page's figures do not wait on the next half-year's
# publication (the law's own test fails when today's half-year is missing).
RATED_DAY = datetime(2026, 6, 20, 10, tzinfo=UTC)


def claim_charges(account: Account, jurisdiction: str, **choices: Any) -> None:
    """Given a workspace that claims late-payment charges (its stored shape; PATCH /workspace is the settings')."""
    late_payment = {
        "enabled": True,
        "jurisdiction": jurisdiction,
        "claim_interest": True,
        "claim_compensation": True,
        "contractual_rate": str(RATE),
        "grace_days": 0,
        "pause_while_disputed": True,
        "allocation": "principal_first",
    } | choices
    store.update(keys.workspace(account.workspace_id), "SET late_payment = :chosen", values={":chosen": late_payment})


def new_debtor(account: Account, locale: str) -> dict[str, Any]:
    body = {"name": f"Débiteur {locale}", "email": f"{locale}@example.com", "locale": locale}
    answer = account.browser.call("POST", "/debtors", body)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def local_today() -> date:
    """The business's day (its workspace is in Paris, the default)."""
    return clock_module.utcnow().astimezone(ZoneInfo("Europe/Paris")).date()


@pytest.fixture
def rated_day(clock: Clock) -> Clock:
    """Now is RATED_DAY; set before the account signs up (its session would not be valid yet on an earlier day)."""
    clock.now = RATED_DAY
    return clock


def late_debt(account: Account, debtor_id: str, currency: str = "EUR") -> dict[str, Any]:
    """A debt of 1,234.56 whose due date was DAYS days ago, in the business's time zone."""
    due = local_today() - timedelta(days=DAYS)
    issued = due - timedelta(days=30)
    return new_debt(
        account, debtor_id, amount=AMOUNT, currency=currency, issued_on=issued.isoformat(), due_on=due.isoformat()
    )


def page_of(token: str) -> str:
    """The page's text as a reader sees it: tags gone, every run of white space one space."""
    answer = Browser().call("GET", f"/p/{token}", send_cookies=False)
    assert answer.status == 200, answer.body
    return words(html.unescape(re.sub(r"<[^>]+>", " ", answer.body)))


def words(phrase: str) -> str:
    return " ".join(phrase.split())


@pytest.mark.parametrize(
    ("jurisdiction", "locale", "expected"),
    [
        (
            "FR",
            "fr",
            [
                "Intérêts de retard et indemnité forfaitaire",
                "Article L441-10 du Code de commerce",
                f"{INTEREST / 100:.2f}".replace(".", ",") + f"{NBSP}€",
                f"{DAYS} jours sur 1{NNBSP}234,56{NBSP}€ au taux annuel de {RATE}{NNBSP}% "
                "(taux fixé par les conditions générales de vente)",
                "Indemnité forfaitaire pour frais de recouvrement",
                f"40,00{NBSP}€",
                f"Total à payer pour cette facture {EVERYTHING // 100:,}".replace(",", NNBSP)
                + f",{EVERYTHING % 100:02d}{NBSP}€",
            ],
        ),
        (
            "DE",
            "de",
            [
                "Verzugszinsen und Pauschale",
                "Verzugszinsen nach § 288 BGB",
                f"{DAYS} Tage auf 1.234,56{NBSP}€ zu {RATE}{NBSP}% im Jahr "
                "(der in den Vertragsbedingungen vereinbarte Satz)",
                f"Verzugspauschale 40,00{NBSP}€",
                f"Für diese Rechnung insgesamt zu zahlen {EVERYTHING // 100:,}".replace(",", ".")
                + f",{EVERYTHING % 100:02d}{NBSP}€",
            ],
        ),
    ],
)
@pytest.mark.usefixtures("rated_day")
def test_the_page_explains_each_charge_in_the_debtors_language(
    account: Account, jurisdiction: str, locale: str, expected: list[str]
) -> None:
    claim_charges(account, jurisdiction)
    debtor = new_debtor(account, locale)
    late_debt(account, debtor["id"])

    body = page_of(page_token(account.browser, debtor["id"]))

    for phrase in expected:
        assert words(phrase) in body


def test_a_page_whose_business_claims_nothing_is_unchanged(account: Account, debtor: dict[str, Any]) -> None:
    late_debt(account, debtor["id"])

    body = page_of(page_token(account.browser, debtor["id"]))

    assert "Intérêts de retard" not in body and 'name="designation"' not in body


@pytest.mark.usefixtures("rated_day")
def test_reference_rates_are_named_with_their_margin(account: Account, debtor: dict[str, Any]) -> None:
    claim_charges(account, "FR", contractual_rate=None)
    late_debt(account, debtor["id"])

    body = page_of(page_token(account.browser, debtor["id"]))

    # The ECB's 2.15% of the first half of 2026 plus 10 points: 1,234.56 x 12.15% x 30 / 365 = 12.33.
    rate = f"au taux annuel de 12,15{NNBSP}% (taux de référence de 2,15{NNBSP}% majoré de 10 points)"
    assert words(rate) in body and words(f"Intérêts au 20 juin 2026 12,33{NBSP}€") in body


def test_with_the_reference_rate_of_a_half_year_missing_interest_stops_short_and_the_page_says_from_when(
    rated_day: Clock, account: Account, debtor: dict[str, Any]
) -> None:  # the day is set first: the account signs in on it
    claim_charges(account, "FR", contractual_rate=None)
    late_debt(account, debtor["id"])
    token = page_token(account.browser, debtor["id"])
    known_to = page_of(token)
    rated_day.advance(days=800)  # two years on: no rate published yet for those half-years

    body = page_of(token)

    assert "n’est pas encore dans nos données" not in known_to
    assert "n’est pas encore dans nos données : les intérêts de ces jours-là ne sont pas inclus ici." in body
    # Counted to the last day of the last half-year the data has, never at a borrowed rate.
    assert "Intérêts au 30 juin 2026" in body


# ---------------------------------------------------------------- paying


@pytest.fixture
def outbox(stripe_api: StripeStandIn) -> Outbox:
    return Outbox(stripe_api.url)


@pytest.fixture
def charged(account: Account, debtor: dict[str, Any], stripe_api: StripeStandIn, outbox: Outbox) -> dict[str, Any]:
    """A British workspace that claims charges, connected to Stripe; a GBP debt DAYS days late of a French-speaking
    debtor, and its page token. (UK: its base rate is in the data through today's half-year, and the payment
    happens today, which Stripe's session expiry ties to the real clock.)"""
    account_id = connect_stripe(account.browser, stripe_api, outbox)
    claim_charges(account, "UK")
    debt = late_debt(account, debtor["id"], "GBP")
    return {"account_id": account_id, "debt": debt, "token": page_token(account.browser, debtor["id"])}


def press_pay(token: str, **choice: str) -> str:
    answer = post_form(token, "pay", choice)
    assert answer.status == 303, answer.body
    return str(answer.headers["location"])


def session_and_lines(stripe_api: StripeStandIn, account_id: str, location: str) -> tuple[dict[str, Any], list[Any]]:
    import stripe

    client = stripe.StripeClient(stripe_api.api_key, base_addresses={"api": stripe_api.url}, max_network_retries=0)
    session_id = location.rsplit("/", 1)[1]
    options: Any = {"stripe_account": account_id}
    session = client.v1.checkout.sessions.retrieve(session_id, options=options)
    lines = client.v1.checkout.sessions.line_items.list(session_id, options=options)
    as_dict = json.loads(json.dumps(session.to_dict()))
    return as_dict, [(line.description, line.amount_total) for line in lines.data]


def attempt_of(account: Account, session: dict[str, Any]) -> dict[str, Any]:
    found = store.get(keys.payment_attempt(account.workspace_id, session["client_reference_id"]), consistent=True)
    assert found is not None
    return found


def test_the_page_offers_the_invoice_amount_or_everything(charged: dict[str, Any]) -> None:
    invoice = charged["debt"]["invoice_number"]

    body = page_of(charged["token"])

    assert words(f"Payer le montant de la facture {invoice} (1{NNBSP}234,56{NBSP}£GB)") in body
    assert words(f"Tout payer pour la facture {invoice} ({format_money(UK_EVERYTHING, 'GBP', 'fr')})") in body


def test_paying_everything_charges_one_line_per_invoice_and_charge_and_records_the_plan(
    account: Account, charged: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    debt = charged["debt"]
    invoice = debt["invoice_number"]

    location = press_pay(charged["token"], debt_id=debt["id"], designation="all")

    session, lines = session_and_lines(stripe_api, charged["account_id"], location)
    assert lines == [
        (f"Facture {invoice}", AMOUNT),
        (f"Intérêts de retard — facture {invoice} ({RATE}{NNBSP}%, {DAYS} jours)", INTEREST),
        (f"Indemnité forfaitaire de recouvrement — facture {invoice}", UK_COMPENSATION),
    ]
    assert session["amount_total"] == UK_EVERYTHING
    attempt = attempt_of(account, session)
    assert (attempt["designation"], attempt["quoted_on"], attempt["amount"]) == (
        "all",
        str(local_today()),
        UK_EVERYTHING,
    )
    [share] = attempt["shares"]
    assert share["lines"] == {"principal": AMOUNT, "interest": INTEREST, "compensation": UK_COMPENSATION}
    assert share["planned"] == UK_EVERYTHING
    # The stand-in's hosted page, as the debtor sees it, lists each line.
    with urlopen(location) as page:
        checkout = page.read().decode()
    assert f"Intérêts de retard — facture {invoice}" in checkout and f"Facture {invoice}" in checkout


def test_paying_the_invoice_amount_charges_the_principal_alone(
    account: Account, charged: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    debt = charged["debt"]

    location = press_pay(charged["token"], debt_id=debt["id"], designation="principal")

    session, lines = session_and_lines(stripe_api, charged["account_id"], location)
    assert lines == [(f"Facture {debt['invoice_number']}", AMOUNT)]
    attempt = attempt_of(account, session)
    assert (attempt["designation"], attempt["amount"]) == ("principal", AMOUNT)
    assert attempt["shares"][0]["lines"] == {"principal": AMOUNT, "interest": 0, "compensation": 0}


def test_everything_in_a_currency_pays_each_debts_charges(
    account: Account, charged: dict[str, Any], debtor: dict[str, Any], stripe_api: StripeStandIn
) -> None:
    second = late_debt(account, debtor["id"], "GBP")

    location = press_pay(charged["token"], currency="GBP", designation="all")

    session, lines = session_and_lines(stripe_api, charged["account_id"], location)
    assert session["amount_total"] == 2 * UK_EVERYTHING and len(lines) == 6
    attempt = attempt_of(account, session)
    assert {share["debt_id"] for share in attempt["shares"]} == {charged["debt"]["id"], second["id"]}
    assert sum(share["planned"] for share in attempt["shares"]) == attempt["amount"] == 2 * UK_EVERYTHING


def test_two_tabs_one_per_designation_make_two_sessions_and_pressing_again_reuses_each(
    account: Account, charged: dict[str, Any]
) -> None:
    debt_id, token = charged["debt"]["id"], charged["token"]

    invoice_tab = press_pay(token, debt_id=debt_id, designation="principal")
    everything_tab = press_pay(token, debt_id=debt_id, designation="all")
    invoice_again = press_pay(token, debt_id=debt_id, designation="principal")
    everything_again = press_pay(token, debt_id=debt_id, designation="all")

    assert invoice_tab != everything_tab
    assert (invoice_again, everything_again) == (invoice_tab, everything_tab)
    timeline = account.browser.call("GET", f"/debts/{debt_id}/timeline").json()["items"]
    assert [entry["type"] for entry in timeline].count("payment_started") == 2


def test_a_form_without_a_designation_pays_the_invoice_amount(account: Account, charged: dict[str, Any]) -> None:
    debt_id, token = charged["debt"]["id"], charged["token"]

    assert press_pay(token, debt_id=debt_id) == press_pay(token, debt_id=debt_id, designation="principal")
    assert press_pay(token, debt_id=debt_id, designation="anything") == press_pay(token, debt_id=debt_id)


@pytest.mark.usefixtures("rated_day")
def test_a_disputed_debt_shows_that_its_dispute_holds_interest_then_the_days_it_held_it(
    account: Account, debtor: dict[str, Any]
) -> None:
    claim_charges(account, "FR")
    debt = late_debt(account, debtor["id"])
    token = page_token(account.browser, debtor["id"])
    today = local_today()
    said = post_form(token, "answer", {"kind": "dispute", "debt_id": debt["id"], "message": "Pas commandé"})
    assert said.status == 303, said.body

    disputed = page_of(token)
    account.browser.call("POST", f"/debts/{debt['id']}/reopen")
    reopened = page_of(token)

    day = format_date(today, "fr")
    assert f"Pas d’intérêts depuis le {day}, pendant la contestation de la facture." in disputed
    assert "Tout payer pour la facture" not in disputed  # a disputed debt is not paid from the page
    assert "Pas d’intérêts" not in reopened  # reopened the same day: the dispute held no day of interest


# ---------------------------------------------------------------- Stripe's webhook books what was planned


def stored(account: Account, debt_id: str) -> dict[str, Any]:
    found = store.get(keys.debt(account.workspace_id, debt_id), consistent=True)
    assert found is not None
    return found


def booked_lines(account: Account, debt_id: str) -> dict[str | None, int]:
    partition = keys.debt_history(account.workspace_id, debt_id)
    booked: dict[str | None, int] = {}
    for entry in store.query_all("pk = :p AND begins_with(sk, :l)", {":p": partition, ":l": "L#"}):
        booked[entry.get("charge")] = booked.get(entry.get("charge"), 0) + int(entry["amount"])
    return booked


def test_a_paid_everything_session_books_each_line_and_settles_the_debt(
    account: Account, charged: dict[str, Any], outbox: Outbox
) -> None:
    debt_id = charged["debt"]["id"]
    status, back = press(press_pay(charged["token"], debt_id=debt_id, designation="all"), "pay")
    assert status == 303 and back is not None

    [completed] = outbox.new()
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"

    debt = stored(account, debt_id)
    assert (debt["status"], debt["amount_paid"]) == ("paid", AMOUNT)
    assert (debt["interest_paid"], debt["compensation_paid"]) == (INTEREST, UK_COMPENSATION)
    assert booked_lines(account, debt_id) == {None: AMOUNT, "interest": INTEREST, "compensation": UK_COMPENSATION}
    assert ledger_sum(account.workspace_id, debt_id) == AMOUNT  # principal alone: charges are their own lines
    assert "Tout payer" not in page_of(charged["token"])  # nothing is owed any more


def test_a_paid_invoice_amount_books_principal_and_leaves_the_charges_due(
    account: Account, charged: dict[str, Any], outbox: Outbox
) -> None:
    debt_id = charged["debt"]["id"]
    press(press_pay(charged["token"], debt_id=debt_id, designation="principal"), "pay")

    [completed] = outbox.new()
    assert deliver(completed, STRIPE_WEBHOOK_SECRET).json()["result"] == "applied"

    debt = stored(account, debt_id)
    assert (debt["amount_paid"], debt.get("interest_paid", 0), debt.get("compensation_paid", 0)) == (AMOUNT, 0, 0)
    assert booked_lines(account, debt_id) == {None: AMOUNT}
