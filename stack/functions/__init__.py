"""The catalogue: every function of the stack, declared once, in the module of the package that owns its handler."""

from __future__ import annotations

from stack.functions import (
    analytics,
    auth,
    debtors,
    debts,
    digest,
    exports,
    imports,
    inbox,
    payments,
    plans,
    privacy,
    reminders,
    webhooks,
    workspaces,
)
from stack.render import Section

CATALOGUE = (
    Section("auth", auth.FUNCTIONS),
    Section("workspaces", workspaces.FUNCTIONS),
    Section("debtors", debtors.FUNCTIONS),
    Section("debts", debts.FUNCTIONS),
    Section("inbox", inbox.FUNCTIONS),
    Section("plans", plans.FUNCTIONS),
    Section("imports", imports.FUNCTIONS),
    Section("payments", payments.FUNCTIONS),
    Section("reminders", reminders.FUNCTIONS),
    Section("digest", digest.FUNCTIONS),
    Section("webhooks", webhooks.FUNCTIONS),
    Section("privacy", privacy.FUNCTIONS),
    Section("exports", exports.FUNCTIONS),
    Section("analytics", analytics.FUNCTIONS),
)
