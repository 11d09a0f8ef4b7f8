"""Reads for results: a period's stored scores as the engine's input, the engine's results,
and the portable evaluation document.

Every number shown on a results page comes from :func:`parindex.engine.evaluate` called
here; views and templates only display it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Q
from django.db.models import Value as DbValue

from parindex import engine
from parindex.assessments.models import Answer, Assessment, ItemScore
from parindex.assessments.values import read_stored
from parindex.assessments.values import stored_to_engine as stored_value
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import engine_criteria, node_extras
from parindex.engine.evalfile import input_document, num
from parindex.engine.model import (
    MANUAL,
    NOT_APPLICABLE,
    Adjustment,
    EvaluationInput,
    PreviousResult,
    Results,
    UnitInput,
    Value,
    _NotApplicable,
)
from parindex.engine.rules import check_value
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup
from parindex.periods.selectors import excluded_node_codes


def period_groups(period: Period) -> list[PeriodGroup]:
    """The period's groups with their sets, in the groups' display order (one query)."""
    return list(
        PeriodGroup.objects.filter(period=period)
        .select_related("group", "criteria_set")
        .order_by("group__position", "group__name", "pk")
    )


def period_evaluation_input(
    period: Period,
    group: PeriodGroup | None = None,
    *,
    criteria: engine.CriteriaSet | None = None,
    with_self: bool = True,
) -> EvaluationInput:
    """The engine's input for one group of ``period`` (four queries).

    Without ``group`` the period must score all its groups with one criteria set (as Hà Nam
    does for sở and huyện); units are then ranked within their groups in one evaluation.
    Units are those with an assessment in the period.

    The self-assessed values (``Answer.self_value`` / ``self_not_applicable``) are read in
    the same query as the final ones (``ItemScore``) and become ``self_scores`` /
    ``self_not_applicable``; a self value the set's rule does not accept (the set changed
    after the unit answered) is left out. ``self_scores`` is None when no unit has any
    self-assessed entry, or with ``with_self=False``.
    """
    if group is not None:
        bindings = [group]
    else:
        bindings = period_groups(period)
        if len({pg.criteria_set_id for pg in bindings}) != 1:
            raise ValueError("kỳ đánh giá dùng nhiều bộ tiêu chí: cần chọn một nhóm đơn vị để tính")
    criteria_set: CriteriaSet = bindings[0].criteria_set
    group_names = {pg.group_id: pg.group.name for pg in bindings}
    rows = list(
        Assessment.objects.filter(period=period, unit__group_id__in=group_names.keys())
        .order_by("unit__position", "unit__name", "unit__code")
        .values(
            "id",
            "unit__code",
            "unit__name",
            "unit__group_id",
            "survey_points",
            "survey_not_applicable",
            "bonus",
            "penalty",
        )
    )
    criteria = criteria or engine_criteria(criteria_set)
    code_of = {row["id"]: row["unit__code"] for row in rows}
    scores, not_applicable, self_scores, self_na = _read_items(code_of, criteria, with_self)
    # "Chưa đánh giá ở kỳ 6 tháng": out of the self-assessed maximum as of the final one.
    left_out = excluded_node_codes(period) & {node.code for node in criteria.nodes}
    if left_out:
        for unit_code in set(self_scores) | set(self_na):
            self_na.setdefault(unit_code, set()).update(left_out)
    survey: dict[str, Decimal | _NotApplicable] = {}
    adjustments: dict[str, Adjustment] = {}
    for row in rows:
        code = row["unit__code"]
        if criteria.survey_max is not None:
            if row["survey_not_applicable"]:
                survey[code] = NOT_APPLICABLE
            elif row["survey_points"] is not None:
                survey[code] = row["survey_points"].normalize()
        if row["bonus"] or row["penalty"]:
            adjustments[code] = Adjustment(row["bonus"].normalize(), row["penalty"].normalize())
    return EvaluationInput(
        criteria=criteria,
        units=[
            UnitInput(row["unit__code"], row["unit__name"], group_names[row["unit__group_id"]])
            for row in rows
        ],
        scores={code: values for code, values in scores.items() if values},
        not_applicable={code: frozenset(codes) for code, codes in not_applicable.items()},
        survey=survey,
        adjustments=adjustments,
        self_scores=self_scores if self_scores or self_na else None,
        self_not_applicable={code: frozenset(codes) for code, codes in self_na.items()},
    )


_Values = dict[str, dict[str, Value]]
_Codes = dict[str, set[str]]


def _read_items(
    code_of: Mapping[int, str], criteria: engine.CriteriaSet, with_self: bool
) -> tuple[_Values, _Codes, _Values, _Codes]:
    """Unit code → final values, final not-applicable codes, self-assessed values and
    self-assessed not-applicable codes (one query)."""
    scores: _Values = {code: {} for code in code_of.values()}
    not_applicable: _Codes = {}
    self_scores: _Values = {}
    self_na: _Codes = {}
    self_check = _SelfValueCheck(criteria)
    for assessment_id, node_code, value, is_na, _position, own in _item_values(
        code_of.keys(), with_self
    ):
        unit_code = code_of[assessment_id]
        if own:
            if is_na:
                self_na.setdefault(unit_code, set()).add(node_code)
            elif (parsed := self_check(node_code, value)) is not None:
                self_scores.setdefault(unit_code, {})[node_code] = parsed
        elif is_na:
            not_applicable.setdefault(unit_code, set()).add(node_code)
        elif value is not None:
            scores[unit_code][node_code] = stored_value(value)
    return scores, not_applicable, self_scores, self_na


def _item_values(assessment_ids: Iterable[int], with_self: bool) -> Iterable[tuple[Any, ...]]:
    """(assessment id, node code, stored value, not applicable, node position, own): the
    final values (own False) and, with ``with_self``, the self-assessed ones (own True) in
    one query, in the set's node order."""
    ids = list(assessment_ids)
    final = (
        ItemScore.objects.filter(assessment_id__in=ids)
        .annotate(own=DbValue(False, output_field=BooleanField()))
        .values_list(
            "assessment_id", "node__code", "value", "not_applicable", "node__position", "own"
        )
    )
    if not with_self:
        return final.order_by("node__position")
    own = (
        Answer.objects.filter(assessment_id__in=ids)
        .filter(Q(self_value__isnull=False) | Q(self_not_applicable=True))
        .annotate(own=DbValue(True, output_field=BooleanField()))
        .values_list(
            "assessment_id",
            "node__code",
            "self_value",
            "self_not_applicable",
            "node__position",
            "own",
        )
    )
    return final.union(own, all=True).order_by("node__position")


