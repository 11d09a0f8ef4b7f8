"""The unit's writes: saving an item (value, không áp dụng, explanation) with its version
check, sending the self-assessment and taking it back."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.errors import Conflict, too_long
from parindex.assessments.leaves import parse_value, value_text
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit, can_submit
from parindex.assessments.selectors.state import closed_reason, refuse_unless_leaf, self_deadline
from parindex.assessments.workflow import EDITABLE, move
from parindex.audit.services import record
from parindex.core.formatting import fmt_time, person_name
from parindex.criteria.models import CriterionNode
from parindex.engine.evalfile import value_document
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.selectors import excluded_node_codes

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


def _lock(assessment: Assessment, node: CriterionNode | None = None) -> Assessment:
    """The assessment row locked for this transaction (saves, submit and withdraw of one
    unit queue behind each other), with its period and unit as now stored, and in the same
    query: the unit's self-assessment extension (``self_extension_until``, None without
    one) and, when ``node`` is given, what :func:`check_leaf` needs (``bound_set_id``: the
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


def _check_locked_leaf(locked: Assessment, node: CriterionNode) -> None:
    """:func:`check_leaf` on what :func:`_lock` read with ``node`` (no further query)."""
    refuse_unless_leaf(
        locked,
        node,
        bound_set_id=getattr(locked, "bound_set_id", None),
        has_children=bool(getattr(locked, "node_has_children", True)),
    )


def _refuse_if_left_out(locked: Assessment, node: CriterionNode) -> None:
    """Refuse a node "chưa đánh giá ở kỳ 6 tháng" in the period (or one below such a
    node): it is not scored, nothing is entered for it."""
    codes = excluded_node_codes(locked.period)
    if not codes:
        return
    chain, parent_id = [node.code], node.parent_id
    while parent_id is not None and len(chain) < 20:
        code, parent_id = (
            CriterionNode.objects.filter(pk=parent_id).values_list("code", "parent_id").get()
        )
        chain.append(code)
    if codes.intersection(chain):
        raise ValidationError(
            f"Tiêu chí {node.code} chưa đánh giá ở kỳ 6 tháng ({locked.period.name}): không "
            f"nhập điểm, không tính vào điểm tối đa của đơn vị."
        )


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "value": answer.self_value,
        "not_applicable": answer.self_not_applicable,
        "na_justification": answer.na_justification,
        "explanation": answer.explanation,
    }


def _clean_text(text: str, code: str, label: str, limit: int, key: str) -> str:
    cleaned = (text or "").replace("\x00", "").strip()
    if (problem := too_long(label, cleaned, limit)) is not None:
        raise ValidationError({key: [f"Tiêu chí {code}: {problem}"]})
    return cleaned


def conflict_message(node: CriterionNode, current: Answer) -> str:
    shown = value_text(node, current.self_value, not_applicable=current.self_not_applicable)
    return (
        f"Tiêu chí {node.code} đã được {person_name(current.updated_by)} lưu lúc "
        f"{fmt_time(current.updated_at)} với giá trị {shown}; hãy xem lại trước khi lưu."
    )


def _cleaned_input(
    node: CriterionNode,
    value: Any | None,
    not_applicable: bool,
    na_justification: str,
    explanation: str,
) -> dict[str, Any]:
    """What the unit sent for ``node``, checked and in stored form (the audit's "after")."""
    code = node.code
    justification = ""
    stored = None
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
    else:
        parsed = parse_value(node, value)
        stored = None if parsed is None else value_document(parsed)
    return {
        "value": stored,
        "not_applicable": not_applicable,
        "na_justification": justification,
        "explanation": _clean_text(
            explanation, code, "thuyết minh", MAX_EXPLANATION, "explanation"
        ),
    }


def _current_answer(
    locked: Assessment, node: CriterionNode, version: int
) -> tuple[Answer, dict[str, Any] | None]:
    """The stored item, locked (a new one when there is none), and its state before."""
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(assessment=locked, node=node)
        .first()
    )
    if answer is not None:
        return answer, {**_snapshot(answer), "version": answer.version}
    if version != 0:
        raise ValidationError(
            f"Tiêu chí {node.code}: không tìm thấy nội dung đã lưu; hãy tải lại trang."
        )
    return Answer(assessment=locked, node=node), None


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
    _refuse_if_left_out(locked, node)
    after = _cleaned_input(node, value, not_applicable, na_justification, explanation)
    answer, before = _current_answer(locked, node, version)
    if before is not None:
        if _snapshot(answer) == after:
            return answer  # nothing changes: not a conflict, nothing to record
        if answer.version != version:
            raise Conflict(answer, conflict_message(node, answer))
    answer.self_value = after["value"]
    answer.self_not_applicable = not_applicable
    answer.na_justification = after["na_justification"]
    answer.explanation = after["explanation"]
    answer.version += 1
    answer.updated_by = actor
    if before is None:
        answer.save()
    else:  # only what the unit owns: the appraisal columns are not rewritten
        answer.save(update_fields=SELF_FIELDS)
    shown = value_text(node, after["value"], not_applicable=not_applicable)
    record(
        actor=actor,
        action="answer.self_saved",
        target=answer,
        summary=f"Tự đánh giá tiêu chí {node.code} ({locked.unit.name}): {shown}",
        before=before,
        after={**after, "version": answer.version},
    )
    if locked.status == AssessmentStatus.NOT_STARTED:
        move([locked], AssessmentStatus.IN_PROGRESS, actor=actor)
    _refresh_status(assessment, locked)
    return answer


