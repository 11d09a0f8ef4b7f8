"""Reads about periods: deadlines as they apply to one unit, the units a period scores."""

from __future__ import annotations

import datetime

from django.utils import timezone

from parindex.criteria.models import CriterionNode
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


DEADLINE_FIELDS: tuple[str, ...] = (
    "self_assessment_deadline",
    "appraisal_1_deadline",
    "explanation_deadline",
    "appraisal_2_deadline",
)
"""The period's stage deadlines in the order the stages run (each optional)."""

EXCLUDED_LABEL = "Chưa đánh giá ở kỳ 6 tháng"
"""How the screens name a node left out of a 6-month period."""


def excluded_node_codes(period: Period) -> frozenset[str]:
    """The codes "chưa đánh giá ở kỳ 6 tháng" of ``period`` (no query): left out of every
    unit's maximum like a node not applicable, with everything under them. Empty for an
    annual period."""
    codes = period.excluded_node_codes or []
    return frozenset(str(code) for code in codes)


def is_excluded(period: Period, code: str, ancestors: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether the node ``code`` (with its ancestors' codes) is left out of ``period``."""
    excluded = excluded_node_codes(period)
    return bool(excluded) and (code in excluded or any(a in excluded for a in ancestors))


def excluded_leaf_ids(period: Period, criteria_set_id: int) -> frozenset[int]:
    """The leaves of the criteria set that ``period`` leaves out ("chưa đánh giá ở kỳ 6
    tháng": a listed node or one below it). One query, none for an annual period."""
    codes = excluded_node_codes(period)
    if not codes:
        return frozenset()
    nodes = list(
        CriterionNode.objects.filter(criteria_set_id=criteria_set_id).values_list(
            "pk", "parent_id", "code"
        )
    )
    parent = {pk: parent_id for pk, parent_id, _ in nodes}
    code_of = {pk: code for pk, _, code in nodes}
    has_children = {parent_id for _, parent_id, _ in nodes if parent_id is not None}
    out: set[int] = set()
    for pk in code_of:
        if pk in has_children:
            continue
        current: int | None = pk
        while current is not None:
            if code_of.get(current) in codes:
                out.add(pk)
                break
            current = parent.get(current)
    return frozenset(out)
