"""The self-assessment season of a unit (tự đánh giá): saving items, submitting, withdrawing,
the engine's points as the unit types, the screen's tree and the item history.

Writes (``answer_save``, ``assessment_submit``, ``assessment_withdraw``) are services:
keyword-only, one transaction, an audit event with before/after in the same transaction.
Every number (an item's points, a field's points, the index so far) comes from the scoring
engine: :func:`parindex.engine.rules.make_scorer` for one item,
:func:`parindex.engine.evaluate` for the unit.

Two people saving the same item: each save carries the :attr:`Answer.version` its author
saw; the row is locked (``select_for_update``) and a save that carries an older version
raises :class:`Conflict` with the other person's value. Nothing is silently overwritten.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.models import Answer, AppraisalRecord, Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit, can_submit
from parindex.assessments.values import (
    EMPTY_TEXT,
    BadValue,
    input_label,
    parse_input,
    stored_to_engine,
)
from parindex.assessments.values import value_text as shown_value
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.core.cells import inert
from parindex.criteria.models import CriteriaSet, CriterionNode, RuleType
from parindex.criteria.selectors import describe_rule, engine_criteria, vn_number
from parindex.engine.evalfile import value_document
from parindex.engine.model import NOT_APPLICABLE, Rounding, Rule, Value
from parindex.engine.rules import check_value, make_scorer
from parindex.evidence.models import EvidenceLink
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.selectors import effective_deadline

EDITABLE = (AssessmentStatus.NOT_STARTED, AssessmentStatus.IN_PROGRESS)
"""Assessment statuses in which the unit may still change its self-assessment."""

SELF_FIELDS = (
    "self_value",
    "self_not_applicable",
    "na_justification",
    "explanation",
    "version",
    "updated_by",
    "updated_at",
)
"""The columns of an :class:`Answer` a self-assessment save writes."""

MAX_EXPLANATION = 10_000
MAX_JUSTIFICATION = 4_000

ANSWER_TARGET = "assessments.answer"
ASSESSMENT_TARGET = "assessments.assessment"
EVIDENCE_LINK_TARGET = "evidence.evidencelink"


class Conflict(Exception):
    """Someone saved the item after the version the caller saw. ``current`` is the stored
    row (with its value, author and time); the message says who, when and what."""

    def __init__(self, current: Answer, message: str) -> None:
        super().__init__(message)
        self.current = current
        self.message = message


# --------------------------------------------------------------------------- rules and values


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


# --------------------------------------------------------------------------- state checks


def binding_of(assessment: Assessment) -> PeriodGroup | None:
    """The period's binding of the unit's group to a criteria set, if any."""
    group_id = assessment.unit.group_id
    if group_id is None:
        return None
    return (
        PeriodGroup.objects.filter(period_id=assessment.period_id, group_id=group_id)
        .select_related("criteria_set", "group")
        .first()
    )


def self_deadline(assessment: Assessment) -> datetime.datetime | None:
    """The unit's self-assessment deadline (its extension if granted)."""
    return effective_deadline(assessment.period, assessment.unit_id, DeadlineStage.SELF_ASSESSMENT)


