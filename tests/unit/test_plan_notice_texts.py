"""The debtor's payment-plan emails: the same texts in every language, and each kind written out."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from string import Formatter
from typing import Any, cast

import pytest

from collectra.debtors.records import Debtor
from collectra.plans.notice_texts import TEXTS
from collectra.plans.schedule import KINDS, Notice
from collectra.reminders.plan_notices import lines_of
from collectra.workspaces.records import Workspace


def placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(value) if name is not None}


def test_every_language_has_the_same_texts_and_placeholders() -> None:
    for locale in ("fr", "de"):
        assert set(TEXTS[locale]) == set(TEXTS["en"])
        for key, value in TEXTS["en"].items():
            assert placeholders(TEXTS[locale][key]) == placeholders(value), (locale, key)
    for kind in KINDS:
        assert {f"{kind}_subject", f"{kind}_intro"} <= set(TEXTS["en"])


def test_french_punctuation_is_not_separated_by_a_breaking_space() -> None:
    for key, value in TEXTS["fr"].items():
        assert not re.search(r" [:;!?»]|« ", value), key


PLAN: dict[str, Any] = {
    "id": "plan_1",
    "workspace_id": "ws_1",
    "currency": "EUR",
    "total": 10000,
    "grace_days": 5,
    "status": "active",
    "reason": "Not this month",
    "instalments": [
        {"number": 1, "due_on": "2027-03-15", "amount": 3333},
        {"number": 2, "due_on": "2027-04-15", "amount": 3333},
        {"number": 3, "due_on": "2027-05-15", "amount": 3334},
    ],
    "collection": {"mode": "automatic", "method": {"type": "sepa_debit", "last4": "3000"}},
}
PROGRESS = [
    {"number": 1, "due_on": "2027-03-15", "amount": 3333, "paid": 3333, "status": "paid"},
    {"number": 2, "due_on": "2027-04-15", "amount": 3333, "paid": 1000, "status": "upcoming"},
    {"number": 3, "due_on": "2027-05-15", "amount": 3334, "paid": 0, "status": "upcoming"},
]


@pytest.mark.parametrize("locale", ["en", "fr", "de"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_notice_names_the_amount_the_page_and_the_opt_out(kind: str, locale: str) -> None:
    workspace = cast(Workspace, {"id": "ws_1", "name": "Acme", "locale": "en"})
    debtor = cast(Debtor, {"id": "dbt_1", "name": "Jo", "email": "jo@example.com", "locale": locale})
    number = 0 if kind.startswith("plan_") else 2
    subject, paragraphs = lines_of(
        workspace,
        debtor,
        PLAN,
        Notice(kind, number, datetime(2027, 4, 12, tzinfo=UTC)),
        progress=PROGRESS,
        paid_since=4333,
        page="https://pay.example/p/token",
        opt_out="https://pay.example/u/token",
    )
    body = "\n\n".join(paragraphs)
    assert "Acme" in subject or "Acme" in body
    assert "https://pay.example/p/token" in body and "https://pay.example/u/token" in body
    assert "{" not in body and "{" not in subject
    if number:  # what the instalment still asks: 33.33 less the 10.00 already paid towards it
        assert ("23.33" in body) if locale == "en" else ("23,33" in body)
    if kind == "plan_broken":
        assert ("56.67" in body) if locale == "en" else ("56,67" in body)  # 100.00 less 43.33 paid since
    if kind == "instalment_upcoming":
        assert "3000" in body  # collected automatically, from the account ending 3000
    if kind == "plan_declined":
        assert "Not this month" in body
