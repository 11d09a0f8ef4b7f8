"""The self-assessment screen, its summary and the list of assessments: the tree of items
with live points from the engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from parindex import engine
from parindex.assessments.leaves import leaf_points, value_text
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit, can_submit
from parindex.assessments.selectors.state import (
    binding_of,
    check_leaf,
    closed_reason,
    deadline_passed,
    self_deadline,
)
from parindex.assessments.values import (
    EMPTY_TEXT,
    stored_to_engine,
)
from parindex.assessments.workflow import EDITABLE
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import describe_rule, engine_criteria
from parindex.engine.model import NOT_APPLICABLE, Rule, Value
from parindex.engine.rules import check_value
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    PeriodStatus,
)


def answer_points_preview(
    *,
    assessment: Assessment,
    node: CriterionNode,
    value: Any | None,
    not_applicable: bool = False,
) -> Decimal | None:
    """The points the engine gives ``value`` for this leaf (nothing is saved); None when
    nothing was entered or the item is not applicable. Invalid input raises
    :class:`ValidationError` as :func:`answer_save` would."""
    criteria_set = check_leaf(assessment, node)
    return leaf_points(criteria_set, node, value, not_applicable=not_applicable)


@dataclass
class _Evaluation:
    criteria_set: CriteriaSet
    criteria: engine.CriteriaSet
    nodes: list[CriterionNode]
    answers: dict[int, Answer]
    result: engine.UnitResult


def _evaluate(assessment: Assessment) -> _Evaluation:
    binding = binding_of(assessment)
    if binding is None:
        raise ValidationError(
            f"Đơn vị {assessment.unit.name} không thuộc nhóm đơn vị nào của kỳ đánh giá "
            f"{assessment.period.name}."
        )
    criteria_set = binding.criteria_set
    criteria = engine_criteria(criteria_set)
    nodes = list(CriterionNode.objects.filter(criteria_set=criteria_set).order_by("position", "id"))
    answers = {
        a.node_id: a
        for a in Answer.objects.filter(
            assessment=assessment, node__criteria_set=criteria_set
        ).select_related("updated_by")
    }
    parents = {n.parent for n in criteria.nodes if n.parent is not None}
    leaves = {n.code: n for n in criteria.nodes if n.code not in parents}
    by_id = {n.pk: n for n in nodes}
    scores: dict[str, Value] = {}
    excluded: set[str] = set()
    for node_id, answer in answers.items():
        node = by_id.get(node_id)
        if node is None or node.code not in leaves:
            continue
        if answer.self_not_applicable:
            excluded.add(node.code)
        elif answer.self_value is not None:
            value = _valid(node, leaves[node.code], answer.self_value)
            if value is not None:
                scores[node.code] = value
    unit = engine.UnitInput(assessment.unit.code, assessment.unit.name, binding.group.name)
    data = engine.EvaluationInput(
        criteria=criteria,
        units=[unit],
        scores={unit.code: scores},
        not_applicable={unit.code: frozenset(excluded)} if excluded else {},
        # The survey is measured by the province, not self-assessed: left out of the index.
        survey={unit.code: NOT_APPLICABLE} if criteria.survey_max is not None else {},
    )
    [result] = engine.evaluate(data).units
    return _Evaluation(criteria_set, criteria, nodes, answers, result)


def _valid(node: CriterionNode, definition: engine.NodeDef, stored: Any) -> Value | None:
    """A stored value the engine can score (a value stored under an older rule is skipped)."""
    try:
        value = stored_to_engine(stored)
    except (InvalidOperation, KeyError, TypeError, ValueError):
        return None
    rule = definition.rule or Rule()
    return None if check_value(rule, definition.max, value) else value


def self_assessment_results(assessment: Assessment) -> engine.UnitResult:
    """The engine's result of the unit's SELF values (not-applicable honoured) with the
    criteria set of its group: points per node and field, total, index so far. The survey,
    bonus and penalty are not part of the self-assessment and are left out."""
    return _evaluate(assessment).result


@dataclass
class ScreenRow:
    """One node of a unit's self-assessment screen with the engine's numbers."""

    node: CriterionNode
    depth: int
    is_leaf: bool
    field_code: str
    answer: Answer | None
    points: Decimal | None
    """The engine's points; None when not applicable."""
    max: Decimal | None
    """The engine's applicable max; None when not applicable."""
    answered: int
    """Leaves with a value or marked not applicable (this leaf: 0 or 1)."""
    leaves: int
    rule_text: str

    @property
    def not_applicable(self) -> bool:
        return self.points is None

    @property
    def missing(self) -> bool:
        return self.is_leaf and not self.answered

    @property
    def complete(self) -> bool:
        return self.answered == self.leaves

    @property
    def value_text(self) -> str:
        if self.answer is None:
            return EMPTY_TEXT
        return value_text(
            self.node, self.answer.self_value, not_applicable=self.answer.self_not_applicable
        )

    @property
    def input_value(self) -> str:
        """The stored number as typed (decimal comma), "true"/"false", or ""."""
        stored = self.answer.self_value if self.answer else None
        if isinstance(stored, bool):
            return "true" if stored else "false"
        if stored is None or isinstance(stored, dict):
            return ""
        return str(stored).replace(".", ",")

    def _part(self, key: str) -> str:
        stored = self.answer.self_value if self.answer else None
        return str(stored.get(key, "")).replace(".", ",") if isinstance(stored, dict) else ""

    @property
    def input_numerator(self) -> str:
        return self._part("numerator")

    @property
    def input_denominator(self) -> str:
        return self._part("denominator")


