"""`make restore-check`, exercised against the emulator: a table made as the template makes it (local/emulator.py),
items of several key families, a point-in-time restore of it (moto's restore_table_to_point_in_time, which copies the
items and the indexes and, like AWS's, neither TTL nor point-in-time recovery), then the check: a restore made ready
passes; a missing family, TTL, point-in-time recovery or index, or fewer items beyond the tolerance, fails, saying
what."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from local import restore_check
from local.emulator import Emulator, client, create_tables
from local.ops_target import Target
from local.restore_check import OTHER, Tolerance, census, family_of
from local.template import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = str(ROOT / "template.yaml")
APP = load_template(TEMPLATE)
WORKSPACES = 25


@pytest.fixture(scope="module")
def aws() -> Iterator[Emulator]:
    with Emulator(port=0) as running:
        yield running


@pytest.fixture
def local_stack(aws: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLLECTRA_MOTO_PORT", aws.url.rsplit(":", 1)[1])


@cache
def _client(url: str) -> Any:
    return client("dynamodb", url)


def _dynamodb(aws: Emulator) -> Any:
    return _client(aws.url)


def _put(aws: Emulator, table: str, pk: str, sk: str, **more: str) -> None:
    item = {"pk": {"S": pk}, "sk": {"S": sk}} | {name: {"S": value} for name, value in more.items()}
    _dynamodb(aws).put_item(TableName=table, Item=item)


@pytest.fixture
def live(aws: Emulator) -> str:
    """The stack's table of an environment of this test's own, as the local stack makes it, with items of several
    key families (a user, their address, sessions, workspaces and their debts, a token, a quota, the planner's)."""
    stage = f"rc{uuid.uuid4().hex[:8]}"
    create_tables(aws.url, APP, {"EnvironmentName": stage})
    table = f"collectra-{stage}"
    _put(aws, table, "USER#usr_1", "PROFILE", gsi1pk="EMAIL#grace@example.com", gsi1sk="USER")
    _put(aws, table, "USER#usr_1", "SESSION#ses_1")
    _put(aws, table, "EMAIL#grace@example.com", "OWNER")
    for number in range(WORKSPACES):
        _put(aws, table, f"WS#ws_{number}", "WORKSPACE")
        _put(aws, table, f"WS#ws_{number}", "DEBT#dbt_1", gsi2pk=f"WS#ws_{number}#DEBTS", gsi2sk="open")
    _put(aws, table, "TOKEN#abc", "TOKEN", expires_at="1900000000")
    _put(aws, table, "QUOTA#ws_1#2027-03-01", "COUNT")
    _put(aws, table, "REMINDER-ENGINE", "LAST-RUN")
    return table


def _restore(aws: Emulator, live: str, *, ttl: bool = True, recovery: bool = True) -> str:
    """A point-in-time restore of `live`, then (as docs/operations.md says to) TTL and point-in-time recovery."""
    dynamodb, restored = _dynamodb(aws), f"{live}-restored-2026-05-04"
    dynamodb.restore_table_to_point_in_time(
        SourceTableName=live, TargetTableName=restored, UseLatestRestorableTime=True
    )
    dynamodb.get_waiter("table_exists").wait(TableName=restored, WaiterConfig={"Delay": 0.1})
    if ttl:
        dynamodb.update_time_to_live(
            TableName=restored, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
        )
    if recovery:
        dynamodb.update_continuous_backups(
            TableName=restored, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    return restored


def _check(live: str, restored: str, *more: str) -> list[str]:
    return ["--source", live, "--restored", restored, "--template", TEMPLATE, *more]


def test_a_restore_made_ready_passes_family_by_family(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live)

    assert restore_check.main(_check(live, restored)) == 0

    said = capsys.readouterr().out
    assert f"Restored table {restored} against the live {live}, on the local stack (emulator http://" in said
    rows = {line.split()[0]: line.split()[1:3] for line in said.splitlines() if line.startswith("  ") and line.split()}
    assert rows["USER#"] == ["2", "2"] and rows["EMAIL#"] == ["1", "1"] and rows["WS#"] == ["50", "50"]
    assert rows["TOKEN#"] == rows["QUOTA#"] == rows["REMINDER-ENGINE"] == ["1", "1"]
    assert rows["total"] == ["56", "56"]
    assert "Ready: the restored table holds every family" in said
    # The live table is encrypted with the AWS managed key, as the template's; moto's restore does not say so.
    assert "encryption at rest" in said and "differs (not refused" in said


def test_a_fresh_restore_lacks_ttl_and_point_in_time_recovery(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live, ttl=False, recovery=False)

    assert restore_check.main(_check(live, restored)) == 1

    said = capsys.readouterr().out
    assert "NOT READY (2):" in said
    assert "  - the restored table has no TTL on expires_at (update-time-to-live)" in said
    assert "  - the restored table has no point-in-time recovery (update-continuous-backups)" in said


def test_a_missing_ttl_alone_fails(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live, ttl=False)
    assert restore_check.main(_check(live, restored)) == 1
    assert "NOT READY (1):\n  - the restored table has no TTL on expires_at" in capsys.readouterr().out


def test_a_family_missing_from_the_restored_table_fails(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live)
    _dynamodb(aws).delete_item(TableName=restored, Key={"pk": {"S": "EMAIL#grace@example.com"}, "sk": {"S": "OWNER"}})

    assert restore_check.main(_check(live, restored)) == 1

    said = capsys.readouterr().out
    assert "  - the restored table lacks the family EMAIL# (1 item(s) in the live one)" in said
    assert "grace@example.com" not in said  # families, never keys


def test_a_missing_index_fails(aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]) -> None:
    restored = _restore(aws, live)
    _dynamodb(aws).update_table(TableName=restored, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "gsi3"}}])

    assert restore_check.main(_check(live, restored)) == 1

    said = capsys.readouterr().out
    assert "NOT READY (1):\n  - the restored table lacks the index gsi3" in said
    [row] = [line for line in said.splitlines() if line.startswith("  index gsi3")]
    assert row.split()[-3:] == ["ACTIVE", "missing", "MISSING"]