class _SelfValueCheck:
    """A stored self-assessed value as the engine's value, or None when the set's rule for
    the node refuses it (unreadable, out of range, a node with children, unknown node)."""

    def __init__(self, criteria: engine.CriteriaSet) -> None:
        parents = {node.parent for node in criteria.nodes if node.parent is not None}
        self.leaves = {node.code: node for node in criteria.nodes if node.code not in parents}

    def __call__(self, code: str, stored: Any) -> Value | None:
        node = self.leaves.get(code)
        value = read_stored(stored)
        if node is None or value is None:
            return None
        if check_value(node.rule or MANUAL, node.max, value) is not None:
            return None
        return value


@dataclass
class GroupResults:
    """One group of a period scored by the engine, with what the pages need around it."""

    period_group: PeriodGroup
    results: Results
    data: EvaluationInput


def period_results(period: Period) -> list[tuple[PeriodGroup, Results]]:
    """Every group of ``period`` scored by the engine (one evaluation per group), compared
    with the same group in ``period.previous`` when there is one."""
    return [(g.period_group, g.results) for g in period_group_results(period)]


def period_group_results(
    period: Period,
    only: PeriodGroup | None = None,
    *,
    compare: bool = True,
    with_self: bool = True,
) -> list[GroupResults]:
    """Like :func:`period_results`, keeping the engine input too; ``only`` scores one group.
    ``with_self=False`` leaves the self-assessment out (the previous period's is never read:
    only its indexes, ranks and classes are compared)."""
    bindings = [only] if only is not None else period_groups(period)
    previous: dict[int, Mapping[str, PreviousResult]] = {}
    if compare and period.previous_id is not None:
        previous_period = Period.objects.get(pk=period.previous_id)
        wanted = {pg.group_id for pg in bindings}
        for old in period_group_results(previous_period, compare=False, with_self=False):
            if old.period_group.group_id in wanted:
                previous[old.period_group.group_id] = previous_results(old.results)
    criteria_cache: dict[int, engine.CriteriaSet] = {}
    scored: list[GroupResults] = []
    for binding in bindings:
        criteria = criteria_cache.get(binding.criteria_set_id)
        if criteria is None:
            criteria = criteria_cache[binding.criteria_set_id] = engine_criteria(
                binding.criteria_set
            )
        data = period_evaluation_input(period, binding, criteria=criteria, with_self=with_self)
        data.previous = previous.get(binding.group_id)
        scored.append(GroupResults(binding, engine.evaluate(data), data))
    return scored


def previous_results(results: Results) -> dict[str, PreviousResult]:
    """Unit code → published index and rank, for comparing a later period with this one."""
    return {
        r.unit: PreviousResult(index=r.index, rank=r.rank, class_label=r.class_label)
        for r in results.units
    }


