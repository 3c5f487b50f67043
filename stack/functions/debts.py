"""Debts, their lifecycle and timeline."""

from __future__ import annotations

from stack.base import JWT
from stack.blocks import secret, table
from stack.function import Function, Http

FUNCTIONS = (
    Function(
        "CreateDebt",
        handler="functions/debts/create_debt.handler",
        event=Http("POST /debts"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "ListDebts",
        handler="functions/debts/list_debts.handler",
        event=Http("GET /debts"),
        permissions=(
            table("BatchGetItem", "Query", indexes=True),
            secret(JWT),
        ),
    ),
    Function(
        "GetDebt",
        handler="functions/debts/get_debt.handler",
        event=Http("GET /debts/{id}"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
    ),
    Function(
        "UpdateDebt",
        handler="functions/debts/update_debt.handler",
        event=Http("PATCH /debts/{id}"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "RecordPayment",
        handler="functions/debts/record_payment.handler",
        event=Http("POST /debts/{id}/payments"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "PauseDebt",
        handler="functions/debts/pause_debt.handler",
        event=Http("POST /debts/{id}/pause"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "ResumeDebt",
        handler="functions/debts/resume_debt.handler",
        event=Http("POST /debts/{id}/resume"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "CancelDebt",
        handler="functions/debts/cancel_debt.handler",
        event=Http("POST /debts/{id}/cancel"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "WriteOffDebt",
        handler="functions/debts/write_off_debt.handler",
        event=Http("POST /debts/{id}/write-off"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "DisputeDebt",
        handler="functions/debts/dispute_debt.handler",
        event=Http("POST /debts/{id}/dispute"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "ReopenDebt",
        handler="functions/debts/reopen_debt.handler",
        event=Http("POST /debts/{id}/reopen"),
        permissions=(
            table("BatchGetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"),
            secret(JWT),
        ),
    ),
    Function(
        "DebtTimeline",
        handler="functions/debts/debt_timeline.handler",
        event=Http("GET /debts/{id}/timeline"),
        permissions=(
            table("BatchGetItem", "Query", indexes=True),
            secret(JWT),
        ),
    ),
)
