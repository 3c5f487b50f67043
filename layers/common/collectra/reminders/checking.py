"""Whether a workspace's template can be used: its syntax and variables, then a render of every shape of data.

A template that parses can still fail when it is sent (`{{ 1/0 }}`, `{{ invoices.x }}`, a loop for ever), and
then it would fail for a debtor, not for the business who wrote it. So before a template is saved or
previewed it is rendered, under one budget for all of them, with samples of every shape a real debt can
have: one invoice or many, nothing or part paid, several currencies (none, two and three decimals), a
business with and without a postal address, with and without late-payment charges, each language. The first
that fails names the problem.
Measured on a shared 2-core machine: about 6 ms per template and language for all samples, a policy of 20
templates in three languages in 0.25 to 0.4 s; a poisoned template is refused within one render's budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, cast

from collectra.debtors.records import Debtor
from collectra.debts.records import BrokenPromise, Debt, Invoice
from collectra.locales import SUPPORTED_LOCALES
from collectra.reminders import promised
from collectra.reminders.budget import SECONDS, TemplateRefused, budget
from collectra.reminders.compose import values
from collectra.reminders.templates import problems, render_text
from collectra.workspaces.records import Workspace

SAVE_SECONDS = 2 * SECONDS  # every template of a policy, every sample: a poisoned one is refused within this

# The day samples are rendered on; the first workspace claims late-payment charges, so that templates naming
# them are rendered with them too (its samples' debts are late on that day; the rates of its half-year are known).
_SAMPLE_DAY = date(2026, 6, 30)
_WORKSPACES = (
    {"id": "ws_sample", "name": "Sample & Co", "late_payment": {"enabled": True, "jurisdiction": "EU"}},
    {
        "id": "ws_sample",
        "name": "Sample",
        "legal_name": "Sample Trading Ltd",
        "postal_address": {"line1": "1 Main Street", "postal_code": "75001", "city": "Paris", "country": "FR"},
    },
)
_DEBTORS = ({"id": "dbt_sample", "name": "Alex Sample"}, {"id": "dbt_sample", "name": "Zoë O'Brien-Łukasiewicz"})


def _debt(number: int, amount: int, paid: int, currency: str, due_on: str) -> Invoice:
    return {
        "invoice_number": f"INV-{number:04d}",
        "amount": amount,
        "amount_paid": paid,
        "currency": currency,
        "due_on": due_on,
    }


_DEBTS = (
    [_debt(1, 12_500, 0, "EUR", "2026-03-01")],  # one invoice, nothing paid
    [_debt(2, 12_500, 2_500, "EUR", "2026-12-31")],  # part paid
    [_debt(n, 1_000 * n + 1, (n % 3) * 100, "EUR", f"2026-{n:02d}-{n:02d}") for n in range(1, 13)],  # many
    [
        _debt(20, 99_999_999, 1, "USD", "2026-06-15"),
        _debt(21, 5_000, 0, "JPY", "2026-06-15"),  # no decimals
        _debt(22, 12_345, 5, "KWD", "2026-06-15"),  # three decimals
    ],
)


_BROKEN: BrokenPromise = {"amount": 5_000, "on": "2026-03-15", "step": -1_772_000_000}  # for "promised" templates


def sample_values() -> Iterator[tuple[str, dict[str, Any]]]:
    """(locale, the variables a template is given): each shape of data twice, each language more than once.

    Not every shape in every language: a language changes only how amounts, dates and `due_label` are
    written, and a save checks every template of the policy within SAVE_SECONDS.
    """
    for index, debts in enumerate(_DEBTS):
        # The samples hold only what a template is given of them.
        workspace, debtor = cast(Workspace, _WORKSPACES[index % 2]), cast(Debtor, _DEBTORS[index % 2])
        for locale in (SUPPORTED_LOCALES[index % 3], SUPPORTED_LOCALES[(index + 1) % 3]):
            given = values(
                workspace,
                debtor,
                debts,
                locale=locale,
                page_link="https://collectra.example/p/sample-link",
                opt_out_link="https://collectra.example/u/sample-link",
                today=_SAMPLE_DAY,
            )
            yield locale, given | promised.values(cast(Debt, {**debts[0], "broken_promise": _BROKEN}), locale)


def template_problems(subject: str, text: str, name: str = "") -> list[str]:
    """Why this template cannot be used, empty when it can: what `problems` finds, else how a render fails.

    Inside an enclosing `budget` (a whole policy being checked) the renders share its deadline.
    """
    found = problems(subject, text, name)
    if found:
        return found
    try:
        with budget(SAVE_SECONDS):
            for locale, sample in sample_values():
                render_text(subject, text, sample, locale)  # the HTML is our layout around it
    except TemplateRefused as refused:
        return [refused.reason]
    return []


def policy_problems(templates: dict[str, dict[str, tuple[str, str]]]) -> list[str]:
    """Each template's first problem, by name and language ({name: {locale: (subject, text)}}).

    One budget for the whole policy, so a save answers within SAVE_SECONDS however many templates it has.
    """
    found: list[str] = []
    try:
        with budget(SAVE_SECONDS):
            for name, texts in templates.items():
                for locale, (subject, text) in texts.items():
                    found += [
                        f"template {name} ({locale}): {problem}" for problem in template_problems(subject, text, name)
                    ]
    except TemplateRefused as refused:  # the budget ran out between two templates
        found.append(refused.reason)
    return found
