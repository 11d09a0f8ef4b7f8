"""Reads about periods: deadlines as they apply to one unit."""

from __future__ import annotations

import datetime

from django.utils import timezone

from parindex.periods.models import DeadlineExtension, DeadlineStage, Period

STAGE_DEADLINE_FIELD = {
    DeadlineStage.SELF_ASSESSMENT: "self_assessment_deadline",
    DeadlineStage.EXPLANATION: "explanation_deadline",
}


def effective_deadline(period: Period, unit_id: int, stage: str) -> datetime.datetime | None:
    """The stage's deadline for this unit: its extension if one was granted, else the
    period's. None means no deadline."""
    extension = (
        DeadlineExtension.objects.filter(period=period, unit_id=unit_id, stage=stage)
        .values_list("until", flat=True)
        .first()
    )
    if extension is not None:
        return extension
    deadline: datetime.datetime | None = getattr(period, STAGE_DEADLINE_FIELD[DeadlineStage(stage)])
    return deadline


def deadline_passed(period: Period, unit_id: int, stage: str) -> bool:
    deadline = effective_deadline(period, unit_id, stage)
    return deadline is not None and timezone.now() > deadline
