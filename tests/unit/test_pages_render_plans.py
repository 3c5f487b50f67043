"""The plan section of the debtor's page, rendered: the form and its rules, an offer, a running plan, ended ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from collectra.pages.render import PageInstalment, PagePlan, PlanChoice, PlanExample, PlanForm
from tests.unit.test_pages_render import OVERDUE, PARTLY_PAID, TODAY, TOKEN, normalised, rendered

FORM = PlanForm(
    max_instalments=6,
    min_first_percent=10,
    auto_approve=False,
    first_from=TODAY,
    latest=date(2027, 5, 26),
    debts=(("debt_1", "EUR"), ("debt_2", "EUR")),
    choices=(PlanChoice("EUR", 153456),),
    example=PlanExample(
        "EUR", 153456, ((date(2026, 12, 4), 51152), (date(2027, 1, 4), 51152), (date(2027, 2, 4), 51152))
    ),
)


def plan(**changes: Any) -> PagePlan:
    values: dict[str, Any] = {
        "plan_id": "plan_1",
        "status": "active",
        "currency": "EUR",
        "total_minor": 30000,
        "paid_minor": 12000,
        "invoices": ("INV-1002",),
        "instalments": (
            PageInstalment(1, date(2026, 11, 20), 10000, 10000, "paid"),
            PageInstalment(2, date(2026, 11, 27), 10000, 2000, "due"),
            PageInstalment(3, date(2026, 12, 4), 10000, 0, "upcoming"),
        ),
        "asked_now": (2, 8000),
    }
    return PagePlan(**{**values, **changes})


def forms_to(document: Any, suffix: str) -> list[Any]:
    return [form for form in document.forms if form.action == f"/p/{TOKEN}{suffix}"]


def test_the_form_states_the_rules_and_a_worked_example_and_posts_what_the_contract_names() -> None:
    document = rendered(debts=[OVERDUE, PARTLY_PAID], plan_form=FORM, plan_rules=FORM)
    text = normalised(document.text)

    assert "Pay in instalments" in text
    assert "Up to 6 instalments, at least a week apart, the last one by 26 May 2027" in text
    assert "at least 10% of the total" in text
    assert "the last one takes the rounding" in text
    assert "€1,534.56 in 3 monthly instalments from 4 December 2026: 4 December 2026: €511.52" in text
    [form] = forms_to(document, "/plan")
    assert form.hidden() == {"csrf_token": "csrf-7b1d", "action": "propose", "currency": "EUR"}
    names = {attrs.get("name") for _, attrs in form.controls}
    assert {"debt_id", "count", "first_due_on", "every"} <= names
    dates = [attrs for tag, attrs in form.controls if attrs.get("name") == "first_due_on"]
    assert dates[0]["min"] == "2026-11-27" and dates[0]["max"] == "2027-05-26"
    options = [attrs["value"] for tag, attrs in document.tags if tag == "option"]
    assert {"all", "debt_1", "debt_2"} <= set(options) and "7" not in options and "6" in options


def test_auto_approval_says_a_plan_within_the_limits_starts_at_once() -> None:
    text = rendered(plan_form=replace(FORM, auto_approve=True)).text
    assert "starts at once" in text


def test_an_offer_shows_its_schedule_and_one_accept_button() -> None:
    document = rendered(plans=(plan(status="offered", paid_minor=0, asked_now=None),), plan_form=FORM)
    text = normalised(document.text)

    assert "Demo Plumbing Ltd offers you this payment plan:" in text
    assert "€300.00 in 3 instalments, for the invoices INV-1002." in text
    [form] = forms_to(document, "/plan")
    assert form.hidden() == {"csrf_token": "csrf-7b1d", "action": "accept", "plan_id": "plan_1"}
    assert "Propose this plan" not in text  # one open plan at a time
    assert not [f for f in forms_to(document, "/pay") if "plan_id" in f.hidden()]


def test_a_proposal_awaits_the_business() -> None:
    document = rendered(plans=(plan(status="proposed", paid_minor=0, asked_now=None),))
    assert "Your proposed plan is awaiting the answer of Demo Plumbing Ltd" in document.text
    assert not forms_to(document, "/plan")


def test_a_running_plan_shows_each_instalment_what_is_asked_now_and_the_pay_button() -> None:
    document = rendered(plans=(plan(),), plan_form=FORM)
    text = normalised(document.text)

    assert "1 of 3" in text and "20 November 2026" in text
    assert "Paid" in text and "Due today (€20.00 paid)" in text and "Upcoming" in text
    assert "Paid so far: €120.00 of €300.00." in text
    assert "To pay now: instalment 2, €80.00." in text
    [pay] = [f for f in forms_to(document, "/pay") if "plan_id" in f.hidden()]
    assert pay.hidden() == {"csrf_token": "csrf-7b1d", "plan_id": "plan_1"}
    assert [attrs for tag, attrs in pay.controls if tag == "button"]
    [automatic] = forms_to(document, "/plan/automatic")
    assert automatic.hidden() == {"csrf_token": "csrf-7b1d", "plan_id": "plan_1", "action": "on"}
    assert "Propose this plan" not in text


def test_automatic_collection_names_the_saved_method_and_offers_to_stop_it() -> None:
    method = {"type": "card", "brand": "visa", "last4": "4242"}
    document = rendered(plans=(plan(automatic=True, method=method),))
    assert "from the card Visa ending in 4242" in document.text
    [automatic] = forms_to(document, "/plan/automatic")
    assert automatic.hidden()["action"] == "off"
    sepa = rendered(plans=(plan(automatic=True, method={"type": "sepa_debit", "last4": "3000"}),))
    assert "the bank account ending in 3000" in sepa.text


def test_without_payments_there_is_no_pay_button_nor_automatic_collection() -> None:
    document = rendered(plans=(plan(),), payments_enabled=False)
    assert not forms_to(document, "/plan/automatic")
    assert not [f for f in forms_to(document, "/pay") if "plan_id" in f.hidden()]
    assert "To pay now: instalment 2" in normalised(document.text)


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("completed", "Your payment plan was completed on 20 November 2026."),
        ("broken", "Your payment plan ended on 20 November 2026: an instalment was missed"),
        ("cancelled", "Demo Plumbing Ltd ended your payment plan on 20 November 2026."),
        ("declined", "Demo Plumbing Ltd declined your proposed payment plan on 20 November 2026."),
        ("withdrawn", "Demo Plumbing Ltd withdrew the payment plan it offered on 20 November 2026."),
    ],
)
def test_an_ended_plan_is_one_line_saying_how_it_ended(status: str, said: str) -> None:
    document = rendered(plans=(plan(status=status, ended_on=date(2026, 11, 20), asked_now=None),), plan_form=FORM)
    assert said in document.text
    assert forms_to(document, "/plan")  # a new plan may be proposed


def test_a_debt_in_a_plan_says_so() -> None:
    assert "In a payment plan" in rendered(debts=[replace(PARTLY_PAID, in_plan=True)]).text


@pytest.mark.parametrize("locale", ["fr", "de"])
def test_the_plan_section_is_in_the_debtors_language(locale: str) -> None:
    text = normalised(rendered(locale=locale, plans=(plan(),)).text)
    assert ("Échéances" if locale == "fr" else "Raten") in text
    assert "Instalment" not in text


def test_a_refused_proposal_names_the_workspaces_rules() -> None:
    text = normalised(rendered(notice="plan_refused", plan_rules=FORM, plan_form=FORM).text)
    assert "Demo Plumbing Ltd accepts up to 6 instalments" in text and "26 May 2027" in text and "10%" in text
