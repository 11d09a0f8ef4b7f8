"""Việc cần làm: what each signed-in person has to do now, in every context they have.

* Unit staff and leaders: per open assessment of their unit, the deadline that applies
  to it (with its extension), the items entered, the items returned for explanation and
  the leader's pending step (gửi hồ sơ, gửi giải trình).
* Appraisers: per period they are assigned to, each unit's progress (items appraised /
  items assigned to them, by the assignment rules of
  :func:`parindex.assessments.permissions.answers_appraisable_by`) and the round's deadline.
* The chair and observers (a superuser: every period): the season's progress and the
  next step with its deadline (:func:`parindex.season.steps.next_step`).

The counts are aggregated in a few queries per section, whatever the number of units.
This module holds the units' part and the page; :mod:`parindex.season.todo_council` the
appraisers' and the council's; :mod:`parindex.season.todo_parts` what they share.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.workflow import EDITABLE
from parindex.criteria.models import CriterionNode
from parindex.notices.season import explanation_url
from parindex.organizations.models import Unit
from parindex.periods.models import (
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.permissions import UNIT_ROLES, active_user
from parindex.periods.selectors import excluded_leaf_ids
from parindex.season.todo_assigned import AssignedTodo, TaskTodo, assigned_todos, task_todos
from parindex.season.todo_council import (
    AppraiserTodo,
    SeasonTodo,
    UnitAppraisal,
    appraiser_todos,
    season_todos,
)
from parindex.season.todo_parts import ANSWERED, Deadline, Link, deadline_for, period_title

__all__ = [
    "AppraiserTodo",
    "Deadline",
    "Link",
    "SeasonTodo",
    "Todo",
    "UnitAppraisal",
    "UnitTodo",
    "appraiser_todos",
    "season_todos",
    "todo_for",
    "unit_todos",
]

# --------------------------------------------------------------------------- unit


@dataclass(frozen=True)
class UnitTodo:
    """One open assessment of the user's unit."""

    assessment: Assessment
    title: str
    deadline: Deadline | None
    answered: int
    leaves: int
    asked: int
    """Items returned for explanation (round 1)."""
    unanswered: int
    """Of those, the ones the unit has not answered yet."""
    pending: str
    """What the user has to do next ("" when nothing)."""
    links: list[Link]

    @property
    def period(self) -> Period:
        return self.assessment.period

    @property
    def line(self) -> str:
        """ "Phiếu 2025: còn 14 ngày, đã nhập 5/80, 2 nội dung cần giải trình"."""
        parts = [self.deadline.left_text] if self.deadline else []
        parts.append(f"đã nhập {self.answered}/{self.leaves}")
        if self.asked:
            parts.append(f"{self.asked} nội dung cần giải trình")
        return f"{self.title}: {', '.join(parts)}"


def _leaf_answers(assessment_ids: list[int]) -> dict[int, dict[str, int]]:
    """Assessment → counts of its items on leaves: answered, asked, unanswered."""
    has_children = CriterionNode.objects.filter(parent_id=OuterRef("node_id"))
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids)
        .filter(~Exists(has_children))
        .values("assessment_id")
        .annotate(
            answered=Count("id", filter=ANSWERED),
            asked=Count("id", filter=Q(needs_explanation=True, appraisal_round=1)),
            unanswered=Count(
                "id", filter=Q(needs_explanation=True, appraisal_round=1, unit_response="")
            ),
        )
    )
    return {
        row["assessment_id"]: {
            "answered": row["answered"],
            "asked": row["asked"],
            "unanswered": row["unanswered"],
        }
        for row in rows
    }


def _left_out_leaves(assessment_ids: list[int]) -> dict[int, int]:
    """Assessment → leaves not answered one by one but done because the unit asked to
    leave out a group above them ("đề nghị không áp dụng" on a field or group of criteria),
    as the self-assessment screen counts them. Two more queries only when there are such
    groups."""
    has_children = CriterionNode.objects.filter(parent_id=OuterRef("node_id"))
    groups = list(
        Answer.objects.filter(assessment_id__in=assessment_ids, self_not_applicable=True)
        .filter(Exists(has_children))
        .values_list("assessment_id", "node_id", "node__criteria_set_id")
    )
    if not groups:
        return {}
    tree = list(
        CriterionNode.objects.filter(criteria_set_id__in={g[2] for g in groups}).values_list(
            "id", "parent_id"
        )
    )
    kids: dict[int, list[int]] = defaultdict(list)
    for node_id, parent_id in tree:
        if parent_id is not None:
            kids[parent_id].append(node_id)
    answered = set(
        Answer.objects.filter(assessment_id__in={g[0] for g in groups})
        .filter(ANSWERED)
        .values_list("assessment_id", "node_id")
    )
    out: dict[int, set[int]] = defaultdict(set)
    for assessment_id, group_id, _ in groups:
        stack = list(kids.get(group_id, []))
        while stack:
            node_id = stack.pop()
            if node_id in kids:
                stack.extend(kids[node_id])
            elif (assessment_id, node_id) not in answered:
                out[assessment_id].add(node_id)
    return {assessment_id: len(leaves) for assessment_id, leaves in out.items()}


def _leaves_per_period(unit: Unit, period_ids: list[int]) -> dict[int, int]:
    """Period → leaves of the criteria set that scores ``unit``'s group in it."""
    if unit.group_id is None:
        return {}
    sets = dict(
        PeriodGroup.objects.filter(period_id__in=period_ids, group_id=unit.group_id).values_list(
            "period_id", "criteria_set_id"
        )
    )
    leaves = dict(
        CriterionNode.objects.filter(criteria_set_id__in=set(sets.values()), children__isnull=True)
        .values("criteria_set_id")
        .annotate(n=Count("id"))
        .values_list("criteria_set_id", "n")
    )
    periods = {p.pk: p for p in Period.objects.filter(pk__in=sets)}
    return {
        period_id: leaves.get(set_id, 0) - len(excluded_leaf_ids(periods[period_id], set_id))
        for period_id, set_id in sets.items()
    }


