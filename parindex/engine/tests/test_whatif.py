"""What-if scoring of one unit: the same numbers as scoring the whole modified group."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parindex.engine import InputError, Ratio, Rounding, evaluate
from parindex.engine.evalfile import parse
from parindex.engine.model import EvaluationInput, Rule, Tier, Value
from parindex.engine.rules import make_scorer
from parindex.engine.tests.builders import doc
from parindex.engine.whatif import (
    KEEP,
    Standings,
    apply_changes,
    best_value,
    improvement_plan,
    leaf_fields,
    rank_among,
    score_alone,
    what_if,
)

D = Decimal
FIXTURES = Path(__file__).parent / "fixtures"


# --------------------------------------------------------------------------- ranking


def _group(indexes: list[Decimal], ties: str) -> dict[str, int]:
    """Ranks the engine gives units whose index is exactly ``indexes`` (one manual leaf of
    max 100, so index = points)."""
    document = doc(
        [{"code": "1", "name": "Lĩnh vực", "max": "100"}],
        [{"unit": f"U{i}", "code": "1", "value": str(x)} for i, x in enumerate(indexes)],
        units=[{"code": f"U{i}", "name": f"Đơn vị {i}", "group": "G"} for i in range(len(indexes))],
        ranking={"ties": ties},
    )
    return {r.unit: r.rank for r in evaluate(parse(document)).units}


@pytest.mark.parametrize("ties", ["shared", "dense"])
def test_rank_among_agrees_with_the_engine_on_every_small_group(ties: str) -> None:
    """Every group of up to 5 units over 3 index values, and every place a sixth unit can
    land (above, between, equal to, below the others)."""
    values = [D("70"), D("80.5"), D("95")]
    candidates = [D("60"), D("70"), D("75"), D("80.5"), D("90"), D("95"), D("99")]
    for size in range(6):
        for others in itertools.product(values, repeat=size):
            for index in candidates:
                ranks = _group([*others, index], ties)
                expected = ranks[f"U{size}"]
                assert rank_among(index, others, ties) == expected, (others, index)
                assert Standings(others, ties).rank(index) == expected, (others, index)


@given(
    others=st.lists(st.integers(0, 40).map(lambda q: D(q) / 4 + 60), max_size=25),
    index=st.integers(0, 40).map(lambda q: D(q) / 4 + 60),
    ties=st.sampled_from(["shared", "dense"]),
)
def test_standings_agree_with_assign_ranks(
    others: list[Decimal], index: Decimal, ties: str
) -> None:
    expected = _group([*others, index], ties)[f"U{len(others)}"]
    standings = Standings(others, ties)
    assert standings.rank(index) == rank_among(index, others, ties) == expected
    assert standings.group_size == len(others) + 1


def test_unknown_tie_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="tie rule"):
        rank_among(D(1), [], "olympic")
    with pytest.raises(ValueError, match="tie rule"):
        Standings([], "olympic")


# --------------------------------------------------------------------------- a set with every rule


def sample() -> dict[str, Any]:
    """Two fields; field 3 caps its children (7 < 4 + 4); survey 10; classes."""
    nodes: list[dict[str, Any]] = [
        {"code": "1", "name": "Chỉ đạo, điều hành", "max": "14"},
        {"code": "1.1", "parent": "1", "name": "Kế hoạch", "max": "4", "rule": {"type": "boolean"}},
        {
            "code": "1.2",
            "parent": "1",
            "name": "Thực hiện",
            "max": "4",
            "rule": {"type": "percent"},
        },
        {
            "code": "1.3",
            "parent": "1",
            "name": "Sáng kiến",
            "max": "6",
            "rule": {
                "type": "tiers",
                "tiers": [{"min": "3", "points": "6"}, {"min": "1", "points": "3"}],
            },
        },
        {"code": "2", "name": "Thể chế", "max": "10"},
        {"code": "3", "name": "Thủ tục hành chính", "max": "7"},
        {
            "code": "3.1",
            "parent": "3",
            "name": "Đúng hạn",
            "max": "4",
            "rule": {"type": "ratio", "floor": "0.7"},
        },
        {
            "code": "3.2",
            "parent": "3",
            "name": "Bổ sung hồ sơ",
            "max": "4",
            "rule": {"type": "deduction", "per_item": "1.5"},
        },
    ]
    units = [
        {"code": "A", "name": "Sở A", "group": "Sở"},
        {"code": "B", "name": "Sở B", "group": "Sở"},
        {"code": "C", "name": "Sở C", "group": "Sở"},
        {"code": "D", "name": "Sở D", "group": "Sở"},
    ]

    def unit(code: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"unit": code, "code": k, "value": v} for k, v in values.items()]

    scores = [
        *unit("A", {"1.1": True, "1.2": "90", "1.3": "3", "2": "9", "3.1": n(95, 100), "3.2": "0"}),
        *unit(
            "B", {"1.1": False, "1.2": "60", "1.3": "1", "2": "6", "3.1": n(72, 100), "3.2": "2"}
        ),
        *unit("C", {"1.1": True, "1.2": "75", "2": "7.5", "3.1": n(80, 100), "3.2": "1"}),
        *unit("D", {"1.1": True, "1.2": "100", "1.3": "0", "2": "8", "3.1": n(1, 2), "3.2": "3"}),
    ]
    return doc(
        nodes,
        scores,
        units=units,
        survey={"max": "10"},
        survey_scores=[
            {"unit": "A", "points": "9"},
            {"unit": "B", "points": "6.5"},
            {"unit": "C", "not_applicable": True},
        ],
        classification={
            "bands": [{"label": "Tốt", "min": "85"}, {"label": "Khá", "min": "70"}],
            "otherwise": "Trung bình",
        },
        ranking={"ties": "shared"},
    )


def n(numerator: int, denominator: int) -> dict[str, str]:
    return {"numerator": str(numerator), "denominator": str(denominator)}


def modified(data: EvaluationInput, unit: str, values: dict[str, Value | None]) -> EvaluationInput:
    """The whole group with ``unit``'s values changed (the reference the planner must match)."""
    scores = {code: dict(entries) for code, entries in data.scores.items()}
    for code, value in values.items():
        if value is None:
            scores[unit].pop(code, None)
        else:
            scores.setdefault(unit, {})[code] = value
    return replace(data, scores=scores)


