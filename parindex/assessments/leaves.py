"""A stored criterion as the engine scores it: its rule and maximum, a value typed for it
(parsed by :mod:`parindex.assessments.values`, refusals naming the criterion), its points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from parindex import engine
from parindex.assessments.models import Answer
from parindex.assessments.values import (
    BadValue,
    input_label,
    parse_input,
)
from parindex.assessments.values import read_stored as stored
from parindex.assessments.values import value_text as shown_value
from parindex.criteria.models import CriteriaSet, CriterionNode, RuleType
from parindex.criteria.selectors import engine_criteria
from parindex.engine.model import Rounding, Rule, Value
from parindex.engine.rules import Scorer, check_value, make_scorer


def leaf_rule(node: CriterionNode) -> Rule:
    """The engine rule of a stored leaf (as :func:`criteria.selectors.engine_criteria`)."""
    if node.rule_type == RuleType.MANUAL:
        return Rule()
    return Rule(
        type=node.rule_type,
        floor=_norm(node.floor),
        full_at=_norm(node.full_at),
        tiers=tuple(
            engine.Tier(Decimal(str(t["min"])), Decimal(str(t["points"]))) for t in node.tiers or []
        ),
        per_item=_norm(node.per_item),
    )


def _norm(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def value_label(node: CriterionNode) -> str:
    """What the unit types for this leaf, as a field label in messages."""
    return input_label(node.rule_type)


def parse_value(node: CriterionNode, raw: Any) -> Value | None:
    """The engine value of what was typed or sent for ``node`` (see
    :func:`parindex.assessments.values.parse_input`: the same rules for every caller); None
    when nothing was entered. Raises :class:`ValidationError` keyed by the input
    (``value``, ``numerator``, ``denominator``) with the criterion code in the text."""
    try:
        return parse_input(raw, leaf_rule(node), node.max_points.normalize())
    except BadValue as bad:
        raise ValidationError({bad.key: [bad.message(node.code, value_label(node))]}) from None


def value_text(node: CriterionNode, stored: Any, *, not_applicable: bool = False) -> str:
    """A stored value of ``node`` in words (:func:`parindex.assessments.values.value_text`)."""
    return shown_value(stored, node.rule_type, not_applicable=not_applicable)


def leaf_points(
    criteria_set: CriteriaSet,
    node: CriterionNode,
    value: Any | None,
    *,
    not_applicable: bool = False,
) -> Decimal | None:
    """The engine's points for ``value`` on the leaf ``node`` of ``criteria_set`` (no query:
    the caller has checked that ``node`` is a leaf of the unit's set), None when nothing
    was entered or the item is not applicable; invalid input raises ValidationError."""
    if not_applicable:
        if not node.allow_not_applicable:
            raise ValidationError(
                {"not_applicable": [f"Tiêu chí {node.code} không được đánh dấu “không áp dụng”."]}
            )
        return None
    parsed = parse_value(node, value)
    if parsed is None:
        return None
    rounding = Rounding(criteria_set.rounding_mode, criteria_set.rounding_places)
    return make_scorer(leaf_rule(node), node.max_points.normalize(), rounding)(parsed)


@dataclass(frozen=True)
class Leaf:
    """What scoring one node needs: its rule, max and the set's rounding."""

    code: str
    rule: Rule
    max: Decimal
    rounding: Rounding
    is_leaf: bool
    field: str
    """The field (lĩnh vực) the node belongs to: its top-level ancestor's code."""
    ancestors: tuple[str, ...]
    scorer: Scorer | None = None

    def points(self, value: Value | None, not_applicable: bool = False) -> Decimal | None:
        """Rounded points of a valid value; None for not applicable, no value or a parent."""
        if not_applicable or value is None or not self.is_leaf or self.scorer is None:
            return None
        if check_value(self.rule, self.max, value) is not None:
            return None
        return self.scorer(value)


class SetCache:
    """Engine criteria and leaf scorers of the sets a page or service touches."""

    def __init__(self) -> None:
        self._sets: dict[int, engine.CriteriaSet] = {}
        self._leaves: dict[tuple[int, str], Leaf] = {}

    def criteria(self, set_id: int) -> engine.CriteriaSet:
        found = self._sets.get(set_id)
        if found is None:
            found = self._sets[set_id] = engine_criteria(CriteriaSet.objects.get(pk=set_id))
        return found

    def leaf(self, set_id: int, code: str) -> Leaf:
        key = (set_id, code)
        found = self._leaves.get(key)
        if found is not None:
            return found
        criteria = self.criteria(set_id)
        nodes = {node.code: node for node in criteria.nodes}
        parents = {node.parent for node in criteria.nodes if node.parent is not None}
        for node in criteria.nodes:
            chain: list[str] = []
            parent = node.parent
            while parent is not None and parent not in chain:
                chain.append(parent)
                parent = nodes[parent].parent
            is_leaf = node.code not in parents
            rule = node.rule or Rule()
            self._leaves[(set_id, node.code)] = Leaf(
                code=node.code,
                rule=rule,
                max=node.max,
                rounding=criteria.rounding,
                is_leaf=is_leaf,
                field=chain[-1] if chain else node.code,
                ancestors=tuple(chain),
                scorer=make_scorer(rule, node.max, criteria.rounding) if is_leaf else None,
            )
        return self._leaves[key]

    def for_node(self, node: CriterionNode) -> Leaf:
        return self.leaf(node.criteria_set_id, node.code)


def parse_appraised(raw: Any, leaf: Leaf) -> Value:
    """The engine value of what the appraiser typed or passed, by the same rules as the
    unit's (:func:`parindex.assessments.values.parse_input`); a value is required. Raises
    :class:`ValidationError` with a Vietnamese message naming the criterion."""
    try:
        value = parse_input(raw, leaf.rule, leaf.max)
    except BadValue as bad:
        raise ValidationError(
            bad.message(leaf.code, input_label(leaf.rule.type, appraisal=True))
        ) from None
    if value is None:
        raise ValidationError(f"Tiêu chí {leaf.code}: cần nhập giá trị thẩm định.")
    return value


def self_points(answer: Answer, cache: SetCache | None = None) -> Decimal | None:
    leaf = (cache or SetCache()).for_node(answer.node)
    return leaf.points(stored(answer.self_value), answer.self_not_applicable)


def appraised_points(answer: Answer, cache: SetCache | None = None) -> Decimal | None:
    if answer.appraisal_round == 0:
        return None
    leaf = (cache or SetCache()).for_node(answer.node)
    return leaf.points(stored(answer.appraised_value), answer.appraised_not_applicable)


def points_preview(
    *, answer: Answer, value: Any, not_applicable: bool = False
) -> tuple[Decimal | None, str]:
    """Points an appraised value would give, and the problem with it ("" when valid)."""
    if not_applicable:
        return None, ""
    leaf = SetCache().for_node(answer.node)
    if not leaf.is_leaf:
        return None, ""
    try:
        parsed = parse_appraised(value, leaf)
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return leaf.points(parsed), ""
