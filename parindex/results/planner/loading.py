"""The planner of one unit in one period: its criteria, its final values scored by the
engine and ranked among the other units of its group, and the rows of its form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from parindex import engine
from parindex.criteria.models import CriterionNode
from parindex.criteria.selectors import describe_rule, engine_criteria
from parindex.engine.model import EvaluationInput, UnitResult
from parindex.engine.tree import CompiledTree, compile_tree
from parindex.engine.whatif import leaf_fields
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup
from parindex.results.planner.form import LeafRow, decimal_text, fill_inputs
from parindex.results.planner.standings import Others, Published, other_units, unit_input


@dataclass
class Planner:
    """Everything the planner of one unit in one period works with."""

    period: Period
    unit: Unit
    binding: PeriodGroup
    criteria: engine.CriteriaSet
    tree: CompiledTree
    data: EvaluationInput
    """The unit alone with its final values."""
    nodes: list[CriterionNode]
    others: Others
    actual: UnitResult
    """The engine's result of the final values, ranked among the others."""

    @property
    def points_places(self) -> int:
        return self.criteria.rounding.places

    @property
    def index_places(self) -> int:
        return self.criteria.effective_index_rounding.places

    @property
    def group_size(self) -> int:
        return self.others.standings.group_size

    @property
    def has_survey(self) -> bool:
        return self.criteria.survey_max is not None

    @property
    def survey_applicable(self) -> bool:
        return self.has_survey and self.actual.survey_applicable

    @property
    def survey_text(self) -> str:
        value = self.data.survey.get(self.unit.code)
        return decimal_text(value) if isinstance(value, Decimal) else ""

    @property
    def published(self) -> Published | None:
        return self.others.published

    @property
    def published_differs(self) -> bool:
        """The final scores no longer give the published index (changed after publication)."""
        published = self.published
        return published is not None and published.index != self.actual.index

    def rows(self, raw: Mapping[str, str] | None = None) -> list[LeafRow]:
        """Every node in display order; leaves carry their input's text: the final value,
        or what was posted (``raw``) when the page is shown again after a plain POST."""
        by_id = {node.pk: node for node in self.nodes}
        has_children = {node.parent_id for node in self.nodes if node.parent_id is not None}
        fields = leaf_fields(self.criteria)
        values = self.data.scores.get(self.unit.code, {})
        missing = set(self.actual.missing)
        rows: list[LeafRow] = []
        for node in self.nodes:
            depth, parent_id = 0, node.parent_id
            while parent_id is not None and parent_id in by_id:
                depth, parent_id = depth + 1, by_id[parent_id].parent_id
            scored = self.actual.node(node.code)
            is_leaf = node.pk not in has_children
            row = LeafRow(
                node=node,
                depth=depth,
                is_leaf=is_leaf,
                field_code=fields.get(node.code, node.code),
                rule_text=_rule_text(node, is_leaf),
                points=scored.points if scored else None,
                max=scored.max if scored else None,
                missing=node.code in missing,
            )
            if is_leaf:
                fill_inputs(row, values.get(node.code), raw)
            rows.append(row)
        return rows


def _rule_text(node: CriterionNode, is_leaf: bool) -> str:
    """How the node is scored, in words."""
    return describe_rule(
        {
            "rule_type": node.rule_type,
            "max_points": node.max_points,
            "floor": node.floor,
            "full_at": node.full_at,
            "tiers": node.tiers,
            "per_item": node.per_item,
        },
        is_leaf=is_leaf,
    )


def load_planner(period: Period, unit: Unit) -> Planner | None:
    """The planner of ``unit`` in ``period`` (a handful of queries, no write); None when the
    period does not score the unit's group."""
    binding = (
        PeriodGroup.objects.filter(period=period, group_id=unit.group_id)
        .select_related("group", "criteria_set")
        .first()
        if unit.group_id is not None
        else None
    )
    if binding is None:
        return None
    criteria = engine_criteria(binding.criteria_set)
    tree = compile_tree(criteria)
    data = unit_input(period, binding, unit, criteria)
    nodes = list(
        CriterionNode.objects.filter(criteria_set=binding.criteria_set).order_by("position", "id")
    )
    others = other_units(period, binding, unit, criteria)
    [actual] = engine.evaluate(data, tree).units
    actual.rank = others.standings.rank(actual.index)
    return Planner(period, unit, binding, criteria, tree, data, nodes, others, actual)
