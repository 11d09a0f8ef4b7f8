"""What a unit reads of its appraisal (kết quả thẩm định): per item its self score, the
appraised score, the status and the appraiser's reason; the index and class computed by the
engine from the appraised values; after finalising, the points lost with their reasons; and
who last changed each item, the unit (tự đánh giá) or an appraiser (thẩm định)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from parindex import engine
from parindex.assessments.models import Answer, AppraisalRecord, Assessment, AssessmentStatus
from parindex.assessments.selectors.screen import Screen, ScreenRow, evaluation, tree_rows
from parindex.audit.models import AuditEvent
from parindex.core.formatting import person_name
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.periods.models import DeadlineStage, Period, PeriodStatus
from parindex.periods.selectors import EXCLUDED_LABEL, effective_deadline

APPRAISAL_STAGES = (
    PeriodStatus.APPRAISAL_1,
    PeriodStatus.EXPLANATION,
    PeriodStatus.APPRAISAL_2,
    PeriodStatus.FINALISED,
)
"""Period statuses in which the unit sees its appraisal."""

ITEM_STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("Chưa thẩm định", "text-bg-secondary"),
    "accepted": ("Chấp nhận", "text-bg-success"),
    "lowered": ("Bị hạ điểm", "text-bg-danger"),
    "raised": ("Được nâng điểm", "text-bg-info"),
    "na_accepted": ("Chấp nhận không áp dụng", "text-bg-success"),
    "na_refused": ("Không chấp nhận đề nghị không áp dụng", "text-bg-danger"),
    "na_set": ("Thẩm định: không áp dụng", "text-bg-info"),
    "explanation": ("Yêu cầu giải trình", "text-bg-warning"),
    "settled": ("Đã chốt ở vòng 2", "text-bg-primary"),
    "excluded": (EXCLUDED_LABEL, "text-bg-light border"),
}
"""An item's appraisal status as the unit reads it: key → (label, badge class)."""

SELF_SAVE_ACTIONS = ("answer.self_saved",)


def appraisal_visible(period: Period) -> bool:
    """Whether the unit sees its appraisal: from appraisal round 1 on."""
    return period.status in APPRAISAL_STAGES


@dataclass(frozen=True)
class Edit:
    """Who changed an item last, on which side."""

    kind: str
    """"self" (tự đánh giá) or "appraisal" (thẩm định)."""
    who: str
    at: datetime.datetime

    @property
    def label(self) -> str:
        return "Tự đánh giá" if self.kind == "self" else "Thẩm định"


@dataclass(frozen=True)
class AppraisalItem:
    """One node of the unit's sheet with both scores (the engine's)."""

    row: ScreenRow
    self_points: Decimal | None
    """None: not applicable in the unit's own evaluation (asked for, or under a group)."""
    appraised_points: Decimal | None
    """None: not applicable in the appraised evaluation."""
    applicable_max: Decimal | None
    status: str
    comment: str
    appraised_lost: Decimal | None = None
    """The engine's points lost against the applicable max (:attr:`NodeResult.lost`)."""

    @property
    def node(self) -> CriterionNode:
        return self.row.node

    @property
    def answer(self) -> Answer | None:
        return self.row.answer

    @property
    def is_leaf(self) -> bool:
        return self.row.is_leaf

    @property
    def depth(self) -> int:
        return self.row.depth

    @property
    def status_label(self) -> str:
        return ITEM_STATUSES[self.status][0] if self.status else ""

    @property
    def status_badge(self) -> str:
        return ITEM_STATUSES[self.status][1] if self.status else ""

    @property
    def lost(self) -> Decimal | None:
        """Points lost against the applicable max in the appraised evaluation (leaves)."""
        return self.appraised_lost if self.is_leaf else None

    @property
    def self_na_requested(self) -> bool:
        return self.answer is not None and self.answer.self_not_applicable

    @property
    def appraised_na(self) -> bool:
        return self.appraised_points is None

    @property
    def period_excluded(self) -> bool:
        """Whether the node is "chưa đánh giá ở kỳ 6 tháng": neither scored nor appraised."""
        return self.row.period_excluded


@dataclass(frozen=True)
class FieldComparison:
    code: str
    name: str
    self_points: Decimal | None
    points: Decimal | None
    max: Decimal | None
    percent: Decimal | None


