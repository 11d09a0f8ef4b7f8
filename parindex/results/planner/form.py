"""The planner's form: the names of its inputs, its rows (the unit's criteria) and what
each input shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from parindex.criteria.models import CriterionNode, RuleType
from parindex.engine.model import Ratio, Value

UNIT_PARAM = "don-vi"
SURVEY_FIELD = "khao-sat"
VALUE_PREFIX = "gt:"
NUMERATOR_PREFIX = "tu:"
DENOMINATOR_PREFIX = "mau:"
MAX_TEXT = 40


@dataclass
class LeafRow:
    """A node of the unit's criteria set on the planner's form."""

    node: CriterionNode
    depth: int
    is_leaf: bool
    field_code: str
    rule_text: str
    points: Decimal | None
    """The engine's actual points (None: not applicable)."""
    max: Decimal | None
    missing: bool
    text: str = ""
    """What the number input shows (decimal comma), or "true"/"false"."""
    numerator: str = ""
    denominator: str = ""
    error: str = ""

    @property
    def not_applicable(self) -> bool:
        return self.points is None

    @property
    def rule_type(self) -> str:
        return self.node.rule_type

    @property
    def shows_ratio(self) -> bool:
        return self.rule_type == RuleType.RATIO or (
            self.rule_type == RuleType.TIERS and bool(self.numerator or self.denominator)
        )


@dataclass(frozen=True)
class Section:
    """A field of the form with the criteria under it."""

    field: LeafRow
    rows: list[LeafRow]

    @property
    def has_error(self) -> bool:
        return bool(self.field.error) or any(row.error for row in self.rows)


def sections(rows: list[LeafRow]) -> list[Section]:
    """``rows`` (display order) grouped by field."""
    grouped: list[Section] = []
    for row in rows:
        if row.depth == 0:
            grouped.append(Section(row, []))
        elif grouped:
            grouped[-1].rows.append(row)
    return grouped


def decimal_text(value: Decimal) -> str:
    """A value as typed in an input: decimal comma, no trailing zeros."""
    return format(value.normalize(), "f").replace(".", ",") if value else "0"


def fill_inputs(row: LeafRow, value: Value | None, raw: Mapping[str, str] | None) -> None:
    """What the leaf's inputs show: what was posted (``raw``), else its final value."""
    code = row.node.code
    if raw is not None and any(
        prefix + code in raw for prefix in (VALUE_PREFIX, NUMERATOR_PREFIX, DENOMINATOR_PREFIX)
    ):
        row.text = raw.get(VALUE_PREFIX + code, "")[:MAX_TEXT]
        row.numerator = raw.get(NUMERATOR_PREFIX + code, "")[:MAX_TEXT]
        row.denominator = raw.get(DENOMINATOR_PREFIX + code, "")[:MAX_TEXT]
        return
    if isinstance(value, bool):
        row.text = "true" if value else "false"
    elif isinstance(value, Ratio):
        row.numerator = decimal_text(value.numerator)
        row.denominator = decimal_text(value.denominator)
    elif isinstance(value, Decimal):
        row.text = decimal_text(value)
