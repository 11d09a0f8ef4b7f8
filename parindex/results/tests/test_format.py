"""Vietnamese number formatting of engine values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from parindex.results.templatetags.results_format import (
    class_badge,
    lookup,
    rank_change,
    vn_max,
    vn_number,
    vn_signed,
)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("95.39"), None, "95,39"),
        (Decimal("95.39"), 2, "95,39"),
        (Decimal("8.5"), 2, "8,50"),
        (Decimal("100"), None, "100"),
        (Decimal("100.0"), 2, "100,00"),
        (Decimal("1E+1"), None, "10"),
        (Decimal("1234.5"), 1, "1.234,5"),
        (Decimal("0.125"), 2, "0,125"),  # never drops the engine's digits
        (Decimal("-0.50"), None, "\u22120,50"),
        (None, 2, "—"),
        ("abc", None, "abc"),
    ],
)
def test_vn_number(value: Any, places: Any, shown: str) -> None:
    assert vn_number(value, places) == shown


def test_signed_changes_and_rank_arrows() -> None:
    assert vn_signed(Decimal("1.25"), 2) == "+1,25"
    assert vn_signed(Decimal("-0.5"), 2) == "\u22120,50"
    assert vn_signed(Decimal("0.00"), 2) == "0,00"
    assert vn_signed(None) == "—"
    assert rank_change(2) == "▲ 2"
    assert rank_change(-3) == "▼ 3"
    assert rank_change(0) == "="
    assert rank_change(None) == "—"


def test_maxima_are_shown_without_padding() -> None:
    assert vn_max(Decimal("14.0000")) == "14"
    assert vn_max(Decimal("1E+2")) == "100"
    assert vn_max(Decimal("1.50")) == "1,5"
    assert vn_max(Decimal("0.25")) == "0,25"
    assert lookup({"a": 1}, "a") == 1
    assert lookup(None, "a") is None


def test_class_badges() -> None:
    assert class_badge("Xuất sắc") == "text-bg-success"
    assert class_badge("Yếu") == "text-bg-danger"
    assert class_badge(None) == "text-bg-secondary"
