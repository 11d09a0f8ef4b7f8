"""The self-assessment screen, its summary and the list of assessments: the tree of items
with live points from the engine."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from parindex import engine
from parindex.assessments.leaves import leaf_points, value_text
from parindex.assessments.models import Answer, Assessment, AssessmentStatus, ItemScore
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
from parindex.criteria.selectors import describe_rule, engine_criteria, set_nodes
from parindex.engine.model import NOT_APPLICABLE, Rule, Value
from parindex.engine.rules import check_value
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    PeriodStatus,
)
from parindex.periods.selectors import EXCLUDED_LABEL, excluded_node_codes


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
    period_excluded: frozenset[str] = frozenset()
    """The codes "chưa đánh giá ở kỳ 6 tháng" of the period (with what lies under them,
    left out of the unit's maximum; see :func:`excluded_node_codes`)."""


def _basis(answer: Answer, appraised: bool) -> tuple[Any, bool]:
    """The value and "không áp dụng" an evaluation takes from an item: the unit's own, or
    with ``appraised`` the appraised ones of an appraised item (else the unit's own, as
    finalising does)."""
    if appraised and answer.appraisal_round > 0:
        return answer.appraised_value, answer.appraised_not_applicable
    return answer.self_value, answer.self_not_applicable


def _bases(
    assessment: Assessment, answers: dict[int, Answer], appraised: bool
) -> dict[int, tuple[Any, bool]]:
    """Node id → (stored value, not applicable) the evaluation scores. The appraised side
    of a period finalised from imported final scores (no items were entered in parindex:
    results of earlier years) is those final scores, never an empty sheet."""
    if appraised and not answers:
        return {
            item.node_id: (item.value, item.not_applicable)
            for item in ItemScore.objects.filter(assessment=assessment)
        }
    return {node_id: _basis(answer, appraised) for node_id, answer in answers.items()}


def _evaluate(assessment: Assessment, *, appraised: bool = False) -> _Evaluation:
    binding = binding_of(assessment)
    if binding is None:
        raise ValidationError(
            f"Đơn vị {assessment.unit.name} không thuộc nhóm đơn vị nào của kỳ đánh giá "
            f"{assessment.period.name}."
        )
    criteria_set = binding.criteria_set
    nodes = set_nodes(criteria_set)
    criteria = engine_criteria(criteria_set, nodes)
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
    for node_id, (stored_value, not_applicable) in _bases(assessment, answers, appraised).items():
        node = by_id.get(node_id)
        if node is None:
            continue
        if not_applicable:  # a leaf, or a group (lĩnh vực, nhóm tiêu chí) as a whole
            excluded.add(node.code)
        elif node.code in leaves and stored_value is not None:
            value = _valid(node, leaves[node.code], stored_value)
            if value is not None:
                scores[node.code] = value
    # "Chưa đánh giá ở kỳ 6 tháng": left out of every unit's maximum, as not applicable.
    period_excluded = excluded_node_codes(assessment.period)
    excluded |= period_excluded & {n.code for n in criteria.nodes}
    up = {n.code: n.parent for n in criteria.nodes}
    if excluded:  # what lies under a node not applicable goes with it, never scored alone
        inside = {c for c in up if any(a in excluded for a in _ancestors(c, up))}
        excluded -= inside
        scores = {c: v for c, v in scores.items() if c not in inside}
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
    return _Evaluation(criteria_set, criteria, nodes, answers, result, period_excluded)


def _ancestors(code: str, up: dict[str, str | None]) -> list[str]:
    chain: list[str] = []
    parent = up.get(code)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = up.get(parent)
    return chain


def _valid(node: CriterionNode, definition: engine.NodeDef, stored: Any) -> Value | None:
    """A stored value the engine can score (a value stored under an older rule is skipped)."""
    try:
        value = stored_to_engine(stored)
    except (InvalidOperation, KeyError, TypeError, ValueError):
        return None
    rule = definition.rule or Rule()
    return None if check_value(rule, definition.max, value) else value


def evaluation(assessment: Assessment, *, appraised: bool = False) -> _Evaluation:
    """The engine's evaluation of the unit's items: its own values, or with ``appraised``
    the appraised values of the items appraised (the others keep the unit's own)."""
    return _evaluate(assessment, appraised=appraised)


def tree_rows(evaluated: _Evaluation) -> list[ScreenRow]:
    """The screen's rows of an evaluation (see :func:`self_assessment_tree`)."""
    return _tree(evaluated)


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
    under_group_out: bool = False
    """A group above this node was asked to be left out by the unit (đề nghị KAD)."""
    appraisal: Any = None
    """Its :class:`~parindex.assessments.selectors.unit_appraisal.AppraisalItem` once the
    unit sees its appraisal (set by ``with_appraisal``)."""
    edits: list[Any] = dataclasses.field(default_factory=list)
    """Its last edits by side (``unit_appraisal.Edit``), set by ``with_appraisal``."""
    period_excluded: bool = False
    """This node or one above it is "chưa đánh giá ở kỳ 6 tháng" in the period: not
    scored, not entered, out of the maximum (counted as done in the progress)."""

    excluded_label: ClassVar[str] = EXCLUDED_LABEL

    @property
    def group_out_requested(self) -> bool:
        """A group the unit asked to leave out (đơn vị đề nghị không áp dụng)."""
        return not self.is_leaf and self.answer is not None and self.answer.self_not_applicable

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

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
    out = _left_out(nodes, by_id, evaluation.period_excluded)
    # groups the unit asked to leave out ("đề nghị không áp dụng"): their leaves are done
    groups_out = {
        node_id
        for node_id, answer in answers.items()
        if answer.self_not_applicable and node_id in children
    }

    def under_group_out(node_id: int) -> bool:
        parent_id = by_id[node_id].parent_id
        while parent_id is not None and parent_id in by_id:
            if parent_id in groups_out:
                return True
            parent_id = by_id[parent_id].parent_id
        return False

    def count(node_id: int) -> tuple[int, int]:
        if node_id in counts:
            return counts[node_id]
        kids = children.get(node_id)
        if not kids:
            if node_id in out:  # "chưa đánh giá ở kỳ 6 tháng": not an item to enter
                counts[node_id] = (0, 0)
                return counts[node_id]
            answer = answers.get(node_id)
            done = (
                answer is not None and (answer.self_not_applicable or answer.self_value is not None)
            ) or under_group_out(node_id)
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
                under_group_out=under_group_out(node.pk),
                period_excluded=node.pk in out,
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


def _left_out(
    nodes: list[CriterionNode], by_id: dict[int, CriterionNode], codes: frozenset[str]
) -> set[int]:
    """The nodes "chưa đánh giá ở kỳ 6 tháng": those of ``codes`` and all below them."""
    if not codes:
        return set()
    out: set[int] = set()
    for node in nodes:
        current: CriterionNode | None = node
        seen: set[int] = set()
        while current is not None and current.pk not in seen:
            if current.code in codes:
                out.add(node.pk)
                break
            seen.add(current.pk)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return out


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
    appraisal: Any = None
    """The unit's appraisal (``unit_appraisal.AppraisalView``) once it sees it."""
    explanation_deadline: datetime.datetime | None = None
    """The unit's explanation deadline, in the explanation stage."""
    to_explain: int = 0
    """Items returned to the unit for explanation (round 1)."""

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
    period_excluded: list[ScreenRow] = dataclasses.field(default_factory=list)
    """The criteria the period lists as "chưa đánh giá ở kỳ 6 tháng" (the listed nodes, not
    what lies under them), in the set's order; empty for an annual period."""

    excluded_label: ClassVar[str] = EXCLUDED_LABEL


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
        not_applicable=[
            r for r in rows if r.not_applicable and r.answer is not None and not r.period_excluded
        ],
        answered=sum(r.answered for r in roots),
        leaves=sum(r.leaves for r in roots),
        points_places=evaluation.criteria_set.rounding_places,
        index_places=evaluation.criteria_set.index_rounding_places,
        has_survey=evaluation.criteria.survey_max is not None,
        period_excluded=[r for r in rows if r.node.code in evaluation.period_excluded],
    )


