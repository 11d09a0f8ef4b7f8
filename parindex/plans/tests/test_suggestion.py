"""The plan's value for the plan-completion criterion, scored by the engine (the issue's
"Done when": 9 of 12 tasks due by 30/6 give 9/12 of the criterion's points at 6 months;
28 of 30 give 28/30 at year end, under the set's rounding)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from parindex.assessments.models import Answer
from parindex.assessments.selectors.screen import self_assessment_results
from parindex.criteria.models import CriteriaSet
from parindex.engine import Ratio
from parindex.evidence.models import EvidenceLink
from parindex.periods.models import Period, PeriodKind
from parindex.plans.models import ReformPlan
from parindex.plans.services.use import plan_value_use
from parindex.plans.suggestion import suggested_value

from .conftest import PLAN_NUMBER, thirty_tasks

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize(
    ("rule", "mode", "value", "points"),
    [
        ("ratio", "truncate", Ratio(D(9), D(12)), "1.50"),
        ("ratio", "half_up", Ratio(D(9), D(12)), "1.50"),
        ("percent", "truncate", D("75"), "1.50"),
        ("percent", "half_up", D("75"), "1.50"),
        ("manual", "truncate", D("1.50"), "1.50"),
    ],
)
def test_six_months_gives_nine_twelfths_of_the_points(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    rule: str,
    mode: str,
    value: Any,
    points: str,
) -> None:
    thirty_tasks(plan, done_by_june=9)
    assessment = period_for(plan_set(rule, mode), PeriodKind.INTERIM)
    suggestion = suggested_value(assessment.period, assessment)
    assert suggestion is not None
    assert (suggestion.completion.done, suggestion.completion.due) == (9, 12)
    assert suggestion.value == value
    assert str(suggestion.points) == points
    assert suggestion.sentence == (
        f"Theo kế hoạch CCHC năm 2025 (số {PLAN_NUMBER}): 9/12 nhiệm vụ đến hạn 30/6 đã hoàn "
        "thành → 1,50 điểm"
    )


@pytest.mark.parametrize(
    ("rule", "mode", "value", "points"),
    [
        ("ratio", "truncate", Ratio(D(28), D(30)), "1.86"),
        ("ratio", "half_up", Ratio(D(28), D(30)), "1.87"),
        ("percent", "truncate", D("93.33"), "1.86"),
        ("percent", "half_up", D("93.33"), "1.87"),
        ("manual", "truncate", D("1.86"), "1.86"),
        ("manual", "half_up", D("1.87"), "1.87"),
    ],
)
def test_year_end_gives_twenty_eight_thirtieths(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    rule: str,
    mode: str,
    value: Any,
    points: str,
) -> None:
    thirty_tasks(plan, done_by_june=12, done_later=16)
    assessment = period_for(plan_set(rule, mode), PeriodKind.ANNUAL)
    suggestion = suggested_value(assessment.period, assessment)
    assert suggestion is not None
    assert (suggestion.completion.done, suggestion.completion.due) == (28, 30)
    assert suggestion.value == value
    assert str(suggestion.points) == points
    assert "28/30 nhiệm vụ của cả năm đã hoàn thành" in suggestion.sentence


def test_the_saved_value_scores_the_same_in_the_whole_evaluation(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    unit_staff: Any,
) -> None:
    thirty_tasks(plan, done_by_june=9)
    assessment = period_for(plan_set("ratio", "truncate"), PeriodKind.INTERIM)
    outcome = plan_value_use(assessment=assessment, actor=unit_staff, version=0)
    assert outcome.answer.self_value == {"numerator": "9", "denominator": "12"}
    scored = self_assessment_results(assessment).node("1.1.3")
    assert scored is not None and scored.points == D("1.50")
    assert outcome.cited and outcome.citable
    link = EvidenceLink.objects.get(answer=outcome.answer)
    assert (link.document_number, link.document_issuer) == (PLAN_NUMBER, plan.unit.name)
    assert link.document_title == plan.title


def test_using_it_again_keeps_one_citation_and_respects_the_version(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    unit_staff: Any,
) -> None:
    from parindex.assessments.errors import Conflict
    from parindex.assessments.services.self_assessment import answer_save

    thirty_tasks(plan, done_by_june=9)
    assessment = period_for(plan_set("percent", "truncate"), PeriodKind.INTERIM)
    first = plan_value_use(assessment=assessment, actor=unit_staff, version=0)
    # The unit types another value (it still may), then someone uses the plan's value
    # from a stale page: a conflict, as any save.
    node = first.suggestion.node
    typed = answer_save(assessment=assessment, node=node, actor=unit_staff, version=1, value="100")
    assert typed.version == 2
    with pytest.raises(Conflict):
        plan_value_use(assessment=assessment, actor=unit_staff, version=1)
    again = plan_value_use(assessment=assessment, actor=unit_staff, version=2)
    assert not again.cited
    assert EvidenceLink.objects.filter(answer=again.answer).count() == 1
    assert Answer.objects.get(pk=again.answer.pk).self_value == "75"


def test_no_suggestion_without_criterion_plan_or_due_task(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    assessed_unit: Any,
) -> None:
    criteria_set = plan_set("ratio", "truncate")
    assessment = period_for(criteria_set, PeriodKind.INTERIM)
    assert suggested_value(assessment.period, assessment) is None  # no task yet
    thirty_tasks(plan, done_by_june=9)
    assert suggested_value(assessment.period, assessment) is not None
    Period.objects.filter(pk=assessment.period_id).update(excluded_node_codes=["1.1"])
    assessment.period.refresh_from_db()
    assert suggested_value(assessment.period, assessment) is None  # not scored at 6 months
    Period.objects.filter(pk=assessment.period_id).update(excluded_node_codes=[])
    assessment.period.refresh_from_db()
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(plan_criterion_code="")
    assert suggested_value(assessment.period, assessment) is None
