"""What the simulated unit officials type, and the log of the saves the server confirmed.

No Django import here: the locustfile uses this module without loading the project.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

LOGIN_PATH = "/tai-khoan/dang-nhap/"
PUT_NAME = "PUT /api/assessments/[id]/items/[code]"
SIGN_IN_PHASE_NAME = "giai đoạn đăng nhập, cả 4 yêu cầu / sign-in phase, its 4 requests"
"""The sign-in phase's four requests (sign-in page, sign-in, list, open) as one distribution."""
"""The name of the save requests in locust's statistics."""
NA_SHARE = 0.1
"""Share of saves that mark a leaf which allows it as "không áp dụng"."""


def plain(value: Decimal) -> str:
    """A decimal without needless trailing zeros ("87.50" → "87.5", "2.00" → "2"), as the
    API stores it. Written here again, not imported, so the check is independent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def next_value(
    leaf: Mapping[str, Any], rng: random.Random, note: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One save of ``leaf`` as a person types it (decimal comma, ratio as two numbers,
    "không áp dụng" with a reason now and then) and what the database must then hold.

    ``note`` becomes the explanation (thuyết minh); callers make it unique per save, so no
    save is a no-op and every save bumps the item's version.
    """
    if leaf["allow_na"] and rng.random() < NA_SHARE:
        reason = f"Đơn vị không phát sinh nội dung này trong kỳ ({note})."
        body = {"value": None, "not_applicable": True, "na_justification": reason}
        return {**body, "explanation": note}, {**body, "explanation": note}
    kind = leaf["rule"]
    raw: Any
    stored: Any
    if kind == "boolean":
        raw = stored = rng.random() < 0.5
    elif kind == "ratio":
        denominator = rng.randint(1, 400)
        numerator = rng.randint(0, denominator)
        raw = {"numerator": numerator, "denominator": denominator}
        stored = {"numerator": str(numerator), "denominator": str(denominator)}
    elif kind == "percent":
        percent = Decimal(rng.randint(0, 1000)) / 10
        raw, stored = plain(percent).replace(".", ","), plain(percent)
    elif kind == "tiers":
        count = rng.randint(0, 8)
        raw, stored = count, str(count)
    elif kind == "deduction":
        count = rng.randint(0, 5)
        raw, stored = str(count), str(count)
    else:  # manual: points in quarters, up to the leaf's max
        quarters = int(Decimal(leaf["max"]) * 4)
        points = Decimal(rng.randint(0, quarters)) / 4
        raw, stored = plain(points).replace(".", ","), plain(points)
    body = {"value": raw, "not_applicable": False, "na_justification": "", "explanation": note}
    return body, {**body, "value": stored}


class SaveLog:
    """Append-only JSON lines, one file per process (``saves-<pid>.jsonl``): each save the
    server confirmed (``kind: save``) and each version conflict (``kind: conflict``)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"saves-{os.getpid()}.jsonl"
        self._file: IO[str] | None = None

    def write(self, record: Mapping[str, Any]) -> None:
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8", buffering=1)
        self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    def save(
        self, *, unit: str, assessment: int, code: str, version: int, stored: Mapping[str, Any]
    ) -> None:
        self.write(
            {
                "kind": "save",
                "unit": unit,
                "assessment": assessment,
                "code": code,
                "version": version,
                "stored": dict(stored),
                "at": time.time(),
            }
        )

    def conflict(self, *, unit: str, assessment: int, code: str, seen: int, current: int) -> None:
        self.write(
            {
                "kind": "conflict",
                "unit": unit,
                "assessment": assessment,
                "code": code,
                "version": seen,
                "current": current,
                "at": time.time(),
            }
        )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_logs(directory: Path) -> list[dict[str, Any]]:
    """Every record of every ``saves-*.jsonl`` under ``directory``."""
    records: list[dict[str, Any]] = []
    for path in sorted(directory.glob("saves-*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    return records
