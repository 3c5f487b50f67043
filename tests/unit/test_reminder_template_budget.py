"""A workspace's template renders under a budget, and is checked on samples of every shape before it is saved."""

from __future__ import annotations

import time

import pytest

from collectra.reminders.budget import TemplateRefused
from collectra.reminders.checking import SAVE_SECONDS, policy_problems, sample_values, template_problems
from collectra.reminders.templates import BUILT_IN, render

LINKS = "{{ pay_link }} {{ opt_out_link }}"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}", "range longer"),
        ("{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}", "loops more than"),
        ("{{ 'x' * 1000000000 }}", "longer than"),
        ("{{ 10 ** 100000000 }}", "number too large"),
        ("{% set s = 'x' * 40000 %}{% set s = s ~ s %}{% set s = s ~ s %}", "longer than"),
        ("{{ 'x'|center(1000000000) }}", "too big a result"),
        ("{{ 'x'.ljust(1000000000) }}", "too big a result"),
        ("{{ ('x' * 40000)|replace('x', 'y' * 40000) }}", "too big a result"),
        ("{{ '{:>1000000000}'.format(1) }}", "str.format"),
        ("{{ '%1000000000s' % 1 }}", "formats text with %"),
        ("{% set s = 'x' * 40000 %}{% set b %}{% for i in range(10000) %}{{ s }}{% endfor %}{% endset %}", "writes"),
        ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", "longer than"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "too deeply nested"),
        ("{{ 1/0 }}", "ZeroDivisionError"),
        ("{{ invoices.x }}", "has no attribute 'x'"),
        ("{{ invoices[1].number }}", "cannot be rendered"),  # fine with many invoices, fails with one
    ],
)
def test_a_template_that_fails_or_exceeds_its_budget_is_refused_quickly_with_the_reason(text: str, reason: str) -> None:
    started = time.monotonic()
    found = template_problems("Reminder", f"{text} {LINKS}")
    took = time.monotonic() - started

    assert found and reason in found[0], found
    assert took < SAVE_SECONDS + 0.5


def test_every_built_in_template_passes_its_own_check_in_every_language() -> None:
    for texts in BUILT_IN.values():
        for name, (subject, text) in texts.items():
            assert template_problems(subject, text, name) == []


def test_a_template_that_uses_every_variable_and_filter_sensibly_passes() -> None:
    text = (
        "{{ debtor_name|upper }} {{ creditor_name }} {{ creditor_address|default('-') }}\n"
        "{% for invoice in invoices %}{{ loop.index }}. {{ invoice.number }} {{ invoice.amount }} {{ invoice.paid }} "
        "{{ invoice.outstanding }} {{ invoice.due_date }}\n{% endfor %}"
        "{{ invoices|map(attribute='number')|join(', ') }} {{ invoices|length }} {{ total_outstanding }} "
        "{{ contact_link }} " + LINKS
    )
    assert template_problems("{{ invoices|length }} invoice(s) for {{ debtor_name|truncate(30) }}", text) == []


def test_samples_cover_every_language_one_and_many_invoices_and_part_payments() -> None:
    samples = list(sample_values())
    assert {locale for locale, _ in samples} == {"en", "fr", "de"}
    counts = {len(values["invoices"]) for _, values in samples}
    assert 1 in counts and max(counts) > 1
    assert any(values["creditor_address"] == "" for _, values in samples)
    assert any(" + " in values["total_outstanding"] for _, values in samples)  # several currencies


def test_a_policy_full_of_slow_templates_is_refused_within_one_budget() -> None:
    slow = "{% for a in range(20000) %}{{ a }}{% endfor %}" + LINKS
    templates = {f"slow{n}": {"en": ("Hi", slow), "fr": ("Salut", slow)} for n in range(10)}

    started = time.monotonic()
    found = policy_problems(templates)

    assert found
    assert time.monotonic() - started < SAVE_SECONDS + 0.5


def test_rendering_outside_a_check_raises_template_refused_with_no_personal_data() -> None:
    _, values = next(sample_values())
    values = {**values, "debtor_name": "Zoë Secret"}

    with pytest.raises(TemplateRefused) as refused:
        # Python's message would quote the name ("can't encode character '\\xeb'..."): only its type is kept
        render("Hi", "{{ debtor_name.encode('ascii') }} " + LINKS, values, "en")

    assert refused.value.reason == "the template cannot be rendered: UnicodeEncodeError"