def test_writes_after_the_restore_point_fail_unless_tolerated(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live)
    _put(aws, live, "WS#ws_new", "WORKSPACE")  # written to the live table after the restore point
    _put(aws, live, "WS#ws_new", "DEBT#dbt_2")

    assert restore_check.main(_check(live, restored)) == 1
    said = capsys.readouterr().out
    assert "  - the restored table has 2 item(s) fewer than the live one in WS#, beyond the tolerance (0)" in said
    assert "the live table went on being written after the restore point, so it is larger, as expected" in said

    assert restore_check.main(_check(live, restored, "--tolerance", "2")) == 0
    assert "fewer, within the tolerance" in capsys.readouterr().out
    assert restore_check.main(_check(live, restored, "--tolerance", "5%")) == 0  # 2 of 52
    assert restore_check.main(_check(live, restored, "--tolerance", "3%")) == 1  # 1 of 52


def test_items_deleted_from_the_live_table_since_are_more_in_the_restored_one(
    aws: Emulator, live: str, local_stack: None, capsys: pytest.CaptureFixture[str]
) -> None:
    restored = _restore(aws, live)
    _dynamodb(aws).delete_item(TableName=live, Key={"pk": {"S": "TOKEN#abc"}, "sk": {"S": "TOKEN"}})

    assert restore_check.main(_check(live, restored)) == 0
    assert "More items in the restored table: deleted from the live table after the restore point" in (
        capsys.readouterr().out
    )


def test_a_table_that_does_not_exist_is_said(live: str, local_stack: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert restore_check.main(_check(live, "collectra-nowhere")) == 2
    assert "ResourceNotFoundException" in capsys.readouterr().err


@pytest.mark.parametrize("segments", [1, 4, 7])
def test_the_parallel_scan_counts_every_item_once(aws: Emulator, live: str, segments: int) -> None:
    counted = census(_dynamodb(aws), live, segments)
    assert counted.total == 56
    assert counted.families == {
        "USER#": 2,
        "EMAIL#": 1,
        "WS#": 2 * WORKSPACES,
        "TOKEN#": 1,
        "QUOTA#": 1,
        "REMINDER-ENGINE": 1,
    }


@pytest.mark.parametrize(
    ("key", "family"),
    [
        ("USER#usr_1", "USER#"),
        ("WS#ws_1", "WS#"),
        ("STRIPE-PI#pi_1", "STRIPE-PI#"),
        ("REMINDER-ENGINE", "REMINDER-ENGINE"),
        ("ERASURES#UNFINISHED", "ERASURES#UNFINISHED"),
        ("PLANS-DUE#07", "PLANS-DUE#"),
        ("SOMETHING#new", OTHER),
        ("grace@example.com", OTHER),  # a key of no family is counted, never shown
    ],
)
def test_a_partition_keys_family_is_its_prefix_as_key_families_names_it(key: str, family: str) -> None:
    assert family_of(key) == family


def test_a_tolerance_is_items_or_a_percentage() -> None:
    assert Tolerance.parse("0").allows(1_000) == 0
    assert Tolerance.parse("3").allows(1_000) == 3
    assert Tolerance.parse("2%").allows(1_000) == 20
    assert str(Tolerance.parse("2%")) == "2%"
    with pytest.raises(ValueError, match="0 or more"):
        Tolerance.parse("-1")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], "python -m local.restore_check --restored r"),
        (["ENV=prod", "SOURCE=s", "YES=1"], "python -m local.restore_check --restored r --source s --env prod --yes"),
        (["TOLERANCE=2%"], "python -m local.restore_check --restored r --tolerance 2%"),
    ],
)
def test_make_restore_check_scans_aws_only_when_env_is_given(arguments: list[str], expected: str) -> None:
    shown = subprocess.run(
        [str(shutil.which("make")), "-n", "restore-check", "RESTORED=r", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.replace("\\\n", " ")
    [line] = [line for line in shown.splitlines() if "local.restore_check" in line]
    assert line.split("/bin/", 1)[1].replace("'", "").split() == expected.split()


class _EmulatorAsAws:
    """A boto3 Session whose clients reach the emulator: the command's AWS path, run here."""

    def __init__(self, aws: Emulator) -> None:
        self.url = aws.url

    def client(self, service: str, region_name: str | None = None) -> Any:
        return client(service, self.url)


def test_on_aws_it_scans_only_on_a_persons_yes(aws: Emulator, live: str, capsys: pytest.CaptureFixture[str]) -> None:
    restored = _restore(aws, live)
    target = Target("AWS test", {"EnvironmentName": "dev"}, region="us-east-1", session=_EmulatorAsAws(aws))

    def check(*, yes: bool) -> int:
        return restore_check.run(
            target, source=live, restored=restored, tolerance=Tolerance(0), segments=2, yes=yes, template_path=TEMPLATE
        )

    assert check(yes=False) == 1
    assert "read request units? Not asked: no terminal" in capsys.readouterr().err
    assert check(yes=True) == 0
    assert "Ready:" in capsys.readouterr().out
