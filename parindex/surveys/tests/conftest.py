"""Survey fixtures: a commune period (survey worth 10 points) with the default
questionnaire and its sample plans; two communes surveyed, one without procedures. The
council's ``chair`` is the shared persona (``tests/personas.py``)."""

from __future__ import annotations

import pytest

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.assessments.tests.conftest import season_document
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.surveys.models import Questionnaire, SamplePlan
from parindex.surveys.services import questionnaire_create_default, sample_plans_ensure


@pytest.fixture
def thanh_son(province: Unit, communes_group: UnitGroup) -> Unit:
    return unit_create(
        code="T-XA-THANHSON",
        name="UBND xã Thanh Sơn",
        level=Level.COMMUNE,
        parent=province,
        group=communes_group,
        actor=None,
    )


@pytest.fixture
def hoa_binh(province: Unit, communes_group: UnitGroup) -> Unit:
    """A commune with no administrative procedures: not surveyed."""
    return unit_create(
        code="T-XA-HOABINH",
        name="UBND xã Hòa Bình",
        level=Level.COMMUNE,
        parent=province,
        group=communes_group,
        has_procedures=False,
        actor=None,
    )


@pytest.fixture
def survey_period(
    province: Unit, communes_group: UnitGroup, commune: Unit, thanh_son: Unit, hoa_binh: Unit
) -> Period:
    criteria_set = criteria_set_import_document(
        document=season_document(),
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=province),
        actor=None,
    )
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC năm 2025",
        groups={communes_group: criteria_set},
        actor=None,
    )
    period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
    for unit in (commune, thanh_son, hoa_binh):
        Assessment.objects.create(period=period, unit=unit)
    return period


@pytest.fixture
def questionnaire(survey_period: Period, chair: User) -> Questionnaire:
    return questionnaire_create_default(period=survey_period, actor=chair)


@pytest.fixture
def plans(questionnaire: Questionnaire, chair: User) -> dict[str, SamplePlan]:
    sample_plans_ensure(period=questionnaire.period, actor=chair)
    return {
        plan.unit.code: plan
        for plan in SamplePlan.objects.filter(period=questionnaire.period).select_related(
            "unit", "period"
        )
    }
