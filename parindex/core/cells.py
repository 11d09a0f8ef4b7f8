"""Text that goes into a spreadsheet cell: one rule for every CSV and XLSX writer.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
tab or carriage return at the start lets one through in some programs (OWASP's "CSV
injection"). Text from users (a unit's name, a comment typed into the public survey form)
must come out as text: :func:`inert` puts an apostrophe in front, as Excel and LibreOffice
do themselves for text typed that way. Plain numbers (``-1,5``, ``-3``) are left alone: they
are not formulas, and exports print negative changes.

Pure Python, no Django: the engine's writers may use it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:%)?")


def inert(value: Any) -> Any:
    """``value`` safe for a cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; anything that is not text (numbers, dates, None) is returned as is."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def inert_row(values: Iterable[Any]) -> list[Any]:
    """:func:`inert` over a row."""
    return [inert(value) for value in values]
