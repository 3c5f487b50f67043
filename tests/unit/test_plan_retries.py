"""When a failed instalment charge is tried again: Stripe's advice by decline code, at most three tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectra.plans.retries import MAX_TRIES, AfterFailure, after_failure

AT = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("code", ["insufficient_funds", "try_again_later", "processing_error", "INSUFFICIENT_FUNDS"])
def test_a_soft_decline_is_tried_again_after_two_then_four_days_three_tries_at_most(code: str) -> None:
    assert after_failure(code, 1, AT) == AfterFailure("failed", AT + timedelta(days=2))
    assert after_failure(code, 2, AT) == AfterFailure("failed", AT + timedelta(days=4))
    assert after_failure(code, MAX_TRIES, AT) == AfterFailure("failed", None)


def test_authentication_required_asks_the_debtor_and_is_never_retried() -> None:
    assert after_failure("authentication_required", 1, AT) == AfterFailure("action_required", None)


@pytest.mark.parametrize(
    "code", ["lost_card", "stolen_card", "expired_card", "do_not_honor", "fraudulent", "generic_decline", None, ""]
)
def test_a_hard_or_unknown_decline_is_never_retried(code: str | None) -> None:
    assert after_failure(code, 1, AT) == AfterFailure("failed", None)
