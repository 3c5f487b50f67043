"""A debt's late-payment charges as the business's views and emails show them: `collectra.interest` computes
them as of the business's date; this adds what showing them owes operations when a reference rate is missing.

`charges_of` answers a missing half-year's rate with no interest and `not_claimed == "rates_missing"` rather than
an error, so a view still shows the debt; the gap is logged (the debt's id and the law, nothing personal) and
counted as the metric `ReferenceRateMissing`: the team then adds the half-year's rates (docs/late-payment.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from collectra import store
from collectra.interest import Charges, Terms, charges_of, terms_of
from collectra.observability import logger, metrics
from collectra.store import keys

RATES_MISSING = "rates_missing"


def charges_on(debt: Mapping[str, Any], terms: Terms | None, *, today: date) -> Charges | None:
    """The debt's charges on `today`, or None when the workspace claims nothing (`terms` None)."""
    if terms is None:
        return None
    charges = charges_of(debt, terms, as_of=today)
    if charges.not_claimed == RATES_MISSING:
        logger.warning(
            "reference rate missing: interest shown as not claimed",
            extra={"debt_id": debt.get("id"), "jurisdiction": charges.jurisdiction, "as_of": today.isoformat()},
        )
        metrics.add_metric(name="ReferenceRateMissing", unit="Count", value=1)
    return charges


def debt_charges(
    workspace: Mapping[str, Any], debt: Mapping[str, Any], *, today: date, debtor: Mapping[str, Any] | None = None
) -> Charges | None:
    """The charges of one debt as its own view shows them. Reads its debtor (whose kind the law depends on: one
    GetItem) only when the workspace claims anything and the caller has not read the debtor already."""
    if not claims_anything(workspace):
        return None
    if debtor is None:
        debtor = store.get(keys.debtor(str(workspace["id"]), str(debt["debtor_id"])))
    return charges_on(debt, terms_of(workspace, debtor), today=today)


def page_charges(
    workspace: Mapping[str, Any],
    debts: Sequence[Mapping[str, Any]],
    debtors: Mapping[str, Mapping[str, Any]],
    *,
    today: date,
) -> dict[str, Charges]:
    """The charges of a page's debts, by debt id, for those whose debtor the page has read (a list reads no
    debtor for them: without its debtor a debt's charges are not shown)."""
    if not claims_anything(workspace):
        return {}
    found = {}
    for debt in debts:
        debtor = debtors.get(str(debt["debtor_id"]))
        charges = charges_on(debt, terms_of(workspace, debtor), today=today) if debtor is not None else None
        if charges is not None:
            found[str(debt["id"])] = charges
    return found


def claims_anything(workspace: Mapping[str, Any]) -> bool:
    """Whether the workspace's late-payment settings are on (`terms_of` gives terms only then): only then is a
    debtor read to show a debt's charges."""
    return (workspace.get("late_payment") or {}).get("enabled") is True