@dataclass(frozen=True)
class AppraisalView:
    """The unit's appraisal as it stands (or as finalised)."""

    assessment: Assessment
    criteria_set: CriteriaSet
    self_result: engine.UnitResult
    result: engine.UnitResult
    """The engine's result of the appraised values (an item not appraised keeps the
    unit's own value, as finalising does); survey, bonus and penalty left out."""
    items: list[AppraisalItem]
    fields: list[FieldComparison]
    final: bool
    has_survey: bool

    @property
    def points_places(self) -> int:
        return self.criteria_set.rounding_places

    @property
    def index_places(self) -> int:
        return self.criteria_set.index_rounding_places

    @property
    def leaves(self) -> list[AppraisalItem]:
        return [i for i in self.items if i.is_leaf or i.self_na_requested]

    @property
    def lost_items(self) -> list[AppraisalItem]:
        """Leaves that lost points in the appraised evaluation, most lost first."""
        lost = [i for i in self.items if i.lost is not None and i.lost > 0]
        return sorted(lost, key=lambda i: (-(i.lost or 0), i.node.position))

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ITEM_STATUSES, 0)
        for item in self.leaves:
            if item.status:
                counts[item.status] += 1
        return counts

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(label, badge, count) of each status present."""
        return [
            (label, badge, self.counts[key])
            for key, (label, badge) in ITEM_STATUSES.items()
            if self.counts[key]
        ]

    @property
    def has_excluded(self) -> bool:
        """Some node is "chưa đánh giá ở kỳ 6 tháng" in the period."""
        return any(i.period_excluded for i in self.items)

    excluded_label: ClassVar[str] = EXCLUDED_LABEL

    def item(self, node_id: int) -> AppraisalItem | None:
        return next((i for i in self.items if i.node.pk == node_id), None)


def item_status(
    answer: Answer | None, self_points: Decimal | None, appraised: Decimal | None
) -> str:
    """The unit's reading of an item's appraisal (see :data:`ITEM_STATUSES`)."""
    if answer is None or answer.appraisal_round == 0:
        return "pending"
    if answer.appraisal_round == 1 and answer.needs_explanation:
        return "explanation"
    if answer.appraisal_round >= 2:
        return "settled"
    if answer.self_not_applicable != answer.appraised_not_applicable:
        return "na_set" if answer.appraised_not_applicable else "na_refused"
    if answer.appraised_not_applicable:
        return "na_accepted"
    if appraised is not None and self_points is not None and appraised != self_points:
        return "lowered" if appraised < self_points else "raised"
    return "accepted"


def unit_appraisal_view(assessment: Assessment) -> AppraisalView:
    """The unit's sheet with both scores, computed by the engine (the same evaluation as the
    self-assessment screen, once with the unit's values and once with the appraised ones).
    Raises ValidationError when the unit's group has no criteria set in the period."""
    own = evaluation(assessment)
    appraised = evaluation(assessment, appraised=True)
    rows = tree_rows(own)
    items: list[AppraisalItem] = []
    for row in rows:
        mine = own.result.node(row.node.code)
        theirs = appraised.result.node(row.node.code)
        self_points = mine.points if mine else None
        points = theirs.points if theirs else None
        answer = row.answer
        show_status = row.is_leaf or (answer is not None and answer.self_not_applicable)
        status = item_status(answer, self_points, points) if show_status else ""
        if row.period_excluded and (row.is_leaf or row.node.code in own.period_excluded):
            status = "excluded"
        items.append(
            AppraisalItem(
                row=row,
                self_points=self_points,
                appraised_points=points,
                applicable_max=theirs.max if theirs else None,
                appraised_lost=theirs.lost if theirs else None,
                status=status,
                comment=answer.appraisal_comment if answer else "",
            )
        )
    names = {r.node.code: r.node.name for r in rows if r.depth == 0}
    own_fields = {f.code: f for f in own.result.fields}
    rounding = appraised.criteria.effective_index_rounding
    fields = []
    for code, name in names.items():
        theirs_field = next((f for f in appraised.result.fields if f.code == code), None)
        mine_field = own_fields.get(code)
        fields.append(
            FieldComparison(
                code=code,
                name=name,
                self_points=mine_field.points if mine_field else None,
                points=theirs_field.points if theirs_field else None,
                max=theirs_field.max if theirs_field else None,
                percent=rounding.apply(theirs_field.percent) if theirs_field else None,
            )
        )
    return AppraisalView(
        assessment=assessment,
        criteria_set=own.criteria_set,
        self_result=own.result,
        result=appraised.result,
        items=items,
        fields=fields,
        final=assessment.status == AssessmentStatus.FINAL
        or assessment.period.status == PeriodStatus.FINALISED,
        has_survey=own.criteria.survey_max is not None,
    )


def last_edits(answers: Iterable[Answer]) -> dict[int, list[Edit]]:
    """For each item: its last self-assessment edit (from the audit trail) and its last
    appraisal (from the appraisal records), oldest first. Two queries."""
    ids = [a.pk for a in answers if a is not None and a.pk]
    edits: dict[int, dict[str, Edit]] = {}
    events = (
        AuditEvent.objects.filter(
            target_type=Answer._meta.label_lower,
            target_id__in=[str(i) for i in ids],
            action__in=SELF_SAVE_ACTIONS,
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    for event in events:
        who = person_name(event.actor, event.actor_username or "người khác")
        edits.setdefault(int(event.target_id), {})["self"] = Edit("self", who, event.at)
    for rec in (
        AppraisalRecord.objects.filter(answer_id__in=ids)
        .select_related("appraiser")
        .order_by("at", "id")
    ):
        edits.setdefault(rec.answer_id, {})["appraisal"] = Edit(
            "appraisal", person_name(rec.appraiser, "người thẩm định"), rec.at
        )
    return {pk: sorted(found.values(), key=lambda e: e.at) for pk, found in edits.items()}


def with_appraisal(screen: Screen) -> Screen:
    """The screen with the unit's appraisal on it (each row's ``appraisal``, the screen's
    ``appraisal``) once the unit sees it, and every row's last edits by side."""
    rows = [r for r in screen.rows if r.answer is not None]
    edits = last_edits(r.answer for r in rows if r.answer is not None)
    for row in screen.rows:
        row.edits = edits.get(row.answer.pk, []) if row.answer is not None else []
    if not appraisal_visible(screen.assessment.period):
        return screen
    view = unit_appraisal_view(screen.assessment)
    for row in screen.rows:
        row.appraisal = view.item(row.node.pk)
    screen.appraisal = view
    screen.to_explain = view.counts["explanation"]
    if screen.assessment.period.status == PeriodStatus.EXPLANATION:
        screen.explanation_deadline = effective_deadline(
            screen.assessment.period, screen.assessment.unit_id, DeadlineStage.EXPLANATION
        )
    return screen
