"""The stages a period moves through before finalising: opening the self-assessment, appraisal
round 1, explanation and appraisal round 2. Each locks the period, checks its stage, moves
the units' assessments (through :mod:`parindex.assessments.workflow`) and is audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.workflow import SELF_ASSESSMENT_OPEN, move_all, status_counts
from parindex.audit.services import record
from parindex.core.formatting import fmt_datetime
from parindex.criteria.models import CriterionNode
from parindex.notices.season import notify_explanation_requested
from parindex.periods.models import (
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.selectors import period_units
from parindex.periods.services import period_set_status
from parindex.season.guards import check_actor, lock_period, set_deadline


def _ensure_assessments(period: Period) -> int:
    """Create the missing assessment of every unit the period scores; how many were new."""
    have = set(Assessment.objects.filter(period=period).values_list("unit_id", flat=True))
    new = [Assessment(period=period, unit=u) for u in period_units(period) if u.pk not in have]
    Assessment.objects.bulk_create(new)
    return len(new)


def _ensure_answers(period: Period) -> int:
    """Give every assessment an (empty) item for each leaf of its set, so appraisers see
    the items a unit left blank too. How many were created."""
    sets = dict(PeriodGroup.objects.filter(period=period).values_list("group_id", "criteria_set"))
    leaves: dict[int, list[int]] = {}
    for set_id in set(sets.values()):
        leaves[set_id] = list(
            CriterionNode.objects.filter(criteria_set_id=set_id, children__isnull=True)
            .order_by("position")
            .values_list("id", flat=True)
        )
    existing: dict[int, set[int]] = {}
    for assessment_id, node_id in Answer.objects.filter(assessment__period=period).values_list(
        "assessment_id", "node_id"
    ):
        existing.setdefault(assessment_id, set()).add(node_id)
    new: list[Answer] = []
    for pk, group_id in Assessment.objects.filter(period=period).values_list(
        "id", "unit__group_id"
    ):
        bound = sets.get(group_id) if group_id is not None else None
        if bound is None:
            continue
        have = existing.get(pk, set())
        new.extend(
            Answer(assessment_id=pk, node_id=node_id)
            for node_id in leaves[bound]
            if node_id not in have
        )
    Answer.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def period_open_self_assessment(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Chuẩn bị → tự đánh giá: every unit of the period gets its assessment; ``deadline``
    (optional, in the future) becomes the self-assessment deadline."""
    check_actor(actor, period)
    locked = lock_period(period, [PeriodStatus.PREPARED], "mở tự đánh giá")
    changed = set_deadline(locked, "self_assessment_deadline", deadline, timezone.now())
    created = _ensure_assessments(locked)
    period_set_status(period=locked, status=PeriodStatus.SELF_ASSESSMENT, actor=actor)
    record(
        actor=actor,
        action="period.self_assessment_opened",
        target=locked,
        summary=(
            f"Mở tự đánh giá {locked.name}, hạn {fmt_datetime(locked.self_assessment_deadline)}"
            f"; tạo {created} phiếu chấm điểm"
        ),
        before={"status": PeriodStatus.PREPARED},
        after={"status": PeriodStatus.SELF_ASSESSMENT, "assessments_created": created, **changed},
    )
    period.status = locked.status
    period.self_assessment_deadline = locked.self_assessment_deadline
    return locked


