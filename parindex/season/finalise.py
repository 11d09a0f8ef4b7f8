"""Finalising a period (chốt kết quả): every unit's official scores from the appraisal (or
the self-assessment where an item was not appraised), every assessment final."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.assessments.leaves import SetCache
from parindex.assessments.models import (
    Answer,
    Assessment,
    AssessmentStatus,
)
from parindex.assessments.services.final_scores import (
    FinalScores,
    InputValue,
    final_scores_store_many,
)
from parindex.assessments.values import read_stored as stored
from parindex.assessments.workflow import move_all, status_counts
from parindex.audit.services import record
from parindex.engine.model import NOT_APPLICABLE
from parindex.periods.models import (
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.permissions import is_chair, periods_visible_to
from parindex.periods.selectors import excluded_node_codes
from parindex.periods.services import period_set_status
from parindex.season.consequences import NO_APPRAISAL_REFUSED


def can_finalise(period: Period) -> bool:
    """Round 2, or round 1 when no item asks for an explanation."""
    if period.status == PeriodStatus.APPRAISAL_2:
        return True
    return (
        period.status == PeriodStatus.APPRAISAL_1
        and not Answer.objects.filter(
            assessment__period=period, needs_explanation=True, appraisal_round=1
        ).exists()
    )


@dataclass
class _FinalValues:
    """The final value of every scored item of a period, and where each came from."""

    values: dict[int, dict[str, InputValue]]
    """assessment → code → value (NOT_APPLICABLE included)."""
    origin: dict[tuple[int, str], str] = field(default_factory=dict)
    """(assessment, code) → "appraised", "self" or "empty" (a leaf nobody scored)."""

    def tally(self) -> dict[str, int]:
        counts = {"appraised": 0, "self": 0, "empty": 0}
        for how in self.origin.values():
            counts[how] += 1
        return counts


def _refuse_unless_finalisable(locked: Period) -> None:
    if can_finalise(locked):
        return
    if locked.status == PeriodStatus.APPRAISAL_1:
        raise ValidationError(
            "Còn nội dung được yêu cầu giải trình: cần mở giải trình và thẩm định "
            "vòng 2 trước khi chốt kết quả."
        )
    raise ValidationError(
        f"Không thể chốt kết quả khi kỳ đánh giá đang ở trạng thái “{locked.get_status_display()}”."
    )


def _nothing_appraised(locked: Period) -> bool:
    return (
        Assessment.objects.filter(period=locked).exists()
        and not Answer.objects.filter(assessment__period=locked, appraisal_round__gt=0).exists()
    )


def _final_values(
    locked: Period, assessments: Sequence[Assessment], bindings: dict[int, int], cache: SetCache
) -> _FinalValues:
    """The appraised value of each appraised item, else the unit's own. An item
    "chưa đánh giá ở kỳ 6 tháng" is skipped (neither scored nor counted empty): storing
    the scores marks it not applicable (see ``final_scores``)."""
    final = _FinalValues(values={a.pk: {} for a in assessments})
    left_out = excluded_node_codes(locked)
    rows = Answer.objects.filter(assessment__period=locked).values_list(
        "assessment_id",
        "assessment__unit__group_id",
        "node__code",
        "self_value",
        "self_not_applicable",
        "appraised_value",
        "appraised_not_applicable",
        "appraisal_round",
    )
    for assessment_id, group_id, code, self_value, self_na, appraised, appraised_na, round_ in rows:
        set_id = bindings.get(group_id)
        if set_id is None:
            continue
        value, not_applicable = (appraised, appraised_na) if round_ > 0 else (self_value, self_na)
        leaf = cache.leaf(set_id, code)
        if left_out and (code in left_out or left_out.intersection(leaf.ancestors)):
            continue
        if not_applicable:
            final.values[assessment_id][code] = NOT_APPLICABLE
        elif not leaf.is_leaf:
            continue
        elif (parsed := stored(value)) is None:
            final.origin[(assessment_id, code)] = "empty"
            continue
        else:
            final.values[assessment_id][code] = parsed
        final.origin[(assessment_id, code)] = "appraised" if round_ > 0 else "self"
    return final


def _drop_excluded(
    final: _FinalValues,
    assessments: Sequence[Assessment],
    bindings: dict[int, int],
    cache: SetCache,
) -> None:
    """A node under a not-applicable one is excluded with it, never scored on its own."""
    for assessment in assessments:
        set_id = bindings.get(assessment.unit.group_id) if assessment.unit.group_id else None
        entry = final.values[assessment.pk]
        if set_id is None:
            continue
        excluded = {code for code, v in entry.items() if v is NOT_APPLICABLE}
        if not excluded:
            continue
        for assessment_id, code in list(final.origin):
            if assessment_id == assessment.pk and any(
                a in excluded for a in cache.leaf(set_id, code).ancestors
            ):
                entry.pop(code, None)
                del final.origin[(assessment_id, code)]


def _entries(assessments: Sequence[Assessment], final: _FinalValues) -> list[FinalScores]:
    return [
        FinalScores(
            unit=a.unit,
            values=final.values[a.pk],
            survey_points=a.survey_points,
            survey_not_applicable=a.survey_not_applicable,
            bonus=a.bonus,
            penalty=a.penalty,
        )
        for a in assessments
    ]


def _summary(locked: Period, units: int, tally: dict[str, int], nothing_appraised: bool) -> str:
    summary = (
        f"Chốt kết quả {locked.name}: {units} đơn vị, {tally['appraised']} nội dung "
        f"theo điểm thẩm định"
    )
    if tally["self"]:
        summary += f", {tally['self']} nội dung chưa thẩm định giữ điểm tự chấm"
    if tally["empty"]:
        summary += f", {tally['empty']} nội dung không có điểm (tính 0 điểm)"
    if nothing_appraised:
        summary += "; chủ tịch xác nhận chốt khi chưa thẩm định nội dung nào"
    return summary


def _check_chair(actor: User | None, period: Period) -> None:
    if actor is not None and (
        not is_chair(actor) or not periods_visible_to(actor).filter(pk=period.pk).exists()
    ):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được chốt kết quả.")


def period_finalise(
    *, period: Period, actor: User | None, confirm_unappraised: bool = False
) -> Period:
    """Chốt kết quả: store every unit's final values as item scores and close the period.

    The final value of an item is the appraised value when it was appraised, else the
    unit's own value (accepted as is; counted in the audit summary). Items left empty by
    both get no score (the engine counts them as missing: 0 points). Survey points, bonus
    and penalty are kept as they are on the assessment.

    A period in which no item was appraised at all is refused unless
    ``confirm_unappraised`` (the chair ticked :data:`parindex.season.consequences.
    NO_APPRAISAL_CONFIRM`): two clicks must not turn self-assessments into final results.
    """
    _check_chair(actor, period)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        _refuse_unless_finalisable(locked)
        nothing_appraised = _nothing_appraised(locked)
        if nothing_appraised and not confirm_unappraised:
            raise ValidationError({"confirm_unappraised": [NO_APPRAISAL_REFUSED]})
        cache = SetCache()
        bindings = dict(
            PeriodGroup.objects.filter(period=locked).values_list("group_id", "criteria_set_id")
        )
        assessments = list(
            Assessment.objects.filter(period=locked).select_related("unit").order_by("pk")
        )
        final = _final_values(locked, assessments, bindings, cache)
        _drop_excluded(final, assessments, bindings, cache)
        entries = _entries(assessments, final)
        final_scores_store_many(
            period=locked,
            entries=entries,
            actor=actor,
            summary=f"Chốt điểm chính thức của {len(entries)} đơn vị ({locked.name})",
        )
        tally = final.tally()
        before_counts = status_counts(Assessment.objects.filter(period=locked))
        move_all(Assessment.objects.filter(period=locked), AssessmentStatus.FINAL, actor=actor)
        before_status = locked.status
        period_set_status(period=locked, status=PeriodStatus.FINALISED, actor=actor)
        record(
            actor=actor,
            action="period.finalised",
            target=locked,
            summary=_summary(locked, len(entries), tally, nothing_appraised),
            before={"status": before_status, "assessments": before_counts},
            after={
                "status": PeriodStatus.FINALISED,
                "units": len(entries),
                "appraised_items": tally["appraised"],
                "self_accepted_items": tally["self"],
                "empty_items": tally["empty"],
                "confirmed_unappraised": nothing_appraised,
            },
        )
    period.status = locked.status
    return locked
