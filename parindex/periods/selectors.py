"""Reads about periods: deadlines as they apply to one unit, the units a period scores."""

from __future__ import annotations

import datetime

from django.utils import timezone

from parindex.organizations.models import Unit
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period, PeriodGroup

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


def _descendant_unit_ids(root_id: int) -> set[int]:
    """Every unit below ``root_id`` (one query per level; trees are 2–3 deep)."""
    found: set[int] = set()
    frontier = {root_id}
    while frontier:
        children = (
            set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= children
        frontier = children
    return found


def period_units(period: Period) -> list[Unit]:
    """The active units the period scores: those of its unit groups under its jurisdiction."""
    groups = PeriodGroup.objects.filter(period=period).values_list("group_id", flat=True)
    below = _descendant_unit_ids(period.jurisdiction_id)
    return list(
        Unit.objects.active()
        .filter(group_id__in=list(groups), id__in=below)
        .order_by("position", "name")
    )


def days_left(
    deadline: datetime.datetime | None, now: datetime.datetime | None = None
) -> int | None:
    """Calendar days from today to the deadline's day (negative when overdue)."""
    if deadline is None:
        return None
    today = timezone.localdate(now or timezone.now())
    return (timezone.localdate(deadline) - today).days
