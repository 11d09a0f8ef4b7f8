"""Cell values read as what their column needs (numbers, integers, texts, codes, yes/no,
choices, dates, tiers), each refusal naming the value."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.core.text import fold
from parindex.criteria.xlsx.layout import NO, YES, match_key
from parindex.engine.evalfile import num

_YES_WORDS = {"co", "x", "1", "true", "yes", "dung", "v", "✓", "✔"}
_NO_WORDS = {"khong", "0", "false", "no", "sai"}

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class CellError(Exception):
    """A cell's value is not what its column needs; the message names the value."""


def _show(value: object) -> str:
    if isinstance(value, float):
        value = _float_text(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if len(text) > 60:
        text = text[:57] + "..."
    return f"«{text}»"


def _float_text(value: float) -> str:
    """An Excel float as the number a person typed: 0.7 stays 0.7, never 0.69999..."""
    return num(Decimal(str(round(value, 6))))


def cell_decimal(value: object, *, percent_divisor: int | None = None) -> Decimal | None:
    """A number from a cell that holds a number or its text ("0,7", "0.7", " 12 ").

    ``percent_divisor``: a text ending in "%" is divided by it (100 for a ratio column,
    1 for a column already in percent); None refuses "%".
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(f"{_show(value)} không phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(f"{_show(value)} không phải là số")
        return Decimal(_float_text(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        raise CellError(f"{_show(value)} là ngày giờ, không phải là số")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    divisor = 1
    if text.endswith("%"):
        if percent_divisor is None:
            raise CellError(f"{_show(value)} không phải là số (không ghi dấu %)")
        divisor = percent_divisor
        text = text[:-1]
    if "," in text:
        if "." in text or text.count(",") > 1:
            raise CellError(
                f"{_show(value)} không phải là số (dùng một dấu phẩy hoặc dấu chấm thập phân)"
            )
        text = text.replace(",", ".")
    if not _NUMBER_TEXT.match(text):
        raise CellError(f"{_show(value)} không phải là số")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise CellError(f"{_show(value)} không phải là số") from exc
    return number / divisor if divisor != 1 else number


def cell_int(value: object) -> int | None:
    number = cell_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(f"{_show(value)} không phải là số nguyên")
    return int(number)


def cell_text(value: object) -> str:
    """A cell as text: numbers as typed, dates as dd/mm/yyyy, outer blanks dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return _float_text(value) if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return num(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def cell_code(value: object) -> str:
    """A criterion code: "1.2" whether the cell holds text or the number 1.2."""
    return cell_text(value)


def cell_bool(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = fold(cell_text(value))
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS or word == "":
        return False
    raise CellError(f"{_show(value)}: cần «{YES}» hoặc «{NO}»")


def cell_choice(value: object, mapping: Mapping[str, str], labels: str) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    for key in (fold(text), match_key(text)):
        if key in mapping:
            return mapping[key]
    raise CellError(f"không rõ {_show(value)}; chọn một trong: {labels}")


def cell_date(value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise CellError(f"{_show(value)} không phải là ngày dạng dd/mm/yyyy")


def tiers_text(tiers: Sequence[Mapping[str, Any]]) -> str:
    """Tiers as written in a cell: ``1: 1; 0,7: 0,5`` (threshold: points)."""
    return "; ".join(f"{_vn(t['min'])}: {_vn(t['points'])}" for t in tiers)


def parse_tiers(value: object) -> list[dict[str, str]]:
    text = cell_text(value)
    if not text:
        return []
    tiers = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            raise CellError(f"mức {_show(part)} cần dạng «ngưỡng: điểm», ví dụ «1: 1; 0,7: 0,5»")
        t_min = cell_decimal(pieces[0], percent_divisor=100)
        points = cell_decimal(pieces[1])
        if t_min is None or points is None:
            raise CellError(f"mức {_show(part)} cần dạng «ngưỡng: điểm», ví dụ «1: 1; 0,7: 0,5»")
        tiers.append({"min": num(t_min), "points": num(points)})
    return tiers


def _vn(value: object) -> str:
    """A number the Vietnamese way (decimal comma) for text cells."""
    return num(Decimal(str(value))).replace(".", ",")


def blank(value: object) -> bool:
    """An empty cell, or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())