@dataclass(frozen=True)
class ListRow:
    assessment: Assessment
    deadline: datetime.datetime | None
    stage: str = DeadlineStage.SELF_ASSESSMENT
    """Whose deadline ``deadline`` is: the self-assessment's or, in the explanation stage,
    the explanation's."""

    @property
    def deadline_label(self) -> str:
        return "Hạn giải trình" if self.stage == DeadlineStage.EXPLANATION else "Hạn tự đánh giá"

    @property
    def running(self) -> bool:
        """The deadline's stage is the period's current one (a countdown is shown)."""
        wanted = (
            PeriodStatus.EXPLANATION
            if self.stage == DeadlineStage.EXPLANATION
            else PeriodStatus.SELF_ASSESSMENT
        )
        return self.assessment.period.status == wanted

    @property
    def to_explain(self) -> bool:
        return (
            self.assessment.period.status == PeriodStatus.EXPLANATION
            and self.assessment.status == AssessmentStatus.NEEDS_EXPLANATION
        )

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
    """Each assessment with its unit's deadline of the moment: the explanation deadline in
    the explanation stage, else the self-assessment one (extensions honoured; one query)."""
    items = list(assessments)
    extensions = {
        (e.period_id, e.unit_id, e.stage): e.until
        for e in DeadlineExtension.objects.filter(
            stage__in=(DeadlineStage.SELF_ASSESSMENT, DeadlineStage.EXPLANATION),
            period_id__in={a.period_id for a in items},
            unit_id__in={a.unit_id for a in items},
        )
    }
    rows = []
    for a in items:
        if a.period.status == PeriodStatus.EXPLANATION:
            stage, default = DeadlineStage.EXPLANATION, a.period.explanation_deadline
        else:
            stage, default = DeadlineStage.SELF_ASSESSMENT, a.period.self_assessment_deadline
        rows.append(ListRow(a, extensions.get((a.period_id, a.unit_id, stage), default), stage))
    return rows


def assessments_for_list(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related("period", "unit").order_by(
        "-period__year", "period__name", "unit__position", "unit__name", "pk"
    )
