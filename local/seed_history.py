"""Months of history for the demo workspace, so that Home's DSO trend, Reports' monthly figures and the aging by
date have something to show on a laptop: three customers invoiced each month for six months, each paying the way
they usually do (on time, a few days late, weeks late and in part), one invoice disputed, one written off.

The figures are booked by when a change was recorded (collectra.analytics), and the API records everything at
the moment it is called, so a past cannot come through it. The history is written through the same domain
services the handlers call, each change at the past moment it happened, with the environment of the function
that makes it (its table, its configuration). Only the demo seed does this, on the emulator, and only before
anyone has read the workspace's figures: a day's closing state, once written, is final.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from collectra import config, store
from collectra.debts import service as debts
from collectra.debts.charging import principal_only
from collectra.debts.records import Actor, Debt
from collectra.debts.states import Action
from collectra.store import keys
from local.client import WebClient
from local.gateway import Gateway

MONTHS = 6
TERMS_DAYS = 30


@dataclass(frozen=True)
class Customer:
    fields: dict[str, Any]
    monthly: int  # minor units of EUR
    days_late: int  # how long after the due date they usually pay
    pays_in_part: bool = False  # pays half when late, the rest a month later; the oldest is written off
    disputes_quarterly: bool = False  # the invoice of each quarter's last month is disputed, never settled here


CUSTOMERS = (
    Customer(
        {"name": "Ana Lima", "email": "ana.lima@example.pt", "locale": "en", "external_ref": "CUST-101"}, 180_000, 4
    ),
    Customer(
        {"name": "Kofi Mensah", "email": "kofi.mensah@example.com", "locale": "en", "external_ref": "CUST-102"},
        95_000,
        38,
        pays_in_part=True,
    ),
    Customer(
        {
            "name": "Lena Fischer",
            "email": "lena.fischer@example.de",
            "locale": "de",
            "time_zone": "Europe/Berlin",
            "external_ref": "CUST-103",
        },
        62_500,
        0,
        disputes_quarterly=True,
    ),
)


def invoice_number(customer: int, month: date) -> str:
    return f"HIST-{month:%Y-%m}-{customer + 1:02d}"


def debt_writer_environment(gateway: Gateway) -> dict[str, str]:
    """The environment of the function that books a payment: the one the history's changes are made in."""
    return next(route.environment for route in gateway.routes if route.route_key == "POST /debts/{id}/payments")


def seed_history(client: WebClient, environment: Mapping[str, str], *, today: date | None = None) -> int:
    """Write the history once (a second run finds its first invoice and writes nothing); how many debts it made.

    `client` is signed in as the demo owner; `environment` is a debt-writing function's (`debt_writer_environment`;
    the AWS SDK itself must already point at the emulator, as `make dev` sets it for its own process)."""
    me = client.call("GET", "/auth/me").json()
    workspace_id, owner = str(me["workspace"]["id"]), Actor(kind="user", id=str(me["user"]["id"]))
    today = today or datetime.now(UTC).date()
    months = [_month_start(today, back) for back in range(MONTHS, 0, -1)]
    debtors = [_debtor(client, customer.fields) for customer in CUSTOMERS]
    with config.environment_of(environment):
        if store.get(keys.invoice_number(workspace_id, invoice_number(0, months[0]))) is not None:
            return 0
        made = 0
        for month in months:
            for index, customer in enumerate(CUSTOMERS):
                number = invoice_number(index, month)
                _invoice(
                    workspace_id, owner, customer, debtor_id=debtors[index], number=number, month=month, today=today
                )
                made += 1
        return made


def _invoice(
    workspace_id: str, owner: Actor, customer: Customer, *, debtor_id: str, number: str, month: date, today: date
) -> None:
    issued = month + timedelta(days=2)
    due = issued + timedelta(days=TERMS_DAYS)
    fields = {
        "debtor_id": debtor_id,
        "invoice_number": number,
        "amount": customer.monthly,
        "currency": "EUR",
        "issued_on": issued.isoformat(),
        "due_on": due.isoformat(),
        "description": f"Maintenance contract, {month:%B %Y}",
    }
    debt = debts.create_debt(workspace_id, fields, actor=owner, now=_at(issued))
    paid_on = due + timedelta(days=customer.days_late)
    if customer.disputes_quarterly and month.month % 3 == 0:
        disputed_at = _at(due + timedelta(days=3))
        debts.change_status(workspace_id, debt, Action.DISPUTE, actor=owner, now=disputed_at, today=disputed_at.date())
        return
    if paid_on >= today:
        return  # not paid yet: it ages in the report
    if customer.pays_in_part:
        debt = _pay(workspace_id, owner, debt, customer.monthly // 2, paid_on)
        rest_on = paid_on + timedelta(days=30)
        if rest_on < today and month != _month_start(today, MONTHS):
            _pay(workspace_id, owner, debt, customer.monthly - customer.monthly // 2, rest_on)
        elif due + timedelta(days=120) < today:  # the oldest one is given up on
            given_up = _at(due + timedelta(days=120))
            debts.change_status(workspace_id, debt, Action.WRITE_OFF, actor=owner, now=given_up, today=given_up.date())
        return
    _pay(workspace_id, owner, debt, customer.monthly, paid_on)


def _pay(workspace_id: str, owner: Actor, debt: Debt, amount: int, on: date) -> Debt:
    payment = {"amount": amount, "method": "bank_transfer", "reference": None, "received_on": on.isoformat()}
    charging = principal_only(on)  # the seeded workspace claims no charges
    return debts.record_payment(workspace_id, debt, payment, charging=charging, actor=owner, now=_at(on))


def _debtor(client: WebClient, fields: dict[str, Any]) -> str:
    found = client.call("GET", f"/debtors?search={fields['email']}").json()["items"]
    return str((found[0] if found else client.call("POST", "/debtors", fields).json())["id"])


def _month_start(today: date, back: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return date(year, month + 1, 1)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), UTC)
