"""What appraisers and units read during appraisal: the queue of items, the choices of its
filters, an item's timeline and the items a unit is asked to explain."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q

from parindex.accounts.models import User
from parindex.assessments.leaves import SetCache, appraised_points, self_points
from parindex.assessments.models import (
    Answer,
    AppraisalRecord,
    Assessment,
    AssessmentStatus,
)
from parindex.assessments.permissions import (
    answers_appraisable_by,
    assigned_node_codes,
    can_edit_as_unit,
)
from parindex.assessments.values import read_stored as stored
from parindex.assessments.values import (
    value_text,
)
from parindex.audit.models import AuditEvent
from parindex.core.formatting import person_name
from parindex.criteria.models import CriterionNode
from parindex.criteria.selectors import describe_rule
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.permissions import is_chair, is_overseer, periods_visible_to

QUEUE_STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("Chưa thẩm định", "text-bg-secondary"),
    "needs_explanation": ("Chờ đơn vị giải trình", "text-bg-danger"),
    "explained": ("Đơn vị đã giải trình", "text-bg-warning"),
    "appraised": ("Đã thẩm định", "text-bg-success"),
}
"""Item statuses in the appraisal queue: key → (label, badge class)."""


def item_status(answer: Answer) -> str:
    if answer.appraisal_round == 0:
        return "pending"
    if answer.needs_explanation and answer.appraisal_round == 1:
        return "explained" if answer.unit_response else "needs_explanation"
    return "appraised"


def node_rule_text(node: CriterionNode, *, is_leaf: bool) -> str:
    """How ``node`` is scored, in the words the unit's self-assessment screen uses."""
    return describe_rule(
        {
            "rule_type": node.rule_type,
            "max_points": node.max_points,
            "floor": node.floor,
            "full_at": node.full_at,
            "tiers": node.tiers,
            "per_item": node.per_item,
        },
        is_leaf=is_leaf,
    )


@dataclass(frozen=True)
class QueueRow:
    """One item of an appraiser's queue."""

    answer: Answer
    unit: Unit
    code: str
    name: str
    field: str
    max: Decimal
    self_points: Decimal | None
    self_not_applicable: bool
    self_text: str
    appraised: bool
    appraised_points: Decimal | None
    appraised_not_applicable: bool
    status: str
    differs: bool

    @property
    def status_label(self) -> str:
        return QUEUE_STATUSES[self.status][0]

    @property
    def status_badge(self) -> str:
        return QUEUE_STATUSES[self.status][1]


def appraisal_periods(user: Any) -> list[Period]:
    """Periods the user appraises (assigned) or chairs, newest first."""
    visible = periods_visible_to(user)
    if is_chair(user):
        return list(visible.order_by("-year", "kind", "name"))
    return list(
        visible.filter(assignments__appraiser=user).distinct().order_by("-year", "kind", "name")
    )


def can_appraise_period(user: Any, period: Period) -> bool:
    """Whether the user has a queue in ``period`` (an assignment, or the chair)."""
    if is_chair(user):
        return periods_visible_to(user).filter(pk=period.pk).exists()
    return (
        isinstance(user, User)
        and user.is_authenticated
        and AppraiserAssignment.objects.filter(period=period, appraiser=user).exists()
    )


def appraisal_queue(
    user: Any,
    period: Period,
    *,
    unit: int | None = None,
    field: str | None = None,
    status: str | None = None,
    differs: bool = False,
) -> list[QueueRow]:
    """The items the user may appraise in ``period``, with the engine's points, filtered by
    unit id, field code, queue status (:data:`QUEUE_STATUSES`) and "differs from the
    self-assessed points" (appraised items whose points or not-applicable differ)."""
    qs = answers_appraisable_by(user, period).select_related("assessment__unit", "node")
    if unit is not None:
        qs = qs.filter(assessment__unit_id=unit)
    if field:
        qs = qs.filter(Q(node__code=field) | Q(node__code__startswith=f"{field}."))
    cache = SetCache()
    rows: list[QueueRow] = []
    for answer in qs.order_by(
        "assessment__unit__position", "assessment__unit__name", "node__position", "pk"
    ):
        leaf = cache.for_node(answer.node)
        if field and leaf.field != field:
            continue
        own = leaf.points(stored(answer.self_value), answer.self_not_applicable)
        done = answer.appraisal_round > 0
        theirs = (
            leaf.points(stored(answer.appraised_value), answer.appraised_not_applicable)
            if done
            else None
        )
        row_differs = done and (
            (theirs, answer.appraised_not_applicable) != (own, answer.self_not_applicable)
        )
        row_status = item_status(answer)
        if status and row_status != status:
            continue
        if differs and not row_differs:
            continue
        rows.append(
            QueueRow(
                answer=answer,
                unit=answer.assessment.unit,
                code=answer.node.code,
                name=answer.node.name,
                field=leaf.field,
                max=leaf.max,
                self_points=own,
                self_not_applicable=answer.self_not_applicable,
                self_text=value_text(
                    answer.self_value,
                    answer.node.rule_type,
                    not_applicable=answer.self_not_applicable,
                ),
                appraised=done,
                appraised_points=theirs,
                appraised_not_applicable=answer.appraised_not_applicable,
                status=row_status,
                differs=row_differs,
            )
        )
    return rows


