"""Checking the values read from a history file: decimals and whole numbers as published,
the engine's statistics, and quoting a wrong value in a message."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.engine.model import ZERO

MAX_PLACES = 4
"""Decimal places the database keeps for every number of a row."""
MAX_POINTS = Decimal(1_000_000)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def plain(value: Any) -> Any:
    """A decoded JSON value with every Decimal as its exact decimal string."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def quoted(value: Any) -> str:
    """The value between quotes for a message, cut at 40 characters."""
    text = str(value)
    return f"“{text if len(text) <= 40 else text[:37] + '...'}”"


def is_number(value: Any) -> bool:
    return (
        isinstance(value, (str, int, Decimal))
        and not isinstance(value, bool)
        and bool(_NUMBER.match(str(value).strip()))
    )


def parse_decimal(text: str, kind: str) -> Decimal | str:
    """A decimal from a cell ("85,42", "85.42"), or the Vietnamese problem."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    expected = {
        "index": "cần một số từ 0 đến 100",
        "points": "cần một số không âm",
        "change": "cần một số",
    }[kind]
    if not _NUMBER.match(raw):
        return expected
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return expected
    if decimal_places(value) > MAX_PLACES:
        return (
            f"có quá {MAX_PLACES} chữ số thập phân; hãy nhập đúng số đã công bố "
            "(làm tròn như trong quyết định)"
        )
    if kind == "index" and not ZERO <= value <= 100:
        return expected
    if kind == "points" and not ZERO <= value <= MAX_POINTS:
        return expected
    if kind == "change" and abs(value) > 100:
        return "cần một số từ −100 đến 100"
    return value if value else value.copy_abs()


def parse_whole(text: str, kind: str) -> int | str:
    """A whole number (``rank``: a positive one), or the Vietnamese problem."""
    expected = "cần một số nguyên dương" if kind == "rank" else "cần một số nguyên"
    raw = text.strip()
    if not _NUMBER.match(raw):
        return expected
    value = Decimal(raw)
    if value != value.to_integral_value() or (kind == "rank" and value < 1):
        return expected
    if abs(value) > 1_000_000:
        return expected
    return int(value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_stats(stats: dict[str, Any]) -> bool:
    """Whether a group entry of a results document has the engine's shape."""
    fields = stats.get("fields")
    return (
        all(is_number(stats.get(k)) for k in ("mean", "max", "min", "spread"))
        and all(_whole(stats.get(k)) for k in ("count", "above_mean"))
        and isinstance(fields, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("code"), str)
            and is_number(f.get("mean_points"))
            and _whole(f.get("units_at_max"))
            and _whole(f.get("units"))
            for f in fields
        )
    )
