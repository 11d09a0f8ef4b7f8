"""The chair's dashboard (điều hành): where every unit and every appraiser stands in the
period's current stage, and how long the stage has left.

Units are listed least advanced first: by status (:data:`STATUS_ORDER`), then by progress
(items answered during the self-assessment, appraised afterwards, over the items to
score), then by name; or by name only. Names are compared folded
(:func:`parindex.core.text.fold`: without diacritics and case, "Đ" as "D"), so "Đài …"
sorts with the D's, not after "Z" as a plain code-point sort would put it. The overdue
filter ("Quá hạn") keeps the units that have not submitted although their
self-assessment deadline (their extension if granted) has passed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import (
    AppraisalRecord,
    Assessment,
    AssessmentStatus,
)
from parindex.assessments.permissions import (
    answers_appraisable_by,
)
from parindex.core.text import fold
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodStatus,
)
from parindex.periods.selectors import days_left
from parindex.season.consequences import items_to_score

STATUS_BADGES: dict[str, tuple[str, str]] = {
    AssessmentStatus.NOT_STARTED: ("text-bg-secondary", "#6c757d"),
    AssessmentStatus.IN_PROGRESS: ("text-bg-info", "#0dcaf0"),
    AssessmentStatus.SUBMITTED: ("text-bg-primary", "#0d6efd"),
    AssessmentStatus.IN_APPRAISAL: ("text-bg-warning", "#ffc107"),
    AssessmentStatus.NEEDS_EXPLANATION: ("text-bg-danger", "#dc3545"),
    AssessmentStatus.FINAL: ("text-bg-success", "#198754"),
}
"""Assessment status → (Bootstrap badge class, chart colour)."""


STATUS_ORDER = (
    AssessmentStatus.NOT_STARTED,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_APPRAISAL,
    AssessmentStatus.NEEDS_EXPLANATION,
    AssessmentStatus.FINAL,
)
"""The assessment statuses from the least advanced to the most (the default order)."""

ORDERS = ("status", "name")
"""The orders of the units' table: least advanced first (default), or by name."""


STAGE_DEADLINES: dict[str, tuple[str, str]] = {
    PeriodStatus.SELF_ASSESSMENT: ("self_assessment_deadline", "Hạn tự đánh giá"),
    PeriodStatus.APPRAISAL_1: ("appraisal_1_deadline", "Hạn thẩm định vòng 1"),
    PeriodStatus.EXPLANATION: ("explanation_deadline", "Hạn giải trình"),
    PeriodStatus.APPRAISAL_2: ("appraisal_2_deadline", "Hạn thẩm định vòng 2"),
}


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    badge: str
    color: str


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    assessment_id: int
    status: str
    label: str
    badge: str
    items: int
    answered: int
    appraised: int
    needs_explanation: int
    extensions: list[DeadlineExtension]
    self_deadline: datetime.datetime | None = None
    """The unit's self-assessment deadline (its extension if granted)."""
    overdue: bool = False
    """Not submitted although :attr:`self_deadline` has passed."""


@dataclass(frozen=True)
class AppraiserProgress:
    appraiser: User
    assigned: int
    appraised: int
    last_at: datetime.datetime | None