def self_assessment_tree(assessment: Assessment) -> list[ScreenRow]:
    """Every node of the unit's criteria set in display order: depth, leaf or not, the saved
    answer, the engine's points and applicable max, and progress (answered leaves / leaves)
    of every node (a field's progress is its answered leaves / its leaves)."""
    return _tree(_evaluate(assessment))


def _tree(evaluation: _Evaluation) -> list[ScreenRow]:
    nodes, answers, result = evaluation.nodes, evaluation.answers, evaluation.result
    by_id = {n.pk: n for n in nodes}
    children: dict[int, list[int]] = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node.pk)
    counts: dict[int, tuple[int, int]] = {}

    def count(node_id: int) -> tuple[int, int]:
        if node_id in counts:
            return counts[node_id]
        kids = children.get(node_id)
        if not kids:
            answer = answers.get(node_id)
            done = answer is not None and (
                answer.self_not_applicable or answer.self_value is not None
            )
            counts[node_id] = (int(done), 1)
        else:
            parts = [count(k) for k in kids]
            counts[node_id] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
        return counts[node_id]

    rows: list[ScreenRow] = []
    for node in nodes:
        depth, root, parent_id = 0, node, node.parent_id
        while parent_id is not None and parent_id in by_id:
            depth, root, parent_id = depth + 1, by_id[parent_id], by_id[parent_id].parent_id
        scored = result.node(node.code)
        is_leaf = node.pk not in children
        answered, leaves = count(node.pk)
        rows.append(
            ScreenRow(
                node=node,
                depth=depth,
                is_leaf=is_leaf,
                field_code=root.code,
                answer=answers.get(node.pk),
                points=scored.points if scored else None,
                max=scored.max if scored else None,
                answered=answered,
                leaves=leaves,
                rule_text=describe_rule(
                    {
                        "rule_type": node.rule_type,
                        "max_points": node.max_points,
                        "floor": node.floor,
                        "full_at": node.full_at,
                        "tiers": node.tiers,
                        "per_item": node.per_item,
                    },
                    is_leaf=is_leaf,
                ),
            )
        )
    return rows


@dataclass
class Screen:
    """Everything the self-assessment page shows, for one user."""

    assessment: Assessment
    criteria_set: CriteriaSet
    result: engine.UnitResult
    rows: list[ScreenRow]
    fields: list[ScreenRow]
    field: ScreenRow | None
    """The selected field."""
    field_rows: list[ScreenRow]
    """The selected field's criteria (the field itself first)."""
    can_edit: bool
    closed: str | None
    """Why the self-assessment cannot be changed now (None: open)."""
    can_submit: bool
    can_withdraw: bool
    deadline: datetime.datetime | None
    answered: int
    leaves: int

    @property
    def remaining(self) -> int:
        """Leaves not answered yet."""
        return self.leaves - self.answered

    @property
    def points_places(self) -> int:
        return self.criteria_set.rounding_places

    @property
    def index_places(self) -> int:
        return self.criteria_set.index_rounding_places

    def row(self, node_id: int) -> ScreenRow | None:
        return next((r for r in self.rows if r.node.pk == node_id), None)

    def field_of(self, row: ScreenRow) -> ScreenRow | None:
        return next((f for f in self.fields if f.node.code == row.field_code), None)


