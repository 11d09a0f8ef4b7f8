"""Every number a document prints must be one ``parindex evaluate`` prints for the exported
period (or a maximum of the exported criteria set)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from parindex.core.formatting import format_vn
from parindex.engine.evalfile import dumps
from parindex.periods.models import Period
from parindex.results.selectors import period_document, period_groups

DECIMAL = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})*,\d+(?![\d,])")
"""A number with a decimal comma as the documents print it (1.234,56)."""


def evaluate_period(period: Period, tmp: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(evaluation file, output of the real ``parindex evaluate`` command on it) of every
    group of the period."""
    out = []
    for binding in period_groups(period):
        document = period_document(period, binding)
        path = tmp / f"{binding.group.code}.json"
        path.write_text(dumps(document), encoding="utf-8")
        printed = subprocess.run(
            [sys.executable, "-m", "parindex.cli", "evaluate", str(path)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        out.append((document, json.loads(printed)))
    return out


def _walk(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        number = Decimal(value)
        found.add(format_vn(number))
        found.add(format_vn(-number))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        found.add(format_vn(Decimal(str(value))))


def allowed_numbers(evaluated: list[tuple[dict[str, Any], dict[str, Any]]]) -> set[str]:
    found: set[str] = set()
    for document, output in evaluated:
        _walk(output, found)
        _walk(document.get("criteria_set", {}).get("nodes", []), found)
        _walk(document.get("survey", {}), found)
        _walk(document.get("classification", {}), found)
    return found


def decimals_in(text: str) -> set[str]:
    return set(DECIMAL.findall(text))
