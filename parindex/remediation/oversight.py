"""Oversight of remediation tasks (theo dõi khắc phục): what the Phòng/Sở Nội vụ sees of the
tasks every unit made from the points it lost in one period's appraisal.

Everything is counted in SQL, a constant number of queries whatever the number of units
(11,000 communes): the summary cards are one aggregate, the table per unit and the task
list are paginated grouped queries, the table per criterion one grouped query (a set has
at most a few hundred criteria).

"Points at stake" (điểm chưa khắc phục) are the points lost by the items that still have
a task open: each (unit, criterion) item counts once, however many tasks it has, with the
snapshot of one of its open tasks (all tasks of an item carry the same engine figures).
The same selectors feed the page and the XLSX export.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DecimalField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from parindex.core.text import fold
from parindex.organizations.models import UnitGroup
from parindex.periods.models import Period, PeriodGroup
from parindex.periods.permissions import is_overseer
from parindex.remediation.models import OPEN_STATUSES, RemediationTask, TaskStatus
from parindex.remediation.permissions import tasks_visible_to

UNIT_PAGE_SIZE = 25
TASK_PAGE_SIZE = 50
ZERO = Decimal(0)


@dataclass(frozen=True)
class Filters:
    """What the overseer narrowed the tasks to (every part optional)."""

    group: str = ""
    """A unit group's code (nhóm đơn vị)."""
    unit: str = ""
    """Words of a unit's name or code, diacritics ignored."""
    status: str = ""
    """A :class:`TaskStatus` value."""
    overdue: bool = False
    """Only tasks still open after their due date."""
    code: str = ""
    """A field or criterion code: that node and everything under it."""

    @property
    def active(self) -> bool:
        return bool(self.group or self.unit or self.status or self.overdue or self.code)


def overseen_tasks(user: Any, period: Period) -> QuerySet[RemediationTask]:
    """The tasks arising from ``period``'s appraisal, if ``user`` oversees the period (the
    chair, an observer of its jurisdiction, a superuser); none otherwise (a unit's own
    people read their tasks elsewhere: never the other units' here)."""
    if not is_overseer(user):
        return RemediationTask.objects.none()
    return tasks_visible_to(user).filter(period=period)


def group_choices(period: Period) -> QuerySet[UnitGroup]:
    """The unit groups scored in ``period`` (the group filter)."""
    groups = PeriodGroup.objects.filter(period=period).values("group_id")
    return UnitGroup.objects.filter(pk__in=groups).order_by("position", "name")


def filter_tasks(
    tasks: QuerySet[RemediationTask], filters: Filters, today: datetime.date
) -> QuerySet[RemediationTask]:
    """``tasks`` narrowed by ``filters`` (overdue as of ``today``)."""
    if filters.group:
        tasks = tasks.filter(unit__group__code=filters.group)
    for word in fold(filters.unit).split():
        tasks = tasks.filter(Q(unit__search_name__contains=word) | Q(unit__code__icontains=word))
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.overdue:
        tasks = tasks.filter(_overdue(today))
    if filters.code:
        code = filters.code
        tasks = tasks.filter(Q(node_code=code) | Q(node_code__startswith=f"{code}."))
    return tasks


def _open() -> Q:
    return Q(status__in=OPEN_STATUSES)


def _overdue(today: datetime.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


def _at_stake(tasks: QuerySet[RemediationTask]) -> Any:
    """Sum of points lost over the distinct (unit, node) items with a task open among
    ``tasks``: each item is represented by its first open task."""
    representatives = (
        tasks.filter(_open()).order_by().values("unit_id", "node_id").annotate(first=Min("pk"))
    ).values("first")
    return Coalesce(
        Sum("points_lost", filter=Q(pk__in=representatives)),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def _counts(today: datetime.date) -> dict[str, Any]:
    return {
        "tasks": Count("pk"),
        "done": Count("pk", filter=Q(status=TaskStatus.DONE)),
        "overdue": Count("pk", filter=_overdue(today)),
    }


# --------------------------------------------------------------------------- the cards


@dataclass(frozen=True)
class Totals:
    """The summary cards."""

    tasks: int
    open: int
    in_progress: int
    done: int
    dropped: int
    overdue: int
    at_stake: Decimal
    units: int


def totals(tasks: QuerySet[RemediationTask], today: datetime.date) -> Totals:
    """The cards of ``tasks``: one query."""
    data = tasks.order_by().aggregate(
        **_counts(today),
        open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS)),
        dropped=Count("pk", filter=Q(status=TaskStatus.DROPPED)),
        units=Count("unit_id", distinct=True),
        at_stake=_at_stake(tasks),
    )
    return Totals(
        tasks=data["tasks"],
        open=data["open"],
        in_progress=data["in_progress"],
        done=data["done"],
        dropped=data["dropped"],
        overdue=data["overdue"],
        at_stake=Decimal(data["at_stake"] or 0),
        units=data["units"],
    )


