"""The checks every evaluation-file reader builds on: problems collected one located line
each, and the primitive values (numbers, texts, objects, arrays)."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.engine.errors import InputError

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class Checker:
    """Collects problems as ``where: message`` lines; :meth:`raise_if_problems` raises them
    together."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def err(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def raise_if_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    # -- primitives

    def number(self, value: Any, where: str) -> Decimal | None:
        if isinstance(value, bool) or value is None:
            self.err(where, f"cần một số, không phải {json.dumps(value)}")
            return None
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, Decimal):
            return value
        if isinstance(value, str) and _NUMBER.match(value.strip()):
            try:
                return Decimal(value.strip())
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                pass
        self.err(where, f"cần một số, không phải {show(value)}")
        return None

    def optional_number(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        if obj.get(key) is None:
            return None
        return self.number(obj[key], f"{where}.{key}")

    def text(self, value: Any, where: str, *, required: bool = True) -> str | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.err(where, f"cần một chuỗi không rỗng, không phải {show(value)}")
            return None
        return value

    def obj(self, value: Any, where: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.err(where, f"cần một đối tượng, không phải {show(value)}")
            return None
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.err(where, f"cần một mảng, không phải {show(value)}")
            return []
        return value

    def non_negative(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        value = self.optional_number(obj, key, where)
        if value is not None and value.is_signed():  # "-0" too
            self.err(f"{where}.{key}", f"không được âm ({value})")
        return value


def show(value: Any) -> str:
    """A value as a message quotes it: JSON, at most 60 characters."""
    if isinstance(value, Decimal):
        return str(value)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