def fmt_time(value: datetime.datetime | None) -> str:
    """HH:MM dd/mm/yyyy in the site's time zone."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


_UNSET: Any = object()


def closed_reason(
    assessment: Assessment,
    period: Period | None = None,
    *,
    deadline: datetime.datetime | None = _UNSET,
) -> str | None:
    """Why the unit cannot change its self-assessment now, or None when it can.

    ``deadline`` is the unit's self-assessment deadline when the caller has read it already
    (see :func:`_lock`); otherwise it is read here."""
    period = period or assessment.period
    if period.status != PeriodStatus.SELF_ASSESSMENT:
        return (
            f"Kỳ đánh giá {period.name} không ở giai đoạn tự đánh giá "
            f"(đang “{PeriodStatus(period.status).label}”)."
        )
    if assessment.status not in EDITABLE:
        if assessment.status == AssessmentStatus.SUBMITTED:
            return (
                f"Hồ sơ tự đánh giá đã gửi lúc {fmt_time(assessment.submitted_at)}; "
                "lãnh đạo đơn vị rút hồ sơ để sửa."
            )
        return (
            "Hồ sơ tự đánh giá đang ở trạng thái "
            f"“{AssessmentStatus(assessment.status).label}”, không sửa được."
        )
    if deadline is _UNSET:
        deadline = effective_deadline(period, assessment.unit_id, DeadlineStage.SELF_ASSESSMENT)
    if deadline is not None and timezone.now() > deadline:
        return f"Đã hết hạn tự đánh giá ({fmt_time(deadline)})."
    return None


def can_self_assess(user: Any, assessment: Assessment) -> bool:
    """May ``user`` change this self-assessment now (unit staff/leader, stage open)."""
    return can_edit_as_unit(user, assessment) and closed_reason(assessment) is None


def _lock(assessment: Assessment, node: CriterionNode | None = None) -> Assessment:
    """The assessment row locked for this transaction (saves, submit and withdraw of one
    unit queue behind each other), with its period and unit as now stored, and in the same
    query: the unit's self-assessment extension (``self_extension_until``, None without
    one) and, when ``node`` is given, what :func:`_check_leaf` needs (``bound_set_id``: the
    set the period binds to the unit's group; ``node_has_children``)."""
    extension = DeadlineExtension.objects.filter(
        period_id=OuterRef("period_id"),
        unit_id=OuterRef("unit_id"),
        stage=DeadlineStage.SELF_ASSESSMENT,
    ).values("until")[:1]
    query = Assessment.objects.select_related("period", "unit").annotate(
        self_extension_until=Subquery(extension)
    )
    if node is not None:
        bound = PeriodGroup.objects.filter(
            period_id=OuterRef("period_id"), group_id=OuterRef("unit__group_id")
        ).values("criteria_set_id")[:1]
        query = query.annotate(
            bound_set_id=Subquery(bound),
            node_has_children=Exists(CriterionNode.objects.filter(parent_id=node.pk)),
        )
    return query.select_for_update(of=("self",)).get(pk=assessment.pk)


def _locked_deadline(locked: Assessment) -> datetime.datetime | None:
    """The self-assessment deadline of an assessment read by :func:`_lock`."""
    extension: datetime.datetime | None = getattr(locked, "self_extension_until", None)
    return extension if extension is not None else locked.period.self_assessment_deadline


def _check_leaf(assessment: Assessment, node: CriterionNode) -> CriteriaSet:
    """The unit's criteria set in the period, once ``node`` is known to be one of its
    leaves (one query: the binding, its set and whether ``node`` has children)."""
    group_id = assessment.unit.group_id
    binding = (
        PeriodGroup.objects.filter(period_id=assessment.period_id, group_id=group_id)
        .select_related("criteria_set")
        .annotate(node_has_children=Exists(CriterionNode.objects.filter(parent_id=node.pk)))
        .first()
        if group_id is not None
        else None
    )
    _refuse_unless_leaf(
        assessment,
        node,
        bound_set_id=binding.criteria_set_id if binding else None,
        has_children=bool(binding and binding.node_has_children),
    )
    assert binding is not None  # refused above
    return binding.criteria_set


def _check_locked_leaf(locked: Assessment, node: CriterionNode) -> None:
    """:func:`_check_leaf` on what :func:`_lock` read with ``node`` (no further query)."""
    _refuse_unless_leaf(
        locked,
        node,
        bound_set_id=getattr(locked, "bound_set_id", None),
        has_children=bool(getattr(locked, "node_has_children", True)),
    )


def _refuse_unless_leaf(
    assessment: Assessment, node: CriterionNode, *, bound_set_id: int | None, has_children: bool
) -> None:
    if bound_set_id is None:
        raise ValidationError(
            f"Đơn vị {assessment.unit.name} không thuộc nhóm đơn vị nào của kỳ đánh giá "
            f"{assessment.period.name}."
        )
    if node.criteria_set_id != bound_set_id:
        bound = CriteriaSet.objects.filter(pk=bound_set_id).values_list("name", flat=True)
        raise ValidationError(f"Tiêu chí {node.code} không thuộc bộ tiêu chí {bound.first()}.")
    if has_children:
        raise ValidationError(
            f"Tiêu chí {node.code} có tiêu chí con: điểm được tính từ các tiêu chí con."
        )


def assessment_node_by_code(assessment: Assessment, code: str) -> CriterionNode | None:
    """The node ``code`` of the criteria set the period binds to the unit's group (with
    its set), or None: one query. Saving refuses a node with children (see
    :func:`_check_leaf`), with a message that says why."""
    group_id = assessment.unit.group_id
    if group_id is None:
        return None
    return (
        CriterionNode.objects.filter(
            code=code,
            criteria_set__period_groups__period_id=assessment.period_id,
            criteria_set__period_groups__group_id=group_id,
        )
        .select_related("criteria_set")
        .first()
    )


# --------------------------------------------------------------------------- saving an item


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "value": answer.self_value,
        "not_applicable": answer.self_not_applicable,
        "na_justification": answer.na_justification,
        "explanation": answer.explanation,
    }