@dataclass(frozen=True)
class QueueChoices:
    units: list[tuple[int, str]]
    fields: list[tuple[str, str]]


def queue_choices(user: Any, period: Period) -> QueueChoices:
    """The units and fields the user's queue filters offer."""
    units = (
        Unit.objects.filter(
            pk__in=answers_appraisable_by(user, period).values("assessment__unit_id")
        )
        .order_by("position", "name")
        .values_list("pk", "name")
    )
    set_ids = (
        PeriodGroup.objects.filter(period=period)
        .values_list("criteria_set_id", flat=True)
        .distinct()
    )
    codes: list[str] | None = None
    if isinstance(user, User) and not is_chair(user):
        codes = assigned_node_codes(user, period)
    fields: dict[str, str] = {}
    for node_code, node_name in (
        CriterionNode.objects.filter(criteria_set_id__in=list(set_ids), parent__isnull=True)
        .order_by("position")
        .values_list("code", "name")
    ):
        fields.setdefault(node_code, node_name)
    if codes:
        wanted = {c.split(".")[0] for c in codes}
        fields = {c: n for c, n in fields.items() if c in wanted}
    return QueueChoices(units=list(units), fields=list(fields.items()))


@dataclass(frozen=True)
class TimelineEntry:
    """One step of an item's history (tự đánh giá, thẩm định, giải trình)."""

    at: datetime.datetime
    kind: str
    """"self", "appraisal", "response" or "other"."""
    title: str
    actor: str
    value: str = ""
    points: Decimal | None = None
    comment: str = ""
    needs_explanation: bool = False
    round: int = 0


APPRAISAL_ACTIONS = ("answer.appraised", "answer.appraisal_accepted")


