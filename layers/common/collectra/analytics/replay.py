"""A debt as it stood at a past instant: its state now, with everything recorded since taken back. Pure, no I/O.

Every change of what a debt owes is written with the change, in the debt's history: a ledger entry for money in or
back (`recorded_at`), an `edited` timeline entry with each field's `from` and `to` (amount, due date), a
`status_changed` entry with its `from` and `to` (`at`). So the debt at an instant is the debt now, where each field
takes the `from` of the first change of it recorded at or after that instant, and what was paid is what is paid now
less the money moved since. Walking back from now, rather than forward from the creation, needs only what was
recorded after the instant: a debt unchanged since (its `updated_at`, stamped by every one of those writes, is
before the instant) needs no history at all.

Booked by when a change was recorded, never by a date it names (a payment received last month and booked today
counts from today), so a report for a past date gives the same figures whenever it is run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collectra.debts.states import OPEN_STATES

LEDGER_PREFIX = "L#"
TIMELINE_PREFIX = "T#"
MONEY_IN = "payment"  # every other ledger kind (refund, chargeback, overpayment refunded) is money back


@dataclass(frozen=True)
class Standing:
    """What a debt owed at an instant."""

    debt_id: str
    debtor_id: str
    currency: str
    status: str
    amount: int
    paid: int
    due_on: str

    @property
    def receivable(self) -> int:
        """What was still owed and collectible: outstanding on an open, partially paid or disputed debt."""
        return max(0, self.amount - self.paid) if self.status in OPEN_STATES else 0


def changed_since(debt: Mapping[str, Any], instant: str) -> bool:
    """Whether anything of `debt` may have changed at or after `instant` (ISO UTC, as `clock.iso` writes it)."""
    return str(debt["updated_at"]) >= instant


def standing_at(debt: Mapping[str, Any], history: Iterable[Mapping[str, Any]], instant: str) -> Standing | None:
    """`debt` as it stood just before `instant` (ISO UTC, as `clock.iso` writes it); None if not yet created.

    `history` holds the debt's ledger and timeline entries recorded at or after `instant` (more is fine: earlier
    entries and other items are ignored); it may be empty when `changed_since` is false.
    """
    if str(debt["created_at"]) >= instant:
        return None
    later = sorted(
        (entry for entry in history if _recorded_at(entry) >= instant),
        key=lambda entry: (_recorded_at(entry), str(entry["sk"])),
    )
    fields: dict[str, Any] = {"amount": int(debt["amount"]), "due_on": debt["due_on"], "status": debt["status"]}
    taken_back: set[str] = set()
    paid = int(debt.get("amount_paid", 0))
    for entry in later:
        if str(entry["sk"]).startswith(LEDGER_PREFIX):
            if "charge" not in entry:  # interest and compensation lines never moved `amount_paid`
                paid -= int(entry["amount"]) if entry["kind"] == MONEY_IN else -int(entry["amount"])
            continue
        data = entry.get("data") or {}
        if entry.get("type") == "edited":
            changes = {name: change for name, change in data.items() if name in ("amount", "due_on")}
        elif entry.get("type") == "status_changed":
            changes = {"status": data}
        else:
            continue
        for name, change in changes.items():
            if name not in taken_back:
                fields[name] = change["from"]
                taken_back.add(name)
    return Standing(
        debt_id=str(debt["id"]),
        debtor_id=str(debt["debtor_id"]),
        currency=str(debt["currency"]),
        status=str(fields["status"]),
        amount=int(fields["amount"]),
        paid=paid,
        due_on=str(fields["due_on"]),
    )


def _recorded_at(entry: Mapping[str, Any]) -> str:
    sk = str(entry.get("sk", ""))
    if sk.startswith(LEDGER_PREFIX):
        return str(entry["recorded_at"])
    if sk.startswith(TIMELINE_PREFIX):
        return str(entry["at"])
    return ""  # not a ledger or timeline entry: left out as if recorded before any instant
