"""One test per worked example in fixtures/scoring_examples.csv (from the source reports)."""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.engine.evalfile import results_document
from parindex.engine.tests.builders import doc, leaf_points, run

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


EXAMPLES = {row["example_id"]: row for row in _rows("scoring_examples.csv")}

# Leaf examples: (id, rule for the published score, mode used by that council)
LEAF_EXAMPLES = [
    ("E01", {"type": "ratio"}, "truncate"),
    ("E02", {"type": "ratio"}, "truncate"),
    ("E03", {"type": "ratio"}, "truncate"),
    ("E04", {"type": "ratio"}, "truncate"),
    ("E05", {"type": "ratio"}, "truncate"),
    ("E06", {"type": "percent"}, "truncate"),
    ("E07", {"type": "ratio"}, "truncate"),
    ("E08", {"type": "ratio"}, "truncate"),
    ("E09", {"type": "ratio"}, "half_up"),
    ("E10", {"type": "ratio"}, "half_up"),
    ("E11", {"type": "ratio", "floor": "0.70"}, "half_up"),
]


def _value(row: dict[str, str], rule: dict[str, str]) -> object:
    if rule["type"] == "percent":
        return row["numerator_b"]
    return {"numerator": row["numerator_b"], "denominator": row["denominator_a"]}


@pytest.mark.parametrize(("example", "rule", "mode"), LEAF_EXAMPLES)
def test_leaf_example_gives_the_published_score(
    example: str, rule: dict[str, str], mode: str
) -> None:
    row = EXAMPLES[example]
    assert leaf_points(rule, row["max_points"], _value(row, rule), mode) == row["published_score"]


@pytest.mark.parametrize(("example", "rule", "mode"), LEAF_EXAMPLES)
def test_leaf_example_truncates_and_rounds_as_tabulated(
    example: str, rule: dict[str, str], mode: str
) -> None:
    row = EXAMPLES[example]
    plain = {"type": rule["type"]}  # the tabulated columns ignore the floor
    value = _value(row, plain)
    assert leaf_points(plain, row["max_points"], value, "truncate") == row["trunc_2dp"]
    assert leaf_points(plain, row["max_points"], value, "half_up") == row["round_half_up_2dp"]


def test_e12_criterion_is_the_sum_of_its_rounded_children() -> None:
    document = doc(
        [
            {"code": "3", "name": "TTHC", "max": "3"},
            {"code": "3.13", "parent": "3", "name": "Cung cấp DVCTT", "max": "3"},
            {
                "code": "3.13.1",
                "parent": "3.13",
                "name": "a",
                "max": "1",
                "rule": {"type": "boolean"},
            },
            {
                "code": "3.13.2",
                "parent": "3.13",
                "name": "b",
                "max": "1",
                "rule": {"type": "ratio"},
            },
            {
                "code": "3.13.3",
                "parent": "3.13",
                "name": "c",
                "max": "1",
                "rule": {"type": "ratio"},
            },
        ],
        [
            {"unit": "U1", "code": "3.13.1", "value": True},
            {"unit": "U1", "code": "3.13.2", "value": {"numerator": 11, "denominator": 16}},
            {"unit": "U1", "code": "3.13.3", "value": {"numerator": 408, "denominator": 637}},
        ],
        rounding="half_up",
    )
    node = run(document).units[0].node("3.13")
    assert node is not None
    assert str(node.points) == EXAMPLES["E12"]["published_score"]  # 2.33, not 3 − 0.07


def test_e13_deduction_is_computed_not_typed() -> None:
    # Hiền Thành: appraised 69.82 of 100; points lost = 30.18 (the report's 7.82 is wrong).
    document = doc(
        [{"code": "1", "name": "Tổng", "max": "100"}],
        [{"unit": "U1", "code": "1", "value": "69.82"}],
    )
    unit = run(document).units[0]
    assert unit.points == Decimal(EXAMPLES["E13"]["published_score"])
    assert unit.max - unit.points == Decimal("30.18")


