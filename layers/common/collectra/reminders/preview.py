"""A reminder as a debtor would receive it, before it is sent: a template, a built-in one or a draft, rendered
for one of the workspace's debts or for sample data, under the same budget as a real send."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from collectra import store
from collectra.debts.charges import claims_anything
from collectra.debts.records import outstanding
from collectra.errors import InvalidInput, NotFound
from collectra.pages.formatting import resolve_locale
from collectra.reminders import promised
from collectra.reminders.budget import TemplateRefused
from collectra.reminders.checking import template_problems
from collectra.reminders.compose import context
from collectra.reminders.models import Preview, PreviewRequest
from collectra.reminders.templates import PROMISED, render, source_of
from collectra.store import keys

if TYPE_CHECKING:
    from collectra.debtors.records import Debtor
    from collectra.debts.records import BrokenPromise, Debt
    from collectra.workspaces.records import Workspace

# The samples hold only what an email shows of a debtor and a debt, cast once to the records the composer reads.
SAMPLE_DEBTOR = cast("Debtor", {"id": "dbt_sample", "name": "Alex Sample", "locale": "en"})
# Links in a preview are examples: this token opens nothing.
PREVIEW_TOKEN = "preview-link-opens-nothing"


# How late the sample debt is when the workspace claims late-payment charges: late enough to carry them, so the
# preview shows what a late debtor reads.
SAMPLE_DAYS_LATE = 45


def _sample_debt(workspace: Workspace, today: date) -> Debt:
    late = claims_anything(workspace)
    # The law's own currency, in which the fixed compensation is due.
    currency = "GBP" if late and dict(workspace.get("late_payment") or {}).get("jurisdiction") == "UK" else "EUR"
    return cast(
        "Debt",
        {
            "invoice_number": "INV-0001",
            "amount": 12_500,
            "amount_paid": 2_500,
            "currency": currency,
            "due_on": (today - timedelta(days=SAMPLE_DAYS_LATE if late else 0)).isoformat(),
        },
    )


def preview_reminder(workspace: Workspace, request: PreviewRequest, *, today: date) -> Preview:
    """The rendered email (two GetItems when it names a debt: the debt, then its debtor).

    `NotFound` for a debt that is not the workspace's; `InvalidInput` (invalid_template) for a draft or
    template that cannot be sent: its syntax, its variables, an error on sample data, or over its budget.
    """
    debtor, debts = SAMPLE_DEBTOR, [_sample_debt(workspace, today)]
    if request.debt_id:
        debt = cast("Debt | None", store.get(keys.debt(workspace["id"], request.debt_id)))
        found = cast("Debtor | None", store.get(keys.debtor(workspace["id"], debt["debtor_id"])) if debt else None)
        if debt is None or found is None:
            raise NotFound("There is no such debt.", code="debt_not_found")
        debtor, debts = found, [debt]
    locale = resolve_locale(request.locale or debtor.get("locale") or workspace.get("locale") or "en")
    if request.draft is not None:
        found_problems = template_problems(request.draft.subject, request.draft.text, request.template)
        if found_problems:
            raise InvalidInput(
                f"The draft cannot be used: {found_problems[0]}", code="invalid_template", details=found_problems
            )
        subject, text = request.draft.subject, request.draft.text
    else:
        subject, text = source_of(workspace, request.template, locale)
    values = context(workspace, debtor, debts, page_token=PREVIEW_TOKEN, locale=locale, today=today)
    if request.template == PROMISED:  # what a broken promise of half the first debt, due today, would say
        broken: BrokenPromise = {"amount": outstanding(debts[0]) // 2 or 1, "on": today.isoformat(), "step": -2}
        values |= promised.values(cast("Debt", {**debts[0], "broken_promise": broken}), locale)
    try:
        email = render(subject, text, values, locale)
    except TemplateRefused as refused:
        raise InvalidInput(
            f"The template cannot be used: {refused.reason}", code="invalid_template", details=[refused.reason]
        ) from None
    return Preview(subject=email.subject, text=email.text, html=email.html)
