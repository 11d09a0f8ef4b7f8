"""Việc cần làm of the appraisers and of the council (chair, observers; a superuser: every
period): each unit's appraisal progress, the season's progress and its next step. A few
queries per period, whatever the number of units."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import answers_appraisable_by
from parindex.organizations.models import Unit
from parindex.periods.models import AppraiserAssignment, Period, PeriodStatus
from parindex.periods.permissions import is_chair, overseen_periods
from parindex.season.dashboard import stage_deadline
from parindex.season.steps import next_step
from parindex.season.todo_parts import ASKED, Deadline, deadline_for

SENT_STATUSES = (AssessmentStatus.SUBMITTED,)


# --------------------------------------------------------------------------- appraiser


@dataclass(frozen=True)
class UnitAppraisal:
    """An appraiser's share of one unit: "Vân Sơn 8/31"."""

    unit: Unit
    status: str
    """The unit's assessment status ("" when it takes no part in the period)."""
    assigned: int
    appraised: int
    asked: int
    explained: int
    """Items returned for explanation that the unit has answered."""
    settled: int
    """Items returned for explanation settled in round 2."""
    queue_url: str

    @property
    def name(self) -> str:
        return self.unit.short_name or self.unit.name

    @property
    def status_label(self) -> str:
        if not self.status:
            return "Không tham gia kỳ đánh giá"
        return str(AssessmentStatus(self.status).label)

    @property
    def line(self) -> str:
        return f"{self.name} {self.appraised}/{self.assigned}"


@dataclass(frozen=True)
class AppraiserTodo:
    """An appraiser's period."""

    period: Period
    deadline: Deadline | None
    note: str
    units: list[UnitAppraisal]
    queue_url: str

    @property
    def assigned(self) -> int:
        return sum(u.assigned for u in self.units)

    @property
    def appraised(self) -> int:
        return sum(u.appraised for u in self.units)

    @property
    def asked(self) -> int:
        return sum(u.asked for u in self.units)

    @property
    def settled(self) -> int:
        return sum(u.settled for u in self.units)

    @property
    def submitted(self) -> int:
        """Units that have sent their self-assessment (or are further on)."""
        return sum(1 for u in self.units if u.status in SENT_STATUSES)

    @property
    def round_2(self) -> bool:
        return self.period.status in (PeriodStatus.EXPLANATION, PeriodStatus.APPRAISAL_2)


APPRAISER_DEADLINES: dict[str, tuple[str, str, str]] = {
    PeriodStatus.PREPARED: (
        "appraisal_1_deadline",
        "Hạn thẩm định vòng 1",
        "Kỳ đánh giá chưa mở tự đánh giá.",
    ),
    PeriodStatus.SELF_ASSESSMENT: (
        "appraisal_1_deadline",
        "Hạn thẩm định vòng 1",
        "Các đơn vị đang tự đánh giá; thẩm định vòng 1 bắt đầu sau hạn tự đánh giá.",
    ),
    PeriodStatus.APPRAISAL_1: ("appraisal_1_deadline", "Hạn thẩm định vòng 1", ""),
    PeriodStatus.EXPLANATION: (
        "appraisal_2_deadline",
        "Hạn thẩm định vòng 2",
        "Các đơn vị đang giải trình; thẩm định vòng 2 bắt đầu sau hạn giải trình.",
    ),
    PeriodStatus.APPRAISAL_2: ("appraisal_2_deadline", "Hạn thẩm định vòng 2", ""),
}


def _appraiser_period(
    user: User, assignment: AppraiserAssignment, now: datetime.datetime | None
) -> AppraiserTodo:
    period = assignment.period
    queue = reverse("appraisal:queue", args=[period.pk])
    rows: dict[int, dict[str, int]] = {
        row["assessment__unit_id"]: {
            "assigned": row["assigned"],
            "appraised": row["appraised"],
            "asked": row["asked"],
            "explained": row["explained"],
            "settled": row["settled"],
        }
        for row in answers_appraisable_by(user, period)
        .order_by()
        .values("assessment__unit_id")
        .annotate(
            assigned=Count("id"),
            appraised=Count("id", filter=Q(appraisal_round__gt=0)),
            asked=Count("id", filter=ASKED),
            explained=Count("id", filter=ASKED & ~Q(unit_response="")),
            settled=Count("id", filter=ASKED & Q(appraisal_round__gte=2)),
        )
    }
    units = sorted(assignment.units.all(), key=lambda u: (u.position, u.name))
    statuses = dict(
        Assessment.objects.filter(period=period, unit__in=[u.pk for u in units]).values_list(
            "unit_id", "status"
        )
    )
    empty = {"assigned": 0, "appraised": 0, "asked": 0, "explained": 0, "settled": 0}
    shares = [
        UnitAppraisal(
            unit=unit,
            status=statuses.get(unit.pk, ""),
            queue_url=f"{queue}?don-vi={unit.pk}",
            **rows.get(unit.pk, empty),
        )
        for unit in units
    ]
    field_name, label, note = APPRAISER_DEADLINES.get(period.status, ("", "", ""))
    at = getattr(period, field_name) if field_name else None
    return AppraiserTodo(
        period=period,
        deadline=deadline_for(label, at, now, extended=False),
        note=note,
        units=shares,
        queue_url=queue,
    )


