"""The portable export: ``parindex evaluate`` on it gives exactly the page's numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from parindex.engine.evalfile import loads
from parindex.results.selectors import (
    period_document,
    period_evaluation_input,
    period_groups,
    period_results,
)
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.helpers import assert_page_matches_evaluate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("group_code", ["so-ban-nganh", "ubnd-cap-huyen"])
def test_page_shows_exactly_what_evaluate_gives(
    manager_client: Client,
    scenario: Scenario,
    group_code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The internal live page (staff) against the export; the published pages are compared
    in ``test_public_pages.py``."""
    assert (
        assert_page_matches_evaluate(manager_client, scenario.p2024, group_code, tmp_path, capsys)
        == 3
    )


def test_export_command_writes_to_stdout_the_downloaded_document(
    manager_client: Client, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_period", str(scenario.p2024.pk), "so-ban-nganh")
    printed = json.loads(capsys.readouterr().out)
    downloaded = json.loads(
        manager_client.get(
            f"/ky-danh-gia/{scenario.p2024.pk}/so-ban-nganh/tep-danh-gia.json"
        ).content
    )
    assert printed == downloaded
    assert printed["format"] == "parindex-evaluation/1"
    assert {u["code"] for u in printed["units"]} == {"T-SNV", "T-STP", "T-VP"}
    assert printed["previous_results"]
    assert printed["metadata"]["group"]["code"] == "so-ban-nganh"
    # guidance and other per-node extensions travel with the file
    assert any("allow_not_applicable" in node for node in printed["criteria_set"]["nodes"])
    loads(json.dumps(printed))  # the engine's own parser accepts it


def test_export_command_errors_are_vietnamese(scenario: Scenario) -> None:
    with pytest.raises(CommandError, match="Không có kỳ đánh giá mã số 999999"):
        call_command("export_period", "999999", "so-ban-nganh")
    with pytest.raises(CommandError, match="không có nhóm “khong-co”.*so-ban-nganh"):
        call_command("export_period", str(scenario.p2024.pk), "khong-co")


def test_document_round_trips_the_stored_values(scenario: Scenario) -> None:
    binding = period_groups(scenario.p2024)[0]
    data = period_evaluation_input(scenario.p2024, binding)
    parsed = loads(json.dumps(period_document(scenario.p2024, binding)))
    assert parsed.scores == data.scores
    assert parsed.not_applicable == data.not_applicable
    assert parsed.survey == data.survey
    assert parsed.adjustments == data.adjustments
    assert [u.code for u in parsed.units] == [u.code for u in data.units]


def test_evaluation_input_needs_few_queries(
    scenario: Scenario, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    binding = period_groups(scenario.p2024)[0]
    with django_assert_max_num_queries(4):
        data = period_evaluation_input(scenario.p2024, binding)
    assert len(data.units) == 3


def test_one_set_for_all_groups_can_be_scored_in_one_evaluation(scenario: Scenario) -> None:
    """Hà Nam style: one evaluation ranks sở and huyện separately, as period_results does."""
    from parindex.engine import evaluate

    together = evaluate(period_evaluation_input(scenario.p2023))
    assert {g.group for g in together.groups} == {"Sở, ban, ngành", "UBND cấp huyện"}
    separately = {
        r.unit: (r.index, r.rank)
        for _binding, results in period_results(scenario.p2023)
        for r in results.units
    }
    assert {r.unit: (r.index, r.rank) for r in together.units} == separately


def test_period_results_compare_with_the_previous_period(scenario: Scenario) -> None:
    before = {r.unit: r for _b, res in period_results(scenario.p2023) for r in res.units}
    for _binding, results in period_results(scenario.p2024):
        for r in results.units:
            assert r.previous_index == before[r.unit].index
            assert r.previous_rank == before[r.unit].rank
            assert r.index_change == r.index - before[r.unit].index
