"""Vietnamese number formatting for results: "95,39", "1.234,5", "+1,25", "▲ 2".

The filters only format: they never round a number to fewer digits than it has, so what
is shown is exactly the engine's (already rounded) value.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from parindex.core.formatting import DASH, format_vn

register = template.Library()


CLASS_BADGES = {
    "xuất sắc": "text-bg-success",
    "tốt": "text-bg-primary",
    "khá": "text-bg-info",
    "trung bình": "text-bg-warning",
    "yếu": "text-bg-danger",
}


@register.filter
def vn_number(value: Any, places: Any = None) -> str:
    """``{{ result.index|vn_number:2 }}`` → "95,39"."""
    return format_vn(value, places)


@register.filter
def vn_max(value: Any) -> str:
    """A maximum as written in a criteria set: no padding zeros ("14", "1,5", "0,25")."""
    if isinstance(value, Decimal) and value.is_finite():
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return format_vn(value)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``{{ labels|lookup:r.unit }}``: an item of a dict by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def vn_signed(value: Any, places: Any = None) -> str:
    """A change with its sign: "+1,25", "−0,50", "0,00"."""
    if value is None:
        return DASH
    text = format_vn(value, places)
    try:
        positive = Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return text
    return f"+{text}" if positive else text


@register.filter
def rank_change(value: Any) -> str:
    """Rank change (last rank − this rank): "▲ 2" up, "▼ 3" down, "=" unchanged."""
    if value is None:
        return DASH
    change = int(value)
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return "="


@register.filter
def change_class(value: Any) -> str:
    """A Bootstrap text class for a change: green up, red down, grey unchanged."""
    if value is None:
        return "text-body-secondary"
    number = Decimal(str(value))
    if number > 0:
        return "text-success"
    if number < 0:
        return "text-danger"
    return "text-body-secondary"


@register.filter
def class_badge(label: Any) -> str:
    """A Bootstrap badge class for a classification label (xếp loại)."""
    if not label:
        return "text-bg-secondary"
    return CLASS_BADGES.get(str(label).strip().lower(), "text-bg-secondary")


@register.filter
def indent_class(depth: Any) -> str:
    """Indentation of a criterion row by its depth in the tree (Bootstrap spacing)."""
    return {0: "ps-0 fw-semibold", 1: "ps-3", 2: "ps-5"}.get(int(depth), "ps-5 ms-3")
