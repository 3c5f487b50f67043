"""The "you promised" email: a broken promise's own reminder step, sent at once, before the policy goes on.

Its step number is negative (`collectra.promises.rule.reminder_step_of`), so it is claimed and sent exactly
once like any step, yet never counts as one of the policy's: after it, the debt goes on from the last policy
step it received.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collectra.debts.records import Debt
from collectra.pages.formatting import format_date, format_money
from collectra.promises.rule import is_promise_step
from collectra.reminders.policy import Policy, Step
from collectra.reminders.templates import PROMISED

STEP = Step(0, "firm", PROMISED)


def step_of(policy: Policy, step: int) -> Step:
    return STEP if is_promise_step(step) else policy.step(step)


def last_policy_step(step: int, debt: Debt) -> int:
    """The policy step the debt has reached once `step` is sent: a promise's step leaves it where it was."""
    return int(debt["reminder_step"]) if is_promise_step(step) else step


def values(debt: Debt, locale: str) -> dict[str, Any]:
    """What the "you promised" template is given beyond `templates.VARIABLES`: the broken promise."""
    broken = debt.get("broken_promise")
    if not broken:  # the email carries another debt's broken promise: not this one's
        return {"promised_amount": "", "promised_date": ""}
    return {
        "promised_amount": format_money(int(broken["amount"]), debt["currency"], locale),
        "promised_date": format_date(date.fromisoformat(broken["on"]), locale),
    }