@dataclass
class Dashboard:
    period: Period
    counts: list[StatusCount]
    units: list[UnitProgress]
    appraisers: list[AppraiserProgress]
    deadline_label: str | None
    deadline: datetime.datetime | None
    days_left: int | None
    extensions: list[DeadlineExtension] = field(default_factory=list)
    overdue_count: int = 0
    """Units overdue (see :attr:`UnitProgress.overdue`), whether filtered or not."""
    unit_total: int = 0
    """Units of the period, whether filtered or not."""
    order: str = "status"
    overdue_only: bool = False
    explanation_units: int = 0
    """Units asked to explain items (round 1), in the explanation stage."""
    explanation_sent: int = 0
    """Of them, those whose leader has sent the explanation (Gửi giải trình)."""

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)

    @property
    def overdue_days(self) -> int:
        """Days since the deadline passed (0 when not overdue)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def chart(self) -> dict[str, Any]:
        """Data for the doughnut (json_script)."""
        shown = [c for c in self.counts if c.count]
        return {
            "labels": [c.label for c in shown],
            "values": [c.count for c in shown],
            "colors": [c.color for c in shown],
            "title": "Trạng thái hồ sơ của các đơn vị",
        }


def stage_deadline(period: Period) -> tuple[str | None, datetime.datetime | None]:
    """The current stage's deadline and its label (None outside a stage with one)."""
    found = STAGE_DEADLINES.get(period.status)
    if found is None:
        return None, None
    deadline: datetime.datetime | None = getattr(period, found[0])
    return found[1], deadline


def period_dashboard(
    period: Period,
    *,
    now: datetime.datetime | None = None,
    order: str = "status",
    overdue_only: bool = False,
) -> Dashboard:
    """Units × status, items appraised per appraiser and the days left in the stage; the
    units sorted by ``order`` (:data:`ORDERS`), only the overdue ones if ``overdue_only``."""
    moment = now or timezone.now()
    assessments = _assessments_with_progress(period)
    extensions = _period_extensions(period)
    by_unit = _extensions_by_unit(extensions)
    counted = items_to_score(period)
    units = [
        _unit_progress(
            a,
            by_unit.get(a.unit_id, []),
            counted.get(a.pk, (0, 0)),
            period.self_assessment_deadline,
            moment,
        )
        for a in assessments
    ]
    units = sort_units(units, order, appraising=period.status not in _SELF_STAGES)
    appraisers = _appraisers_progress(period)
    label, deadline = stage_deadline(period)
    asked = [a for a in assessments if a.n_asked]  # type: ignore[attr-defined]
    return Dashboard(
        period=period,
        counts=_status_counts(assessments),
        units=[u for u in units if u.overdue] if overdue_only else units,
        appraisers=appraisers,
        deadline_label=label,
        deadline=deadline,
        days_left=days_left(deadline, moment),
        extensions=extensions,
        overdue_count=sum(u.overdue for u in units),
        unit_total=len(units),
        order=order if order in ORDERS else "status",
        overdue_only=overdue_only,
        explanation_units=len(asked),
        explanation_sent=sum(a.explanation_sent_at is not None for a in asked),
    )


_SELF_STAGES = (PeriodStatus.PREPARED, PeriodStatus.SELF_ASSESSMENT)


def sort_units(units: list[UnitProgress], order: str, *, appraising: bool) -> list[UnitProgress]:
    """``order`` "name": by folded name; otherwise least advanced first — status, then the
    share of items answered (appraised once ``appraising``), then folded name."""

    def by_name(u: UnitProgress) -> tuple[str, str]:
        return fold(u.unit.name), u.unit.name

    if order == "name":
        return sorted(units, key=by_name)

    def by_status(u: UnitProgress) -> tuple[int, float, str, str]:
        done = u.appraised if appraising else u.answered
        share = done / u.items if u.items else 0.0
        return (STATUS_ORDER.index(u.status), share, *by_name(u))

    return sorted(units, key=by_status)


def _assessments_with_progress(period: Period) -> list[Assessment]:
    """The period's assessments, in unit order, annotated with their items' counts (the
    items to score and those answered come from :func:`items_to_score`: during the
    self-assessment a unit's saved answers are not all its items)."""
    return list(
        Assessment.objects.filter(period=period)
        .select_related("unit")
        .annotate(
            n_appraised=Count("answers", filter=Q(answers__appraisal_round__gt=0)),
            n_asked=Count(
                "answers",
                filter=Q(answers__needs_explanation=True, answers__appraisal_round__gte=1),
            ),
        )
        .order_by("unit__position", "unit__name")
    )


