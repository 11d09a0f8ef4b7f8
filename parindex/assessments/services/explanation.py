"""The unit leader's explanation steps: sending the unit's explanation (gửi giải trình) and
taking it back (rút lại) before the explanation deadline. The answers themselves are
saved per item by :func:`~parindex.assessments.services.appraisal.explanation_respond`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.assessments.permissions import can_submit
from parindex.assessments.workflow import mark_explanation
from parindex.core.formatting import fmt_time
from parindex.periods.models import DeadlineStage, PeriodStatus
from parindex.periods.selectors import effective_deadline


def explanation_deadline(assessment: Assessment) -> datetime.datetime | None:
    """The unit's explanation deadline (its extension if granted, else the period's)."""
    return effective_deadline(assessment.period, assessment.unit_id, DeadlineStage.EXPLANATION)


def explanation_open_reason(assessment: Assessment) -> str | None:
    """Why the unit cannot change its explanation now (None: it can)."""
    period = assessment.period
    if period.status != PeriodStatus.EXPLANATION:
        return (
            f"Kỳ đánh giá {period.name} đang ở trạng thái “{period.get_status_display()}”: "
            "không trong thời gian giải trình."
        )
    if assessment.status != AssessmentStatus.NEEDS_EXPLANATION:
        return "Hồ sơ giải trình của đơn vị đã khóa."
    deadline = explanation_deadline(assessment)
    if deadline is not None and timezone.now() > deadline:
        return f"Đã hết hạn giải trình ({fmt_time(deadline)})."
    return None


def _locked(assessment: Assessment, actor: User, what: str) -> Assessment:
    locked = (
        Assessment.objects.select_related("period", "unit")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )
    if not can_submit(actor, locked):
        raise ValidationError(f"Chỉ lãnh đạo đơn vị được {what}.")
    if reason := explanation_open_reason(locked):
        raise ValidationError(f"Không thể {what}: {reason}")
    return locked


def _copy(assessment: Assessment, locked: Assessment) -> None:
    assessment.explanation_sent_at = locked.explanation_sent_at
    assessment.explanation_sent_by = locked.explanation_sent_by


@transaction.atomic
def explanation_send(*, assessment: Assessment, actor: User) -> Assessment:
    """The unit leader sends the unit's explanation to the appraisers (gửi giải trình):
    the answers become read-only until taken back."""
    locked = _locked(assessment, actor, "gửi giải trình")
    mark_explanation(locked, sent=True, actor=actor)
    _copy(assessment, locked)
    return locked


@transaction.atomic
def explanation_withdraw(*, assessment: Assessment, actor: User) -> Assessment:
    """The unit leader takes a sent explanation back (rút lại) before the deadline."""
    locked = _locked(assessment, actor, "rút lại giải trình")
    mark_explanation(locked, sent=False, actor=actor)
    _copy(assessment, locked)
    return locked
