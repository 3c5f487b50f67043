"""A promise from the debtor's page: from the business's today to its horizon (90 days unless set, 1 to 180)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import pytest
from pydantic import ValidationError

from collectra.debtors.page import InvalidAnswer, PromiseTooFar, read_answer
from collectra.workspaces.models import WorkspaceUpdate
from collectra.workspaces.promises import (
    DEFAULT_PROMISE_MAX_DAYS,
    PROMISE_MAX_DAYS_LIMIT,
    latest_promise,
    promise_allowed,
)
from collectra.workspaces.records import Workspace

TODAY = date(2026, 12, 3)


def promised(day: date | str, workspace: dict[str, object] | None = None) -> object:
    form = {"kind": "promise", "promise_date": str(day), "csrf_token": "t"}
    return read_answer(form, today=TODAY, workspace=cast(Workspace, workspace or {})).promise_date


def test_a_workspace_that_never_chose_has_ninety_days() -> None:
    assert latest_promise({}, TODAY) == TODAY + timedelta(days=DEFAULT_PROMISE_MAX_DAYS) == date(2027, 3, 3)


@pytest.mark.parametrize("days", [1, 30, 180])
def test_a_promise_may_name_any_day_from_today_to_the_horizon(days: int) -> None:
    workspace = {"promise_max_days": days}
    assert promise_allowed(TODAY, workspace, TODAY)
    assert promise_allowed(TODAY + timedelta(days=days), workspace, TODAY)
    assert not promise_allowed(TODAY + timedelta(days=days + 1), workspace, TODAY)
    assert not promise_allowed(TODAY - timedelta(days=1), workspace, TODAY)


def test_the_form_refuses_a_promise_beyond_the_horizon_as_too_far() -> None:
    assert promised(TODAY + timedelta(days=90)) == date(2027, 3, 3)
    for far in (TODAY + timedelta(days=91), "9999-12-31"):
        with pytest.raises(PromiseTooFar):
            promised(far)
    with pytest.raises(PromiseTooFar):
        promised(TODAY + timedelta(days=11), {"promise_max_days": 10})


def test_a_promise_for_the_past_is_unreadable_not_too_far() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        promised(TODAY - timedelta(days=1))
    assert not isinstance(refused.value, PromiseTooFar)


@pytest.mark.parametrize("days", [0, PROMISE_MAX_DAYS_LIMIT + 1, -5])
def test_the_setting_is_bounded_from_1_to_180(days: int) -> None:
    with pytest.raises(ValidationError):
        WorkspaceUpdate.model_validate({"promise_max_days": days})
    assert WorkspaceUpdate.model_validate({"promise_max_days": PROMISE_MAX_DAYS_LIMIT}).promise_max_days == 180