def too_long(label: str, text: str, limit: int) -> str | None:
    """The Vietnamese refusal of a text longer than ``limit`` characters (None if it is
    not): never cut silently, the person shortens it."""
    if len(text) <= limit:
        return None

    def dotted(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    return (
        f"{label} dài {dotted(len(text))} ký tự, tối đa {dotted(limit)} ký tự: hãy rút gọn "
        "rồi lưu lại (chưa lưu gì)."
    )


def _clean_text(text: str, code: str, label: str, limit: int, key: str) -> str:
    cleaned = (text or "").replace("\x00", "").strip()
    if (problem := too_long(label, cleaned, limit)) is not None:
        raise ValidationError({key: [f"Tiêu chí {code}: {problem}"]})
    return cleaned


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "người khác"


def conflict_message(node: CriterionNode, current: Answer) -> str:
    shown = value_text(node, current.self_value, not_applicable=current.self_not_applicable)
    return (
        f"Tiêu chí {node.code} đã được {_person(current.updated_by)} lưu lúc "
        f"{fmt_time(current.updated_at)} với giá trị {shown}; hãy xem lại trước khi lưu."
    )


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    node: CriterionNode,
    actor: User,
    version: int,
    value: Any | None,
    not_applicable: bool = False,
    na_justification: str = "",
    explanation: str = "",
) -> Answer:
    """Save the unit's self-assessment of one leaf (a draft: the unit may save again).

    ``version`` is the item's version the author saw (0: no saved row); an older one raises
    :class:`Conflict`. ``value`` is what was typed or sent (see :func:`parse_value`); it is
    ignored when ``not_applicable``. Raises :class:`ValidationError` (Vietnamese, naming the
    criterion and the input) when the user, stage, deadline, node or value is not right.
    """
    locked = _lock(assessment, node)
    if not can_edit_as_unit(actor, locked):
        raise ValidationError("Chỉ cán bộ, lãnh đạo của đơn vị được tự đánh giá phiếu này.")
    if reason := closed_reason(locked, deadline=_locked_deadline(locked)):
        raise ValidationError(reason)
    _check_locked_leaf(locked, node)
    code = node.code
    if not_applicable:
        if not node.allow_not_applicable:
            raise ValidationError(
                {"not_applicable": [f"Tiêu chí {code} không được đánh dấu “không áp dụng”."]}
            )
        justification = _clean_text(
            na_justification, code, "lý do không áp dụng", MAX_JUSTIFICATION, "na_justification"
        )
        if not justification:
            raise ValidationError(
                {"na_justification": [f"Tiêu chí {code}: cần nêu lý do không áp dụng."]}
            )
        stored = None
    else:
        justification = ""
        parsed = parse_value(node, value)
        stored = None if parsed is None else value_document(parsed)
    text = _clean_text(explanation, code, "thuyết minh", MAX_EXPLANATION, "explanation")

    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(assessment=locked, node=node)
        .first()
    )
    after = {
        "value": stored,
        "not_applicable": not_applicable,
        "na_justification": justification,
        "explanation": text,
    }
    if answer is None:
        if version != 0:
            raise ValidationError(
                f"Tiêu chí {code}: không tìm thấy nội dung đã lưu; hãy tải lại trang."
            )
        before = None
        answer = Answer(assessment=locked, node=node)
    else:
        if _snapshot(answer) == after:
            return answer  # nothing changes: not a conflict, nothing to record
        if answer.version != version:
            raise Conflict(answer, conflict_message(node, answer))
        before = {**_snapshot(answer), "version": answer.version}
    answer.self_value = stored
    answer.self_not_applicable = not_applicable
    answer.na_justification = justification
    answer.explanation = text
    answer.version += 1
    answer.updated_by = actor
    if before is None:
        answer.save()
    else:  # only what the unit owns: the appraisal columns are not rewritten
        answer.save(update_fields=SELF_FIELDS)
    record(
        actor=actor,
        action="answer.self_saved",
        target=answer,
        summary=(
            f"Tự đánh giá tiêu chí {code} ({locked.unit.name}): "
            f"{value_text(node, stored, not_applicable=not_applicable)}"
        ),
        before=before,
        after={**after, "version": answer.version},
    )
    if locked.status == AssessmentStatus.NOT_STARTED:
        _set_status(locked, AssessmentStatus.IN_PROGRESS, actor, "assessment.self_started")
    assessment.status = locked.status
    return answer


