"""Where a unit's assessment stands: its criteria set, its deadline, whether (and why not)
it may still be edited, and its items by code."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists
from django.utils import timezone

from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit
from parindex.assessments.workflow import EDITABLE
from parindex.core.formatting import fmt_time
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.periods.models import (
    DeadlineStage,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.selectors import effective_deadline


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


def assessment_node_by_code(assessment: Assessment, code: str) -> CriterionNode | None:
    """The node ``code`` of the criteria set the period binds to the unit's group (with
    its set), or None: one query. Saving refuses a node with children (see
    :func:`check_leaf`), with a message that says why."""
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


def deadline_passed(assessment: Assessment) -> bool:
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


def group_node(assessment: Assessment, node_id: int) -> CriterionNode | None:
    """The node ``node_id`` with children (a field or a group) of the assessment's criteria
    set, or None."""
    binding = binding_of(assessment)
    if binding is None:
        return None
    return (
        CriterionNode.objects.filter(
            pk=node_id, criteria_set_id=binding.criteria_set_id, children__isnull=False
        )
        .select_related("criteria_set")
        .distinct()
        .first()
    )


def check_leaf(assessment: Assessment, node: CriterionNode) -> CriteriaSet:
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
    refuse_unless_leaf(
        assessment,
        node,
        bound_set_id=binding.criteria_set_id if binding else None,
        has_children=bool(binding and binding.node_has_children),
    )
    assert binding is not None  # refused above
    return binding.criteria_set


def refuse_unless_leaf(
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
