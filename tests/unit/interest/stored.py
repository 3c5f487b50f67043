"""A debt as stored, for the interest rules' tests."""

from __future__ import annotations

from typing import Any


def debt_of(amount: int, due_on: str, currency: str = "EUR", **fields: Any) -> dict[str, Any]:
    moves = fields.pop("moves", [])
    return {
        "amount": amount,
        "currency": currency,
        "due_on": due_on,
        "issued_on": fields.pop("issued_on", None),
        "amount_paid": sum(change for _, change in moves),
        "principal_moves": [[day, change] for day, change in moves],
        **fields,
    }
