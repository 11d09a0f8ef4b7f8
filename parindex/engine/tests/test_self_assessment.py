"""The self-assessment beside the appraisal: scored with the same rules and rounding, without
survey, bonus or penalty; its input validated like ``scores[]``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parindex.engine.evalfile import input_document, parse, results_document
from parindex.engine.model import FieldResult, NodeResult
from parindex.engine.tests.builders import doc, run
from parindex.engine.tests.test_evaluate_command import evaluate_doc

D = Decimal

NODES: list[dict[str, Any]] = [
    {"code": "1", "name": "Lĩnh vực 1", "max": "10"},
    {"code": "1.1", "parent": "1", "name": "Tiêu chí 1.1", "max": "6"},
    {"code": "1.2", "parent": "1", "name": "Tiêu chí 1.2", "max": "4", "rule": {"type": "percent"}},
    {"code": "2", "name": "Lĩnh vực 2", "max": "5"},
]
UNITS = [{"code": c, "name": f"Đơn vị {c}", "group": "G"} for c in ("U1", "U2", "U3")]
APPRAISED = [
    {"unit": u, "code": c, "value": v}
    for u in ("U1", "U2", "U3")
    for c, v in (("1.1", "5"), ("1.2", "50"), ("2", "5"))
]
SELF = [
    {"unit": "U1", "code": "1.1", "value": "6"},
    {"unit": "U1", "code": "1.2", "value": "33.33"},  # 4 × 33.33% = 1.3332 → 1.33
    {"unit": "U1", "code": "2", "not_applicable": True},
    {"unit": "U2", "code": "1.1", "value": "1"},  # 1.2 and 2 missing: 0 of their max
]


def document(**extra: Any) -> dict[str, Any]:
    extra.setdefault("self_scores", SELF)
    return doc(
        NODES,
        APPRAISED,
        units=UNITS,
        survey={"max": "10"},
        survey_scores=[{"unit": u["code"], "points": "10"} for u in UNITS],
        adjustments={"bonus_max": "2"},
        unit_adjustments=[{"unit": "U1", "bonus": "2", "penalty": "0"}],
        **extra,
    )


def test_the_self_assessment_is_scored_with_the_same_rules() -> None:
    results = run(document())
    u1 = results.unit("U1").self_result
    assert u1 is not None
    # field 2 self-assessed not applicable: max 10; no survey, no bonus
    assert (u1.points, u1.max, u1.percent) == (D("7.33"), D(10), D("73.30"))
    assert u1.fields == [FieldResult("1", D("7.33"), D(10), D("73.3"))]
    assert list(u1.nodes()) == [
        NodeResult("1", D("7.33"), D(10)),
        NodeResult("1.1", D(6), D(6)),
        NodeResult("1.2", D("1.33"), D(4)),
    ]
    assert (u1.not_applicable, u1.missing) == (["2"], [])
    u2 = results.unit("U2").self_result
    assert u2 is not None
    assert (u2.points, u2.max, u2.percent) == (D(1), D(15), D("6.67"))  # 6.666…
    assert u2.missing == ["1.2", "2"]
    assert results.unit("U3").self_result is None  # no self entry at all
    # the appraisal is untouched: 5 + 2 + 5 + survey 10 + bonus 2 of 25
    assert results.unit("U1").total == D(24)


def test_the_group_mean_is_of_the_exact_self_percentages() -> None:
    [g] = run(document()).groups
    # (73.3 + 6.666…) / 2 = 39.983… → 39.98 (the rounded ones would give 39.985 → 39.99)
    assert (g.self_mean, g.self_units) == (D("39.98"), 2)


def test_printed_self_keys() -> None:
    printed = results_document(run(document()))
    units = {u["unit"]: u for u in printed["units"]}
    assert units["U1"]["self"] == {
        "points": "7.33",
        "max": "10.00",
        "percent": "73.30",
        "fields": [{"code": "1", "points": "7.33", "max": "10.00", "percent": "73.30"}],
        "nodes": [
            {"code": "1", "points": "7.33", "max": "10.00"},
            {"code": "1.1", "points": "6.00", "max": "6.00"},
            {"code": "1.2", "points": "1.33", "max": "4.00"},
        ],
    }
    assert list(units["U1"])[-1] == "self"
    assert "self" not in units["U3"]
    group = printed["groups"][0]
    assert (group["self_mean"], group["self_units"]) == ("39.98", 2)
    assert list(group).index("self_mean") == list(group).index("survey_units") + 1


def test_index_rounding_gives_the_percent_places() -> None:
    data = document()
    data["criteria_set"]["index_rounding"] = {"mode": "truncate", "places": 1}
    printed = results_document(run(data))
    u2 = next(u for u in printed["units"] if u["unit"] == "U2")
    assert (u2["self"]["points"], u2["self"]["percent"]) == ("1.00", "6.6")


def test_a_self_not_applicable_parent_ignores_values_below_without_warning() -> None:
    data = document(
        self_scores=[
            {"unit": "U1", "code": "1", "not_applicable": True},
            {"unit": "U1", "code": "1.1", "value": "6"},
            {"unit": "U1", "code": "2", "value": "2.5"},
        ]
    )
    results = run(data)
    own = results.unit("U1").self_result
    assert own is not None
    assert (own.points, own.max, own.percent, own.not_applicable) == (
        D("2.5"),
        D(5),
        D("50.00"),
        ["1"],
    )
    assert results.warnings == []


def test_everything_self_assessed_not_applicable_gives_0_percent() -> None:
    data = document(
        self_scores=[
            {"unit": "U1", "code": "1", "not_applicable": True},
            {"unit": "U1", "code": "2", "not_applicable": True},
        ]
    )
    own = run(data).unit("U1").self_result
    assert own is not None and (own.points, own.max, own.percent) == (D(0), D(0), D("0.00"))


def test_self_capped_like_the_appraisal() -> None:
    nodes = [
        {"code": "3", "name": "Lĩnh vực 3", "max": "2"},
        {"code": "3.1", "parent": "3", "name": "3.1", "max": "2"},
        {"code": "3.2", "parent": "3", "name": "3.2", "max": "1"},
    ]
    own = [{"unit": "U1", "code": "3.1", "value": "2"}, {"unit": "U1", "code": "3.2", "value": "1"}]
    result = run(doc(nodes, [], self_scores=own)).unit("U1").self_result
    assert result is not None and (result.points, result.percent) == (D(2), D("100.00"))


def test_without_self_scores_nothing_changes() -> None:
    data = document()
    del data["self_scores"]
    printed = results_document(run(data))
    assert all("self" not in u for u in printed["units"])
    assert "self_mean" not in printed["groups"][0]
    assert parse(data).self_scores is None
    # present but empty: read as given, and no unit has a self result
    empty = document(self_scores=[])
    assert parse(empty).self_scores == {}
    assert all(u.self_result is None for u in run(empty).units)


def test_the_evaluation_file_round_trips_self_scores() -> None:
    data = parse(document())
    again = parse(json.loads(json.dumps(input_document(data))))
    assert again.self_scores == data.self_scores
    assert again.self_not_applicable == data.self_not_applicable
    assert results_document(run(json.loads(json.dumps(input_document(data))))) == (
        results_document(run(document()))
    )
    written = input_document(data)["self_scores"]
    assert written[0] == {"unit": "U1", "code": "2", "not_applicable": True}  # n/a first
    without = document()
    del without["self_scores"]
    assert "self_scores" not in input_document(parse(without))


BAD_SELF = [
    (
        "unknown unit",
        {"unit": "U9", "code": "1.1", "value": "1"},
        "self_scores[4] (unit U9, node 1.1): đơn vị 'U9' không có trong danh sách units",
    ),
    (
        "unknown node",
        {"unit": "U3", "code": "9", "value": "1"},
        "self_scores[4] (unit U3, node 9): tiêu chí '9' không có trong bộ tiêu chí",
    ),
    (
        "duplicate",
        {"unit": "U1", "code": "1.1", "value": "1"},
        "self_scores[4] (unit U1, node 1.1): điểm bị nhập trùng (đã có ở self_scores[0])",
    ),
    (
        "out of range",
        {"unit": "U3", "code": "1.2", "value": "101"},
        "self_scores[4] (unit U3, node 1.2): tỷ lệ 101% nằm ngoài khoảng 0..100",
    ),
    (
        "value and not applicable",
        {"unit": "U3", "code": "1.1", "value": "1", "not_applicable": True},
        "self_scores[4] (unit U3, node 1.1): không thể vừa có value vừa not_applicable",
    ),
    (
        "no value",
        {"unit": "U3", "code": "1.1"},
        "self_scores[4] (unit U3, node 1.1): thiếu value (hoặc not_applicable: true)",
    ),
    (
        "value on a parent",
        {"unit": "U3", "code": "1", "value": "1"},
        "self_scores[4] (unit U3, node 1): tiêu chí có tiêu chí con: chỉ được đánh dấu",
    ),
    (
        "not a number",
        {"unit": "U3", "code": "1.1", "value": "sáu"},
        "self_scores[4] (unit U3, node 1.1).value: cần một số",
    ),
    ("not an object", "U3", "self_scores[4]: cần một đối tượng, không phải"),
]


@pytest.mark.parametrize(("case", "entry", "expected"), BAD_SELF, ids=[c[0] for c in BAD_SELF])
def test_bad_self_scores_are_refused_with_their_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, entry: Any, expected: str
) -> None:
    code, out, err = evaluate_doc(tmp_path, document(self_scores=[*SELF, entry]), capsys)
    assert (code, out) == (2, "")
    assert expected in err, err
    assert len(err.strip().splitlines()) == 1


def test_self_scores_must_be_an_array(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = evaluate_doc(tmp_path, document(self_scores={"U1": "1"}), capsys)
    assert code == 2 and "self_scores: cần một mảng, không phải" in err


@pytest.mark.parametrize("label", [5, "", "  ", True, ["A"]])
def test_a_previous_class_must_be_a_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], label: Any
) -> None:
    data = document(previous_results=[{"unit": "U1", "index": "50", "class": label}])
    code, out, err = evaluate_doc(tmp_path, data, capsys)
    assert (code, out) == (2, "")
    assert "previous_results[0].class: cần tên xếp loại (chuỗi không rỗng) hoặc null" in err


def test_a_previous_class_may_be_null_or_absent() -> None:
    data = document(
        previous_results=[
            {"unit": "U1", "index": "50", "class": None},
            {"unit": "U2", "index": "50", "class": "Tốt"},
            {"unit": "U3", "index": "50"},
        ]
    )
    previous = parse(data).previous
    assert previous is not None
    assert [p.class_label for p in previous.values()] == [None, "Tốt", None]
