"""The debtor's page in a real browser (headless Chromium): two languages, a dispute and a card payment
through the Stripe stand-in's checkout, each then seen through the API.

Runs with `make e2e` (it installs Debian's chromium and chromium-driver); skipped by `make test`. The browser
and the local stack are tests/browser/conftest.py's.
Set UPDATE_SCREENSHOT=1 to refresh docs/debtor-page.png.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from local.client import WebClient
from local.gateway import Gateway
from local.seed import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
from tests.support.http import ROOT

pytestmark = pytest.mark.browser


def _spaced(text: str) -> str:
    """The page's no-break spaces (French and German number formats) as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def demo_pages(gateway: Gateway) -> dict[str, str]:
    """The demo data `make dev` seeds (its workspace connected to Stripe), each debtor's page on this gateway."""
    demo = seed_demo(gateway.url, gateway.stripe.url)  # type: ignore[attr-defined]
    return {name: f"{gateway.url}{urlsplit(url).path}" for name, url in demo.pages.items()}


def test_french_and_german_debtors_each_read_their_page_in_their_language(
    chromium: webdriver.Chrome, demo_pages: dict[str, str]
) -> None:
    chromium.get(demo_pages["Émile Zola"])
    french = chromium.find_element(By.TAG_NAME, "body").text
    assert chromium.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Factures à régler" in french
    assert "1 234,56 €" in _spaced(french)
    assert "INV-2026-0101" in french and "Demo Plumbing Ltd" in french
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        chromium.save_screenshot(str(ROOT / "docs" / "debtor-page.png"))

    chromium.get(demo_pages["Greta Schmidt"])
    assert chromium.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    german = chromium.find_element(By.TAG_NAME, "body").text
    assert "Offene Rechnungen" in german
    assert "450,00 €" in _spaced(german)


def test_a_dispute_submitted_in_the_browser_is_on_the_timeline(
    chromium: webdriver.Chrome, demo_pages: dict[str, str], gateway: Gateway
) -> None:
    chromium.get(demo_pages["Émile Zola"])
    chromium.find_element(By.ID, "kind-dispute").click()
    choose = Select(chromium.find_element(By.ID, "answer-debt"))
    choose.select_by_visible_text(next(o.text for o in choose.options if "INV-2026-0101" in o.text))
    chromium.find_element(By.ID, "answer-message").send_keys("The boiler was never installed.")
    chromium.find_element(By.CSS_SELECTOR, "form[action$='/answer'] button[type=submit]").click()
    WebDriverWait(chromium, 10).until(expected_conditions.url_contains("notice=answer_received_dispute"))
    assert chromium.find_element(By.CSS_SELECTOR, "[role=status]").text

    business = WebClient(gateway.url)
    assert business.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status == 200
    debt = next(d for d in business.call("GET", "/debts").json()["items"] if d["invoice_number"] == "INV-2026-0101")
    assert debt["status"] == "disputed"
    entries = business.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    message = next(e for e in entries if e["type"] == "debtor_message")
    assert message["data"] == {"kind": "dispute", "message": "The boiler was never installed."}


def test_a_card_payment_from_the_page_settles_the_debt(
    chromium: webdriver.Chrome, demo_pages: dict[str, str], gateway: Gateway
) -> None:
    chromium.get(demo_pages["Greta Schmidt"])
    pay = chromium.find_element(By.CSS_SELECTOR, "form[action$='/pay'] button[type=submit]")
    assert "450,00 €" in _spaced(pay.text)
    pay.click()
    WebDriverWait(chromium, 10).until(expected_conditions.url_contains("/checkout/cs_"))
    assert "450.00" in chromium.find_element(By.ID, "total").text
    chromium.find_element(By.ID, "pay").click()  # Stripe's answer: the webhook settles it before the way back

    WebDriverWait(chromium, 10).until(expected_conditions.url_contains("?payment=pay_"))
    note = _spaced(chromium.find_element(By.ID, "payment-note").text)
    assert "Ihre Zahlung über 450,00 € ist am" in note and "eingegangen" in note

    business = WebClient(gateway.url)
    assert business.call("POST", "/auth/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}).status == 200
    debt = next(d for d in business.call("GET", "/debts").json()["items"] if d["invoice_number"] == "INV-2026-0102")
    assert (debt["status"], debt["amount_paid"], debt["amount_outstanding"]) == ("paid", 45_000, 0)
    entries = business.call("GET", f"/debts/{debt['id']}/timeline").json()["items"]
    received = next(e for e in entries if e["type"] == "payment_received")
    assert (received["data"]["amount"], received["data"]["kind"], received["data"]["method"]) == (
        45_000,
        "payment",
        "card",
    )