def _set_status(locked: Assessment, status: str, actor: User, action: str) -> None:
    before = {
        "status": locked.status,
        "submitted_at": locked.submitted_at.isoformat() if locked.submitted_at else None,
    }
    locked.status = status
    if status == AssessmentStatus.SUBMITTED:
        locked.submitted_at, locked.submitted_by = timezone.now(), actor
    else:
        locked.submitted_at, locked.submitted_by = None, None
    locked.save(update_fields=["status", "submitted_at", "submitted_by"])
    labels = {
        "assessment.self_started": "Bắt đầu tự đánh giá",
        "assessment.submitted": "Gửi hồ sơ tự đánh giá",
        "assessment.withdrawn": "Rút hồ sơ tự đánh giá",
    }
    record(
        actor=actor,
        action=action,
        target=locked,
        summary=f"{labels[action]}: {locked.unit.name} ({locked.period.name})",
        before=before,
        after={
            "status": status,
            "submitted_at": locked.submitted_at.isoformat() if locked.submitted_at else None,
        },
    )


# --------------------------------------------------------------------------- submit, withdraw


def _check_leader(actor: User, locked: Assessment, what: str) -> None:
    if not can_submit(actor, locked):
        raise ValidationError(f"Chỉ lãnh đạo đơn vị được {what}.")
    period = locked.period
    if period.status != PeriodStatus.SELF_ASSESSMENT:
        raise ValidationError(
            f"Không thể {what}: kỳ đánh giá {period.name} không ở giai đoạn tự đánh giá."
        )
    deadline = self_deadline(locked)
    if deadline is not None and timezone.now() > deadline:
        raise ValidationError(f"Không thể {what}: đã hết hạn tự đánh giá ({fmt_time(deadline)}).")


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User) -> Assessment:
    """The unit leader sends the self-assessment (gửi hồ sơ): it becomes read-only."""
    locked = _lock(assessment)
    _check_leader(actor, locked, "gửi hồ sơ tự đánh giá")
    if locked.status not in EDITABLE:
        raise ValidationError(
            "Hồ sơ tự đánh giá đang ở trạng thái "
            f"“{AssessmentStatus(locked.status).label}”: không gửi được."
        )
    _set_status(locked, AssessmentStatus.SUBMITTED, actor, "assessment.submitted")
    _copy_status(locked, assessment)
    return locked


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, actor: User) -> Assessment:
    """The unit leader takes a sent self-assessment back (rút hồ sơ) before the deadline."""
    locked = _lock(assessment)
    _check_leader(actor, locked, "rút hồ sơ tự đánh giá")
    if locked.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Hồ sơ tự đánh giá chưa được gửi: không có gì để rút.")
    _set_status(locked, AssessmentStatus.IN_PROGRESS, actor, "assessment.withdrawn")
    _copy_status(locked, assessment)
    return locked


def _copy_status(locked: Assessment, assessment: Assessment) -> None:
    assessment.status = locked.status
    assessment.submitted_at = locked.submitted_at
    assessment.submitted_by = locked.submitted_by


# --------------------------------------------------------------------------- engine numbers


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
    criteria_set = _check_leaf(assessment, node)
    return leaf_points(criteria_set, node, value, not_applicable=not_applicable)


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


# --------------------------------------------------------------------------- the screen


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
        and not _deadline_passed(assessment)
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


