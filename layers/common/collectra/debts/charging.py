"""What a workspace claims on top of its debts' principal, as every write that books money on a debt needs it.

Late-payment interest and compensation (`collectra.interest`) are due on a debt by its workspace's terms and its
debtor's kind; money received fills principal and charges in the workspace's `allocation` order, and money given
back leaves them in the reverse order. A write that moves money carries one `Charging`, read with the debt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from collectra.interest import Lines, Terms, allocate, charges_of, take_back, terms_of

PRINCIPAL_FIRST = "principal_first"
CHARGES = ("interest", "compensation")  # the ledger's `charge` field; an entry without one is principal


@dataclass(frozen=True)
class Charging:
    terms: Terms | None  # None: the workspace claims nothing (all money is principal)
    order: str  # "principal_first" or "statutory" (§367 BGB: costs, interest, then principal)
    today: date  # the workspace's own day: what a refund, a chargeback or a dispute counts from


def charging_of(workspace: Mapping[str, Any], debtor: Mapping[str, Any] | None, now: datetime) -> Charging:
    """The workspace's terms for this debtor, its allocation order, and its day at `now`."""
    late = workspace.get("late_payment") or {}
    return Charging(
        terms=terms_of(workspace, debtor),
        order=str(late.get("allocation") or PRINCIPAL_FIRST),
        today=now.astimezone(ZoneInfo(workspace["time_zone"])).date(),
    )


def principal_only(today: date) -> Charging:
    """No charges claimed: for writers that book principal by design (seeding, benches)."""
    return Charging(terms=None, order=PRINCIPAL_FIRST, today=today)


def money_in(debt: Mapping[str, Any], amount: int, charging: Charging, *, on: date, designation: str) -> Lines:
    """How `amount` received on `on` splits over the debt's principal and the charges due that day."""
    if designation != "all" or charging.terms is None:
        return Lines(amount, 0, 0)
    return allocate(charges_of(debt, charging.terms, as_of=on), amount, charging.order, designation=designation)


def money_back(debt: Mapping[str, Any], amount: int, charging: Charging, *, designation: str) -> Lines:
    """How `amount` given back comes out of what the debt holds: the charges in the reverse of the allocation
    order, never more than each holds, the rest from principal."""
    return take_back(debt, amount, charging.order, designation=designation)


def booked(debt: Mapping[str, Any], lines: Lines, sign: int, day: date) -> dict[str, Any]:
    """The debt's money fields once `lines` come in (`sign` 1) or go back (-1), counted from `day`."""
    fields: dict[str, Any] = {"amount_paid": int(debt.get("amount_paid", 0)) + sign * lines.principal}
    if lines.interest:  # written only once a charge moves: a debt without charges keeps none of these fields
        fields["interest_paid"] = int(debt.get("interest_paid", 0)) + sign * lines.interest
    if lines.compensation:
        fields["compensation_paid"] = int(debt.get("compensation_paid", 0)) + sign * lines.compensation
    if lines.principal:
        fields["principal_moves"] = [*debt.get("principal_moves", []), [day.isoformat(), sign * lines.principal]]
    return fields


def ledger_lines(lines: Lines) -> list[tuple[str | None, int]]:
    """The ledger entries `lines` make: (charge, amount) for each non-zero line, principal (None) first."""
    named = ((None, lines.principal), ("interest", lines.interest), ("compensation", lines.compensation))
    return [(charge, amount) for charge, amount in named if amount]
