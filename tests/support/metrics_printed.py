"""The metrics a function printed (Powertools writes CloudWatch's embedded metric format to stdout): by name,
each value it printed, in order."""

from __future__ import annotations

import json
from typing import Any


def printed_metrics(out: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for printed in out.splitlines():
        line = printed.strip()
        if not line.startswith("{") or '"_aws"' not in line:
            continue
        record: dict[str, Any] = json.loads(line)
        for directive in record["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                value = record[metric["Name"]]
                found.setdefault(metric["Name"], []).extend(value if isinstance(value, list) else [value])
    return found