def _deadline_passed(assessment: Assessment) -> bool:
    deadline = self_deadline(assessment)
    return deadline is not None and timezone.now() > deadline


def assessment_leaf(assessment: Assessment, node_id: int) -> CriterionNode | None:
    """The leaf ``node_id`` of the assessment's criteria set, or None."""
    binding = binding_of(assessment)
    if binding is None:
        return None
    return (
        CriterionNode.objects.filter(
            pk=node_id, criteria_set_id=binding.criteria_set_id, children__isnull=True
        )
        .select_related("criteria_set")
        .first()
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


# --------------------------------------------------------------------------- list page


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


# --------------------------------------------------------------------------- history


FIELD_LABELS = {  # in the order changes are listed (JSON keys have no order in PostgreSQL)
    "value": "Giá trị tự đánh giá",
    "not_applicable": "Không áp dụng",
    "na_justification": "Lý do không áp dụng",
    "explanation": "Thuyết minh",
    "status": "Trạng thái",
    "submitted_at": "Gửi lúc",
    "appraisal_round": "Vòng thẩm định",
    "appraised_value": "Giá trị thẩm định",
    "appraised_not_applicable": "Thẩm định: không áp dụng",
    "points": "Điểm",
    "appraisal_comment": "Ý kiến thẩm định",
    "comment": "Ý kiến",
    "needs_explanation": "Cần giải trình",
    "unit_response": "Nội dung giải trình",
    "name": "Tệp",
    "reused_upload": "Tệp tải lên (trùng nội dung)",
    "document_number": "Số, ký hiệu văn bản",
    "document_date": "Ngày ban hành",
    "document_issuer": "Cơ quan ban hành",
    "document_title": "Trích yếu",
}
ACTION_LABELS = {
    "answer.self_saved": "Tự đánh giá",
    "assessment.self_started": "Bắt đầu tự đánh giá",
    "assessment.submitted": "Gửi hồ sơ",
    "assessment.withdrawn": "Rút hồ sơ",
}
HIDDEN_KEYS = frozenset({"version", "answer", "node", "stage", "evidence"})


def action_label(action: str) -> str:
    """An audit action code in words (codes written by other modules by their prefix)."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("evidence"):
        return "Tài liệu kiểm chứng"
    if "explanation" in action or "response" in action:
        return "Giải trình"
    if "apprais" in action:
        return "Thẩm định"
    return "Cập nhật"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's (or assessment's) history, newest first."""

    at: datetime.datetime
    actor: str
    action: str
    label: str
    summary: str
    node_code: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)