def _unit_deadline(
    assessment: Assessment,
    extensions: dict[tuple[int, str], datetime.datetime],
    now: datetime.datetime | None,
) -> Deadline | None:
    period = assessment.period
    if period.status == PeriodStatus.SELF_ASSESSMENT:
        stage, label, general = (
            DeadlineStage.SELF_ASSESSMENT,
            "Hạn tự đánh giá",
            period.self_assessment_deadline,
        )
    elif (
        period.status == PeriodStatus.EXPLANATION
        and assessment.status == AssessmentStatus.NEEDS_EXPLANATION
    ):
        stage, label, general = (
            DeadlineStage.EXPLANATION,
            "Hạn giải trình",
            period.explanation_deadline,
        )
    else:
        return None
    own = extensions.get((period.pk, stage))
    return deadline_for(label, own or general, now, extended=own is not None)


def _unit_pending(
    user: User, assessment: Assessment, answered: int, leaves: int, unanswered: int
) -> str:
    """The user's next step on ``assessment``: the leader sends, the staff fill in."""
    period = assessment.period
    leader = user.role == Role.UNIT_LEADER
    if period.status == PeriodStatus.SELF_ASSESSMENT and assessment.status in EDITABLE:
        left = leaves - answered
        fill = f"Còn {left} nội dung chưa nhập. " if left > 0 else ""
        if leader:
            return f"{fill}Lãnh đạo đơn vị cần gửi hồ sơ tự đánh giá."
        return f"{fill}Nhập điểm và tài liệu kiểm chứng, rồi đề nghị lãnh đạo gửi hồ sơ."
    if (
        period.status == PeriodStatus.EXPLANATION
        and assessment.status == AssessmentStatus.NEEDS_EXPLANATION
    ):
        answer = f"Còn {unanswered} nội dung chưa giải trình. " if unanswered else ""
        if getattr(assessment, "explanation_sent_at", None) is not None:
            return "Đã gửi giải trình."
        if leader:
            return f"{answer}Lãnh đạo đơn vị cần gửi giải trình."
        return f"{answer}Trả lời các nội dung cần giải trình, rồi đề nghị lãnh đạo gửi."
    return ""


def _unit_links(assessment: Assessment, asked: int) -> list[Link]:
    detail = reverse("assessments:detail", args=[assessment.pk])
    status = assessment.period.status
    links = [Link("Mở phiếu tự đánh giá", detail, primary=status == PeriodStatus.SELF_ASSESSMENT)]
    if asked:
        links.append(
            Link(
                "Giải trình",
                explanation_url(assessment.pk),
                primary=status == PeriodStatus.EXPLANATION,
            )
        )
    return links


def unit_todos(user: User, *, now: datetime.datetime | None = None) -> list[UnitTodo]:
    """The open assessments of the user's unit (not finalised), newest period first."""
    if user.role not in UNIT_ROLES or user.unit_id is None or user.is_superuser:
        return []
    assessments = list(
        Assessment.objects.filter(unit_id=user.unit_id)
        .exclude(period__status=PeriodStatus.FINALISED)
        .select_related("period", "unit")
        .order_by("-period__year", "period__name", "pk")
    )
    if not assessments:
        return []
    unit = assessments[0].unit
    period_ids = [a.period_id for a in assessments]
    counts = _leaf_answers([a.pk for a in assessments])
    for assessment_id, extra in _left_out_leaves([a.pk for a in assessments]).items():
        row = counts.setdefault(assessment_id, {"answered": 0, "asked": 0, "unanswered": 0})
        row["answered"] += extra
    leaves = _leaves_per_period(unit, period_ids)
    extensions = {
        (period_id, stage): until
        for period_id, stage, until in DeadlineExtension.objects.filter(
            period_id__in=period_ids, unit_id=unit.pk
        ).values_list("period_id", "stage", "until")
    }
    todos: list[UnitTodo] = []
    for assessment in assessments:
        n = counts.get(assessment.pk, {"answered": 0, "asked": 0, "unanswered": 0})
        total = leaves.get(assessment.period_id, 0)
        todos.append(
            UnitTodo(
                assessment=assessment,
                title=period_title(assessment.period),
                deadline=_unit_deadline(assessment, extensions, now),
                answered=n["answered"],
                leaves=total,
                asked=n["asked"],
                unanswered=n["unanswered"],
                pending=_unit_pending(user, assessment, n["answered"], total, n["unanswered"]),
                links=_unit_links(assessment, n["asked"]),
            )
        )
    return todos


# --------------------------------------------------------------------------- page


@dataclass
class Todo:
    units: list[UnitTodo] = field(default_factory=list)
    appraisals: list[AppraiserTodo] = field(default_factory=list)
    seasons: list[SeasonTodo] = field(default_factory=list)
    assigned: list[AssignedTodo] = field(default_factory=list)
    tasks: list[TaskTodo] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.units or self.appraisals or self.seasons or self.assigned or self.tasks)


def todo_for(user: Any, *, now: datetime.datetime | None = None) -> Todo:
    """Everything the user has to do, per context (none for a visitor)."""
    u = active_user(user)
    if u is None:
        return Todo()
    return Todo(
        units=unit_todos(u, now=now),
        appraisals=appraiser_todos(u, now=now),
        seasons=season_todos(u, now=now),
        assigned=assigned_todos(u),
        tasks=task_todos(u, now=now),
    )