def standings_of(data: EvaluationInput, unit: str) -> Standings:
    results = evaluate(data)
    group = results.unit(unit).group
    others = [r.index for r in results.units if r.unit != unit and r.group == group]
    return Standings(others, data.criteria.ties)


# --------------------------------------------------------------------------- what-if


@pytest.mark.parametrize(
    ("unit", "values"),
    [
        ("B", {"1.1": True}),
        ("B", {"1.1": True, "1.2": D(100), "1.3": D(3), "3.1": Ratio(D(99), D(100))}),
        ("D", {"3.1": Ratio(D(70), D(100)), "3.2": D(0)}),
        ("A", {"2": D(0), "1.1": False}),
        ("C", {"1.3": D(5)}),
        ("A", {"3.2": None}),
    ],
)
def test_what_if_equals_scoring_the_whole_modified_group(
    unit: str, values: dict[str, Value | None]
) -> None:
    data = parse(sample())
    expected = evaluate(modified(data, unit, values)).unit(unit)
    actual = evaluate(data).unit(unit)

    outcome = what_if(data, unit, standings_of(data, unit), values)

    for field in ("points", "total", "max", "index", "class_label", "rank", "missing"):
        assert getattr(outcome.result, field) == getattr(expected, field), field
    assert outcome.rank == expected.rank
    assert (outcome.actual.index, outcome.actual_rank) == (actual.index, actual.rank)
    assert outcome.index_change == expected.index - actual.index
    assert outcome.rank_change == actual.rank - expected.rank
    assert outcome.group_size == 4
    before = {node.code: node.points for node in actual.nodes()}
    changed = {code for code, _, _ in outcome.changed_nodes()}
    assert changed == {node.code for node in expected.nodes() if before[node.code] != node.points}


def test_raising_a_criterion_moves_the_unit_up_the_hanam_ranking() -> None:
    data = parse(json.loads((FIXTURES / "hanam_2022.json").read_text(encoding="utf-8")))
    results = evaluate(data)
    last = results.units[-1]
    parents = {node.parent for node in data.criteria.nodes}
    leaves = [node for node in last.nodes() if node.code not in parents]
    leaf = max(leaves, key=lambda node: node.lost)
    assert leaf.lost > 0
    values: dict[str, Value | None] = {leaf.code: leaf.max}

    outcome = what_if(data, last.unit, standings_of(data, last.unit), values)
    expected = evaluate(modified(data, last.unit, values)).unit(last.unit)

    assert outcome.result.index == expected.index > last.index
    assert outcome.rank == expected.rank < last.rank
    assert outcome.actual_rank == last.rank
    assert outcome.result.class_label == expected.class_label


def test_survey_changes_and_a_unit_not_surveyed_keeps_its_survey_out() -> None:
    data = parse(sample())
    standings = standings_of(data, "B")
    raised = what_if(data, "B", standings, survey=D(10))
    reference = replace(data, survey={**data.survey, "B": D(10)})
    assert raised.result.index == evaluate(reference).unit("B").index
    assert raised.total_change == D("3.5")

    cleared = score_alone(data, "B", survey=None)
    assert "survey" in cleared.missing

    not_surveyed = score_alone(data, "C", survey=D(10))
    assert not_surveyed.survey_applicable is False
    assert not_surveyed.index == evaluate(data).unit("C").index

    with pytest.raises(InputError, match="survey"):
        apply_changes(data, "A", survey=D(11))


