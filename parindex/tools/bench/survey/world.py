"""Seeding the survey import benchmark through the services (communes, a criteria set whose
survey is worth 10 points, the period, the default questionnaire and the sample plans) and
the questionnaire's layout that the generator and the independent check need."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from parindex.tools.bench.communes import seed_communes

UNIT_PREFIX = "KS"


@dataclass(frozen=True)
class Layout:
    """What the generator and the independent check need to know of the questionnaire."""

    headers: list[str]
    factors: list[tuple[str, list[str], Decimal]]
    """(code, question codes, weight) in order."""
    respondent: list[tuple[str, list[str]]]
    """(code, choices) in order."""
    scale_min: int
    scale_max: int
    satisfied_at: int
    min_answered_share: Decimal
    survey_max: Decimal
    slope: Decimal | None
    intercept: Decimal
    rounding_mode: str
    rounding_places: int

    @property
    def questions(self) -> list[str]:
        return [code for _, codes, _ in self.factors for code in codes]

    @property
    def needed(self) -> int:
        """Answers a form needs to be valid: ⌈share × questions⌉."""
        return math.ceil(Fraction(self.min_answered_share) * len(self.questions))


@dataclass(frozen=True)
class Seeded:
    period_id: int
    unit_codes: list[str]
    unit_ids: dict[str, int]
    layout: Layout


def criteria_document() -> dict[str, Any]:
    """A small commune criteria set; what matters here is its survey, worth 10 points."""

    def node(code: str, name: str, max_: str, **extra: Any) -> dict[str, Any]:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if "." in code:
            item["parent"] = code.rsplit(".", 1)[0]
        item.update(extra)
        return item

    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (đo nhập phiếu khảo sát)",
            "rounding": {"mode": "truncate", "places": 2},
            "index_rounding": {"mode": "half_up", "places": 2},
            "nodes": [
                node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
                node("1.1", "Ban hành kế hoạch CCHC năm", "4", rule={"type": "boolean"}),
                node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "6", rule={"type": "percent"}),
                node("2", "Cải cách thủ tục hành chính", "10"),
                node("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", rule={"type": "ratio"}),
            ],
        },
        "survey": {"max": "10"},
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "65"}],
            "otherwise": "Trung bình",
        },
    }


def seed(*, units: int, year: int = 2025) -> Seeded:
    """Create the season through the services (see
    :mod:`parindex.tools.bench.survey_import`); one transaction."""
    from django.db import transaction

    from parindex.assessments.models import Assessment
    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.periods.models import PeriodKind, PeriodStatus
    from parindex.periods.services import period_create, period_set_status
    from parindex.surveys.services import questionnaire_create_default, sample_plans_ensure

    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix=UNIT_PREFIX,
            label="Khảo Sát",
            group_code="ks-ubnd-cap-xa",
            purpose="đo nhập phiếu khảo sát",
            units=units,
            digits=5,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=year, jurisdiction=province),
            actor=None,
        )
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Khảo sát sự hài lòng năm {year} (đo hiệu năng)",
            groups={group: criteria_set},
            actor=None,
        )
        period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
        Assessment.objects.bulk_create(
            (Assessment(period=period, unit=unit) for unit in communes), batch_size=2000
        )
        questionnaire = questionnaire_create_default(period=period, actor=None)
        sample_plans_ensure(period=period, actor=None)
    assert criteria_set.survey_max is not None
    return Seeded(
        period_id=period.pk,
        unit_codes=[u.code for u in communes],
        unit_ids={u.code: u.pk for u in communes},
        layout=layout_of(questionnaire, criteria_set.survey_max),
    )


def layout_of(questionnaire: Any, survey_max: Decimal) -> Layout:
    from parindex.surveys.import_template import template_headers

    return Layout(
        headers=template_headers(questionnaire),
        factors=[
            (f.code, [q.code for q in f.questions.all()], f.weight)
            for f in questionnaire.factors.prefetch_related("questions")
        ],
        respondent=[(r.code, list(r.choices)) for r in questionnaire.respondent_questions.all()],
        scale_min=questionnaire.scale_min,
        scale_max=questionnaire.scale_max,
        satisfied_at=questionnaire.satisfied_at,
        min_answered_share=questionnaire.min_answered_share,
        survey_max=survey_max,
        slope=questionnaire.points_slope,
        intercept=questionnaire.points_intercept,
        rounding_mode=questionnaire.rounding_mode,
        rounding_places=questionnaire.rounding_places,
    )