def group_results(period: Period, group_code: str) -> GroupResults | None:
    """One group of ``period`` by its unit-group code, scored and compared; None if absent."""
    binding = next((pg for pg in period_groups(period) if pg.group.code == group_code), None)
    if binding is None:
        return None
    return period_group_results(period, binding)[0]


def period_document(period: Period, group: PeriodGroup) -> dict[str, Any]:
    """The portable evaluation file (``parindex-evaluation/1``) of one group of a period.

    ``parindex evaluate`` on it reproduces the results page: the same indexes, ranks and
    classes, the same self-assessment (``self_scores``) and (with ``previous_results``,
    which the format accepts, each with its ``class`` when known) the same changes.
    """
    [scored] = period_group_results(period, group)
    extras = node_extras(group.criteria_set)
    document = input_document(scored.data, lambda code: extras.get(code, {}))
    if scored.data.previous is not None:
        document["previous_results"] = [
            {
                "unit": code,
                "index": num(previous.index),
                "rank": previous.rank,
                **({"class": previous.class_label} if previous.class_label is not None else {}),
            }
            for code, previous in scored.data.previous.items()
        ]
    document["metadata"] = {
        "period": {
            "id": period.pk,
            "name": period.name,
            "year": period.year,
            "kind": period.kind,
            "status": period.status,
            "jurisdiction": period.jurisdiction.code,
        },
        "group": {"code": group.group.code, "name": group.group.name},
    }
    return document


@dataclass(frozen=True)
class NodeRow:
    """A line of a unit's breakdown: one node of the tree with its points."""

    code: str
    name: str
    depth: int
    is_field: bool
    is_leaf: bool
    points: Decimal | None
    max: Decimal | None
    lost: Decimal | None
    """Points below the node's applicable max; None when not applicable."""
    not_applicable: bool
    missing: bool


def unit_breakdown(results: Results, unit_code: str) -> list[NodeRow]:
    """Every node of the set for one unit, in display order, with the engine's points."""
    result = results.unit(unit_code)
    nodes = results.criteria.nodes
    parent_of = {node.code: node.parent for node in nodes}
    has_children = {node.parent for node in nodes if node.parent is not None}
    points_of = {n.code: n for n in result.nodes()}
    missing = set(result.missing)
    rows: list[NodeRow] = []
    for node in nodes:
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent_of.get(parent)
        scored = points_of.get(node.code)
        rows.append(
            NodeRow(
                code=node.code,
                name=node.name,
                depth=depth,
                is_field=node.parent is None,
                is_leaf=node.code not in has_children,
                points=scored.points if scored else None,
                max=scored.max if scored else None,
                lost=scored.lost if scored else None,
                not_applicable=scored is None,
                missing=node.code in missing,
            )
        )
    return rows


@dataclass(frozen=True)
class UnitLabel:
    """How a unit is labelled on results pages besides its name."""

    short: str
    """The short name, or the name: for charts."""
    parent: str | None
    """The unit above it when that is not the period's jurisdiction (a xã's huyện)."""


def unit_labels(codes: Iterable[str], jurisdiction_id: int) -> dict[str, UnitLabel]:
    """Unit code → :class:`UnitLabel`, in one query."""
    rows = Unit.objects.filter(code__in=list(codes)).values_list(
        "code", "name", "short_name", "parent_id", "parent__name"
    )
    return {
        code: UnitLabel(
            short=short_name or name,
            parent=parent_name if parent_id not in (None, jurisdiction_id) else None,
        )
        for code, name, short_name, parent_id, parent_name in rows
    }


def points_lost(rows: Iterable[NodeRow]) -> list[NodeRow]:
    """The leaves where points were lost, biggest loss first."""
    lost = [row for row in rows if row.is_leaf and row.lost]
    return sorted(lost, key=lambda row: (-(row.lost or 0), row.code))


def field_names(criteria: engine.CriteriaSet) -> dict[str, str]:
    """Field code → name."""
    return {node.code: node.name for node in criteria.nodes if node.parent is None}


def field_maxima(criteria: engine.CriteriaSet) -> dict[str, Decimal]:
    """Field code → the field's max in the set (before any not-applicable exclusion)."""
    return {node.code: node.max for node in criteria.nodes if node.parent is None}


def units_matching(codes: Iterable[str], query: str) -> set[str]:
    """The codes among ``codes`` whose unit matches ``query`` (diacritic-insensitive)."""
    matching = Unit.objects.filter(code__in=list(codes)).search(query)
    return set(matching.values_list("code", flat=True))
