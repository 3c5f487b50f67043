"""The tests' own view of the table agrees with what DynamoDB's API returns."""

from __future__ import annotations

from tests.conftest import Account
from tests.support.world import all_items, item_count, scanned_items


def test_reading_moto_directly_sees_exactly_what_a_scan_sees(account: Account) -> None:
    fast, scanned = all_items(), scanned_items()

    assert sorted((i["pk"], i["sk"]) for i in fast) == sorted((i["pk"], i["sk"]) for i in scanned)
    mine = [i for i in fast if i["pk"] == f"WS#{account.workspace_id}"]
    assert mine and mine == [i for i in scanned if i["pk"] == f"WS#{account.workspace_id}"]


def test_a_partition_prefix_and_the_count_agree_with_a_scan(account: Account) -> None:
    scanned = scanned_items()
    prefix = f"WS#{account.workspace_id}"

    assert item_count() == len(scanned)
    assert all_items(prefix) == sorted(
        (i for i in scanned if i["pk"].startswith(prefix)), key=lambda i: (i["pk"], i["sk"])
    )
    assert all_items(prefix) and all_items("nothing-starts-so") == []
