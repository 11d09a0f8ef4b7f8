"""A 6-month period with two criteria "chưa đánh giá ở kỳ 6 tháng": every total leaves them
out of the maximum, on the self-assessment screen, the appraised view, when finalising and
in the results computed from the final scores.

The sample set (``parindex/conftest.py``): fields 1 (14: 1.1 boolean 4, 1.2 percent 4,
1.3 tiers 6), 2 (a leaf, 10), 3 (19), 4 (8), 5 (13), 6 (6), 7 (20: 7.1 9, 7.3 7, 7.5 4),
90 points in all, and a survey of 10. Leaving out 2 and 7.3: 90 - 10 - 7 = 73 points
(83 with the survey in the results)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from parindex import engine
from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment, ItemScore
from parindex.assessments.selectors.screen import evaluation, self_assessment_results
from parindex.assessments.services.self_assessment import answer_save
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import Period, PeriodGroup, PeriodKind
from parindex.periods.services import period_create
from parindex.results.selectors import period_evaluation_input
from parindex.season.finalise import period_finalise
from parindex.season.setup import period_excluded_nodes_set
from parindex.season.stages import period_open_self_assessment, period_start_appraisal

pytestmark = pytest.mark.django_db


@pytest.fixture
def interim(province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.INTERIM,
        name="6 tháng đầu năm 2025",
        groups={departments_group: criteria_set},
        actor=None,
    )
    return period_excluded_nodes_set(period=period, node_codes=["2", "7.3"], actor=None)


def _answer(assessment: Assessment, code: str, value: object, author: User) -> None:
    node = CriterionNode.objects.get(
        criteria_set__period_groups__period=assessment.period, code=code
    )
    answer_save(assessment=assessment, node=node, actor=author, version=0, value=value)


def test_six_month_maxima_leave_the_two_criteria_out(interim: Period, so_noi_vu: Unit) -> None:
    staff = User.objects.create_user(
        username="nhap.lieu.snv", full_name="Cán bộ Sở", role=Role.UNIT_STAFF, unit=so_noi_vu
    )
    period_open_self_assessment(period=interim, actor=None)
    assessment = Assessment.objects.get(period=interim, unit=so_noi_vu)
    _answer(assessment, "1.1", "true", staff)  # 4 points
    with pytest.raises(ValidationError, match="chưa đánh giá ở kỳ 6 tháng"):
        _answer(assessment, "2", "8", staff)  # left out: nothing to enter
    _answer(assessment, "7.1", "5", staff)  # 5 points

    own = self_assessment_results(assessment)
    assert own.max == Decimal("73")
    assert own.points == Decimal("9")
    assert own.node("2") is None and own.node("7.3") is None
    field_7 = next(f for f in own.fields if f.code == "7")
    assert field_7.max == Decimal("13")  # 20 - 7
    assert {f.code for f in own.fields} == {"1", "3", "4", "5", "6", "7"}
    assert evaluation(assessment, appraised=True).result.max == Decimal("73")

    period_start_appraisal(period=interim, actor=None)
    period_finalise(period=interim, actor=None, confirm_unappraised=True)

    stored = dict(
        ItemScore.objects.filter(assessment=assessment).values_list("node__code", "not_applicable")
    )
    assert stored["2"] is True and stored["7.3"] is True
    binding = PeriodGroup.objects.get(period=interim)
    [result] = engine.evaluate(period_evaluation_input(interim, binding)).units
    assert result.max == Decimal("83")  # 73 + the survey's 10
    assert result.points == Decimal("9")
