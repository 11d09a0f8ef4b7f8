"""The engine's configuration of a questionnaire (:mod:`parindex.engine.survey`): read by the
computation of points and by the questionnaire's editing, which checks a draft with it."""

from __future__ import annotations

from decimal import Decimal

from parindex.engine import survey as engine_survey
from parindex.engine.model import Rounding
from parindex.surveys.models import Questionnaire


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
