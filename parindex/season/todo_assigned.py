"""What the to-do page (:mod:`parindex.season.todo`) shows a unit's officer of the work
given to them inside the unit (:mod:`parindex.teams`):

* "Nội dung được giao cho tôi": per open assessment of their unit, the items under the
  codes given to them (directly or through their sections), how many are entered, with a
  link to each code's field on the self-assessment screen;
* "Nhiệm vụ khắc phục của tôi": the remediation tasks still open that are theirs or their
  section's, with the due date and the days overdue.

A fixed number of queries, whatever the number of items or tasks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.permissions import code_within
from parindex.criteria.models import CriterionNode
from parindex.periods.models import PeriodGroup, PeriodStatus
from parindex.periods.permissions import UNIT_ROLES
from parindex.periods.selectors import excluded_node_codes
from parindex.remediation.models import RemediationTask
from parindex.season.todo_parts import ANSWERED, period_title
from parindex.teams.selectors import codes_of

FIELD_PARAM = "linh-vuc"
"""The self-assessment screen's field parameter (``parindex.assessments.views``)."""


# --------------------------------------------------------------------------- assigned items


@dataclass(frozen=True)
class AssignedPart:
    """One code given to the officer, in one assessment."""

    code: str
    name: str
    entered: int
    leaves: int
    url: str

    @property
    def done(self) -> bool:
        return self.entered >= self.leaves


@dataclass(frozen=True)
class AssignedTodo:
    """The items of one open assessment given to the officer."""

    assessment: Assessment
    title: str
    parts: list[AssignedPart]

    @property
    def entered(self) -> int:
        return sum(p.entered for p in self.parts)

    @property
    def leaves(self) -> int:
        return sum(p.leaves for p in self.parts)

    @property
    def line(self) -> str:
        """ "Phiếu 2025: đã nhập 3/7 nội dung được giao"."""
        return f"{self.title}: đã nhập {self.entered}/{self.leaves} nội dung được giao"


def _outermost(codes: tuple[str, ...]) -> tuple[str, ...]:
    """``codes`` without those lying under another of them ("1.2" under "1")."""
    return tuple(c for c in codes if not any(o != c and code_within(c, (o,)) for o in codes))


@dataclass(frozen=True)
class _Node:
    pk: int
    code: str
    name: str
    field: str
    ancestors: tuple[str, ...]
    is_leaf: bool


def _nodes_per_set(set_ids: set[int]) -> dict[int, list[_Node]]:
    rows = list(
        CriterionNode.objects.filter(criteria_set_id__in=set_ids)
        .order_by("position", "id")
        .values_list("id", "criteria_set_id", "code", "name", "parent_id")
    )
    parent = {r[0]: r[4] for r in rows}
    code = {r[0]: r[2] for r in rows}
    has_children = {r[4] for r in rows if r[4] is not None}
    found: dict[int, list[_Node]] = defaultdict(list)
    for pk, set_id, node_code, name, _ in rows:
        chain: list[str] = []
        up = parent.get(pk)
        while up is not None and len(chain) < 10:
            chain.append(code[up])
            up = parent.get(up)
        field = chain[-1] if chain else node_code
        node = _Node(pk, node_code, name, field, tuple(chain), pk not in has_children)
        found[set_id].append(node)
    return found


def _part(
    assessment: Assessment, assigned: str, nodes: list[_Node], answered: set[str]
) -> AssignedPart | None:
    excluded = excluded_node_codes(assessment.period)
    head = next((n for n in nodes if n.code == assigned), None)
    if head is None:
        return None  # a code the set of this period does not have
    leaves = [
        n
        for n in nodes
        if n.is_leaf
        and code_within(n.code, (assigned,))
        and not (excluded and (n.code in excluded or excluded.intersection(n.ancestors)))
    ]
    # A leaf is entered when its item is, or a group above it was left out ("không áp
    # dụng"), as the self-assessment screen counts it.
    entered = {n.pk for n in leaves if n.code in answered or answered.intersection(n.ancestors)}
    todo = next((n for n in leaves if n.pk not in entered), None)
    url = reverse("assessments:detail", args=[assessment.pk])
    url = f"{url}?{FIELD_PARAM}={head.field}" + (f"#muc-{todo.pk}" if todo else "")
    return AssignedPart(assigned, head.name, len(entered), len(leaves), url)


def assigned_todos(user: User) -> list[AssignedTodo]:
    """Per open assessment of the user's unit, the items given to them (five queries)."""
    if user.role not in UNIT_ROLES or user.unit_id is None or user.is_superuser:
        return []
    codes = _outermost(codes_of(user))
    if not codes:
        return []
    assessments = list(
        Assessment.objects.filter(unit_id=user.unit_id)
        .exclude(period__status=PeriodStatus.FINALISED)
        .select_related("period", "unit")
        .order_by("-period__year", "period__name", "pk")
    )
    if not assessments:
        return []
    group_id = assessments[0].unit.group_id
    sets = dict(
        PeriodGroup.objects.filter(
            period_id__in=[a.period_id for a in assessments], group_id=group_id
        ).values_list("period_id", "criteria_set_id")
    )
    nodes = _nodes_per_set(set(sets.values()))
    answered: dict[int, set[str]] = defaultdict(set)
    for assessment_id, code in (
        Answer.objects.filter(assessment__in=assessments)
        .filter(ANSWERED)
        .values_list("assessment_id", "node__code")
    ):
        answered[assessment_id].add(code)
    todos = []
    for assessment in assessments:
        set_nodes = nodes.get(sets.get(assessment.period_id, 0), [])
        parts = [
            part
            for code in codes
            if (part := _part(assessment, code, set_nodes, answered[assessment.pk])) is not None
        ]
        if parts:
            todos.append(AssignedTodo(assessment, period_title(assessment.period), parts))
    return todos


# --------------------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskTodo:
    """A remediation task still open that is the officer's or their section's."""

    task: RemediationTask
    overdue_days: int
    url: str

    @property
    def points_lost(self) -> Decimal:
        """Without the column's padding zeros (1.5000 → 1.5; the page shows "1,50")."""
        return self.task.points_lost.normalize()

    @property
    def overdue_text(self) -> str:
        return f"Quá hạn {self.overdue_days} ngày" if self.overdue_days > 0 else ""


def _task_url(task: RemediationTask) -> str:
    # The remediation pages come with their own app; until then, no link.
    try:
        return reverse("remediation:task", args=[task.pk])
    except NoReverseMatch:
        return ""


def task_todos(user: User, *, now: datetime.datetime | None = None) -> list[TaskTodo]:
    """The open tasks (chưa thực hiện, đang thực hiện) of the user's unit given to them or
    to one of their sections, soonest due first (one query)."""
    if user.role not in UNIT_ROLES or user.unit_id is None or user.is_superuser:
        return []
    today = timezone.localdate(now)
    tasks = (
        RemediationTask.objects.still_open()
        .for_unit(user.unit_id)
        .filter(Q(officer=user) | Q(section__members=user))
        .select_related("period", "node", "section", "officer")
        .distinct()
        .order_by("due_date", "node_code", "pk")
    )
    return [TaskTodo(task, (today - task.due_date).days, _task_url(task)) for task in tasks]
