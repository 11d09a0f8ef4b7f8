"""Scoring the values typed on the planner's form (nothing is saved): parsing them by the
engine's rules, then the unit's index, class and rank with them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from parindex import engine
from parindex.assessments.leaves import parse_value
from parindex.assessments.values import BadValue, parse_number
from parindex.core.formatting import format_vn
from parindex.criteria.models import RuleType
from parindex.engine.model import Value
from parindex.engine.whatif import KEEP, SurveyChange, WhatIf, what_if
from parindex.results.planner.form import (
    DENOMINATOR_PREFIX,
    NUMERATOR_PREFIX,
    SURVEY_FIELD,
    VALUE_PREFIX,
)
from parindex.results.planner.loading import Planner


@dataclass
class Changes:
    """What-if values parsed from a form: leaf code → value (None: cleared), the survey."""

    values: dict[str, Value | None] = field(default_factory=dict)
    survey: SurveyChange = KEEP
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(criterion code or "khao-sat", Vietnamese message)."""


def parse_changes(planner: Planner, post: Mapping[str, Any]) -> Changes:
    """The what-if values in ``post``: a leaf missing from it keeps its final value, an
    empty input clears it. Values are checked by the engine's rules; every problem names
    the criterion (nothing is raised)."""
    changes = Changes()
    leaves = set(planner.tree.leaf_codes)
    for node in planner.nodes:
        code = node.code
        if code not in leaves or planner.actual.node(code) is None:  # not applicable
            continue
        keys = (VALUE_PREFIX + code, NUMERATOR_PREFIX + code, DENOMINATOR_PREFIX + code)
        if not any(key in post for key in keys):
            continue
        number = str(post.get(keys[0], ""))
        ratio = {"numerator": str(post.get(keys[1], "")), "denominator": str(post.get(keys[2], ""))}
        has_ratio = any(part.strip() for part in ratio.values())
        raw: Any = number  # "b/a" typed in one input is a ratio too (values.parse_input)
        if has_ratio and node.rule_type in (RuleType.RATIO, RuleType.TIERS):
            if number.strip():
                changes.errors.append(
                    (code, f"Tiêu chí {code}: chỉ nhập một số hoặc một tỷ lệ, không nhập cả hai.")
                )
                continue
            raw = ratio
        try:
            changes.values[code] = parse_value(node, raw)
        except ValidationError as error:
            changes.errors.append((code, " ".join(error.messages)))
    if SURVEY_FIELD in post and planner.survey_applicable:
        changes.survey = _survey(planner, str(post.get(SURVEY_FIELD, "")), changes.errors)
    return changes


def _survey(planner: Planner, text: str, errors: list[tuple[str, str]]) -> SurveyChange:
    text = text.strip()
    if not text:
        return None
    maximum = planner.criteria.survey_max
    assert maximum is not None
    try:
        value = parse_number(text)  # typed as a leaf's number (values.parse_number)
    except BadValue as bad:
        errors.append((SURVEY_FIELD, f"Điểm khảo sát: {bad.problem}."))
        return KEEP
    if not 0 <= value <= maximum:
        errors.append(
            (
                SURVEY_FIELD,
                f"Điểm khảo sát: {format_vn(value)} nằm ngoài khoảng 0–{format_vn(maximum)}.",
            )
        )
        return KEEP
    return value


@dataclass(frozen=True)
class ChangedNode:
    """A node whose points the what-if values change (None: not applicable)."""

    code: str
    name: str
    is_field: bool
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))


@dataclass(frozen=True)
class Outcome:
    """The result of a what-if request: the engine's numbers, or the problems."""

    result: WhatIf | None
    errors: list[tuple[str, str]]
    changed: list[ChangedNode] = field(default_factory=list)


def _changed(planner: Planner, result: WhatIf) -> list[ChangedNode]:
    nodes = {node.code: node for node in planner.criteria.nodes}
    return [
        ChangedNode(
            code=code,
            name=nodes[code].name,
            is_field=nodes[code].parent is None,
            before=before.points if before else None,
            after=after.points if after else None,
        )
        for code, before, after in result.changed_nodes()
    ]


def compute_what_if(planner: Planner, post: Mapping[str, Any]) -> Outcome:
    """Score the unit with the values in ``post`` (nothing is saved)."""
    changes = parse_changes(planner, post)
    if changes.errors:
        return Outcome(None, changes.errors)
    try:
        result = what_if(
            planner.data,
            planner.unit.code,
            planner.others.standings,
            changes.values,
            changes.survey,
            tree=planner.tree,
        )
    except engine.InputError as error:  # the rules' own check: parse_value ran it already
        return Outcome(None, [("", problem) for problem in error.problems])
    return Outcome(result, [], _changed(planner, result))


def unchanged(planner: Planner) -> WhatIf:
    """The what-if result before anything is changed (the actual result)."""
    return WhatIf(
        planner.actual, planner.actual.rank, planner.actual, planner.actual.rank, planner.group_size
    )
