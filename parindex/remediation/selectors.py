"""Reads of remediation: the items a unit lost points on (from the scoring engine only, via
:func:`parindex.assessments.selectors.unit_appraisal.unit_appraisal_view`), the unit's
tasks with their filters and counts, a task's history from the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.assessments.selectors.unit_appraisal import (
    AppraisalItem,
    AppraisalView,
    unit_appraisal_view,
)
from parindex.audit.models import AuditEvent
from parindex.core.text import fold
from parindex.evidence.models import Evidence
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodStatus
from parindex.periods.permissions import UNIT_ROLES
from parindex.remediation.models import OPEN_STATUSES, RemediationTask, TaskStatus
from parindex.results.models import ResultVersion
from parindex.teams.models import Section

NOT_SETTLED = (
    "Kết quả thẩm định của đơn vị chưa được chốt: danh sách điểm bị trừ hiện ở đây khi kỳ "
    "đánh giá chốt kết quả (hoặc kết quả được công bố)."
)

OVERDUE = "qua-han"
"""The list's status filter for "quá hạn" (still open, due date passed)."""


@dataclass(frozen=True)
class LostItem:
    """An item that lost points in the settled appraisal, with the unit's tasks on it."""

    item: AppraisalItem
    tasks: list[RemediationTask]

    @property
    def node_id(self) -> int:
        return self.item.node.pk


@dataclass(frozen=True)
class LostItems:
    """What :func:`lost_items_for` found: the items (empty with a ``reason`` when the
    appraisal is not settled), and the engine's view they come from."""

    assessment: Assessment
    items: list[LostItem] = field(default_factory=list)
    view: AppraisalView | None = None
    reason: str = ""

    @property
    def settled(self) -> bool:
        return self.view is not None

    @property
    def points_places(self) -> int:
        return self.view.points_places if self.view else 2

    @property
    def total_lost(self) -> Decimal:
        """The points lost over every item (the engine's figures, added up)."""
        return sum((i.item.lost or Decimal(0) for i in self.items), Decimal(0))

    def get(self, node_id: int) -> LostItem | None:
        return next((i for i in self.items if i.node_id == node_id), None)


def results_published(period: Period) -> bool:
    """Whether the period's results are published (a current version exists)."""
    return ResultVersion.objects.filter(period=period).current().exists()


def appraisal_settled(assessment: Assessment) -> bool:
    """The unit sees its lost points: the period finalised, the assessment final, or the
    period's results published."""
    return (
        assessment.period.status == PeriodStatus.FINALISED
        or assessment.status == AssessmentStatus.FINAL
        or results_published(assessment.period)
    )


def lost_items_for(assessment: Assessment) -> LostItems:
    """The items of ``assessment`` that lost points (the engine's ``lost_items``: most lost
    first), each with its tasks, once the appraisal is settled; else none, with the reason."""
    if not appraisal_settled(assessment):
        return LostItems(assessment, reason=NOT_SETTLED)
    try:
        view = unit_appraisal_view(assessment)
    except ValidationError as exc:
        return LostItems(assessment, reason=" ".join(exc.messages))
    tasks: dict[int, list[RemediationTask]] = {}
    for task in RemediationTask.objects.filter(
        period_id=assessment.period_id, unit_id=assessment.unit_id
    ).select_related("officer", "section"):
        tasks.setdefault(task.node_id, []).append(task)
    items = [LostItem(i, tasks.get(i.node.pk, [])) for i in view.lost_items]
    return LostItems(assessment, items, view)


def tasks_of_unit(
    unit: Unit, period: Period | None = None, status: str | None = None
) -> QuerySet[RemediationTask]:
    """The unit's tasks (of ``period``, in ``status`` when given)."""
    qs = RemediationTask.objects.for_unit(unit.pk).select_related(
        "period", "unit", "node", "officer", "section"
    )
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return qs


def today() -> datetime.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Filters:
    """The task list's filters, as read from the query string (each may be empty)."""

    period: int | None = None
    status: str = ""
    officer: int | None = None
    q: str = ""


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def filters_from(query: Any) -> Filters:
    """:class:`Filters` from ``request.GET`` (bad values are ignored, never a 500)."""
    status = str(query.get("trang-thai") or "")
    if status not in (*TaskStatus.values, OVERDUE):
        status = ""
    return Filters(
        period=_int(query.get("ky")),
        status=status,
        officer=_int(query.get("can-bo")),
        q=str(query.get("q") or "").replace("\x00", "")[:200],
    )


def tasks_filtered(
    qs: QuerySet[RemediationTask], filters: Filters, on: datetime.date | None = None
) -> QuerySet[RemediationTask]:
    """``qs`` narrowed by the list's filters; the search ignores diacritics."""
    if filters.period is not None:
        qs = qs.filter(period_id=filters.period)
    if filters.status == OVERDUE:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=on or today())
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.officer is not None:
        qs = qs.filter(officer_id=filters.officer)
    for word in fold(filters.q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def task_counts(qs: QuerySet[RemediationTask], on: datetime.date | None = None) -> dict[str, int]:
    """How many tasks of ``qs`` per status, and ``overdue`` and ``total`` (one query)."""
    on = on or today()
    found = qs.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=on)),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in TaskStatus},
    )
    return {key: int(value or 0) for key, value in found.items()}


def is_overdue(task: RemediationTask, on: datetime.date | None = None) -> bool:
    return task.is_open and task.due_date < (on or today())


def filter_choices(qs: QuerySet[RemediationTask]) -> dict[str, list[Any]]:
    """The periods and officers the list's selects offer (those of the visible tasks)."""
    periods = Period.objects.filter(pk__in=qs.values("period_id")).order_by("-year", "-pk")
    officers = User.objects.filter(pk__in=qs.values("officer_id")).order_by("full_name", "pk")
    return {"periods": list(periods), "officers": list(officers)}


def unit_officers(unit_id: int) -> QuerySet[User]:
    """The people a task of the unit may be given to: its active staff and leaders."""
    return User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True).order_by(
        "full_name", "username"
    )


def unit_sections(unit_id: int) -> QuerySet[Section]:
    return Section.objects.filter(unit_id=unit_id).order_by("position", "name")


def task_history(task: RemediationTask) -> QuerySet[AuditEvent]:
    """The task's events of the audit trail (created, changed, each move, comments,
    evidence, reminders), oldest first."""
    return (
        AuditEvent.objects.filter(
            target_type=RemediationTask._meta.label_lower, target_id=str(task.pk)
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def task_evidence(task: RemediationTask) -> list[Evidence]:
    return list(task.evidence.order_by("original_name", "pk"))


def unit_library(task: RemediationTask, exclude: Iterable[int] = ()) -> list[Evidence]:
    """The unit's files of the task's period not yet attached (offered for reuse)."""
    return list(
        Evidence.objects.filter(period_id=task.period_id, unit_id=task.unit_id)
        .exclude(pk__in=list(exclude))
        .order_by("original_name", "pk")
    )