@pytest.mark.parametrize("example", ["E14", "E15"])
def test_index_uses_the_applicable_max_of_units_without_procedures(example: str) -> None:
    row = EXAMPLES[example]
    document = doc(
        [
            {"code": "1", "name": "Các lĩnh vực khác", "max": "60"},
            {"code": "3", "name": "TTHC", "max": "30"},
        ],
        [
            {"unit": "U1", "code": "1", "value": row["numerator_b"]},
            {"unit": "U1", "code": "3", "not_applicable": True},
        ],
        survey={"max": "10"},
        survey_scores=[{"unit": "U1", "not_applicable": True}],
    )
    unit = run(document).units[0]
    assert unit.max == Decimal("60")
    assert str(unit.index) == row["published_score"]


def test_e16_index_adds_the_survey_points() -> None:
    document = doc(
        [{"code": "1", "name": "Tự đánh giá", "max": "90"}],
        [{"unit": "U1", "code": "1", "value": "85.50"}],
        survey={"max": "10"},
        survey_scores=[{"unit": "U1", "points": "9.89"}],
    )
    assert str(run(document).units[0].index) == EXAMPLES["E16"]["published_score"]


def test_e17_group_mean_uses_unrounded_indexes() -> None:
    results = run(json.loads((FIXTURES / "hanam_2022.json").read_text()))
    assert str(results.groups[0].mean) == EXAMPLES["E17"]["published_score"]  # 89.60, not 89.59


def test_e18_unit_failing_a_field_minimum_falls_to_a_lower_band() -> None:
    bands = {
        "bands": [
            {"label": "Hoàn thành xuất sắc nhiệm vụ", "min": "90", "field_min": "80"},
            {
                "label": "Hoàn thành tốt nhiệm vụ",
                "min": "80",
                "min_exclusive": True,
                "field_min": "70",
            },
            {"label": "Hoàn thành nhiệm vụ", "min": "65", "field_min": "50"},
        ],
        "otherwise": "Không hoàn thành nhiệm vụ",
    }
    document = doc(
        [{"code": "1", "name": "A", "max": "50"}, {"code": "2", "name": "B", "max": "50"}],
        [
            {"unit": "U1", "code": "1", "value": "50"},
            {"unit": "U1", "code": "2", "value": "34"},  # 84 % overall, field 2 only 68 %
            {"unit": "U2", "code": "1", "value": "44"},
            {"unit": "U2", "code": "2", "value": "40"},  # 84 %, every field >= 80 %
        ],
        units=[{"code": "U1", "group": "G"}, {"code": "U2", "group": "G"}],
        classification=bands,
    )
    results = run(document)
    assert EXAMPLES["E18"]["published_score"] == "Hoan thanh nhiem vu"  # OCR lost the marks
    assert results.unit("U1").class_label == "Hoàn thành nhiệm vụ"
    assert results.unit("U2").class_label == "Hoàn thành tốt nhiệm vụ"


def test_e19_ninety_one_is_good_not_excellent_in_quang_tri() -> None:
    document = doc(
        [{"code": "1", "name": "Tổng", "max": "100"}],
        [{"unit": "U1", "code": "1", "value": "91.00"}],
        classification={
            "bands": [
                {"label": "Xuất sắc", "min": "95"},
                {"label": "Tốt", "min": "80"},
                {"label": "Khá", "min": "70"},
                {"label": "Trung bình", "min": "60"},
            ],
            "otherwise": "Thấp",
        },
    )
    assert run(document).units[0].class_label == "Tốt"


def test_hanam_2022_is_reproduced_exactly() -> None:
    results = results_document(run(json.loads((FIXTURES / "hanam_2022.json").read_text())))
    published = [row for row in _rows("dev_results_hanam_2022.csv") if row["rank"] != "AVG"]
    assert len(results["units"]) == len(published) == 25
    for unit, row in zip(results["units"], published, strict=True):
        assert unit["rank"] == int(row["rank"])
        assert unit["index"] == row["index_pct"]
        assert unit["total"] == row["total_points"]
        assert unit["points"] == row["appraised_points"]
        assert unit["max"] == f"{row['applicable_max']}.00"
    so, huyen = results["groups"]
    assert (so["mean"], so["spread"], so["above_mean"]) == ("89.60", "18.06", 10)
    assert (huyen["mean"], huyen["spread"]) == ("90.70", "10.30")
    names = {u["unit"]: u["rank"] for u in results["units"]}
    assert names["H-LY-NHAN"] < names["H-KIM-BANG"]  # the survey decides the order
