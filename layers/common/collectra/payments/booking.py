"""How the money of one payment attempt is spread over its debts: pure rules, no I/O.

An attempt remembers what Stripe has told us as facts that only grow (paid, refunded so far, lost in a
dispute), whatever order the events came in, and what it has booked to each debt's ledger so far. The
net it should have booked is `paid - min(paid, refunded + lost)`; `rebalance` says what to add to or
take from each debt to get there. Applying every event's facts and rebalancing after each therefore
ends in the same ledger whatever the order of delivery, and applying the same facts twice books nothing.

Money that lands on a debt already paid in full (a second Checkout Session paid before the first one's
webhook could expire it) is an overpayment: `overpaid_by` says how much of what a move books is beyond what the
debt owed, and when money goes back, it comes from such overpaid debts first, so refunding the
overpayment never reopens a debt that was paid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    """One debt of an attempt, and what the attempt set out to pay on it."""

    debt_id: str
    planned: int


@dataclass(frozen=True)
class Facts:
    paid: int = 0  # what Stripe collected; 0 until the payment succeeded
    refunded: int = 0  # the charge's amount_refunded, the largest seen
    lost: int = 0  # the amount of a dispute closed as lost

    def merge(self, other: Facts) -> Facts:
        return Facts(max(self.paid, other.paid), max(self.refunded, other.refunded), max(self.lost, other.lost))

    @property
    def net(self) -> int:
        return self.paid - min(self.paid, self.refunded + self.lost)


def rebalance(
    shares: Sequence[Share], booked: Mapping[str, int], net: int, over: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Per debt, the amount to book (positive: money in; negative: money back) so the total is `net`.

    Money in fills each debt up to its planned share, in order; anything beyond the plan (an overpayment)
    goes to the last debt rather than being lost. Money back comes first from what each debt holds beyond
    its amount (`over`: debt id to its overpaid amount now), then from the last debt first, never taking
    more from a debt than was booked to it.
    """
    if not shares:
        return {}
    change = net - sum(booked.get(share.debt_id, 0) for share in shares)
    moves: dict[str, int] = {}
    if change > 0:
        for position, share in enumerate(shares):
            already = booked.get(share.debt_id, 0)
            room = change if position == len(shares) - 1 else max(0, share.planned - already)
            amount = min(room, change)
            if amount:
                moves[share.debt_id] = amount
                change -= amount
    elif change < 0:
        left = {share.debt_id: booked.get(share.debt_id, 0) for share in shares}
        for limit in (lambda debt_id: min(left[debt_id], (over or {}).get(debt_id, 0)), left.__getitem__):
            for share in reversed(shares):
                amount = min(max(0, limit(share.debt_id)), -change)
                if amount:
                    moves[share.debt_id] = moves.get(share.debt_id, 0) - amount
                    left[share.debt_id] -= amount
                    change += amount
    return moves


def overpaid_by(principal_outstanding: int, principal_in: int) -> int:
    """How much of the principal a move books (money in) lands beyond what the debt still owed of it.

    Money in fills the charges due before any excess reaches principal (an "everything" payment, `debts.charging`),
    so principal beyond its outstanding is beyond everything the debt owed: "paid in full" is principal plus
    the charges due."""
    return max(0, principal_in - principal_outstanding)
