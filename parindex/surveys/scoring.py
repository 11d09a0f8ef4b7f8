"""From stored forms to survey points, through the engine (:mod:`parindex.engine.survey`).

:func:`survey_config` turns a period's questionnaire into the engine's configuration for one
criteria set (the set gives the survey's maximum points); :func:`survey_compute` streams the
period's forms group by group, stores a :class:`SurveyResult` per unit and writes the points
into the units' assessments, where the period's results read them. Units the sample plan
does not survey get "không khảo sát" (their maximum shrinks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet
from parindex.engine import survey as engine_survey
from parindex.engine.errors import InputError
from parindex.engine.model import Rounding
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.surveys.models import Questionnaire, SamplePlan, SurveyResponse, SurveyResult

ITERATOR_CHUNK = 20_000


def engine_config(
    *,
    factors: tuple[engine_survey.FactorDef, ...],
    survey_max: Decimal,
    scale_min: int,
    scale_max: int,
    satisfied_at: int,
    min_answered_share: Decimal,
    min_forms: int,
    points_slope: Decimal | None,
    points_intercept: Decimal,
    rounding_mode: str,
    rounding_places: int,
) -> engine_survey.SurveyConfig:
    """The engine's configuration from a questionnaire's settings (stored or being edited)
    for a set whose survey is worth ``survey_max`` points; no slope means max ÷ 100."""
    slope = points_slope if points_slope is not None else survey_max / Decimal(100)
    return engine_survey.SurveyConfig(
        factors=factors,
        survey_max=survey_max,
        scale_min=scale_min,
        scale_max=scale_max,
        satisfied_at=satisfied_at,
        min_answered_share=min_answered_share,
        min_forms=min_forms,
        conversion=engine_survey.Conversion(a=slope, b=points_intercept),
        rounding=Rounding(rounding_mode, rounding_places),
    )


def survey_config(questionnaire: Questionnaire, survey_max: Decimal) -> engine_survey.SurveyConfig:
    """The engine's configuration of the stored ``questionnaire``."""
    return engine_config(
        factors=tuple(
            engine_survey.FactorDef(
                code=f.code,
                name=f.name,
                questions=tuple(q.code for q in f.questions.all()),
                weight=f.weight,
            )
            for f in questionnaire.factors.prefetch_related("questions")
        ),
        survey_max=survey_max,
        scale_min=questionnaire.scale_min,
        scale_max=questionnaire.scale_max,
        satisfied_at=questionnaire.satisfied_at,
        min_answered_share=questionnaire.min_answered_share,
        min_forms=questionnaire.min_forms,
        points_slope=questionnaire.points_slope,
        points_intercept=questionnaire.points_intercept,
        rounding_mode=questionnaire.rounding_mode,
        rounding_places=questionnaire.rounding_places,
    )


@dataclass
class ComputeSummary:
    units: int = 0
    surveyed: int = 0
    forms: int = 0
    valid_forms: int = 0
    too_few: list[str] = field(default_factory=list)
    without_forms: list[str] = field(default_factory=list)
    without_assessment: list[str] = field(default_factory=list)


def _forms(period: Period, unit_ids: list[int]) -> Iterator[engine_survey.Form]:
    """The period's forms of ``unit_ids``, streamed. On PostgreSQL a server-side cursor
    reads the answers as JSON text and orjson decodes them (a million forms: seconds, not
    the ~15 s of building ORM rows); elsewhere the ORM's iterator."""
    if connection.vendor != "postgresql":
        rows = (
            SurveyResponse.objects.filter(period=period, unit_id__in=unit_ids)
            .values_list("unit_id", "answers")
            .iterator(chunk_size=ITERATOR_CHUNK)
        )
        for unit_id, answers in rows:
            yield engine_survey.Form(unit=str(unit_id), answers=answers)
        return
    table = SurveyResponse._meta.db_table
    Form = engine_survey.Form
    with transaction.atomic():  # a server-side cursor lives in a transaction
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        with raw.cursor(name="survey_forms") as cursor:
            cursor.itersize = ITERATOR_CHUNK
            cursor.execute(
                f"SELECT unit_id, answers::text FROM {table} "  # noqa: S608 (our table name)
                "WHERE period_id = %s AND unit_id = ANY(%s)",
                [period.pk, unit_ids],
            )
            for unit_id, text in cursor:
                yield Form(unit=str(unit_id), answers=orjson.loads(text))