def shown_points(points: Decimal | None) -> Decimal | None:
    """Points as a criteria set writes them: no padding zeros ("1", "3,5", "0,25"). The
    records keep four decimals ("1.0000"), which were shown as "1,0000 điểm"."""
    if points is None or not points.is_finite():
        return points
    normal = points.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def item_timeline(answer: Answer) -> list[TimelineEntry]:
    """Everything that happened to an item, oldest first: the unit's saves (audit trail),
    every appraisal round (appraisal records) and the unit's explanations."""
    entries: list[TimelineEntry] = []
    leaf = SetCache().for_node(answer.node)
    rule_type = answer.node.rule_type
    events = AuditEvent.objects.filter(
        target_type=Answer._meta.label_lower, target_id=str(answer.pk)
    ).exclude(action__in=APPRAISAL_ACTIONS)
    for event in events.select_related("actor").order_by("at", "id"):
        who = person_name(event.actor, event.actor_username)
        after = event.after if isinstance(event.after, dict) else {}
        if event.action == "answer.explained":
            entries.append(
                TimelineEntry(
                    at=event.at,
                    kind="response",
                    title="Đơn vị giải trình",
                    actor=who,
                    comment=str(after.get("unit_response", "")),
                )
            )
            continue
        kind = "self" if event.action.startswith("answer.") else "other"
        raw = after.get("self_value", after.get("value"))
        na = bool(after.get("self_not_applicable", after.get("not_applicable", False)))
        has_value = any(
            k in after for k in ("self_value", "value", "self_not_applicable", "not_applicable")
        )
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=kind,
                title=event.summary or "Đơn vị cập nhật",
                actor=who,
                value=value_text(raw, rule_type, not_applicable=na) if has_value else "",
                points=shown_points(leaf.points(stored(raw), na)) if has_value else None,
                comment=str(after.get("explanation", "") or ""),
            )
        )
    for rec in AppraisalRecord.objects.filter(answer=answer).select_related("appraiser"):
        entries.append(
            TimelineEntry(
                at=rec.at,
                kind="appraisal",
                title=f"Thẩm định vòng {rec.round}",
                actor=person_name(rec.appraiser, ""),
                value=value_text(rec.value, rule_type, not_applicable=rec.not_applicable),
                points=shown_points(rec.points),
                comment=rec.comment,
                needs_explanation=rec.needs_explanation,
                round=rec.round,
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries


def explanation_items(assessment: Assessment) -> list[Answer]:
    """The items of a unit's assessment the appraisers asked it to explain (round 1)."""
    return list(
        Answer.objects.filter(assessment=assessment, needs_explanation=True, appraisal_round__gte=1)
        .select_related("node")
        .order_by("node__position", "pk")
    )


def unit_explanation_assessments(user: Any) -> Sequence[Assessment]:
    """A unit user's assessments in the explanation round (for the appraisal home page)."""
    if not isinstance(user, User) or not user.is_authenticated or user.unit_id is None:
        return []
    return list(
        Assessment.objects.filter(
            unit_id=user.unit_id,
            period__status=PeriodStatus.EXPLANATION,
            status=AssessmentStatus.NEEDS_EXPLANATION,
        ).select_related("period", "unit")
    )


@dataclass(frozen=True)
class ExplanationRow:
    """One item a unit is asked to explain, as its explanation page shows it."""

    answer: Answer
    self_text: str
    self_points: Decimal | None
    appraised_text: str
    appraised_points: Decimal | None
    comment: str
    """The appraiser's comment that asked for the explanation (round 1)."""


def explanation_rows(assessment: Assessment, user: Any) -> list[ExplanationRow]:
    """The items of ``assessment`` returned for explanation that ``user`` may read: all of
    them for the unit and the council, an appraiser's own items for an appraiser."""
    items = explanation_items(assessment)
    if not can_edit_as_unit(user, assessment) and not is_overseer(user):
        mine = set(answers_appraisable_by(user, assessment.period).values_list("pk", flat=True))
        items = [a for a in items if a.pk in mine]
    asked: dict[int, str] = {}
    for rec in AppraisalRecord.objects.filter(
        answer_id__in=[a.pk for a in items], round=1
    ).order_by("at", "id"):
        asked[rec.answer_id] = rec.comment
    cache = SetCache()
    return [
        ExplanationRow(
            answer=a,
            self_text=value_text(
                a.self_value, a.node.rule_type, not_applicable=a.self_not_applicable
            ),
            self_points=self_points(a, cache),
            appraised_text=value_text(
                a.appraised_value, a.node.rule_type, not_applicable=a.appraised_not_applicable
            ),
            appraised_points=appraised_points(a, cache),
            comment=asked.get(a.pk, a.appraisal_comment),
        )
        for a in items
    ]


@dataclass(frozen=True)
class UnitProgress:
    """How far the appraisal of one unit has got, for one appraiser: "Vân Sơn 8/31"."""

    unit_id: int
    name: str
    done: int
    """Items appraised (in this round or an earlier one)."""
    total: int
    """Items the user may appraise in the unit."""
    explained: int = 0
    """Items the unit has explained and that wait for round 2."""

    @property
    def pending(self) -> int:
        return self.total - self.done

    @property
    def percent(self) -> int:
        """Whole percent done, rounded down (100 only when every item is done)."""
        return self.done * 100 // self.total if self.total else 100

    @property
    def complete(self) -> bool:
        return self.done >= self.total


def appraisal_progress(user: Any, period: Period) -> list[UnitProgress]:
    """Per unit, the items the user has appraised out of those they may appraise in
    ``period`` (the queue's items), least progress first. Three queries whatever the
    number of units (the user's assignment, its units, the counts)."""
    counts = list(
        answers_appraisable_by(user, period)
        .order_by()
        .values("assessment__unit_id", "assessment__unit__name", "assessment__unit__position")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(appraisal_round__gt=0)),
            explained=Count(
                "pk",
                filter=Q(appraisal_round=1, needs_explanation=True) & ~Q(unit_response=""),
            ),
        )
    )
    rows = [
        UnitProgress(
            unit_id=row["assessment__unit_id"],
            name=row["assessment__unit__name"],
            done=row["done"],
            total=row["total"],
            explained=row["explained"],
        )
        for row in counts
    ]
    position = {
        row["assessment__unit_id"]: row["assessment__unit__position"] or 0 for row in counts
    }
    rows.sort(
        key=lambda r: (Fraction(r.done, r.total or 1), -r.pending, position[r.unit_id], r.name)
    )
    return rows
