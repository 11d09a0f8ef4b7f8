"""Leaf rules: turning a unit's value for a criterion into points, and checking values.

Every computation is exact: ratios are evaluated as ``b × max ÷ a`` (one division) and
compared by cross-multiplication, so 1/3 × 3 is exactly 3, never 2.99.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from parindex.engine.model import HUNDRED, ZERO, Ratio, Rounding, Rule, Value

Scorer = Callable[[Value], Decimal]
"""Points (already rounded) for a valid value."""


def check_value(rule: Rule, max_points: Decimal, value: object) -> str | None:
    """Why ``value`` is not acceptable for a leaf with this rule, or None if it is.

    Values are already parsed: numbers are ``Decimal``, yes/no is ``bool``, ratios ``Ratio``.
    Messages are short Vietnamese phrases used in file errors and form errors alike; they
    name the number that is wrong.
    """
    kind = rule.type
    if kind == "boolean":
        return None if isinstance(value, bool) else "cần giá trị true/false (đạt/không đạt)"
    if isinstance(value, bool):
        return f"cần {_expected(kind)}, không phải true/false"
    if kind == "ratio" or (kind == "tiers" and isinstance(value, Ratio)):
        if not isinstance(value, Ratio):
            return "cần {numerator, denominator} (tử số, mẫu số)"
        return check_ratio(value)
    if not isinstance(value, Decimal):
        return f"cần {_expected(kind)}"
    if kind == "manual" and not ZERO <= value <= max_points:
        return f"điểm {_plain(value)} nằm ngoài khoảng 0..{_plain(max_points)}"
    if kind == "percent" and not ZERO <= value <= HUNDRED:
        return f"tỷ lệ {_plain(value)}% nằm ngoài khoảng 0..100"
    if kind == "deduction" and (value < 0 or value != value.to_integral_value()):
        return f"số lần {_plain(value)} phải là số nguyên >= 0"
    return None


def check_ratio(value: Ratio) -> str | None:
    if value.denominator <= 0:
        return f"mẫu số (denominator) {_plain(value.denominator)} phải lớn hơn 0"
    if value.numerator < 0:
        return f"tử số (numerator) {_plain(value.numerator)} không được âm"
    if value.numerator > value.denominator:
        return (
            f"numerator {_plain(value.numerator)} > denominator {_plain(value.denominator)}"
            " (tử số lớn hơn mẫu số)"
        )
    return None


def _expected(kind: str) -> str:
    return {
        "manual": "một số điểm",
        "percent": "một tỷ lệ phần trăm",
        "deduction": "một số nguyên (số lần)",
        "tiers": "một số hoặc {numerator, denominator}",
    }.get(kind, "một số")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def make_scorer(rule: Rule, max_points: Decimal, rounding: Rounding) -> Scorer:
    """A fast closure: value -> rounded points for one leaf. Values must be valid.

    Hot path of the engine (called once per leaf per unit): closures quantize directly
    (points are never negative, so there is no "-0.00" to guard against) and take ``Any``
    rather than narrowing the value type at run time.
    """
    quantum, mode = rounding.quantum, rounding.decimal_mode
    kind = rule.type
    zero = ZERO.quantize(quantum)
    full = max_points.quantize(quantum, mode)

    if kind == "manual":

        def manual(value: Any) -> Decimal:
            return value.quantize(quantum, mode)  # type: ignore[no-any-return]

        return manual

    if kind == "boolean":

        def boolean(value: Any) -> Decimal:
            return full if value else zero

        return boolean

    if kind in ("ratio", "percent"):
        return _proportional_scorer(rule, max_points, rounding)

    if kind == "tiers":
        # Highest threshold first: the first tier reached gives its points.
        tiers = [
            (tier.min, tier.points.quantize(quantum, mode))
            for tier in sorted(rule.tiers, key=lambda tier: tier.min, reverse=True)
        ]

        def tiered(value: Any) -> Decimal:
            if isinstance(value, Ratio):
                b, a = value.numerator, value.denominator
                for minimum, points in tiers:
                    if b >= minimum * a:
                        return points
                return zero
            for minimum, points in tiers:
                if value >= minimum:
                    return points
            return zero

        return tiered

    if kind == "deduction":
        per_item = rule.per_item if rule.per_item is not None else ZERO

        def deduction(value: Any) -> Decimal:
            points: Decimal = max_points - value * per_item
            return points.quantize(quantum, mode) if points > 0 else zero

        return deduction

    raise ValueError(f"unknown rule type {kind!r}")


def _proportional_scorer(rule: Rule, max_points: Decimal, rounding: Rounding) -> Scorer:
    """``ratio`` and ``percent``: r × max, with optional floor (below → 0) and full_at
    (at or above → max). A percent p is the ratio p/100. Written out twice, without a
    shared helper, because this is the engine's hottest code."""
    quantum, mode = rounding.quantum, rounding.decimal_mode
    floor, full_at = rule.floor, rule.full_at
    full = max_points.quantize(quantum, mode)
    zero = ZERO.quantize(quantum)

    if rule.type == "percent":
        floor_pct = None if floor is None else floor * HUNDRED
        full_pct = None if full_at is None else full_at * HUNDRED

        def percent(value: Any) -> Decimal:
            if floor_pct is not None and value < floor_pct:
                return zero
            if full_pct is not None and value >= full_pct:
                return full
            return (value * max_points / HUNDRED).quantize(quantum, mode)  # type: ignore[no-any-return]

        return percent

    def ratio(value: Any) -> Decimal:
        b, a = value.numerator, value.denominator
        if floor is not None and b < floor * a:
            return zero
        if full_at is not None and b >= full_at * a:
            return full
        return (b * max_points / a).quantize(quantum, mode)  # type: ignore[no-any-return]

    return ratio
