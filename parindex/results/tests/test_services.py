"""Computing, publishing and correcting a period's results (services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parindex.audit.models import AuditEvent
from parindex.engine import evaluate
from parindex.engine.evalfile import results_document
from parindex.engine.leader import LeaderRule
from parindex.results.models import ResultRow, ResultVersion, VersionStatus
from parindex.results.selectors import period_evaluation_input, period_groups
from parindex.results.services import (
    Decision,
    leader_rules_update,
    results_compute,
    results_publish,
)
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db

DECISION = Decision(
    number="125/QĐ-UBND",
    date=dt.date(2024, 3, 1),
    signer_name="Trần Văn Hùng",
    signer_title="Chủ tịch",
)


def test_a_draft_holds_the_engines_numbers_for_every_group(scenario: Scenario) -> None:
    draft = results_compute(period=scenario.p2023, actor=None)

    assert draft.status == VersionStatus.DRAFT
    assert (draft.progress_done, draft.progress_total, draft.units_count) == (2, 2, 6)
    for binding in period_groups(scenario.p2023):
        expected = results_document(evaluate(period_evaluation_input(scenario.p2023, binding)))
        rows = ResultRow.objects.filter(version=draft, result_group__code=binding.group.code)
        stored = {row.code: row.detail for row in rows}
        assert stored == {unit["unit"]: unit for unit in expected["units"]}
        for row in rows:
            assert format(row.index, "f").startswith(row.detail["index"])


def test_publish_needs_a_decision_and_a_finalised_period(scenario: Scenario) -> None:
    draft = results_compute(period=scenario.p2025, actor=None)
    assert any("chưa chốt" in w for w in draft.warnings)
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        results_publish(version=draft, decision=DECISION, actor=None)

    draft = results_compute(period=scenario.p2023, actor=None)
    with pytest.raises(ValidationError) as refused:
        results_publish(version=draft, decision=Decision("", None, ""), actor=None)
    assert set(refused.value.message_dict) == {"decision_number", "decision_date", "signer_name"}


def test_publishing_freezes_a_version_and_recomputing_never_changes_it(
    scenario: Scenario,
) -> None:
    draft = results_compute(period=scenario.p2023, actor=None)
    published = results_publish(version=draft, decision=DECISION, actor=None)
    assert (published.status, published.number) == (VersionStatus.PUBLISHED, 1)
    before = list(ResultRow.objects.filter(version=published).values_list("code", "index", "rank"))

    # scores change after publication; a recomputation makes a new draft only
    from parindex.assessments.models import Assessment

    Assessment.objects.filter(period=scenario.p2023).update(bonus=D(2))
    again = results_compute(period=scenario.p2023, actor=None)

    assert again.pk != published.pk
    assert (
        list(ResultRow.objects.filter(version=published).values_list("code", "index", "rank"))
        == before
    )
    assert AuditEvent.objects.filter(action="results.published").count() == 1


def test_a_correction_is_a_new_version_with_a_reason(scenario: Scenario) -> None:
    first = results_publish(
        version=results_compute(period=scenario.p2023, actor=None), decision=DECISION, actor=None
    )
    draft = results_compute(period=scenario.p2023, actor=None)
    with pytest.raises(ValidationError) as refused:
        results_publish(version=draft, decision=DECISION, actor=None)
    assert "reason" in refused.value.message_dict

    corrected = results_publish(
        version=draft,
        decision=Decision(
            "130/QĐ-UBND", dt.date(2024, 3, 20), "Trần Văn Hùng", reason="Sai điểm 2.1"
        ),
        actor=None,
    )

    first.refresh_from_db()
    assert (first.status, corrected.number, corrected.supersedes) == (
        VersionStatus.SUPERSEDED,
        2,
        first,
    )
    assert ResultVersion.objects.published().count() == 2


def test_year_over_year_change_comes_from_the_published_previous_year(scenario: Scenario) -> None:
    draft_2024 = results_compute(period=scenario.p2024, actor=None)
    assert any("chưa có kết quả công bố" in w for w in draft_2024.warnings)
    assert not ResultRow.objects.filter(version=draft_2024, previous_index__isnull=False).exists()

    old = results_publish(
        version=results_compute(period=scenario.p2023, actor=None), decision=DECISION, actor=None
    )
    draft_2024 = results_compute(period=scenario.p2024, actor=None)

    row = ResultRow.objects.get(version=draft_2024, code="T-STP")
    previous = ResultRow.objects.get(version=old, code="T-STP")
    assert row.previous_index == previous.index
    assert row.index_change == row.index - previous.index
    assert row.previous_rank == previous.rank


def test_leader_rating_follows_the_rules_with_field_minimums(scenario: Scenario) -> None:
    draft = results_compute(period=scenario.p2023, actor=None)
    rows = ResultRow.objects.filter(version=draft)
    assert all(row.leader_rating for row in rows if row.class_label)

    labels = sorted({row.class_label for row in rows})
    best = ResultRow.objects.filter(version=draft).order_by("-index").first()
    assert best is not None
    lowest_field = min(D(f["percent"]) for f in best.detail["fields"])
    rules = [LeaderRule(best.class_label, "Hoàn thành xuất sắc nhiệm vụ", lowest_field + 1)] + [
        LeaderRule(label, "Hoàn thành nhiệm vụ") for label in labels if label != best.class_label
    ]
    leader_rules_update(period=scenario.p2023, rules=rules, actor=None)
    draft = results_compute(period=scenario.p2023, actor=None)
    best_row = ResultRow.objects.get(version=draft, code=best.code)
    # its lowest field is under the minimum: demoted to the next rule down
    expected = "Hoàn thành nhiệm vụ" if len(rules) > 1 else ""
    assert best_row.leader_rating == expected

    with pytest.raises(ValidationError, match="không có trong bộ tiêu chí"):
        leader_rules_update(period=scenario.p2023, rules=[LeaderRule("Không có", "X")], actor=None)


def test_a_period_with_published_results_is_not_deleted(scenario: Scenario) -> None:
    from parindex.periods.models import Period
    from parindex.periods.services import period_delete

    results_publish(
        version=results_compute(period=scenario.p2023, actor=None), decision=DECISION, actor=None
    )
    with pytest.raises(ValidationError, match="đã công bố kết quả"):
        period_delete(period=scenario.p2023, actor=None)
    assert ResultVersion.objects.filter(period=scenario.p2023).exists()

    period_delete(period=scenario.p2024, actor=None)  # nothing published: deleted
    assert not Period.objects.filter(pk=scenario.p2024.pk).exists()


def test_a_second_computation_is_refused_while_one_runs(
    scenario: Scenario, django_capture_on_commit_callbacks: Any
) -> None:
    from parindex.results.services import results_compute_start

    with django_capture_on_commit_callbacks(execute=False) as queued:
        draft = results_compute_start(period=scenario.p2023, actor=None)
    assert draft.status == VersionStatus.COMPUTING and len(queued) == 1

    with pytest.raises(ValidationError, match="đang được tính"):
        results_compute_start(period=scenario.p2023, actor=None)
    assert ResultVersion.objects.filter(period=scenario.p2023).count() == 1
