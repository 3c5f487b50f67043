"""Every date a client sends lies between 1900-01-01 and 2199-12-31: the models refuse the rest by field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from collectra.debts.models import DebtCreate, DebtUpdate, PaymentCreate
from collectra.debts.records import initial_reminder_at
from collectra.fields import EARLIEST_DATE, LATEST_DATE, within_date_bounds

DEBT = {"debtor_id": "dbt_1", "invoice_number": "I-1", "amount": 100, "currency": "EUR"}


@pytest.mark.parametrize("day", ["0001-01-05", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_a_due_date_out_of_range_is_refused_naming_the_field(day: str) -> None:
    with pytest.raises(ValidationError) as refused:
        DebtCreate.model_validate(DEBT | {"due_on": day})
    assert [error["loc"] for error in refused.value.errors()] == [("due_on",)]


def test_the_bounds_themselves_are_accepted_everywhere() -> None:
    assert DebtCreate.model_validate(DEBT | {"issued_on": "1900-01-01", "due_on": "2199-12-31"}).due_on == LATEST_DATE
    assert DebtUpdate.model_validate({"version": 1, "due_on": "1900-01-01"}).due_on == EARLIEST_DATE
    assert PaymentCreate.model_validate({"amount": 1, "received_on": "2199-12-31"}).received_on == LATEST_DATE


def test_a_payment_day_and_an_edit_out_of_range_are_refused() -> None:
    with pytest.raises(ValidationError):
        PaymentCreate.model_validate({"amount": 1, "received_on": "0001-01-01"})
    with pytest.raises(ValidationError):
        DebtUpdate.model_validate({"version": 1, "issued_on": "9999-12-31"})


def test_every_accepted_due_date_survives_the_reminder_arithmetic() -> None:
    # The rules move a due date by weeks either way; inside the bounds that can never leave Python's calendar.
    for day in (EARLIEST_DATE, LATEST_DATE):
        assert initial_reminder_at(day.isoformat())
    assert within_date_bounds(EARLIEST_DATE) and within_date_bounds(LATEST_DATE)
    assert not within_date_bounds(EARLIEST_DATE - timedelta(days=1))
    assert not within_date_bounds(date.max)
