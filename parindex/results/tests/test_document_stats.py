"""The statistics the official documents print: the stored self-assessment read into the
engine's input, exported with the period and scored again by ``parindex evaluate`` to the
same numbers; last year's classes travel with the previous results."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django import DjangoAssertNumQueries

from parindex.assessments.models import Answer, Assessment
from parindex.criteria.models import CriterionNode
from parindex.engine import Ratio, evaluate
from parindex.engine.evalfile import results_document
from parindex.periods.models import Period
from parindex.results.selectors import (
    period_document,
    period_evaluation_input,
    period_group_results,
    period_groups,
)
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.helpers import evaluate_file

pytestmark = pytest.mark.django_db

D = Decimal

SELF_ANSWERS: dict[str, dict[str, Any]] = {
    "T-SNV": {
        "1.1": True,
        "1.2": "150",  # refused by the percent rule (the set changed): left out
        "2": "9.5",
        "3": None,  # self-assessed not applicable (a field that allows it)
        "7.3": {"numerator": "3", "denominator": "4"},
    },
    "T-STP": {"1.2": "80"},
    # T-VP: no self-assessment at all
}


def answer(period: Period, unit_code: str, code: str, stored: Any) -> None:
    assessment = Assessment.objects.get(period=period, unit__code=unit_code)
    binding = next(pg for pg in period_groups(period) if pg.group_id == assessment.unit.group_id)
    node = CriterionNode.objects.get(criteria_set=binding.criteria_set, code=code)
    Answer.objects.create(
        assessment=assessment,
        node=node,
        self_value=stored,
        self_not_applicable=stored is None,
    )


@pytest.fixture
def self_assessed(scenario: Scenario) -> Scenario:
    for unit_code, answers in SELF_ANSWERS.items():
        for code, stored in answers.items():
            answer(scenario.p2024, unit_code, code, stored)
    return scenario


def departments(period: Period) -> Any:
    return next(pg for pg in period_groups(period) if pg.group.code == "so-ban-nganh")


def test_the_stored_self_assessment_is_the_engines_input(self_assessed: Scenario) -> None:
    data = period_evaluation_input(self_assessed.p2024, departments(self_assessed.p2024))
    assert data.self_scores == {
        "T-SNV": {"1.1": True, "2": D("9.5"), "7.3": Ratio(D(3), D(4))},
        "T-STP": {"1.2": D(80)},
    }
    assert data.self_not_applicable == {"T-SNV": frozenset({"3"})}
    results = evaluate(data)
    own = results.unit("T-SNV").self_result
    assert own is not None
    # 1.1 4 + 1.2 0 (left out: missing) + 2 9.5 + 7.3 ¾ × 7 = 5.25 → 18.75 of 14+10+8+13+6+20
    assert (own.points, own.max, own.not_applicable) == (D("18.75"), D(71), ["3"])
    assert "1.2" in own.missing
    assert results.unit("T-VP").self_result is None
    without = period_evaluation_input(
        self_assessed.p2024, departments(self_assessed.p2024), with_self=False
    )
    assert without.self_scores is None and without.self_not_applicable == {}


def test_the_appraisal_is_not_changed_by_the_self_assessment(
    scenario: Scenario, self_assessed: Scenario
) -> None:
    binding = departments(self_assessed.p2024)
    with_self = results_document(evaluate(period_evaluation_input(scenario.p2024, binding)))
    alone = results_document(
        evaluate(period_evaluation_input(scenario.p2024, binding, with_self=False))
    )
    for unit, plain in zip(with_self["units"], alone["units"], strict=True):
        assert {k: v for k, v in unit.items() if k != "self"} == plain
    assert {k: v for k, v in with_self["groups"][0].items() if not k.startswith("self_")} == (
        alone["groups"][0]
    )


def test_still_four_queries_with_the_self_assessment(
    self_assessed: Scenario, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    binding = departments(self_assessed.p2024)
    with django_assert_max_num_queries(4):
        data = period_evaluation_input(self_assessed.p2024, binding)
    assert data.self_scores is not None and len(data.self_scores) == 2


def test_evaluate_on_the_export_gives_the_same_self_numbers(
    self_assessed: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    period = self_assessed.p2024
    binding = departments(period)
    document = period_document(period, binding)
    assert {e["unit"] for e in document["self_scores"]} == {"T-SNV", "T-STP"}
    path = tmp_path / "so.json"
    call_command("export_period", str(period.pk), "so-ban-nganh", output=str(path))
    printed = evaluate_file(path, capsys)
    engine = results_document(evaluate(period_evaluation_input(period, binding)))
    printed_units = {u["unit"]: u for u in printed["units"]}
    for unit in engine["units"]:
        assert printed_units[unit["unit"]].get("self") == unit.get("self"), unit["unit"]
    assert "self" in printed_units["T-SNV"] and "self" not in printed_units["T-VP"]
    assert (printed["groups"][0]["self_mean"], printed["groups"][0]["self_units"]) == (
        engine["groups"][0]["self_mean"],
        2,
    )


def test_the_export_carries_last_years_classes(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    period = scenario.p2024
    binding = departments(period)
    [scored] = period_group_results(period, binding)
    last_year = {
        r.unit: r.class_label
        for r in period_group_results(scenario.p2023, departments(scenario.p2023))[0].results.units
    }
    assert scored.data.previous is not None
    assert {c: p.class_label for c, p in scored.data.previous.items()} == last_year
    document = period_document(period, binding)
    assert {e["unit"]: e.get("class") for e in document["previous_results"]} == last_year
    path = tmp_path / "so.json"
    call_command("export_period", str(period.pk), "so-ban-nganh", output=str(path))
    printed = evaluate_file(path, capsys)
    page = results_document(scored.results)
    assert printed["groups"] == page["groups"]
    group = printed["groups"][0]
    assert group["previous"]["count"] == 3
    assert group["rose"] + group["fell"] + group["unchanged"] == 3
    assert sum(c["previous_count"] for c in group["classes"]) == 3
    assert {u["unit"]: u["previous_class"] for u in printed["units"]} == last_year
    # without a self-assessment in the period, the export has no self_scores
    assert "self_scores" not in document


def test_nodes_left_out_of_a_6_month_period_leave_the_self_assessed_maximum(
    self_assessed: Scenario,
) -> None:
    """A node "chưa đánh giá ở kỳ 6 tháng" (field 5) counts in neither maximum."""
    period = self_assessed.p2024
    period.excluded_node_codes = ["5"]
    period.save(update_fields=["excluded_node_codes"])
    data = period_evaluation_input(period, departments(period))
    assert data.self_not_applicable["T-SNV"] == frozenset({"3", "5"})
    assert data.self_not_applicable["T-STP"] == frozenset({"5"})
    assert "T-VP" not in data.self_not_applicable
    own = evaluate(data).unit("T-STP").self_result
    assert own is not None and "5" not in {f.code for f in own.fields}
