"""Group statistics for the official documents, hand-computed: every node over the units
("18/23 xã đạt 100%"), survey means, class counts with last year's, and the change from the
previous results."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parindex.engine import evaluate
from parindex.engine.bench import generate
from parindex.engine.evalfile import parse, results_document
from parindex.engine.model import (
    NOT_APPLICABLE,
    GroupChange,
    GroupClassStat,
    GroupNodeStat,
    GroupPrevious,
    Results,
)
from parindex.engine.tests.builders import doc, run

D = Decimal

NODES: list[dict[str, Any]] = [
    {"code": "1", "name": "Lĩnh vực 1", "max": "10"},
    {"code": "1.1", "parent": "1", "name": "Tiêu chí 1.1", "max": "6"},
    {"code": "1.2", "parent": "1", "name": "Tiêu chí 1.2", "max": "4"},
    {"code": "2", "name": "Lĩnh vực 2", "max": "5"},
]
UNITS = [
    {"code": "U1", "name": "Đơn vị 1", "group": "G"},
    {"code": "U2", "name": "Đơn vị 2", "group": "G"},
    {"code": "U3", "name": "Đơn vị 3", "group": "G"},
    {"code": "U4", "name": "Đơn vị 4", "group": "H"},
    {"code": "U5", "name": "Đơn vị 5", "group": "G"},
]
CLASSIFICATION = {
    "bands": [{"label": "A", "min": "90"}, {"label": "B", "min": "70"}],
    "otherwise": "C",
}


def score(unit: str, code: str, value: Any) -> dict[str, Any]:
    if value is NOT_APPLICABLE:
        return {"unit": unit, "code": code, "not_applicable": True}
    return {"unit": unit, "code": code, "value": value}


def sample(**extra: Any) -> dict[str, Any]:
    """G: U1 100 (all at max), U2 70.00 (field 2 n/a), U3 66.67, U5 3.33; H: U4 20.00."""
    values: dict[str, dict[str, Any]] = {
        "U1": {"1.1": "6", "1.2": "4", "2": "5"},
        "U2": {"1.1": "3", "1.2": "4", "2": NOT_APPLICABLE},
        "U3": {"1.1": "6", "1.2": "3", "2": "1"},
        "U4": {"1.1": "1", "1.2": "1", "2": NOT_APPLICABLE},
        "U5": {"1.1": "0.5", "1.2": "0", "2": "0"},
    }
    scores = [score(u, c, v) for u, entries in values.items() for c, v in entries.items()]
    return doc(NODES, scores, units=UNITS, classification=CLASSIFICATION, **extra)


PREVIOUS = [
    {"unit": "U1", "index": "95.5", "rank": 1, "class": "A"},
    {"unit": "U2", "index": "70", "rank": 2, "class": "B"},
    {"unit": "U5", "index": "12.345", "rank": 3, "class": "Yếu"},  # a label the scheme lost
]


def groups(results: Results) -> dict[str, Any]:
    return {g.group: g for g in results.groups}


def test_indexes_of_the_sample() -> None:
    results = run(sample())
    assert {r.unit: format(r.index, "f") for r in results.units} == {
        "U1": "100.00",
        "U2": "70.00",
        "U3": "66.67",
        "U5": "3.33",
        "U4": "20.00",
    }


def test_every_node_over_the_units_of_the_group() -> None:
    g, h = groups(run(sample())).values()
    assert g.nodes == (
        # field 1: 10, 7, 9, 0.5 → 26.5 / 4 = 6.625 → 6.63 (half_up)
        GroupNodeStat("1", units=4, units_at_max=1, mean_points=D("6.63")),
        # 6, 3, 6, 0.5 → 15.5 / 4 = 3.875 → 3.88
        GroupNodeStat("1.1", units=4, units_at_max=2, mean_points=D("3.88")),
        GroupNodeStat("1.2", units=4, units_at_max=2, mean_points=D("2.75")),
        # not applicable to U2: 5, 1, 0 over 3 units
        GroupNodeStat("2", units=3, units_at_max=1, mean_points=D("2.00")),
    )
    # a node that applies to no unit of the group: 0 units, no mean
    assert h.nodes[-1] == GroupNodeStat("2", units=0, units_at_max=0, mean_points=None)
    assert h.nodes[0] == GroupNodeStat("1", units=1, units_at_max=0, mean_points=D("2.00"))
    # the existing field statistics are unchanged (and still skip a field of no unit)
    assert [(f.code, f.units, f.units_at_max, f.mean_points) for f in g.fields] == [
        ("1", 4, 1, D("6.63")),
        ("2", 3, 1, D("2.00")),
    ]
    assert [f.code for f in h.fields] == ["1"]


def test_node_means_follow_the_rounding_mode() -> None:
    truncated = groups(run(sample(rounding="truncate")))["G"]
    assert truncated.nodes[0].mean_points == D("6.62")  # 6.625 truncated
    assert truncated.nodes[1].mean_points == D("3.87")  # 3.875
    one_place = groups(run(sample(places=1)))["G"]
    assert one_place.nodes[0].mean_points == D("6.6")  # 6.625 half_up to 1 place
    assert results_document(run(sample(places=1)))["groups"][0]["nodes"][0]["mean_points"] == "6.6"


def test_a_capped_parent_at_its_max_counts_as_at_max() -> None:
    nodes = [
        {"code": "3", "name": "Lĩnh vực 3", "max": "2"},
        {"code": "3.1", "parent": "3", "name": "3.1", "max": "2"},
        {"code": "3.2", "parent": "3", "name": "3.2", "max": "1"},
    ]
    units = [{"code": c, "name": c, "group": "G"} for c in ("A", "B", "C")]
    values = {"A": ("1.5", "0.5"), "B": ("2", "1"), "C": ("1", "0")}
    scores = [
        score(u, code, v)
        for u, pair in values.items()
        for code, v in zip(("3.1", "3.2"), pair, strict=True)
    ]
    [g] = run(doc(nodes, scores, units=units)).groups
    assert g.nodes == (
        GroupNodeStat("3", units=3, units_at_max=2, mean_points=D("1.67")),  # 2, 2 (capped), 1
        GroupNodeStat("3.1", units=3, units_at_max=1, mean_points=D("1.50")),
        GroupNodeStat("3.2", units=3, units_at_max=1, mean_points=D("0.50")),
    )


def test_class_counts_include_every_label_of_the_scheme() -> None:
    g, h = groups(run(sample())).values()
    # U2's 70.00 reaches B's minimum exactly
    assert g.classes == (GroupClassStat("A", 1), GroupClassStat("B", 1), GroupClassStat("C", 2))
    assert h.classes == (GroupClassStat("A", 0), GroupClassStat("B", 0), GroupClassStat("C", 1))


def test_class_counts_with_last_years_classes() -> None:
    g, h = groups(run(sample(previous_results=PREVIOUS))).values()
    assert g.classes == (
        GroupClassStat("A", 1, previous_count=1),
        GroupClassStat("B", 1, previous_count=1),
        GroupClassStat("C", 2, previous_count=0),
        GroupClassStat("Yếu", 0, previous_count=1),
    )
    # no unit of H has a previous result: no previous counts
    assert all(c.previous_count is None for c in h.classes)


def test_no_classification_no_classes() -> None:
    document = sample()
    del document["classification"]
    assert all(g.classes == () for g in run(document).groups)
    assert "classes" not in results_document(run(document))["groups"][0]


def test_change_from_the_previous_results() -> None:
    results = run(sample(previous_results=PREVIOUS))
    g, h = groups(results).values()
    # this year: (100 + 70 + 66.666… + 3.333…) / 4 = 60.00; max 100, min 3.33, spread 96.67
    assert (g.mean, g.max, g.min, g.spread) == (D("60.00"), D("100.00"), D("3.33"), D("96.67"))
    # previous (U3 has none): 95.50, 70.00, 12.35 (12.345 half_up) → 177.85 / 3 = 59.28
    assert g.previous == GroupPrevious(
        count=3, mean=D("59.28"), max=D("95.50"), min=D("12.35"), spread=D("83.15")
    )
    # rounded minus rounded, so the printed numbers subtract exactly
    assert g.change == GroupChange(mean=D("0.72"), max=D("4.50"), min=D("-9.02"), spread=D("13.52"))
    assert (g.rose, g.fell, g.unchanged) == (1, 1, 1)  # U1 +4.50, U5 −9.02, U2 ±0
    assert results.unit("U5").previous_class == "Yếu"
    assert results.unit("U3").previous_class is None
    assert (h.previous, h.change, h.rose, h.fell, h.unchanged) == (None, None, None, None, None)


def test_previous_statistics_use_the_index_rounding() -> None:
    document = sample(previous_results=[{"unit": "U1", "index": "95.555"}])
    document["criteria_set"]["index_rounding"] = {"mode": "truncate", "places": 1}
    g = groups(run(document))["G"]
    assert g.previous == GroupPrevious(1, D("95.5"), D("95.5"), D("95.5"), D("0.0"))
    assert g.change is not None and g.change.max == D("4.5")


def test_survey_mean_over_the_units_it_applies_to() -> None:
    nodes = [{"code": "1", "name": "Lĩnh vực", "max": "10"}]
    units = [
        {"code": c, "name": c, "group": "G" if c != "E" else "H"} for c in ("A", "B", "C", "D", "E")
    ]
    scores = [score(u["code"], "1", "5") for u in units]
    survey = [
        {"unit": "A", "points": "8.25"},
        {"unit": "B", "not_applicable": True},
        # C: no entry, scores 0 and counts
        {"unit": "D", "points": "7.6"},
        {"unit": "E", "not_applicable": True},
    ]
    document = doc(nodes, scores, units=units, survey={"max": "10"}, survey_scores=survey)
    g, h = groups(run(document)).values()
    assert (g.survey_mean, g.survey_units) == (D("5.28"), 3)  # 15.85 / 3 = 5.2833…
    assert (h.survey_mean, h.survey_units) == (None, 0)
    printed = results_document(run(document))["groups"]
    assert (printed[0]["survey_mean"], printed[0]["survey_units"]) == ("5.28", 3)
    assert (printed[1]["survey_mean"], printed[1]["survey_units"]) == (None, 0)
    without = run(doc(nodes, scores, units=units))
    assert all(g.survey_mean is None and g.survey_units is None for g in without.groups)
    assert "survey_mean" not in results_document(without)["groups"][0]


def test_printed_group_keys_in_a_stable_order() -> None:
    document = sample(previous_results=PREVIOUS, survey={"max": "10"})
    printed = results_document(run(document))["groups"][0]
    assert list(printed) == [
        "group",
        "count",
        "mean",
        "max",
        "min",
        "spread",
        "above_mean",
        "fields",
        "survey_mean",
        "survey_units",
        "classes",
        "nodes",
        "previous",
        "change",
        "rose",
        "fell",
        "unchanged",
    ]
    document = sample(previous_results=PREVIOUS)
    printed = results_document(run(document))["groups"][0]
    assert printed["previous"] == {
        "count": 3,
        "mean": "59.28",
        "max": "95.50",
        "min": "12.35",
        "spread": "83.15",
    }
    assert printed["change"] == {"mean": "0.72", "max": "4.50", "min": "-9.02", "spread": "13.52"}
    assert printed["classes"][3] == {"label": "Yếu", "count": 0, "previous_count": 1}
    assert printed["nodes"][0] == {
        "code": "1",
        "units": 4,
        "units_at_max": 1,
        "mean_points": "6.63",
    }
    unit = next(u for u in results_document(run(document))["units"] if u["unit"] == "U5")
    assert unit["previous_class"] == "Yếu"
    assert list(unit)[-3:] == ["previous_rank", "rank_change", "previous_class"]


def test_previous_class_from_a_results_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = tmp_path / "prev.json"
    earlier = results_document(run(sample()))
    previous.write_text(json.dumps(earlier, ensure_ascii=False))
    now = tmp_path / "now.json"
    now.write_text(json.dumps(sample(), ensure_ascii=False))
    call_command("evaluate", str(now), "--previous", str(previous))
    printed = json.loads(capsys.readouterr().out)
    assert {u["unit"]: u["previous_class"] for u in printed["units"]} == {
        u["unit"]: u["class"] for u in earlier["units"]
    }
    assert [c["previous_count"] for c in printed["groups"][0]["classes"]] == [1, 1, 2]


def test_node_statistics_agree_with_a_naive_count() -> None:
    """The column-wise sums of fully applicable units and the per-unit sums of the others
    give what counting node by node gives (generated data with not-applicable fields)."""
    data = generate(units=120, leaves=30, seed=3)
    rnd = random.Random(5)
    fields = [n.code for n in data.criteria.nodes if n.parent is None]
    data.not_applicable = {
        u.code: frozenset(rnd.sample(fields, 2)) for u in data.units if rnd.random() < 0.4
    }
    results = evaluate(data)
    for group in results.groups:
        members = [r for r in results.units if r.group == group.group]
        for stat in group.nodes:
            applicable = [n for r in members if (n := r.node(stat.code)) is not None]
            assert stat.units == len(applicable)
            assert stat.units_at_max == sum(1 for n in applicable if n.points == n.max)
            if applicable:
                mean = sum((n.points for n in applicable), D(0)) / len(applicable)
                assert stat.mean_points == data.criteria.rounding.apply(mean)
    assert any(s.units < len(results.units) for g in results.groups for s in g.nodes)


def test_statistics_do_not_depend_on_the_order_of_units() -> None:
    document = sample(previous_results=PREVIOUS)
    shuffled = json.loads(json.dumps(document))
    shuffled["units"].reverse()
    shuffled["scores"].reverse()
    assert results_document(run(shuffled)) == results_document(run(document))
    assert parse(document).previous is not None