GROUP_FIELDS = ("self_not_applicable", "na_justification", "version", "updated_by", "updated_at")
"""The columns a unit's request to leave out a group writes."""


@transaction.atomic
def group_not_applicable_save(
    *,
    assessment: Assessment,
    node: CriterionNode,
    actor: User,
    version: int,
    not_applicable: bool,
    na_justification: str = "",
) -> Answer:
    """The unit asks that a whole group (lĩnh vực, nhóm tiêu chí) does not apply to it
    (đề nghị không áp dụng), with its reason, or takes the request back.

    Only for a node of the unit's set that has children and allows "không áp dụng"; the
    appraisers confirm or refuse it (:func:`~parindex.assessments.services.appraisal.
    appraisal_save` on the same item). Until then the self-assessment totals leave the
    group out, as for a leaf. ``version`` as in :func:`answer_save`.
    """
    locked = _lock(assessment, node)
    if not can_edit_as_unit(actor, locked):
        raise ValidationError("Chỉ cán bộ, lãnh đạo của đơn vị được tự đánh giá phiếu này.")
    if reason := closed_reason(locked, deadline=_locked_deadline(locked)):
        raise ValidationError(reason)
    bound = getattr(locked, "bound_set_id", None)
    if bound is None or node.criteria_set_id != bound:
        raise ValidationError(f"Tiêu chí {node.code} không thuộc bộ tiêu chí của đơn vị.")
    if not getattr(locked, "node_has_children", False):
        raise ValidationError(
            f"Tiêu chí {node.code} không có tiêu chí con: đánh dấu không áp dụng ngay tại mục."
        )
    _refuse_if_left_out(locked, node)
    if not node.allow_not_applicable:
        raise ValidationError(
            {"not_applicable": [f"Nhóm tiêu chí {node.code} không được đánh dấu “không áp dụng”."]}
        )
    justification = ""
    if not_applicable:
        justification = _clean_text(
            na_justification,
            node.code,
            "lý do không áp dụng",
            MAX_JUSTIFICATION,
            "na_justification",
        )
        if not justification:
            raise ValidationError(
                {"na_justification": [f"Nhóm tiêu chí {node.code}: cần nêu lý do không áp dụng."]}
            )
    answer, before = _current_answer(locked, node, version)
    after = {"not_applicable": not_applicable, "na_justification": justification}
    if before is None and not not_applicable:
        return answer  # nothing asked, nothing stored
    if before is not None:
        if (answer.self_not_applicable, answer.na_justification) == (
            not_applicable,
            justification,
        ):
            return answer
        if answer.version != version:
            raise Conflict(answer, conflict_message(node, answer))
    answer.self_not_applicable = not_applicable
    answer.na_justification = justification
    answer.version += 1
    answer.updated_by = actor
    if before is None:
        answer.save()
    else:
        answer.save(update_fields=GROUP_FIELDS)
    what = "Đề nghị không áp dụng" if not_applicable else "Bỏ đề nghị không áp dụng"
    record(
        actor=actor,
        action="answer.self_saved",
        target=answer,
        summary=f"{what} nhóm tiêu chí {node.code} ({locked.unit.name})",
        before=before,
        after={**after, "version": answer.version},
    )
    if locked.status == AssessmentStatus.NOT_STARTED:
        move([locked], AssessmentStatus.IN_PROGRESS, actor=actor)
    _refresh_status(assessment, locked)
    return answer


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
    move([locked], AssessmentStatus.SUBMITTED, actor=actor)
    _refresh_status(assessment, locked)
    return locked


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, actor: User) -> Assessment:
    """The unit leader takes a sent self-assessment back (rút hồ sơ) before the deadline."""
    locked = _lock(assessment)
    _check_leader(actor, locked, "rút hồ sơ tự đánh giá")
    if locked.status != AssessmentStatus.SUBMITTED:
        raise ValidationError("Hồ sơ tự đánh giá chưa được gửi: không có gì để rút.")
    move([locked], AssessmentStatus.IN_PROGRESS, actor=actor)
    _refresh_status(assessment, locked)
    return locked


def _refresh_status(assessment: Assessment, locked: Assessment) -> None:
    """The caller's copy of the assessment as the locked row now is (after a move)."""
    if (assessment.status, assessment.submitted_at) != (locked.status, locked.submitted_at):
        assessment.refresh_from_db(fields=["status", "submitted_at", "submitted_by"])
