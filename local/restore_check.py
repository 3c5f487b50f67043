"""`make restore-check RESTORED=collectra-prod-restored-2026-05-04 [SOURCE=collectra-prod] [ENV=prod] [TOLERANCE=0]`
(`python -m local.restore_check`): is a point-in-time restore of the table ready for the stack to use?

Compares the restored table with the live one (SOURCE, by default the table the stack uses: collectra-<env>):

- its items, counted exactly by a parallel Scan of each table (`--segments`, 4 by default): in total and per key
  family, the partition key's prefix before its first `#`, named as stack/key_families.py names them (USER#, WS#,
  REMIND#, ...). Each Scan reads the partition key alone: a Scan costs the same read units whatever it returns, so
  one Scan counts every family (a Select=COUNT Scan per family would read the whole table once per family);
- the settings the stack's table has: TTL on the template's attribute (expires_at) and point-in-time recovery,
  which a restore does not carry over (they are set afterwards: docs/operations.md), and encryption at rest and the
  template's global secondary indexes (all five, ACTIVE), which it does unless told otherwise.

It prints the families side by side and exits non-zero, with a line saying what, when the restored table lacks a
family the live one has, an index, TTL or point-in-time recovery, or has fewer items than the live table in a family
beyond `--tolerance` (items, or a percentage of the live family: `--tolerance 2%`; 0 by default). The live table goes
on being written after the restore point, so it is usually larger: expected, and said. Encryption that differs from
the live table's is reported, not refused (DynamoDB encrypts every table; only the key differs).

Where: the local stack's emulator by default; with ENV=dev|prod (`--env`), that AWS environment of samconfig.toml
(credentials required; it asks before scanning, which costs read units, unless YES=1).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from local.cfn import Resolver
from local.dev import TEMPLATE
from local.ops_target import Target, TargetError, add_arguments, confirm, target_of
from local.template import load_template, table_definitions
from stack import key_families

OTHER = "(other)"  # a partition key of no known family: counted, never shown (it could hold anything)


def _family_names() -> dict[str, str]:
    """A partition key's prefix before its first `#` -> its family as stack/key_families.py writes it."""
    return {family.split("#", 1)[0]: family for family in key_families.ALL}


FAMILIES = _family_names()


def family_of(partition_key: str) -> str:
    return FAMILIES.get(partition_key.split("#", 1)[0], OTHER)


# ---------------------------------------------------------------- counting


@dataclass(frozen=True)
class Census:
    total: int
    families: Mapping[str, int]


def _count_segment(dynamodb: Any, table: str, segment: int, segments: int) -> tuple[int, Counter[str]]:
    counted, families = 0, Counter[str]()
    arguments: dict[str, Any] = {
        "TableName": table,
        "Segment": segment,
        "TotalSegments": segments,
        "ProjectionExpression": "#pk",
        "ExpressionAttributeNames": {"#pk": "pk"},
    }
    while True:
        page = dynamodb.scan(**arguments)
        counted += int(page["Count"])
        families.update(family_of(item["pk"]["S"]) for item in page.get("Items") or [])
        if "LastEvaluatedKey" not in page:
            return counted, families
        arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def census(dynamodb: Any, table: str, segments: int = 4) -> Census:
    """Every item of `table`, counted by a Scan in `segments` parallel segments: in total and per key family."""
    with ThreadPoolExecutor(max_workers=segments) as pool:
        parts = list(pool.map(lambda segment: _count_segment(dynamodb, table, segment, segments), range(segments)))
    families: Counter[str] = Counter()
    for _, counted in parts:
        families.update(counted)
    total = sum(counted for counted, _ in parts)
    if total != sum(families.values()):
        raise RuntimeError(f"{table}: the Scan counted {total} items but read {sum(families.values())} keys")
    return Census(total, dict(families))


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    status: str
    ttl_attribute: str | None  # None: TTL off (or being switched off)
    recovery: bool
    encryption: str  # "KMS" (a KMS key: AWS managed or the account's), or "AWS owned key"
    indexes: Mapping[str, str]  # name -> IndexStatus
    size_bytes: int