@transaction.atomic
def period_start_appraisal(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Tự đánh giá → thẩm định vòng 1: every assessment is locked (đang thẩm định), every
    leaf gets an item to appraise; ``deadline`` is the round's deadline."""
    check_actor(actor, period)
    locked = lock_period(period, [PeriodStatus.SELF_ASSESSMENT], "bắt đầu thẩm định vòng 1")
    changed = set_deadline(locked, "appraisal_1_deadline", deadline, timezone.now())
    before = status_counts(Assessment.objects.filter(period=locked))
    locked_count = move_all(
        Assessment.objects.filter(period=locked, status__in=SELF_ASSESSMENT_OPEN),
        AssessmentStatus.IN_APPRAISAL,
        actor=actor,
        reason="bắt đầu thẩm định vòng 1",
    )
    items = _ensure_answers(locked)
    period_set_status(period=locked, status=PeriodStatus.APPRAISAL_1, actor=actor)
    record(
        actor=actor,
        action="period.appraisal_started",
        target=locked,
        summary=f"Bắt đầu thẩm định vòng 1 {locked.name}: khóa {locked_count} phiếu chấm điểm",
        before={"status": PeriodStatus.SELF_ASSESSMENT, "assessments": before},
        after={
            "status": PeriodStatus.APPRAISAL_1,
            "assessments": status_counts(Assessment.objects.filter(period=locked)),
            "locked": locked_count,
            "items_created": items,
            **changed,
        },
    )
    period.status = locked.status
    period.appraisal_1_deadline = locked.appraisal_1_deadline
    return locked


@transaction.atomic
def period_open_explanation(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Thẩm định vòng 1 → giải trình: units with an item marked "cần giải trình" see those
    items and answer until ``deadline`` (the explanation deadline)."""
    check_actor(actor, period)
    locked = lock_period(period, [PeriodStatus.APPRAISAL_1], "mở giải trình")
    asked = Assessment.objects.filter(
        period=locked, answers__needs_explanation=True, answers__appraisal_round=1
    ).distinct()
    if not asked.exists():
        raise ValidationError(
            "Không có nội dung nào được yêu cầu giải trình: có thể chốt kết quả ngay."
        )
    changed = set_deadline(locked, "explanation_deadline", deadline, timezone.now())
    before = status_counts(Assessment.objects.filter(period=locked))
    count = move_all(
        Assessment.objects.filter(pk__in=list(asked.values_list("pk", flat=True))),
        AssessmentStatus.NEEDS_EXPLANATION,
        actor=actor,
        reason="mở giải trình",
    )
    period_set_status(period=locked, status=PeriodStatus.EXPLANATION, actor=actor)
    record(
        actor=actor,
        action="period.explanation_opened",
        target=locked,
        summary=(
            f"Mở giải trình {locked.name}: {count} đơn vị cần giải trình, hạn "
            f"{fmt_datetime(locked.explanation_deadline)}"
        ),
        before={"status": PeriodStatus.APPRAISAL_1, "assessments": before},
        after={
            "status": PeriodStatus.EXPLANATION,
            "assessments": status_counts(Assessment.objects.filter(period=locked)),
            "needs_explanation": count,
            **changed,
        },
    )
    notify_explanation_requested(locked, actor=actor)
    period.status = locked.status
    period.explanation_deadline = locked.explanation_deadline
    return locked


@transaction.atomic
def period_start_round_2(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Giải trình → thẩm định vòng 2: explanations are closed; appraisers settle them."""
    check_actor(actor, period)
    locked = lock_period(period, [PeriodStatus.EXPLANATION], "bắt đầu thẩm định vòng 2")
    changed = set_deadline(locked, "appraisal_2_deadline", deadline, timezone.now())
    before = status_counts(Assessment.objects.filter(period=locked))
    count = move_all(
        Assessment.objects.filter(period=locked, status=AssessmentStatus.NEEDS_EXPLANATION),
        AssessmentStatus.IN_APPRAISAL,
        actor=actor,
        reason="bắt đầu thẩm định vòng 2",
    )
    period_set_status(period=locked, status=PeriodStatus.APPRAISAL_2, actor=actor)
    record(
        actor=actor,
        action="period.round_2_started",
        target=locked,
        summary=f"Bắt đầu thẩm định vòng 2 {locked.name}: đóng giải trình của {count} đơn vị",
        before={"status": PeriodStatus.EXPLANATION, "assessments": before},
        after={
            "status": PeriodStatus.APPRAISAL_2,
            "assessments": status_counts(Assessment.objects.filter(period=locked)),
            "closed": count,
            **changed,
        },
    )
    period.status = locked.status
    period.appraisal_2_deadline = locked.appraisal_2_deadline
    return locked
