"""Survey numbers for people: stored with four decimals, shown as computed ("7,11",
"100,00%"), never padded with the storage's zeros ("7,1100")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from parindex.core.formatting import format_vn

register = template.Library()


def trimmed(value: Any, places: Any = 2) -> str:
    """``value`` without the zeros the storage pads, at least ``places`` decimals."""
    if value is None or value == "":
        return format_vn(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number.is_finite():
        number = number.normalize()
    return format_vn(number, places)


@register.filter
def vn_trim(value: Any, places: Any = 2) -> str:
    """``{{ result.points|vn_trim:2 }}`` → "7,11" for a stored 7.1100."""
    return trimmed(value, places)