def appraiser_todos(user: User, *, now: datetime.datetime | None = None) -> list[AppraiserTodo]:
    """Each period the appraiser is assigned to (not finalised), with each unit's progress."""
    if user.role != Role.APPRAISER:
        return []
    assignments = (
        AppraiserAssignment.objects.filter(appraiser=user)
        .exclude(period__status=PeriodStatus.FINALISED)
        .select_related("period")
        .prefetch_related("units")
        .order_by("-period__year", "period__name")
    )
    return [_appraiser_period(user, a, now) for a in assignments]


# --------------------------------------------------------------------------- chair


@dataclass(frozen=True)
class SeasonTodo:
    """A period the user oversees: where it stands and its next step."""

    period: Period
    units: int
    submitted: int
    items: int
    appraised: int
    asked: int
    explanations_sent: int
    step_label: str
    """The next step ("" when the period is at its end)."""
    deadline: Deadline | None
    """The current stage's deadline: the next step is due after it."""
    dashboard_url: str
    can_manage: bool

    @property
    def not_submitted(self) -> int:
        return self.units - self.submitted

    @property
    def appraising(self) -> bool:
        return self.period.status not in (PeriodStatus.PREPARED, PeriodStatus.SELF_ASSESSMENT)

    @property
    def progress_line(self) -> str:
        """ "Đã gửi hồ sơ 18/88 đơn vị; đã thẩm định 120/7.040 nội dung"."""
        line = f"Đã gửi hồ sơ {self.submitted}/{self.units} đơn vị"
        if self.appraising:
            line += f"; đã thẩm định {self.appraised}/{self.items} nội dung"
        return line

    @property
    def step_line(self) -> str:
        """ "Bước tiếp theo: Bắt đầu thẩm định vòng 1, sau Hạn tự đánh giá 17:00 … (còn
        14 ngày)"."""
        if not self.step_label:
            return "Kỳ đánh giá đã ở bước cuối."
        line = f"Bước tiếp theo: {self.step_label}"
        if self.deadline is not None:
            line += f", sau {self.deadline.text} ({self.deadline.left_text})"
        return line


def season_todos(user: User, *, now: datetime.datetime | None = None) -> list[SeasonTodo]:
    """The periods a chair or observer oversees (a superuser: all), not finalised."""
    periods = list(
        overseen_periods(user)
        .exclude(status=PeriodStatus.FINALISED)
        .select_related("jurisdiction")
        .order_by("-year", "name")
    )
    if not periods:
        return []
    ids = [p.pk for p in periods]
    assessments: dict[int, dict[str, Any]] = {
        row["period_id"]: {"units": row["units"], "submitted": row["submitted"]}
        for row in Assessment.objects.filter(period_id__in=ids)
        .order_by()
        .values("period_id")
        .annotate(
            units=Count("id"),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        )
    }
    sent = _explanations_sent(ids)
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in (
        Answer.objects.filter(assessment__period_id__in=ids)
        .order_by()
        .values("assessment__period_id")
        .annotate(
            items=Count("id"),
            appraised=Count("id", filter=Q(appraisal_round__gt=0)),
            asked=Count("id", filter=ASKED),
        )
    ):
        answers[row["assessment__period_id"]] = {
            "items": row["items"],
            "appraised": row["appraised"],
            "asked": row["asked"],
        }
    manage = is_chair(user)
    todos: list[SeasonTodo] = []
    for period in periods:
        a = assessments.get(period.pk, {"units": 0, "submitted": 0})
        n = answers.get(period.pk) or {"items": 0, "appraised": 0, "asked": 0}
        step = next_step(period)
        label, at = stage_deadline(period)
        todos.append(
            SeasonTodo(
                period=period,
                units=a["units"],
                submitted=a["submitted"],
                items=n["items"],
                appraised=n["appraised"],
                asked=n["asked"],
                explanations_sent=sent.get(period.pk, 0),
                step_label=step.label if step is not None else "",
                deadline=deadline_for(label or "", at, now, extended=False),
                dashboard_url=reverse("season:dashboard", args=[period.pk]),
                can_manage=manage,
            )
        )
    return todos


def _explanations_sent(period_ids: list[int]) -> dict[int, int]:
    """Period → units whose leader sent the explanation (when the field exists)."""
    if not any(f.name == "explanation_sent_at" for f in Assessment._meta.get_fields()):
        return {}
    return dict(
        Assessment.objects.filter(period_id__in=period_ids, explanation_sent_at__isnull=False)
        .order_by()
        .values("period_id")
        .annotate(n=Count("id"))
        .values_list("period_id", "n")
    )