def _period_extensions(period: Period) -> list[DeadlineExtension]:
    return list(
        DeadlineExtension.objects.filter(period=period)
        .select_related("unit", "granted_by")
        .order_by("unit__name", "stage")
    )


def _extensions_by_unit(
    extensions: list[DeadlineExtension],
) -> dict[int, list[DeadlineExtension]]:
    by_unit: dict[int, list[DeadlineExtension]] = {}
    for extension in extensions:
        by_unit.setdefault(extension.unit_id, []).append(extension)
    return by_unit


def _unit_progress(
    a: Assessment,
    extensions: list[DeadlineExtension],
    counted: tuple[int, int],
    general: datetime.datetime | None,
    now: datetime.datetime,
) -> UnitProgress:
    """One row of the units' table, from an assessment of :func:`_assessments_with_progress`
    and its (answered, items to score); ``general`` is the period's self-assessment deadline."""
    own = next(
        (e.until for e in extensions if e.stage == DeadlineStage.SELF_ASSESSMENT),
        None,
    )
    deadline = own or general
    return UnitProgress(
        unit=a.unit,
        assessment_id=a.pk,
        status=a.status,
        label=a.get_status_display(),
        badge=STATUS_BADGES[a.status][0],
        items=counted[1],
        answered=counted[0],
        appraised=a.n_appraised,  # type: ignore[attr-defined]
        needs_explanation=a.n_asked,  # type: ignore[attr-defined]
        extensions=extensions,
        self_deadline=deadline,
        overdue=a.submitted_at is None and deadline is not None and now > deadline,
    )


def _status_counts(assessments: list[Assessment]) -> list[StatusCount]:
    """How many assessments are in each status, every status listed."""
    counts = {s: 0 for s in AssessmentStatus.values}
    for a in assessments:
        counts[a.status] += 1
    return [
        StatusCount(
            status=status,
            label=str(AssessmentStatus(status).label),
            count=counts[status],
            badge=STATUS_BADGES[status][0],
            color=STATUS_BADGES[status][1],
        )
        for status in AssessmentStatus.values
    ]


_Done = dict[int | None, tuple[int, datetime.datetime | None]]
"""Appraiser → (items appraised, time of the last appraisal)."""


def _appraisers_progress(period: Period) -> list[AppraiserProgress]:
    """The assigned appraisers by name, then anyone else who appraised in the period."""
    done = _appraisal_totals(period)
    assigned = _assigned_progress(period, done)
    seen = {row.appraiser.pk for row in assigned}
    return assigned + _unassigned_progress(done, seen)


def _appraisal_totals(period: Period) -> _Done:
    return {
        row["appraiser"]: (row["n"], row["last"])
        for row in AppraisalRecord.objects.filter(answer__assessment__period=period)
        .values("appraiser")
        .annotate(n=Count("answer", distinct=True), last=Max("at"))
    }


def _assigned_progress(period: Period, done: _Done) -> list[AppraiserProgress]:
    appraisers: list[AppraiserProgress] = []
    for assignment in (
        AppraiserAssignment.objects.filter(period=period)
        .select_related("appraiser")
        .order_by("appraiser__full_name", "appraiser__username")
    ):
        user = assignment.appraiser
        n, last = done.get(user.pk, (0, None))
        appraisers.append(
            AppraiserProgress(
                appraiser=user,
                assigned=answers_appraisable_by(user, period).count(),
                appraised=n,
                last_at=last,
            )
        )
    return appraisers


def _unassigned_progress(done: _Done, seen: set[int]) -> list[AppraiserProgress]:
    """Those who appraised without being assigned (nothing assigned to them)."""
    others = [pk for pk in done if pk is not None and pk not in seen]
    appraisers: list[AppraiserProgress] = []
    for user in User.objects.filter(pk__in=others).order_by("full_name", "username"):
        n, last = done[user.pk]
        appraisers.append(AppraiserProgress(appraiser=user, assigned=0, appraised=n, last_at=last))
    return appraisers
