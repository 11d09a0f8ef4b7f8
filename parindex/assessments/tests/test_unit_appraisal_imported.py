"""A period finalised from imported final scores (results of earlier years, no item entered
in parindex): the unit's appraisal reads those final scores, so its points lost are the
official ones, not every item's maximum."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex.assessments.models import Assessment
from parindex.assessments.selectors.unit_appraisal import unit_appraisal_view
from parindex.engine import evaluate
from parindex.periods.models import PeriodGroup
from parindex.results.selectors import period_evaluation_input
from parindex.results.tests.conftest import Scenario, scenario  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_the_points_lost_are_those_of_the_final_scores(scenario: Scenario) -> None:  # noqa: F811
    assessment = Assessment.objects.get(period=scenario.p2024, unit=scenario.units["T-VP"])
    assert not assessment.answers.exists() and assessment.items.exists()
    view = unit_appraisal_view(assessment)
    binding = PeriodGroup.objects.get(period=scenario.p2024, group=assessment.unit.group)
    [official] = [
        u
        for u in evaluate(period_evaluation_input(scenario.p2024, binding)).units
        if u.unit == assessment.unit.code
    ]
    assert view.final
    assert view.result.points == official.points
    lost = {item.node.code: item.lost for item in view.lost_items}
    assert lost, "a unit of quality 6 loses points somewhere"
    for code, points in lost.items():
        node = official.node(code)
        assert node is not None and points == node.lost > Decimal(0)
    assert len(lost) < len(view.leaves)