def self_assessment_screen(
    assessment: Assessment, user: Any, *, field_code: str | None = None
) -> Screen:
    """The screen of ``assessment`` for ``user`` (who must see it: use the chokepoints)."""
    evaluation = _evaluate(assessment)
    rows = _tree(evaluation)
    fields = [r for r in rows if r.depth == 0]
    field_row = next((f for f in fields if f.node.code == field_code), None)
    closed = closed_reason(assessment)
    can_edit = can_edit_as_unit(user, assessment) and closed is None
    if field_row is None:  # editors start at the first unfinished field, readers at the first
        unfinished = (f for f in fields if not f.complete and can_edit)
        field_row = next(unfinished, fields[0] if fields else None)
    is_leader = can_submit(user, assessment)
    open_for_leader = (
        is_leader
        and assessment.period.status == PeriodStatus.SELF_ASSESSMENT
        and not deadline_passed(assessment)
    )
    answered = sum(f.answered for f in fields)
    return Screen(
        assessment=assessment,
        criteria_set=evaluation.criteria_set,
        result=evaluation.result,
        rows=rows,
        fields=fields,
        field=field_row,
        field_rows=[r for r in rows if field_row and r.field_code == field_row.field_code],
        can_edit=can_edit,
        closed=closed,
        can_submit=open_for_leader and assessment.status in EDITABLE,
        can_withdraw=open_for_leader and assessment.status == AssessmentStatus.SUBMITTED,
        deadline=self_deadline(assessment),
        answered=answered,
        leaves=sum(f.leaves for f in fields),
    )


@dataclass(frozen=True)
class FieldSummary:
    code: str
    name: str
    points: Decimal
    max: Decimal
    percent: Decimal
    """The engine's field percentage, rounded as the set rounds the index."""
    answered: int
    leaves: int


@dataclass(frozen=True)
class Summary:
    result: engine.UnitResult
    fields: list[FieldSummary]
    not_applicable: list[ScreenRow]
    answered: int
    leaves: int
    points_places: int
    index_places: int
    has_survey: bool


def self_assessment_summary(assessment: Assessment) -> Summary:
    """Self-assessed points per field and the index so far (all from the engine)."""
    evaluation = _evaluate(assessment)
    rows = _tree(evaluation)
    by_code = {r.node.code: r for r in rows}
    index_rounding = evaluation.criteria.effective_index_rounding
    fields = [
        FieldSummary(
            code=f.code,
            name=by_code[f.code].node.name,
            points=f.points,
            max=f.max,
            percent=index_rounding.apply(f.percent),
            answered=by_code[f.code].answered,
            leaves=by_code[f.code].leaves,
        )
        for f in evaluation.result.fields
    ]
    roots = [r for r in rows if r.depth == 0]
    return Summary(
        result=evaluation.result,
        fields=fields,
        not_applicable=[r for r in rows if r.not_applicable and r.answer is not None],
        answered=sum(r.answered for r in roots),
        leaves=sum(r.leaves for r in roots),
        points_places=evaluation.criteria_set.rounding_places,
        index_places=evaluation.criteria_set.index_rounding_places,
        has_survey=evaluation.criteria.survey_max is not None,
    )


@dataclass(frozen=True)
class ListRow:
    assessment: Assessment
    deadline: datetime.datetime | None

    @property
    def days_left(self) -> int | None:
        """Whole days until the deadline (0 on its last day); None without one."""
        if self.deadline is None:
            return None
        return (timezone.localdate(self.deadline) - timezone.localdate()).days

    @property
    def passed(self) -> bool:
        return self.deadline is not None and timezone.now() > self.deadline


def assessment_list_rows(assessments: Iterable[Assessment]) -> list[ListRow]:
    """Each assessment with its unit's self-assessment deadline (one query for extensions)."""
    items = list(assessments)
    extensions = {
        (e.period_id, e.unit_id): e.until
        for e in DeadlineExtension.objects.filter(
            stage=DeadlineStage.SELF_ASSESSMENT,
            period_id__in={a.period_id for a in items},
            unit_id__in={a.unit_id for a in items},
        )
    }
    return [
        ListRow(
            a,
            extensions.get((a.period_id, a.unit_id), a.period.self_assessment_deadline),
        )
        for a in items
    ]


def assessments_for_list(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("period", "unit").order_by(
        "-period__year", "period__name", "unit__position", "unit__name", "pk"
    )
