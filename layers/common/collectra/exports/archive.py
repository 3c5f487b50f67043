"""The archive of an export: one zip holding `export.json` (every entity, for machines) and
`csv/<entity>.csv` (one file per entity, for spreadsheets), assembled from the parts of the export.

An export is read in pieces (`collectra.exports.pieces`), each by its own invocation; each piece's records
become one part. Records arrive in whatever order the table yields them, entity after entity interleaved,
and the archive wants them grouped; so a part first spools each entity to its own file (JSON Lines) on
local disk, then packs them into one file, one gzip member per entity, with a manifest of where each
entity is, its count and its columns (`Part`). The zip is then written entity after entity, reading each
part's member of that entity in the pieces' order (`write_archive`): memory holds one record at a time,
whatever the size of the workspace; the disk holds one piece's spools, or the zip.

The zip's members carry no timestamps of their own (zipfile dates a member opened by name 1980-01-01), so
the same parts and `about` make the same bytes: an archive assembled twice is the same archive.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from collectra.exports.entities import ENTITIES

FORMAT = "collectra-export"
VERSION = 1
# A spreadsheet runs a cell that starts with one of these as a formula: text from outside (a debtor's
# message, a name) is written with a leading apostrophe instead, as OWASP advises for CSV files.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Manifest = dict[str, Any]  # {"counts": {entity: n}, "columns": {entity: [name]}, "sections": {entity: [at, size]}}
Opener = Callable[[int, int], IO[bytes]]  # a readable stream of `size` bytes of a packed part from offset `at`


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


class Part:
    """One piece's records, added one at a time (`add`), then packed into one file (`pack`); use as a context
    manager so the spools are closed whatever happens."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.counts: Counter[str] = Counter()
        self._spools: dict[str, io.TextIOWrapper] = {}
        self._columns: dict[str, dict[str, None]] = {}  # an ordered set per entity

    def __enter__(self) -> Part:
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

    def pack(self, path: Path) -> Manifest:
        """Write the part's file at `path` (one gzip member per entity that has records); its manifest."""
        sections: dict[str, list[int]] = {}
        with path.open("wb") as packed:
            for entity in ENTITIES:
                spool = self._spools.get(entity)
                if spool is None:
                    continue
                spool.flush()
                spool.seek(0)
                at = packed.tell()
                with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=1, mtime=0) as member:
                    while chunk := spool.buffer.read(1 << 20):
                        member.write(chunk)
                sections[entity] = [at, packed.tell() - at]
        columns = {entity: list(names) for entity, names in self._columns.items()}
        return {"counts": dict(self.counts), "columns": columns, "sections": sections}


@dataclass(frozen=True)
class PackedPart:
    """A packed part as the archive reads it: its manifest, and a way to read a stretch of its file."""

    manifest: Manifest
    open_range: Opener

    def lines(self, entity: str) -> Iterator[str]:
        section = self.manifest["sections"].get(entity)
        if section is None:
            return
        with self.open_range(*section) as raw, gzip.GzipFile(fileobj=raw) as member:
            for line in io.TextIOWrapper(member, encoding="utf-8"):
                yield line.rstrip("\n")


def merged_counts(parts: Sequence[PackedPart]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for part in parts:
        total.update(part.manifest["counts"])
    return dict(total)


def write_archive(
    path: Path, about: Mapping[str, Any], entities: Sequence[str], parts: Sequence[PackedPart]
) -> dict[str, int]:
    """The zip at `path`: export.json with `about` and a list for each of `entities` (empty ones too), then a
    CSV file for each entity that has records; each entity's records are the parts' records in the parts'
    order. The number of records per entity."""
    counts = merged_counts(parts)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("export.json", "w", force_zip64=True) as raw, _text(raw) as out:
            out.write('{"format":' + _json(FORMAT) + ',"version":' + str(VERSION))
            out.write(',"about":' + _json({**about, "counts": counts}))
            for entity in entities:
                out.write(",\n" + _json(entity) + ":[")
                for number, line in enumerate(_lines(parts, entity)):
                    out.write(("," if number else "") + "\n" + line)
                out.write("]")
            out.write("}\n")
        for entity in entities:
            if not counts.get(entity):
                continue
            with archive.open(f"csv/{entity}.csv", "w", force_zip64=True) as raw, _text(raw) as out:
                _write_csv(parts, entity, out)
    return counts


def _lines(parts: Sequence[PackedPart], entity: str) -> Iterator[str]:
    for part in parts:
        yield from part.lines(entity)


def _write_csv(parts: Sequence[PackedPart], entity: str, out: IO[str]) -> None:
    seen: dict[str, None] = {}
    for part in parts:
        for name in part.manifest["columns"].get(entity, ()):
            seen.setdefault(name, None)
    columns = _ordered(seen)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for line in _lines(parts, entity):
        record = json.loads(line)
        writer.writerow([csv_cell(record.get(name)) for name in columns])


def _ordered(columns: Mapping[str, None]) -> list[str]:
    """Identifying columns first (`id`, then what the record belongs to), the rest as first seen."""
    first = [name for name in ("id", "debt_id", "debtor_id", "user_id", "workspace_id") if name in columns]
    return first + [name for name in columns if name not in first]


def _text(raw: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")
