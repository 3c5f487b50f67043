"""Cut botocore's data, as installed in the layer, down to what the functions load: run by layers/common/Makefile.

    python botocore_data.py SITE/botocore/data

botocore ships the models of every AWS service (28 MB); a client loads its service's model and, with every
session, the endpoints of every service (endpoints.json). Kept: the services collectra makes clients for
(SERVICES; tests/build/test_botocore_data.py fails when code makes a client for another), each at its newest
API version with its endpoint rules and paginators, their models without documentation strings, and an
endpoints file that lists only them. Standard library only: it runs with the runtime's bare Python.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path
from typing import Any

SERVICES = ("dynamodb", "s3", "secretsmanager", "sqs")
# Per service: what botocore reads to make a client (the model, its endpoint rules) and to paginate.
KEPT_FILES = ("service-2", "endpoint-rule-set-1", "paginators-1")
# Data botocore's session reads whatever the service (retry modes, default configuration, partitions).
KEPT_SHARED = ("_retry.json", "sdk-default-configuration.json", "partitions.json")


def without_documentation(node: Any) -> Any:
    """The model without its prose: every string-valued `documentation`/`documentationUrl` key. A member or
    shape that happens to be named so has a mapping as its value and is kept."""
    if isinstance(node, dict):
        return {
            key: without_documentation(value)
            for key, value in node.items()
            if not (key in ("documentation", "documentationUrl") and isinstance(value, str))
        }
    if isinstance(node, list):
        return [without_documentation(value) for value in node]
    return node


def _read(path: Path) -> Any:
    raw = path.read_bytes()
    return json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)


def _write(path: Path, data: Any) -> None:
    text = json.dumps(data, separators=(",", ":"))
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
    else:
        path.write_text(text)


def slim(data_dir: Path, services: tuple[str, ...] = SERVICES) -> None:
    for entry in data_dir.iterdir():
        if entry.is_dir() and entry.name not in services:
            shutil.rmtree(entry)
        elif entry.is_file() and entry.name not in (*KEPT_SHARED, "endpoints.json"):
            entry.unlink()
    for service in services:
        versions = sorted(path for path in (data_dir / service).iterdir() if path.is_dir())
        for old in versions[:-1]:
            shutil.rmtree(old)
        for file in versions[-1].iterdir():
            if file.name.split(".")[0] not in KEPT_FILES:
                file.unlink()
            elif file.name.startswith("service-2."):
                _write(file, without_documentation(_read(file)))
    endpoints = _read(data_dir / "endpoints.json")
    for partition in endpoints["partitions"]:
        partition["services"] = {name: value for name, value in partition["services"].items() if name in services}
    _write(data_dir / "endpoints.json", endpoints)


if __name__ == "__main__":
    slim(Path(sys.argv[1]))