def settings(dynamodb: Any, table: str) -> Settings:
    described = dynamodb.describe_table(TableName=table)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    recovery = (backups.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus") == "ENABLED"
    sse = described.get("SSEDescription") or {}
    return Settings(
        status=str(described.get("TableStatus", "?")),
        ttl_attribute=ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING") else None,
        recovery=recovery,
        encryption=str(sse.get("SSEType", "KMS")) if sse.get("Status") in ("ENABLED", "ENABLING") else "AWS owned key",
        indexes={
            str(index["IndexName"]): str(index.get("IndexStatus", "?"))
            for index in described.get("GlobalSecondaryIndexes") or []
        },
        size_bytes=int(described.get("TableSizeBytes") or 0),
    )


@dataclass(frozen=True)
class Expected:
    """What the template's table has, which the restored table must have too."""

    indexes: tuple[str, ...]
    ttl_attribute: str | None
    recovery: bool


def expected_of(template: Mapping[str, Any]) -> Expected:
    [definition] = table_definitions(template)
    return Expected(
        indexes=tuple(index["IndexName"] for index in definition.get("GlobalSecondaryIndexes") or []),
        ttl_attribute=definition.get("TimeToLiveAttributeName"),
        recovery=bool(definition.get("PointInTimeRecoveryEnabled")),
    )


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Tolerance:
    """How many fewer items a restored family may hold: a number of items, or a percentage of the live family."""

    amount: float
    percent: bool = False

    @classmethod
    def parse(cls, text: str) -> Tolerance:
        percent = text.endswith("%")
        amount = float(text.removesuffix("%"))
        if amount < 0:
            raise ValueError("a tolerance is 0 or more")
        return cls(amount, percent)

    def allows(self, live: int) -> int:
        return int(live * self.amount / 100) if self.percent else int(self.amount)

    def __str__(self) -> str:
        return f"{self.amount:g}%" if self.percent else f"{self.amount:g}"


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def compare(
    live: Census,
    restored: Census,
    live_settings: Settings,
    restored_settings: Settings,
    *,
    expected: Expected,
    tolerance: Tolerance,
) -> Report:
    report = Report()
    rows = [("key family", "live", "restored", "difference", "")]
    families = sorted(set(live.families) | set(restored.families), key=lambda name: (name == OTHER, name))
    fewer_seen = more_seen = False
    for family in families:
        before, after = live.families.get(family, 0), restored.families.get(family, 0)
        note = ""
        if before and not after:
            note = "MISSING from the restored table"
            report.problems.append(f"the restored table lacks the family {family} ({before} item(s) in the live one)")
        elif after < before:
            fewer_seen = True
            if before - after > tolerance.allows(before):
                note = f"FEWER, beyond the tolerance ({tolerance})"
                report.problems.append(
                    f"the restored table has {before - after} item(s) fewer than the live one in {family}, "
                    f"beyond the tolerance ({tolerance})"
                )
            else:
                note = "fewer, within the tolerance"
        elif after > before:
            more_seen = True
            note = "more in the restored table"
        rows.append((family, str(before), str(after), f"{after - before:+d}" if after != before else "", note))
    rows.append(("total", str(live.total), str(restored.total), f"{restored.total - live.total:+d}", ""))
    report.lines += _table(rows)
    if fewer_seen:
        report.lines.append(
            "  Fewer items in the restored table: the live table went on being written after the restore point, so it "
            "is larger, as expected; those writes are what the restore loses (docs/operations.md says how to find "
            "them). --tolerance allows for them."
        )
    if more_seen:
        report.lines.append(
            "  More items in the restored table: deleted from the live table after the restore point (the damage "
            "itself, or TTL expiry and erasures since)."
        )
    report.lines.append("")
    settings_rows: list[tuple[str, ...]] = [("the stack's table has", "live", "restored", "")]
    settings_rows += _settings_rows(live_settings, restored_settings, expected, report)
    report.lines += _table(settings_rows)
    return report


def _settings_rows(live: Settings, restored: Settings, expected: Expected, report: Report) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    if restored.status != "ACTIVE":
        report.problems.append(f"the restored table is {restored.status}, not ACTIVE: wait for the restore to end")
    rows.append(("table status", live.status, restored.status, "" if restored.status == "ACTIVE" else "NOT READY"))
    if expected.ttl_attribute is not None:
        ok = restored.ttl_attribute == expected.ttl_attribute
        if not ok:
            report.problems.append(f"the restored table has no TTL on {expected.ttl_attribute} (update-time-to-live)")
        rows.append(
            (
                f"TTL on {expected.ttl_attribute}",
                _on(live.ttl_attribute == expected.ttl_attribute),
                _on(ok),
                "" if ok else "MISSING",
            )
        )
    if expected.recovery:
        if not restored.recovery:
            report.problems.append("the restored table has no point-in-time recovery (update-continuous-backups)")
        rows.append(
            (
                "point-in-time recovery",
                _on(live.recovery),
                _on(restored.recovery),
                "" if restored.recovery else "MISSING",
            )
        )
    rows.append(
        (
            "encryption at rest",
            live.encryption,
            restored.encryption,
            "" if live.encryption == restored.encryption else "differs (not refused: both are encrypted)",
        )
    )
    for index in expected.indexes:
        state = restored.indexes.get(index)
        if state is None:
            report.problems.append(f"the restored table lacks the index {index}")
        elif state != "ACTIVE":
            report.problems.append(f"the restored table's index {index} is {state}, not ACTIVE: wait for it")
        rows.append(
            (
                f"index {index}",
                live.indexes.get(index, "missing"),
                state or "missing",
                "" if state == "ACTIVE" else "MISSING",
            )
        )
    return rows


def _on(value: bool) -> str:
    return "on" if value else "off"


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if column == 0 or column == len(row) - 1 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


# ---------------------------------------------------------------- the command


def own_table(template: Mapping[str, Any], parameters: Mapping[str, str]) -> str:
    """The table the stack uses in that environment (its TableName output): its own, or a restored one."""
    declared = template.get("Parameters") or {}
    resolver = Resolver(template, {name: value for name, value in parameters.items() if name in declared})
    return str(resolver.resolve(template["Outputs"]["TableName"]["Value"]))


def run(
    target: Target,
    *,
    source: str | None,
    restored: str,
    tolerance: Tolerance,
    segments: int,
    yes: bool,
    template_path: str,
) -> int:
    template = load_template(template_path)
    live_table = source or own_table(template, target.parameters)
    dynamodb = target.client("dynamodb")
    try:
        live_settings, restored_settings = settings(dynamodb, live_table), settings(dynamodb, restored)
    except BotoCoreError as error:
        print(f"{target.description} does not answer ({error}): is `make dev` running?", file=sys.stderr)
        return 2
    except ClientError as error:
        print(f"{target.description}: {error}", file=sys.stderr)
        return 2
    size = live_settings.size_bytes + restored_settings.size_bytes
    question = (
        f"Scan {live_table} and {restored} in {target.description}: about {size / 1e9:.2f} GB read, "
        f"about {max(1, size // 8192):,} read request units?"
    )
    if not confirm(question, target=target, yes=yes):
        print("nothing scanned", file=sys.stderr)
        return 1
    print(f"Restored table {restored} against the live {live_table}, on {target.description}:")
    report = compare(
        census(dynamodb, live_table, segments),
        census(dynamodb, restored, segments),
        live_settings,
        restored_settings,
        expected=expected_of(template),
        tolerance=tolerance,
    )
    print("\n".join(report.lines))
    if report.problems:
        print(f"\nNOT READY ({len(report.problems)}):")
        print("\n".join(f"  - {problem}" for problem in report.problems))
        return 1
    print("\nReady: the restored table holds every family and has what the stack's table has.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.restore_check", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--restored", required=True, help="the restored table (collectra-<env>-restored-<date>)")
    parser.add_argument("--source", help="the live table; default: the one the stack uses (collectra-<env>)")
    parser.add_argument("--tolerance", default="0", help="fewer items a family may have: a number, or N%% of it")
    parser.add_argument("--segments", type=int, default=4, help="parallel Scan segments per table")
    parser.add_argument("--template", default=str(TEMPLATE))
    add_arguments(parser)
    arguments = parser.parse_args(argv)
    try:
        tolerance = Tolerance.parse(arguments.tolerance)
    except ValueError:
        parser.error(f"--tolerance is a number of items or a percentage (2%), got {arguments.tolerance!r}")
    if not 1 <= arguments.segments <= 64:
        parser.error("--segments is 1 to 64")
    try:
        target = target_of(arguments)
    except TargetError as problem:
        print(problem, file=sys.stderr)
        return 1
    return run(
        target,
        source=arguments.source,
        restored=arguments.restored,
        tolerance=tolerance,
        segments=arguments.segments,
        yes=arguments.yes,
        template_path=arguments.template,
    )


if __name__ == "__main__":
    sys.exit(main())