# --------------------------------------------------------------------------- per unit


def unit_rows(tasks: QuerySet[RemediationTask], today: datetime.date) -> QuerySet[Any]:
    """One row per unit with tasks: ``unit_id``, ``unit__code``, ``unit__name``,
    ``tasks``, ``done``, ``overdue``, ``at_stake``, ``last`` (last change of a task);
    the most overdue, then the most points at stake, first."""
    rows = cast(
        "QuerySet[Any]",
        tasks.order_by()
        .values("unit_id", "unit__code", "unit__name")
        .annotate(**_counts(today), at_stake=_at_stake(tasks), last=Max("updated_at")),
    )
    return rows.order_by("-overdue", "-at_stake", "unit__name", "unit_id")


# --------------------------------------------------------------------------- per criterion


def code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a node code: 1.2 before 1.10, numbers before letters."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def criterion_rows(tasks: QuerySet[RemediationTask], today: datetime.date) -> list[dict[str, Any]]:
    """One row per criterion with tasks (code order): ``node_id``, ``node_code``,
    ``node__name``, ``units`` (with tasks), ``tasks``, ``overdue``, ``at_stake``. A
    period scoring two groups with two sets has a row per set's criterion."""
    rows: Iterable[dict[str, Any]] = cast(
        "QuerySet[Any]",
        tasks.order_by()
        .values("node_id", "node_code", "node__name")
        .annotate(
            **_counts(today),
            units=Count("unit_id", distinct=True),
            at_stake=_at_stake(tasks),
        ),
    )
    return sorted(rows, key=lambda r: (code_key(r["node_code"]), r["node_id"]))


# --------------------------------------------------------------------------- the list


def task_list(tasks: QuerySet[RemediationTask]) -> QuerySet[RemediationTask]:
    """The tasks with what the list shows, by unit then criterion then due date."""
    return tasks.select_related("unit", "officer", "section").order_by(
        "unit__position", "unit__name", "unit_id", "node_code", "due_date", "pk"
    )


def task_rows(tasks: QuerySet[RemediationTask]) -> Iterator[RemediationTask]:
    """The whole list for the export, read in chunks."""
    return task_list(tasks).iterator(chunk_size=2000)


def is_overdue(task: RemediationTask, today: datetime.date) -> bool:
    return task.is_open and task.due_date < today


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Oversight:
    """Everything the oversight page shows."""

    period: Period
    filters: Filters
    today: datetime.date
    totals: Totals
    units: Page[Any]
    criteria: list[dict[str, Any]]
    tasks: Page[RemediationTask]


def period_oversight(
    period: Period,
    tasks: QuerySet[RemediationTask],
    filters: Filters,
    *,
    today: datetime.date,
    unit_page: str | None = None,
    task_page: str | None = None,
) -> Oversight:
    """The page of ``tasks`` (from :func:`overseen_tasks`) narrowed by ``filters``."""
    chosen = filter_tasks(tasks, filters, today)
    return Oversight(
        period=period,
        filters=filters,
        today=today,
        totals=totals(chosen, today),
        units=Paginator(unit_rows(chosen, today), UNIT_PAGE_SIZE).get_page(unit_page),
        criteria=criterion_rows(chosen, today),
        tasks=Paginator(task_list(chosen), TASK_PAGE_SIZE).get_page(task_page),
    )