def test_changes_are_checked_and_not_applicable_leaves_stay_excluded() -> None:
    document = sample()
    document["scores"] = [
        s for s in document["scores"] if not (s["unit"] == "D" and s["code"][0] == "3")
    ]
    document["scores"].append({"unit": "D", "code": "3", "not_applicable": True})
    data = parse(document)

    with pytest.raises(InputError) as refused:
        apply_changes(data, "A", {"1.2": D(120), "9.9": D(1), "1": D(1), "1.1": D(1)})
    problems = " ".join(refused.value.problems)
    assert "1.2: tỷ lệ 120% nằm ngoài khoảng 0..100" in problems
    assert "9.9: không phải tiêu chí lá" in problems
    assert "1: không phải tiêu chí lá" in problems
    assert "1.1: cần giá trị true/false" in problems

    alone = apply_changes(data, "D", {"3.1": Ratio(D(1), D(1)), "2": D(10)})
    assert [u.code for u in alone.units] == ["D"]
    assert "3.1" not in alone.scores["D"]
    result = evaluate(alone).unit("D")
    assert result.node("3") is None and result.node("2") is not None
    assert result.index == evaluate(modified(data, "D", {"2": D(10)})).unit("D").index

    with pytest.raises(KeyError):
        apply_changes(data, "Z")


def test_clearing_a_value_scores_it_zero_and_lists_it_missing() -> None:
    data = parse(sample())
    result = score_alone(data, "A", {"1.1": None})
    assert "1.1" in result.missing
    node = result.node("1.1")
    assert node is not None and node.points == 0
    assert score_alone(data, "A", {}, KEEP).index == evaluate(data).unit("A").index


# --------------------------------------------------------------------------- improvement list


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (None, D(4)),
        (Rule(type="boolean"), True),
        (Rule(type="ratio", floor=D("0.7")), Ratio(D(1), D(1))),
        (Rule(type="percent"), D(100)),
        (Rule(type="deduction", per_item=D("1.5")), D(0)),
        (Rule(type="tiers", tiers=(Tier(D(1), D(2)), Tier(D(3), D(4)), Tier(D(5), D(4)))), D(3)),
        (Rule(type="tiers"), None),
    ],
)
def test_best_value_earns_the_leafs_max(rule: Rule | None, expected: Value | None) -> None:
    value = best_value(rule, D(4))
    assert value == expected
    if value is not None:
        scorer = make_scorer(rule or Rule(), D(4), Rounding())
        assert scorer(value) == D(4)


def test_improvement_list_is_ordered_by_recoverable_points() -> None:
    data = parse(sample())
    plan = improvement_plan(data, "B")
    actual = evaluate(data).unit("B")

    recoverable = [item.recoverable for item in plan.items]
    assert recoverable == sorted(recoverable, reverse=True)
    codes = [item.code for item in plan.items]
    # 1.1 (4 lost) and 2 (4 lost) tie: display order decides
    assert codes[:2] == ["1.1", "2"]
    for item in plan.items:
        node = actual.node(item.code)
        assert node is not None
        assert (item.points, item.max) == (node.points, node.max)
        assert item.recoverable == item.max - item.points
        assert item.field == leaf_fields(data.criteria)[item.code]
    assert plan.items[0].name == "Kế hoạch"
    assert plan.at_best == 0

    best = evaluate(
        modified(
            data,
            "B",
            {
                "1.1": True,
                "1.2": D(100),
                "1.3": D(3),
                "2": D(10),
                "3.1": Ratio(D(1), D(1)),
                "3.2": D(0),
            },
        )
    ).unit("B")
    assert (plan.best.index, plan.best.total, plan.best.class_label) == (
        best.index,
        best.total,
        best.class_label,
    )
    assert plan.result.index == actual.index
    assert plan.index_gain == best.index - actual.index


def test_a_parent_cap_makes_the_gain_smaller_than_the_leaves_add_up_to() -> None:
    data = parse(sample())
    plan = improvement_plan(data, "D")  # field 3 max 7 < 4 + 4
    by_code = {item.code: item for item in plan.items}
    assert set(by_code) >= {"3.1", "3.2", "1.3"}
    assert by_code["1.3"].recoverable == 6
    assert plan.gain == plan.best.total - plan.result.total
    assert plan.gain < plan.leaf_total
    field_3 = plan.best.node("3")
    assert field_3 is not None and field_3.points == 7


def test_missing_leaves_are_listed_and_leaves_at_max_are_counted() -> None:
    data = parse(sample())
    plan = improvement_plan(data, "A")
    assert [i.code for i in plan.items if i.missing] == []
    plan_c = improvement_plan(data, "C")
    missing = [i for i in plan_c.items if i.missing]
    assert [i.code for i in missing] == ["1.3"]
    assert missing[0].points == 0 and missing[0].recoverable == 6
    assert plan_c.at_best == 1  # 1.1 đạt
    assert plan.at_best == 3  # 1.1 đạt, 1.3 top tier, 3.2 without deductions
