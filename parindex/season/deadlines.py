"""Deadlines of a season: a unit's extension, and the periodic job that locks what is late
and moves a period on when its deadline has passed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.workflow import SELF_ASSESSMENT_OPEN, move
from parindex.audit.services import record
from parindex.core.formatting import fmt_datetime
from parindex.organizations.models import Unit
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodStatus,
)
from parindex.periods.selectors import STAGE_DEADLINE_FIELD
from parindex.periods.services import STATUS_ORDER
from parindex.season.guards import check_actor, deadline_problem, status_label
from parindex.season.stages import period_start_appraisal, period_start_round_2


def _restore_status(assessment: Assessment) -> str:
    """Where an assessment locked by its deadline goes back to when the deadline moves."""
    if assessment.submitted_at is not None:
        return AssessmentStatus.SUBMITTED
    answered = Answer.objects.filter(assessment=assessment).filter(
        Q(self_value__isnull=False) | Q(self_not_applicable=True)
    )
    return AssessmentStatus.IN_PROGRESS if answered.exists() else AssessmentStatus.NOT_STARTED


def _extension_problems(
    locked: Period, stage: str, until: datetime.datetime, reason: str
) -> tuple[dict[str, list[str]], datetime.datetime]:
    """What is wrong with an extension (keyed by field), and ``until`` made aware."""
    errors: dict[str, list[str]] = {}
    if not reason:
        errors.setdefault("reason", []).append("Cần ghi lý do gia hạn.")
    if stage not in DeadlineStage.values:
        errors.setdefault("stage", []).append(f"Giai đoạn {stage!r} không hợp lệ.")
    else:
        last = (
            PeriodStatus.SELF_ASSESSMENT
            if stage == DeadlineStage.SELF_ASSESSMENT
            else PeriodStatus.EXPLANATION
        )
        if STATUS_ORDER.index(locked.status) > STATUS_ORDER.index(last):
            errors.setdefault("stage", []).append(
                f"Kỳ đánh giá đã qua giai đoạn {DeadlineStage(stage).label.lower()} "
                f"(đang ở “{status_label(locked.status)}”): không thể gia hạn."
            )
    if (problem := deadline_problem(until, timezone.now(), what="Thời hạn gia hạn")) is not None:
        errors.setdefault("until", []).append(problem)
    elif timezone.is_naive(until):
        until = timezone.make_aware(until)
    if "until" not in errors and stage in DeadlineStage.values:
        general: datetime.datetime | None = getattr(
            locked, STAGE_DEADLINE_FIELD[DeadlineStage(stage)]
        )
        if general is not None and until <= general:
            errors.setdefault("until", []).append(
                f"Thời hạn gia hạn phải sau hạn chung của kỳ đánh giá ({fmt_datetime(general)})."
            )
    return errors, until


def _unlocked_status(locked: Period, stage: str, assessment: Assessment) -> str:
    """Where a unit locked by its passed deadline goes back to ("" when it stays)."""
    if assessment.status != AssessmentStatus.IN_APPRAISAL:
        return ""
    if stage == DeadlineStage.SELF_ASSESSMENT and locked.status == PeriodStatus.SELF_ASSESSMENT:
        return _restore_status(assessment)
    if (
        stage == DeadlineStage.EXPLANATION
        and locked.status == PeriodStatus.EXPLANATION
        and assessment.answers.filter(needs_explanation=True, appraisal_round=1).exists()
    ):
        return AssessmentStatus.NEEDS_EXPLANATION
    return ""


@transaction.atomic
def deadline_extend(
    *,
    period: Period,
    unit: Unit,
    stage: str,
    until: datetime.datetime,
    reason: str,
    actor: User | None,
) -> DeadlineExtension:
    """Give ``unit`` a later deadline for ``stage`` (replacing an earlier extension).

    The reason is mandatory and recorded. A unit already locked by its passed deadline is
    unlocked while the period is still in that stage.
    """
    check_actor(actor, period)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    reason = (reason or "").strip()
    errors, until = _extension_problems(locked, stage, until, reason)
    assessment = (
        Assessment.objects.filter(period=locked, unit=unit).select_related("unit", "period").first()
    )
    if assessment is None:
        errors.setdefault("unit", []).append(
            f"Đơn vị {unit.name} không tham gia kỳ đánh giá {locked.name}."
        )
    if errors:
        raise ValidationError(errors)
    assert assessment is not None

    previous = DeadlineExtension.objects.filter(period=locked, unit=unit, stage=stage).first()
    before = {"until": previous.until.isoformat(), "reason": previous.reason} if previous else None
    extension, _ = DeadlineExtension.objects.update_or_create(
        period=locked,
        unit=unit,
        stage=stage,
        defaults={"until": until, "reason": reason, "granted_by": actor},
    )
    unlocked_to = _unlocked_status(locked, stage, assessment)
    if unlocked_to:
        move(
            [assessment],
            unlocked_to,
            actor=actor,
            reason=f"gia hạn {DeadlineStage(stage).label.lower()} đến {fmt_datetime(until)}",
        )
    record(
        actor=actor,
        action="deadline.extended",
        target=extension,
        summary=(
            f"Gia hạn {DeadlineStage(stage).label.lower()} cho {unit.name} ({locked.name}) "
            f"đến {fmt_datetime(until)}: {reason}"
        ),
        before=before,
        after={
            "period": locked.pk,
            "unit": unit.code,
            "stage": stage,
            "until": until.isoformat(),
            "reason": reason,
            **({"status": unlocked_to} if unlocked_to else {}),
        },
    )
    return extension


def extensions_of(period: Period, stage: str) -> dict[int, datetime.datetime]:
    return dict(
        DeadlineExtension.objects.filter(period=period, stage=stage).values_list("unit_id", "until")
    )


def deadlines_enforce(*, now: datetime.datetime | None = None) -> list[str]:
    """The periodic job (``parindex enforce_deadlines``): make statuses follow deadlines.

    * Self-assessment: each unit whose own deadline (its extension, else the period's)
      passed is locked; once the period's deadline passed and no unit holds a later
      extension, the period moves to appraisal round 1.
    * Explanation: the same, then the period moves to appraisal round 2.

    Idempotent; returns one Vietnamese line per thing done.
    """
    now = now or timezone.now()
    lines: list[str] = []
    candidates = Period.objects.filter(
        Q(status=PeriodStatus.SELF_ASSESSMENT, self_assessment_deadline__isnull=False)
        | Q(status=PeriodStatus.EXPLANATION, explanation_deadline__isnull=False)
    ).order_by("pk")
    for period in candidates:
        with transaction.atomic():
            locked = Period.objects.select_for_update().get(pk=period.pk)
            if locked.status == PeriodStatus.SELF_ASSESSMENT:
                lines.extend(_enforce_self_assessment(locked, now))
            elif locked.status == PeriodStatus.EXPLANATION:
                lines.extend(_enforce_explanation(locked, now))
    return lines


def _enforce_self_assessment(period: Period, now: datetime.datetime) -> list[str]:
    deadline = period.self_assessment_deadline
    assert deadline is not None
    extensions = extensions_of(period, DeadlineStage.SELF_ASSESSMENT)
    lines: list[str] = []
    if deadline < now and all(until <= now for until in extensions.values()):
        moved = period_start_appraisal(period=period, actor=None)
        lines.append(
            f"{period.name}: hết hạn tự đánh giá ({fmt_datetime(deadline)}), chuyển sang "
            f"“{status_label(moved.status)}” và khóa hồ sơ của các đơn vị."
        )
        return lines
    for assessment in Assessment.objects.filter(
        period=period, status__in=SELF_ASSESSMENT_OPEN
    ).select_related("unit", "period"):
        own = extensions.get(assessment.unit_id, deadline)
        if own < now:
            move(
                [assessment],
                AssessmentStatus.IN_APPRAISAL,
                actor=None,
                reason=f"hết hạn tự đánh giá ({fmt_datetime(own)})",
            )
            lines.append(
                f"{period.name}: hết hạn tự đánh giá của {assessment.unit.name} "
                f"({fmt_datetime(own)}), khóa hồ sơ."
            )
    return lines


def _enforce_explanation(period: Period, now: datetime.datetime) -> list[str]:
    deadline = period.explanation_deadline
    assert deadline is not None
    extensions = extensions_of(period, DeadlineStage.EXPLANATION)
    lines: list[str] = []
    if deadline < now and all(until <= now for until in extensions.values()):
        moved = period_start_round_2(period=period, actor=None)
        lines.append(
            f"{period.name}: hết hạn giải trình ({fmt_datetime(deadline)}), chuyển sang "
            f"“{status_label(moved.status)}”."
        )
        return lines
    for assessment in Assessment.objects.filter(
        period=period, status=AssessmentStatus.NEEDS_EXPLANATION
    ).select_related("unit", "period"):
        own = extensions.get(assessment.unit_id, deadline)
        if own < now:
            move(
                [assessment],
                AssessmentStatus.IN_APPRAISAL,
                actor=None,
                reason=f"hết hạn giải trình ({fmt_datetime(own)})",
            )
            lines.append(
                f"{period.name}: hết hạn giải trình của {assessment.unit.name} "
                f"({fmt_datetime(own)}), khóa giải trình."
            )
    return lines
