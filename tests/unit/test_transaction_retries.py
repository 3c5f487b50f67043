"""store.transact against DynamoDB's cancellation reasons (botocore's Stubber): TransactionConflict is sent
again with jittered pauses, then Contention; a failed condition is Conflict at once, never sent again."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from collectra import store
from collectra.errors import Conflict, Contention
from collectra.store import contention

NONE = {"Code": "None"}
CONFLICT = {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
CONDITION = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
OPERATIONS = [store.put_op({"pk": "A", "sk": "A"}, name="a"), store.put_op({"pk": "B", "sk": "B"}, name="b")]


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    dynamodb = boto3.client(
        "dynamodb", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    monkeypatch.setattr(store, "_client", dynamodb)
    monkeypatch.setattr(store, "table_name", lambda: "tenant-table")
    with Stubber(dynamodb) as stubber:
        yield stubber


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr("collectra.store.time.sleep", slept.append)
    return slept


def cancelled(stub: Stubber, *reasons: dict[str, Any]) -> None:
    stub.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        http_status_code=400,
        modeled_fields={"CancellationReasons": list(reasons)},
    )


def written(stub: Stubber) -> None:
    stub.add_response("transact_write_items", {})


def test_a_transaction_conflict_is_sent_again_until_it_goes_through(stub: Stubber, pauses: list[float]) -> None:
    cancelled(stub, NONE, CONFLICT)
    cancelled(stub, CONFLICT, NONE)
    written(stub)

    store.transact(OPERATIONS)

    stub.assert_no_pending_responses()
    assert len(pauses) == 2


def test_conflicts_every_time_end_in_contention_after_the_last_attempt(stub: Stubber, pauses: list[float]) -> None:
    for _ in range(contention.ATTEMPTS):
        cancelled(stub, NONE, CONFLICT)

    with pytest.raises(Contention) as raised:
        store.transact(OPERATIONS)

    stub.assert_no_pending_responses()
    assert (raised.value.status, raised.value.code, raised.value.retry_after) == (409, "conflict", 1)
    assert not isinstance(raised.value, Conflict)  # callers' "already done / changed meanwhile" paths skip it
    assert len(pauses) == contention.ATTEMPTS - 1


@pytest.mark.parametrize("reasons", [(CONDITION, NONE), (CONFLICT, CONDITION)])
def test_a_failed_condition_is_a_conflict_at_once_even_beside_a_transaction_conflict(
    stub: Stubber, pauses: list[float], reasons: tuple[dict[str, Any], ...]
) -> None:
    cancelled(stub, *reasons)

    with pytest.raises(store.ConditionsFailed) as raised:
        store.transact(OPERATIONS)

    assert raised.value.failed == {OPERATIONS[reasons.index(CONDITION)].name}
    assert pauses == []


def test_failed_conditions_are_reported_by_the_names_of_their_operations_wherever_they_stand(stub: Stubber) -> None:
    # Given a transaction whose order differs from the one its caller first wrote (an operation put in front)
    operations = [
        store.check_op({"pk": "W", "sk": "W"}, "attribute_exists(pk)", name="workspace"),
        store.put_op({"pk": "D", "sk": "D"}, "attribute_not_exists(pk)", name="debt"),
        store.put_op({"pk": "E", "sk": "E"}),
        store.update_op({"pk": "C", "sk": "C"}, "ADD n :one", {":one": 1}, "attribute_exists(pk)", name="debtor"),
    ]
    # When DynamoDB cancels it for the second and the last operations' conditions
    cancelled(stub, NONE, CONDITION, NONE, CONDITION)

    with pytest.raises(store.ConditionsFailed) as raised:
        store.transact(operations)

    # Then the failure names them, not their places
    assert raised.value.failed == {"debt", "debtor"}
    assert isinstance(raised.value, Conflict)  # callers that need not tell them apart still catch a Conflict


def test_only_failed_conditions_are_named_among_a_transactions_reasons() -> None:
    operations = [store.put_op({"pk": str(n), "sk": "x"}, name=f"op{n}") for n in range(4)]
    reasons = [NONE, CONFLICT, CONDITION, {"Code": "ValidationError"}]

    assert store.failed_names(operations, reasons) == {"op2"}


def test_pauses_are_random_below_a_doubling_ceiling() -> None:
    chance = random.Random(3)
    for retry in (1, 2, 3):
        ceiling = contention.FIRST_PAUSE_S * 2 ** (retry - 1)
        drawn = [contention.pause_before_retry(retry, chance) for _ in range(200)]
        assert all(0 <= pause <= ceiling for pause in drawn)
        assert max(drawn) > ceiling / 2 and min(drawn) < ceiling / 2  # spread out, not in step
    worst = sum(contention.FIRST_PAUSE_S * 2 ** (retry - 1) for retry in range(1, contention.ATTEMPTS))
    assert worst <= 0.2  # a request never waits more than this for others to finish


def test_only_a_cancellation_without_failed_conditions_counts_as_contention() -> None:
    assert contention.is_transaction_conflict([NONE, CONFLICT])
    assert not contention.is_transaction_conflict([CONFLICT, CONDITION])
    assert not contention.is_transaction_conflict([NONE, {"Code": "ValidationError"}])
