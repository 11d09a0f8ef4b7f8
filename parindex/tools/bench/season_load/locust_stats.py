"""Reading locust's statistics and failures after a run."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Stats:
    name: str
    requests: int
    failures: int
    median_ms: float
    average_ms: float
    max_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "", "N/A") else math.nan
    except ValueError:
        return math.nan


def read_stats(path: Path) -> dict[str, Stats]:
    """locust's ``<prefix>_stats.csv`` by request name (the total is "Aggregated")."""
    rows: dict[str, Stats] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = Stats(
                name=row["Name"],
                requests=int(_number(row["Request Count"]) or 0),
                failures=int(_number(row["Failure Count"]) or 0),
                median_ms=_number(row["Median Response Time"]),
                average_ms=_number(row["Average Response Time"]),
                max_ms=_number(row["Max Response Time"]),
                p50_ms=_number(row["50%"]),
                p95_ms=_number(row["95%"]),
                p99_ms=_number(row["99%"]),
                rps=_number(row["Requests/s"]),
            )
    return rows


def read_final_stats(path: Path) -> dict[str, Stats]:
    """``final-stats.json`` written by the locustfile when locust quits (complete, unlike
    the CSV, whose writer stops before the saves in flight at the end have come back)."""
    rows: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Stats(
            name=name,
            requests=int(row["requests"]),
            failures=int(row["failures"]),
            median_ms=float(row["median_ms"] or 0),
            average_ms=float(row["average_ms"] or 0),
            max_ms=float(row["max_ms"] or 0),
            p50_ms=float(row["p50_ms"] or 0),
            p95_ms=float(row["p95_ms"] or 0),
            p99_ms=float(row["p99_ms"] or 0),
            rps=float(row["rps"] or 0),
        )
        for name, row in rows.items()
    }


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            f"{row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(handle)
        ]
