"""Reminder emails name the late-payment charges a workspace claims, in the debtor's language, through the doors
they leave by: the scheduled sender, and the preview a business reads before."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from local.brevo import BrevoStandIn
from tests.conftest import Account, Clock, new_debt
from tests.support.reminders import drain, plan

pytestmark = pytest.mark.usefixtures("own_reminders_only")

EARLY_JUNE_2026 = datetime(2026, 6, 5, 8, tzinfo=UTC)  # a half-year whose reference rates the data holds
NBSP = "\u00a0"
NNBSP = "\u202f"  # French groups thousands, and sets the percent sign apart, with a narrow no-break space


@pytest.fixture(autouse=True)
def early_june_2026(clock: Clock) -> Clock:
    """Set before `account` (autouse: before the module's own usefixtures too), whose session must not be issued
    after its clock's now."""
    clock.now = EARLY_JUNE_2026
    return clock


def _person(account: Account, locale: str, kind: str = "business") -> dict[str, Any]:
    email = f"debtor-{uuid.uuid4().hex[:10]}@example.{locale}"
    answer = account.browser.call(
        "POST", "/debtors", {"name": "Émile Zola", "email": email, "locale": locale, "kind": kind}
    )
    assert answer.status == 201, answer.body
    return dict(answer.json())


def _claiming(account: Account, jurisdiction: str = "EU") -> None:
    answer = account.browser.call(
        "PATCH", "/workspace", {"late_payment": {"enabled": True, "jurisdiction": jurisdiction}}
    )
    assert answer.status == 200, answer.body


def _emailed(brevo: BrevoStandIn, person: dict[str, Any]) -> str:
    [email] = [m for m in brevo.outbox() if m["to"][0]["email"] == person["email"]]
    return str(email["textContent"])


def test_a_french_reminder_names_interest_and_compensation_and_says_why(
    early_june_2026: Clock, account: Account, brevo: BrevoStandIn
) -> None:
    _claiming(account)
    person = _person(account, "fr")
    debt = new_debt(account, person["id"], amount=100_000, issued_on="2026-04-01", due_on="2026-05-01")

    plan(datetime.fromisoformat("2026-06-05T10:00:00+02:00"))
    drain()

    text = _emailed(brevo, person)
    # Directive 2011/7/EU: 10.15 % a year (ECB 2.15 + 8) from 2 May to 5 June 2026 (35 days) on EUR 1,000.00:
    # 100000 x 0.1015 x 35 / 365 = 973.29 -> 973 cents.
    line = f"intérêts de retard 9,73{NBSP}€ (10,15{NNBSP}% par an sur 35 jours)"
    assert line in text, text
    assert f"indemnité forfaitaire pour frais de recouvrement 40,00{NBSP}€" in text
    assert "la loi permet aussi à" in text and f"soit un total dû de 1{NNBSP}049,73{NBSP}€" in text
    assert debt["invoice_number"] in text


def test_a_reminder_says_nothing_of_charges_when_the_workspace_claims_none(
    early_june_2026: Clock, account: Account, brevo: BrevoStandIn
) -> None:
    person = _person(account, "en")
    new_debt(account, person["id"], amount=100_000, issued_on="2026-04-01", due_on="2026-05-01")

    plan(datetime.fromisoformat("2026-06-05T10:00:00+02:00"))
    drain()

    text = _emailed(brevo, person)
    assert "interest" not in text and "compensation" not in text and "total due" not in text
    assert "Total outstanding: €1,000.00." in text


def test_a_german_consumer_is_charged_interest_but_no_lump_sum(
    early_june_2026: Clock, account: Account, brevo: BrevoStandIn
) -> None:
    _claiming(account, "DE")
    person = _person(account, "de", kind="consumer")
    new_debt(account, person["id"], amount=100_000, issued_on="2026-04-01", due_on="2026-05-01")

    plan(datetime.fromisoformat("2026-06-05T10:00:00+02:00"))
    drain()

    text = _emailed(brevo, person)
    assert "Verzugszinsen" in text and "pro Jahr für 35 Tage" in text  # §288(1) BGB: base rate + 5 points
    assert "Verzugspauschale" not in text  # §288(5) BGB: only between businesses
    assert "gesetzlich auch Folgendes verlangen kann" in text


def test_the_preview_shows_the_charges_of_a_debt_and_of_the_sample(early_june_2026: Clock, account: Account) -> None:
    _claiming(account)
    person = _person(account, "en")
    debt = new_debt(account, person["id"], amount=100_000, issued_on="2026-04-01", due_on="2026-05-01")

    of_debt = account.browser.call(
        "POST", "/workspace/reminder-templates/preview", {"template": "firm", "debt_id": debt["id"]}
    )
    sample = account.browser.call("POST", "/workspace/reminder-templates/preview", {"template": "friendly"})

    assert of_debt.status == 200, of_debt.body
    # 5 June 2026 in Paris: 35 days since 1 May, as the sender counts them.
    assert "interest €9.73 (10.15% a year over 35 days)" in of_debt.json()["text"]
    assert "which brings the total due to €1,049.73" in of_debt.json()["text"]
    assert "the law on late payment also entitles" in sample.json()["text"]  # the sample debt is 45 days late
    assert "the law on late payment also entitles" in sample.json()["html"]
