"""The evaluation files as JSON text: the format names, decoding with exact decimals and
located refusals, encoding, and decimals written as the files write them."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.engine.errors import InputError
from parindex.engine.evaldecode import DOUBT, QUICK_MIN_INTEGER_DIGITS, quick_loads
from parindex.engine.model import Rounding

INPUT_FORMAT = "parindex-evaluation/1"
RESULTS_FORMAT = "parindex-results/1"
MAX_INTEGER_DIGITS = 30
"""Longest JSON integer literal read (digits, sign excluded). Python's ``int()`` refuses
past 4,300 digits with an error that names no place; no number of an evaluation file comes
near 30 digits. The web imports pass their own limit (``IMPORT_MAX_INTEGER_DIGITS``)."""
MAX_DECIMAL_EXPONENT = 1000
"""A number written with a larger exponent (``1e5000``) is refused: no score needs it, and
Decimal arithmetic on it would fail or take very long."""


# --------------------------------------------------------------------------- decoding


def load_json(text: str | bytes, *, max_integer_digits: int = MAX_INTEGER_DIGITS) -> Any:
    """JSON with exact decimals; NaN/Infinity, duplicate keys and integers longer than
    ``max_integer_digits`` digits are refused (the latter with its line and column).

    Decoded by orjson when that gives the same document (:mod:`parindex.engine.evaldecode`:
    no float, no repeated key), by the standard library otherwise."""
    if max_integer_digits >= QUICK_MIN_INTEGER_DIGITS:
        document = quick_loads(text)
        if document is not DOUBT:
            return document
    return _load_with_stdlib(text, max_integer_digits)


def _load_with_stdlib(text: str | bytes, max_integer_digits: int) -> Any:
    def parse_int(literal: str) -> int:
        if len(literal) - literal.startswith("-") > max_integer_digits:
            raise _LongInteger(literal)
        return int(literal)

    def parse_float(literal: str) -> Decimal:
        try:
            value = Decimal(literal)
        except InvalidOperation:
            raise _BadDecimal(literal) from None
        if not value.is_finite() or abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
            raise _BadDecimal(literal)
        return value

    try:
        return json.loads(
            text,
            parse_float=parse_float,
            parse_int=parse_int,
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicate_keys,
        )
    except _LongInteger as exc:
        digits = f"{len(exc.literal) - exc.literal.startswith('-'):,}".replace(",", ".")
        raise InputError(
            [
                f"JSON không hợp lệ{_place_of(text, exc.literal)}: số nguyên dài {digits} chữ "
                f"số, tối đa {max_integer_digits} chữ số (ghi số dạng chuỗi thập phân nếu cần)"
            ]
        ) from None
    except _BadDecimal as exc:
        raise InputError(
            [
                f"JSON không hợp lệ{_place_of(text, exc.literal)}: số {exc.literal[:20]!r} có "
                f"số mũ ngoài khoảng ±{MAX_DECIMAL_EXPONENT} (ghi số ở dạng thập phân thông thường)"
            ]
        ) from None
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError([f"tệp không phải văn bản UTF-8 hợp lệ: {exc.reason}"]) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            [f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}"]
        ) from exc
    except RecursionError as exc:
        raise InputError(["JSON lồng nhau quá sâu"]) from exc


class _BadDecimal(Exception):
    def __init__(self, literal: str) -> None:
        super().__init__(literal[:20])
        self.literal = literal


class _LongInteger(Exception):
    def __init__(self, literal: str) -> None:
        super().__init__(literal[:20])
        self.literal = literal


def _place_of(text: str | bytes, literal: str) -> str:
    """Where the first ``literal`` standing as a JSON value is in ``text``, as
    ``" (dòng L, cột C)"``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    found = re.search(r"(?:^|[\[:,])\s*(" + re.escape(literal) + r")(?![\d.eE])", text)
    if found is None:  # pragma: no cover - the parser has just read it
        return ""
    at = found.start(1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return f" (dòng {line}, cột {column})"


def _refuse_constant(name: str) -> None:
    raise InputError([f"JSON không hợp lệ: {name} không phải là số"])


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object, refused when a key repeats (the first repeated key is named). Called
    for every object of the file: the dict is built in C and the keys are looked at one
    by one only when there is a repeat."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise InputError([f"JSON không hợp lệ: khóa {key!r} lặp lại trong một đối tượng"])
            seen.add(key)
    return result


# --------------------------------------------------------------------------- encoding


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default)


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def num(value: Decimal) -> str:
    """A decimal as the file writes it: a plain string without needless trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def fmt(value: Decimal, rounding: Rounding) -> str:
    """A decimal string with exactly ``rounding.places`` digits."""
    return format(rounding.apply(value), "f")
