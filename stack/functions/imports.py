"""Debts imported from a CSV file."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import secret, table
from stack.function import Function, Http

FUNCTIONS = (
    Function(
        "ImportDebts",
        handler="functions/imports/import_debts.handler",
        event=Http("POST /debts/import"),
        permissions=(
            table("BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", indexes=True),
            secret(JWT),
        ),
        # 10,000 rows are 10,000 small transactions: room to finish, and CPU to parse.
        memory=1024,
        timeout=120,
    ),
)