def _text(node: CriterionNode | None, key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if key in ("value", "appraised_value") and node is not None:
        return value_text(node, value)
    if key == "status" and value in AssessmentStatus.values:
        return str(AssessmentStatus(value).label)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "points":
        try:
            return vn_number(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
    if key == "submitted_at" and isinstance(value, str):
        try:
            return fmt_time(datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(node: CriterionNode | None, before: Any, after: Any) -> tuple[Change, ...]:
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    changes = []
    order = {key: i for i, key in enumerate(FIELD_LABELS)}
    keys = sorted(new.keys() | old.keys(), key=lambda k: (order.get(k, len(order)), k))
    for key in keys:
        if key in HIDDEN_KEYS or old.get(key) == new.get(key):
            continue
        label = FIELD_LABELS.get(key, key)
        changes.append(
            Change(label, _text(node, key, old.get(key)), _text(node, key, new.get(key)))
        )
    return tuple(changes)


def _event_entry(event: AuditEvent, node: CriterionNode | None) -> HistoryEntry:
    actor = _person(event.actor) if event.actor is not None else event.actor_username or "Hệ thống"
    return HistoryEntry(
        at=event.at,
        actor=actor,
        action=event.action,
        label=action_label(event.action),
        summary=event.summary,
        node_code=node.code if node is not None else "",
        changes=(
            ()
            if event.action.startswith("evidence.")
            else _changes(node, event.before, event.after)
        ),
    )


def _record_entry(rec: AppraisalRecord, node: CriterionNode) -> HistoryEntry:
    shown = value_text(node, rec.value, not_applicable=rec.not_applicable)
    changes = [Change("Giá trị thẩm định", "", shown)]
    if rec.points is not None:
        changes.append(Change("Điểm", "", vn_number(rec.points)))
    if rec.comment:
        changes.append(Change("Ý kiến", "", rec.comment))
    if rec.needs_explanation:
        changes.append(Change("Cần giải trình", "", "Có"))
    return HistoryEntry(
        at=rec.at,
        actor=_person(rec.appraiser) if rec.appraiser is not None else "—",
        action="appraisal.record",
        label=f"Thẩm định vòng {rec.round}",
        summary="",
        node_code=node.code,
        changes=tuple(changes),
    )


def _unrecorded(
    records: Iterable[AppraisalRecord], events: Sequence[AuditEvent]
) -> list[AppraisalRecord]:
    """Appraisal records that no audit event of the appraisal service already tells."""
    told = [
        (e.target_id, e.actor_id, e.at)
        for e in events
        if e.action.startswith("answer.apprais") and e.target_type == ANSWER_TARGET
    ]
    return [
        r
        for r in records
        if not any(
            target == str(r.answer_id)
            and actor == r.appraiser_id
            and abs((at - r.at).total_seconds()) < 60
            for target, actor, at in told
        )
    ]


def _events(q: Q) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-at", "-id")


def _evidence_link_ids(answer_ids: Sequence[int]) -> dict[str, int]:
    """Evidence link id (as audit target id) → answer id, for the evidence events."""
    return {
        str(pk): answer_id
        for pk, answer_id in EvidenceLink.objects.filter(answer_id__in=answer_ids).values_list(
            "pk", "answer_id"
        )
    }


def answer_history(answer: Answer) -> list[HistoryEntry]:
    """Everything that happened to one item, newest first: its audit events (self-assessment,
    appraisal, explanation, evidence) and its appraisal records."""
    node = answer.node
    links = _evidence_link_ids([answer.pk])
    events = list(
        _events(
            Q(target_type=ANSWER_TARGET, target_id=str(answer.pk))
            | Q(target_type=EVIDENCE_LINK_TARGET, target_id__in=list(links))
        )
    )
    entries = [_event_entry(e, node) for e in events]
    records = AppraisalRecord.objects.filter(answer=answer).select_related("appraiser")
    entries.extend(_record_entry(r, node) for r in _unrecorded(records, events))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def assessment_history(assessment: Assessment) -> list[HistoryEntry]:
    """Every event of the assessment and of its items, newest first."""
    answers = {a.pk: a for a in Answer.objects.filter(assessment=assessment).select_related("node")}
    links = _evidence_link_ids(list(answers))
    events = list(
        _events(
            Q(target_type=ASSESSMENT_TARGET, target_id=str(assessment.pk))
            | Q(target_type=ANSWER_TARGET, target_id__in=[str(pk) for pk in answers])
            | Q(target_type=EVIDENCE_LINK_TARGET, target_id__in=list(links))
        )
    )
    entries: list[HistoryEntry] = []
    for event in events:
        answer_id: int | None = None
        if event.target_type == ANSWER_TARGET:
            answer_id = int(event.target_id)
        elif event.target_type == EVIDENCE_LINK_TARGET:
            answer_id = links.get(event.target_id)
        answer = answers.get(answer_id) if answer_id is not None else None
        entries.append(_event_entry(event, answer.node if answer else None))
    records = AppraisalRecord.objects.filter(answer__assessment=assessment).select_related(
        "appraiser"
    )
    entries.extend(
        _record_entry(r, answers[r.answer_id].node) for r in _unrecorded(records, events)
    )
    return sorted(entries, key=lambda e: e.at, reverse=True)


CSV_HEADER = (
    "Thời điểm",
    "Người thực hiện",
    "Hành động",
    "Tiêu chí",
    "Nội dung thay đổi",
    "Trước",
    "Sau",
    "Tóm tắt",
)


def assessment_history_csv(assessment: Assessment) -> str:
    """The assessment's history as CSV (one line per changed field), newest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in assessment_history(assessment):
        base = [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.actor,
            entry.label,
            entry.node_code,
        ]
        for change in entry.changes or (Change("", "", ""),):
            writer.writerow(
                [
                    inert(x)
                    for x in (*base, change.label, change.before, change.after, entry.summary)
                ]
            )
    return out.getvalue()
