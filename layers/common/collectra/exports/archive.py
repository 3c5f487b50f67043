"""The archive of an export: one zip holding `export.json` (every entity, for machines) and
`csv/<entity>.csv` (one file per entity, for spreadsheets).

Records arrive in whatever order the table yields them, entity after entity interleaved, and the archive
wants them grouped; so each entity is first spooled to its own file (JSON Lines) on local disk, then the
zip is written from the spools, member after member. Memory holds one record at a time, whatever the
size of the workspace; the disk holds the spools and the zip.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from collectra.exports.entities import ENTITIES

FORMAT = "collectra-export"
VERSION = 1
# A spreadsheet runs a cell that starts with one of these as a formula: text from outside (a debtor's
# message, a name) is written with a leading apostrophe instead, as OWASP advises for CSV files.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _jsonable(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot export a {type(value).__name__}")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def csv_cell(value: Any) -> str:
    """A value as one CSV cell: text as is (defused if a spreadsheet would run it), nested values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_STARTS) else value
    return _json(value)


class Archive:
    """Records are added one at a time (`add`), then `write` makes the zip; use as a context manager so the
    spools are closed whatever happens."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.counts: Counter[str] = Counter()
        self._spools: dict[str, IO[str]] = {}
        self._columns: dict[str, dict[str, None]] = {}  # an ordered set per entity

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_: object) -> None:
        for spool in self._spools.values():
            spool.close()

    def add(self, entity: str, record: Mapping[str, Any]) -> None:
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r}")
        spool = self._spools.get(entity)
        if spool is None:
            spool = self._spools[entity] = (self.directory / f"{entity}.jsonl").open("w+", encoding="utf-8")
            self._columns[entity] = {}
        spool.write(_json(record) + "\n")
        columns = self._columns[entity]
        for name in record:
            columns.setdefault(name, None)
        self.counts[entity] += 1

    def write(self, path: Path, about: Mapping[str, Any], entities: tuple[str, ...] = ENTITIES) -> None:
        """The zip at `path`: export.json with `about` and a list for each of `entities` (empty ones too),
        and a CSV file for each entity that has records."""
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with archive.open("export.json", "w", force_zip64=True) as raw, _text(raw) as out:
                out.write('{"format":' + _json(FORMAT) + ',"version":' + str(VERSION))
                out.write(',"about":' + _json({**about, "counts": dict(self.counts)}))
                for entity in entities:
                    out.write(",\n" + _json(entity) + ":[")
                    for number, line in enumerate(self._lines(entity)):
                        out.write(("," if number else "") + "\n" + line)
                    out.write("]")
                out.write("}\n")
            for entity in entities:
                if not self.counts[entity]:
                    continue
                with archive.open(f"csv/{entity}.csv", "w", force_zip64=True) as raw, _text(raw) as out:
                    self._write_csv(entity, out)

    def _lines(self, entity: str) -> Iterator[str]:
        spool = self._spools.get(entity)
        if spool is None:
            return
        spool.flush()
        spool.seek(0)
        for line in spool:
            yield line.rstrip("\n")

    def _write_csv(self, entity: str, out: IO[str]) -> None:
        columns = _ordered(self._columns[entity])
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for line in self._lines(entity):
            record = json.loads(line)
            writer.writerow([csv_cell(record.get(name)) for name in columns])


def _ordered(columns: Mapping[str, None]) -> list[str]:
    """Identifying columns first (`id`, then what the record belongs to), the rest as first seen."""
    first = [name for name in ("id", "debt_id", "debtor_id", "user_id", "workspace_id") if name in columns]
    return first + [name for name in columns if name not in first]


def _text(raw: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")