def survey_compute(*, period: Period, actor: User | None) -> ComputeSummary:
    """Compute every surveyed unit's satisfaction index and points from the stored forms,
    store them, and give them to the units' assessments (survey points of the results)."""
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {period.name} đã chốt kết quả; không tính lại khảo sát."
        )
    questionnaire = Questionnaire.objects.filter(period=period).first()
    if questionnaire is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có phiếu khảo sát.")
    plans = list(SamplePlan.objects.filter(period=period).select_related("unit"))
    if not plans:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có kế hoạch khảo sát.")
    bindings: dict[int, CriteriaSet] = {
        pg.group_id: pg.criteria_set
        for pg in PeriodGroup.objects.filter(period=period).select_related("criteria_set")
    }
    summary = ComputeSummary(units=len(plans))
    results: list[SurveyResult] = []
    points: dict[int, tuple[Decimal | None, bool]] = {}
    by_set: dict[int, list[SamplePlan]] = {}
    for plan in plans:
        if not plan.surveyed:
            points[plan.unit_id] = (None, True)
            continue
        criteria_set = bindings.get(plan.unit.group_id) if plan.unit.group_id else None
        if criteria_set is None:
            raise ValidationError(
                f"Đơn vị {plan.unit.name} ({plan.unit.code}) không thuộc nhóm đơn vị nào "
                f"của kỳ đánh giá {period.name}."
            )
        by_set.setdefault(criteria_set.pk, []).append(plan)
    sets = {cs.pk: cs for cs in bindings.values()}
    for set_id, group_plans in by_set.items():
        criteria_set = sets[set_id]
        if criteria_set.survey_max is None:
            raise ValidationError(
                f"Bộ tiêu chí {criteria_set.name} không có điểm khảo sát: hãy ghi điểm khảo "
                "sát tối đa vào bộ tiêu chí, hoặc đánh dấu các đơn vị dùng bộ này là không "
                "khảo sát trong kế hoạch."
            )
        config = survey_config(questionnaire, criteria_set.survey_max)
        unit_ids = [p.unit_id for p in group_plans]
        try:
            computed = engine_survey.compute(
                config, _forms(period, unit_ids), units=[str(u) for u in unit_ids]
            )
        except InputError as exc:
            raise ValidationError(f"Không tính được khảo sát: {exc}") from exc
        for plan in group_plans:
            unit = computed[str(plan.unit_id)]
            summary.surveyed += 1
            summary.forms += unit.forms
            summary.valid_forms += unit.valid_forms
            if unit.valid_forms == 0:
                summary.without_forms.append(plan.unit.name)
            elif unit.too_few:
                summary.too_few.append(plan.unit.name)
            results.append(
                SurveyResult(
                    period=period,
                    unit_id=plan.unit_id,
                    forms=unit.forms,
                    valid_forms=unit.valid_forms,
                    index=engine_survey.rounded(unit.index, Rounding("half_up", 4)),
                    margin_of_error=engine_survey.rounded(
                        unit.margin_of_error, Rounding("half_up", 4)
                    ),
                    points=unit.points,
                    too_few=unit.too_few,
                    factors=[
                        {
                            "code": f.code,
                            "answers": f.answers,
                            "satisfied": f.satisfied,
                            "rate": None
                            if f.rate is None
                            else format(engine_survey.rounded(f.rate, Rounding("half_up", 4)), "f"),
                            "mean": None
                            if f.mean_score is None
                            else format(
                                engine_survey.rounded(f.mean_score, Rounding("half_up", 4)), "f"
                            ),
                        }
                        for f in unit.factors
                    ],
                )
            )
            points[plan.unit_id] = (unit.points, False)
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.FINALISED:
            raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả.")
        SurveyResult.objects.filter(period=period).delete()
        SurveyResult.objects.bulk_create(results, batch_size=2000)
        have = set(
            Assessment.objects.filter(period=period, unit_id__in=list(points)).values_list(
                "unit_id", flat=True
            )
        )
        summary.without_assessment = sorted(p.unit.name for p in plans if p.unit_id not in have)
        # Two statements whatever the number of units: the surveyed units take the points
        # just stored in their SurveyResult, the others become "không khảo sát".
        surveyed = [unit_id for unit_id, (_, not_surveyed) in points.items() if not not_surveyed]
        others = [unit_id for unit_id, (_, not_surveyed) in points.items() if not_surveyed]
        Assessment.objects.filter(period=period, unit_id__in=surveyed).update(
            survey_points=Subquery(
                SurveyResult.objects.filter(period=period, unit_id=OuterRef("unit_id")).values(
                    "points"
                )[:1]
            ),
            survey_not_applicable=False,
        )
        Assessment.objects.filter(period=period, unit_id__in=others).update(
            survey_points=None, survey_not_applicable=True
        )
        record(
            actor=actor,
            action="survey.computed",
            target=period,
            summary=(
                f"Tính điểm khảo sát {period.name}: {summary.surveyed} đơn vị, "
                f"{summary.valid_forms}/{summary.forms} phiếu hợp lệ"
            ),
            after={
                "surveyed": summary.surveyed,
                "forms": summary.forms,
                "valid_forms": summary.valid_forms,
                "too_few": len(summary.too_few),
                "without_forms": len(summary.without_forms),
            },
        )
    return summary
