"""The citizen-satisfaction survey: forms → factor rates → index → survey points."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parindex.engine.errors import InputError
from parindex.engine.model import Rounding
from parindex.engine.survey import (
    STANDARD_FACTOR_NAMES,
    Conversion,
    FactorDef,
    Form,
    SurveyConfig,
    UnitSurvey,
    check_config,
    check_form,
    compute,
    compute_unit,
    rounded,
    standard_factors,
)

D = Decimal
TEN = D(10)

# The standard five factors, with 2, 2, 1, 2, 1 questions: YT1 = Q1, Q2; YT2 = Q3, Q4;
# YT3 = Q5; YT4 = Q6, Q7; YT5 = Q8.
SAMPLE_CONFIG = SurveyConfig(standard_factors((2, 2, 1, 2, 1)), survey_max=TEN)


def form(unit: str, *values: int | None) -> Form:
    """A form answering Q1, Q2, … in order (None = blank)."""
    return Form(unit, {f"Q{i}": value for i, value in enumerate(values, 1)})


def one_question_config(factors: int = 5, **options: Any) -> SurveyConfig:
    """``factors`` factors F1.. with one question each (coded like their factor)."""
    defs = tuple(FactorDef(f"F{i}", f"Yếu tố {i}", (f"F{i}",)) for i in range(1, factors + 1))
    return replace(SurveyConfig(defs, survey_max=TEN), **options)


def answers(unit: str, **values: int | None) -> Form:
    return Form(unit, values)


# -- the hand-checked sample

#          YT1      YT2      YT3  YT4      YT5
#          Q1  Q2   Q3  Q4   Q5   Q6  Q7   Q8   answered (of 8; valid at >= 50 % = 4)
# form A    5   4    4   3    5    4   4    -    7  valid
# form B    4   2    5   5    3    5   -    4    7  valid
# form C    3   4    2   -    4    4   5    -    6  valid
# form D    -   -    4   4    5    2   -    -    4  valid (exactly the threshold)
# form E    1   -    -   -    2    -   -    1    3  invalid: excluded from everything below
#
# Satisfied = answer >= 4. Per factor, over forms A-D:
#   YT1: 5 4 4 2 3 4        answers 6, satisfied 4 (5,4,4,4)  rate 400/6 = 66.666…
#        mean (5+4+4+2+3+4)/6 = 22/6 = 3.666…    distribution of 1..5: 0 1 1 3 1
#   YT2: 4 3 5 5 2 4 4      answers 7, satisfied 5            rate 500/7 = 71.428571…
#        mean 27/7 = 3.857142…                   distribution 0 1 1 3 2
#   YT3: 5 3 4 5            answers 4, satisfied 3            rate 75
#        mean 17/4 = 4.25                        distribution 0 0 1 1 2
#   YT4: 4 4 5 4 5 2        answers 6, satisfied 5            rate 500/6 = 83.333…
#        mean 24/6 = 4                           distribution 0 1 0 3 2
#   YT5: 4                  answers 1, satisfied 1            rate 100, mean 4
# Index (equal weights) = (200/3 + 500/7 + 75 + 250/3 + 100) / 5
#                       = (150 + 75 + 100 + 500/7) / 5 = (2275/7 + 500/7) / 5 = 555/7
#                       = 79.285714285714…
# Margin of error, n = 4 valid forms, p = 555/700 = 111/140, 1 − p = 29/140:
#   p(1 − p)/n = 3219/19600/4 = 3219/78400;  √ = √3219/280
#   × 1.96 × 100 = √3219 × 196/280 = 0.7 × √3219 = 0.7 × 56.736231810017… = 39.715362267012…
# Points (survey_max 10, default conversion index × 10/100) = 555/70 = 7.928571…
#   half-up 2 places → 7.93; truncate → 7.92.
SAMPLE_FORMS = [
    form("X1", 5, 4, 4, 3, 5, 4, 4, None),
    form("X1", 4, 2, 5, 5, 3, 5, None, 4),
    form("X1", 3, 4, 2, None, 4, 4, 5, None),
    form("X1", None, None, 4, 4, 5, 2, None, None),
    Form("X1", {"Q1": 1, "Q5": 2, "Q8": 1}),  # absent codes are blanks
]


def test_hand_checked_sample() -> None:
    result = compute_unit(SAMPLE_CONFIG, SAMPLE_FORMS)

    assert (result.unit, result.forms, result.valid_forms, result.invalid_forms) == (
        "X1",
        5,
        4,
        1,
    )
    assert result.too_few  # 4 < 30
    counts = {  # answers, satisfied, distribution of the values 1..5
        "YT1": (6, 4, (0, 1, 1, 3, 1)),
        "YT2": (7, 5, (0, 1, 1, 3, 2)),
        "YT3": (4, 3, (0, 0, 1, 1, 2)),
        "YT4": (6, 5, (0, 1, 0, 3, 2)),
        "YT5": (1, 1, (0, 0, 0, 1, 0)),
    }
    rates = {  # to 28 significant digits
        "YT1": "66.66666666666666666666666667",  # 400/6
        "YT2": "71.42857142857142857142857143",  # 500/7
        "YT3": "75",
        "YT4": "83.33333333333333333333333333",  # 500/6
        "YT5": "100",
    }
    means = {
        "YT1": "3.666666666666666666666666667",  # 22/6
        "YT2": "3.857142857142857142857142857",  # 27/7
        "YT3": "4.25",
        "YT4": "4",
        "YT5": "4",
    }
    for factor in result.factors:
        assert (factor.answers, factor.satisfied, factor.distribution) == counts[factor.code]
        assert factor.rate == D(rates[factor.code])
        assert factor.mean_score == D(means[factor.code])
    assert [f.code for f in result.factors] == ["YT1", "YT2", "YT3", "YT4", "YT5"]
    assert result.index == D("79.28571428571428571428571429")  # 555/7 to 28 digits
    assert result.margin_of_error is not None
    assert rounded(result.margin_of_error, Rounding("half_up", 10)) == D("39.7153622670")
    assert result.points == D("7.93")
    assert rounded(result.index) == D("79.29")

    truncated = compute_unit(replace(SAMPLE_CONFIG, rounding=Rounding("truncate", 2)), SAMPLE_FORMS)
    assert truncated.points == D("7.92")
    assert truncated.index == result.index  # rounding applies to points only


def test_weights_are_renormalised_over_the_weighted_factors() -> None:
    # Weights 2, 1, 1, 1, 0 on the sample: (2 × 200/3 + 500/7 + 75 + 250/3 + 0 × 100) / 5
    # = (650/3 + 500/7 + 75) / 5 = (4550 + 1500 + 1575) / 21 / 5 = 1525/21 = 72.619047…
    weights = (D(2), D(1), D(1), D(1), D(0))
    factors = tuple(
        replace(f, weight=w) for f, w in zip(SAMPLE_CONFIG.factors, weights, strict=True)
    )
    result = compute_unit(replace(SAMPLE_CONFIG, factors=factors), SAMPLE_FORMS)
    assert result.index == D(1525) / D(21)
    assert result.points == D("7.26")
    assert result.factor("YT5").rate == D(100)  # reported, but weighs nothing


def test_fractional_weights_are_exact() -> None:
    # 0.25 and 0.75: (0.25 × 0 + 0.75 × 100) / 1 = 75
    config = one_question_config(2)
    factors = (
        replace(config.factors[0], weight=D("0.25")),
        replace(config.factors[1], weight=D("0.75")),
    )
    result = compute_unit(replace(config, factors=factors), [answers("U", F1=1, F2=5)] * 2)
    assert result.index == D(75)
    assert result.points == D("7.50")


def test_a_factor_without_answers_is_left_out_and_weights_renormalised() -> None:
    # F3 never answered: index = (100 × 2/2 + 100 × 1/2) / 2 = 75, not (100 + 50 + 0) / 3.
    config = one_question_config(3, min_answered_share=D("0.5"))
    forms = [answers("U", F1=5, F2=4, F3=None), answers("U", F1=4, F2=2)]
    result = compute_unit(config, forms)
    assert result.factor("F3").answers == 0
    assert result.factor("F3").rate is None
    assert result.factor("F3").mean_score is None
    assert result.factor("F3").distribution == (0, 0, 0, 0, 0)
    assert result.index == D(75)
    assert result.points == D("7.50")


def test_only_zero_weight_factors_answered_gives_no_index() -> None:
    config = one_question_config(2, min_answered_share=D(0))
    factors = (config.factors[0], replace(config.factors[1], weight=D(0)))
    result = compute_unit(replace(config, factors=factors), [answers("U", F2=5)])
    assert result.valid_forms == 1
    assert result.factor("F2").rate == D(100)
    assert (result.index, result.margin_of_error, result.points) == (None, None, None)


# -- form validity


def test_an_all_blank_form_is_invalid() -> None:
    blank = form("U", *[None] * 8)
    result = compute_unit(SAMPLE_CONFIG, [blank, Form("U", {})])
    assert (result.forms, result.valid_forms, result.invalid_forms) == (2, 0, 2)


def test_the_threshold_share_is_inclusive() -> None:
    config = one_question_config(4, min_answered_share=D("0.75"))  # 3 of 4 questions
    exactly = answers("U", F1=5, F2=5, F3=5, F4=None)
    below = answers("U", F1=5, F2=5, F3=None, F4=None)
    result = compute_unit(config, [exactly, below])
    assert (result.valid_forms, result.invalid_forms) == (1, 1)


def test_a_share_that_is_not_a_whole_number_of_questions_rounds_up() -> None:
    config = one_question_config(3, min_answered_share=D("0.5"))  # 1.5 of 3 → 2 needed
    result = compute_unit(config, [answers("U", F1=5, F2=5), answers("U", F1=5, F2=None, F3=None)])
    assert (result.valid_forms, result.invalid_forms) == (1, 1)


def test_share_zero_makes_an_all_blank_form_valid_without_an_index() -> None:
    config = one_question_config(2, min_answered_share=D(0))
    result = compute_unit(config, [answers("U")])
    assert (result.valid_forms, result.invalid_forms) == (1, 0)
    assert result.index is None and result.points is None and result.margin_of_error is None


def test_a_unit_with_zero_valid_forms_gets_no_points() -> None:
    result = compute_unit(SAMPLE_CONFIG, [SAMPLE_FORMS[4], SAMPLE_FORMS[4]])
    assert (result.forms, result.valid_forms, result.invalid_forms) == (2, 0, 2)
    assert all(f.answers == 0 and f.rate is None for f in result.factors)
    assert (result.index, result.margin_of_error, result.points) == (None, None, None)
    assert result.too_few


def test_a_unit_with_no_forms_at_all() -> None:
    result = compute_unit(SAMPLE_CONFIG, [], unit="U9")
    assert (result.unit, result.forms, result.index, result.points) == ("U9", 0, None, None)
    with pytest.raises(InputError):
        compute_unit(SAMPLE_CONFIG, [])


def test_too_few_is_strictly_below_min_forms() -> None:
    config = one_question_config(1, min_forms=3)
    assert compute_unit(config, [answers("U", F1=5)] * 2).too_few
    assert not compute_unit(config, [answers("U", F1=5)] * 3).too_few


# -- points: rounding and conversion


def test_points_are_exact_at_a_rounding_boundary() -> None:
    # 1 of 3 satisfied: index 100/3; × 30/100 = exactly 10. A 28-digit index
    # (33.33…33) × 0.3 would be 9.99…99, truncated to 9.99.
    config = one_question_config(1, survey_max=D(30), rounding=Rounding("truncate", 2))
    result = compute_unit(config, [answers("U", F1=5), answers("U", F1=1), answers("U", F1=2)])
    assert result.index == D("33.33333333333333333333333333")
    assert result.points == D("10.00")


def test_truncate_and_half_up_differ_on_the_third_place() -> None:
    # 2 of 3 satisfied: index 200/3 = 66.666…, points 6.6666…
    forms = [answers("U", F1=5), answers("U", F1=4), answers("U", F1=3)]
    half_up = compute_unit(one_question_config(1), forms)
    truncate = compute_unit(one_question_config(1, rounding=Rounding("truncate", 2)), forms)
    one_place = compute_unit(one_question_config(1, rounding=Rounding("half_up", 1)), forms)
    assert (half_up.points, truncate.points, one_place.points) == (D("6.67"), D("6.66"), D("6.7"))


def test_half_up_rounds_an_exact_half_up() -> None:
    # 1 of 8 satisfied: index 12.5, points 1.25 → 1 place half-up 1.3 (not banker's 1.2)
    forms = [answers("U", F1=5)] + [answers("U", F1=1)] * 7
    result = compute_unit(one_question_config(1, rounding=Rounding("half_up", 1)), forms)
    assert result.points == D("1.3")


@pytest.mark.parametrize(
    ("satisfied", "survey_max", "points"),
    [
        (8, TEN, "6.00"),  # 0.2 × 80 − 10 = 6
        (10, TEN, "10.00"),  # 0.2 × 100 − 10 = 10 = max
        (10, D(8), "8.00"),  # 10 > 8: clamped at survey_max
        (5, TEN, "0.00"),  # 0.2 × 50 − 10 = 0
        (3, TEN, "0.00"),  # 0.2 × 30 − 10 = −4: clamped at 0
        (0, TEN, "0.00"),
    ],
)
def test_linear_conversion_is_clamped(satisfied: int, survey_max: Decimal, points: str) -> None:
    config = one_question_config(
        1, survey_max=survey_max, conversion=Conversion(a=D("0.2"), b=D(-10))
    )
    forms = [answers("U", F1=5)] * satisfied + [answers("U", F1=2)] * (10 - satisfied)
    assert compute_unit(config, forms).points == D(points)


def test_default_conversion_is_index_times_survey_max_over_100() -> None:
    config = one_question_config(1, survey_max=D("7.5"))
    assert config.effective_conversion == Conversion(a=D("0.075"), b=D(0))
    forms = [answers("U", F1=5)] * 3 + [answers("U", F1=1)]
    assert compute_unit(config, forms).points == D("5.63")  # 75 × 0.075 = 5.625 → 5.63


def test_survey_max_zero_gives_zero_points() -> None:
    result = compute_unit(one_question_config(1, survey_max=D(0)), [answers("U", F1=5)])
    assert result.points == D("0.00")


def test_margin_of_error_is_zero_at_full_satisfaction() -> None:
    result = compute_unit(one_question_config(1), [answers("U", F1=5)] * 50)
    assert result.margin_of_error == 0
    assert not result.too_few


def test_margin_of_error_of_a_half() -> None:
    # p = 1/2, n = 100: 1.96 × √(0.25/100) × 100 = 1.96 × 0.05 × 100 = 9.8
    forms = [answers("U", F1=5)] * 50 + [answers("U", F1=1)] * 50
    assert compute_unit(one_question_config(1), forms).margin_of_error == D("9.8")


# -- several units, streaming


def test_mixed_units_stream_from_a_generator() -> None:
    consumed = 0

    def stream() -> Iterator[Form]:
        nonlocal consumed
        for unit in ("B", "A", "B", "C", "A", "B"):
            consumed += 1
            yield answers(unit, F1=5 if unit != "C" else 1, F2=4 if unit == "A" else 2)

    results = compute(one_question_config(2), stream(), units=["Z"])
    assert consumed == 6
    assert list(results) == ["A", "B", "C", "Z"]
    assert [results[u].forms for u in "ABCZ"] == [2, 3, 1, 0]
    assert results["A"].index == D(100)
    assert results["B"].index == D(50)
    assert results["C"].index == D(0)
    assert results["C"].points == D("0.00")
    assert results["Z"].index is None and results["Z"].points is None


def test_compute_unit_refuses_forms_of_another_unit() -> None:
    with pytest.raises(InputError, match="phiếu thứ 2: của đơn vị 'B', không phải 'A'"):
        compute_unit(one_question_config(1), [answers("A", F1=5), answers("B", F1=5)])
    with pytest.raises(InputError, match="phiếu thứ 1"):
        compute_unit(one_question_config(1), [answers("B", F1=5)], unit="A")


def test_memory_does_not_grow_with_the_number_of_forms() -> None:
    config = SurveyConfig(standard_factors((2, 2, 1, 2, 1)), survey_max=TEN)
    values = [[random.Random(i).choice([None, 1, 2, 3, 4, 5]) for _ in range(8)] for i in range(97)]

    def stream(count: int) -> Iterator[Form]:
        for i in range(count):
            yield form(f"U{i % 40}", *values[i % 97])

    def peak(count: int) -> int:
        tracemalloc.start()
        try:
            compute(config, stream(count))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(2_000), peak(20_000)
    assert large < small + 64 * 1024  # ten times the forms, (almost) the same peak


# -- checking configs and forms


def test_standard_factors() -> None:
    factors = standard_factors((2, 1, 1, 1, 3))
    assert [f.name for f in factors] == list(STANDARD_FACTOR_NAMES)
    assert [f.code for f in factors] == ["YT1", "YT2", "YT3", "YT4", "YT5"]
    assert factors[0].questions == ("Q1", "Q2")
    assert factors[4].questions == ("Q6", "Q7", "Q8")
    assert check_config(SurveyConfig(factors, survey_max=TEN)) == []
    with pytest.raises(ValueError):
        standard_factors((1, 1))


def test_check_config_finds_every_problem() -> None:
    config = SurveyConfig(
        factors=(
            FactorDef("A", "a", ("Q1", "Q2"), weight=D(-1)),
            FactorDef("A", "b", ("Q4",)),
            FactorDef("B", "b", ("Q2",)),
            FactorDef("C", "c", ()),
            FactorDef("D", "d", ("Q3", "Q3"), weight=D("NaN")),
        ),
        survey_max=D(-1),
        scale_min=1,
        scale_max=5,
        satisfied_at=6,
        min_answered_share=D("1.5"),
        min_forms=0,
        conversion=Conversion(a=D("Infinity")),
    )
    assert check_config(config) == [
        "yếu tố A: trọng số -1 không được âm",
        "mã yếu tố A bị trùng",
        "mã câu hỏi Q2 bị trùng (yếu tố A và yếu tố B)",
        "yếu tố C: không có câu hỏi nào",
        "mã câu hỏi Q3 bị trùng trong yếu tố D",
        "yếu tố D: trọng số NaN không hợp lệ",
        "mức hài lòng (satisfied_at) 6 nằm ngoài thang 1..5",
        "tỷ lệ câu trả lời tối thiểu 1.5 nằm ngoài khoảng 0..1",
        "số phiếu tối thiểu 0 phải lớn hơn hoặc bằng 1",
        "điểm tối đa khảo sát (survey_max) -1 phải là một số >= 0",
        "quy đổi điểm: hệ số a = Infinity không hợp lệ",
    ]


def test_check_config_empty_scale_and_weights() -> None:
    assert check_config(SurveyConfig((), survey_max=TEN)) == ["bộ câu hỏi không có yếu tố nào"]
    zero = SurveyConfig((FactorDef("A", "a", ("Q1",), weight=D(0)),), survey_max=TEN)
    assert check_config(zero) == ["tổng trọng số các yếu tố phải lớn hơn 0"]
    flat = one_question_config(1, scale_min=3, scale_max=3)
    assert check_config(flat) == [
        "thang điểm: giá trị nhỏ nhất (3) phải nhỏ hơn giá trị lớn nhất (3)"
    ]
    assert check_config(one_question_config(1, min_answered_share=D("-0.1"))) == [
        "tỷ lệ câu trả lời tối thiểu -0.1 nằm ngoài khoảng 0..1"
    ]
    coarse = one_question_config(1, survey_max=D("7.5"), rounding=Rounding("half_up", 0))
    assert check_config(coarse) == [
        "điểm tối đa khảo sát (survey_max) 7.5 có nhiều hơn 0 chữ số thập phân (số chữ số làm tròn)"
    ]


def test_compute_refuses_an_invalid_config() -> None:
    with pytest.raises(InputError) as raised:
        compute(SurveyConfig((), survey_max=TEN), [])
    assert raised.value.problems == ["bộ câu hỏi không có yếu tố nào"]


def test_check_form_names_the_row_and_column() -> None:
    bad = Form(
        "U1",
        {"Q1": 5, "Q2": None, "Q3": 7, "Q4": 0, "Q5": True, "Q6": 4.0, "Q9": None},  # type: ignore[dict-item]
    )
    assert check_form(SAMPLE_CONFIG, bad, "dòng 12") == [
        "dòng 12, cột Q3: giá trị 7 nằm ngoài thang 1..5",
        "dòng 12, cột Q4: giá trị 0 nằm ngoài thang 1..5",
        "dòng 12, cột Q5: cần một số nguyên 1..5, không phải true/false",
        "dòng 12, cột Q6: cần một số nguyên 1..5, không phải 4.0",
        "dòng 12, cột Q9: không có câu hỏi Q9 trong bộ câu hỏi",
    ]
    assert check_form(SAMPLE_CONFIG, Form(" ", {}), "dòng 3") == ["dòng 3, thiếu mã đơn vị (' ')"]
    assert check_form(SAMPLE_CONFIG, SAMPLE_FORMS[0], "dòng 2") == []


@pytest.mark.parametrize(
    "bad",
    [
        {"Q1": 6},
        {"Q1": True},
        {"Q1": D(4)},
        {"Q1": "4"},
        {"Q42": 4},
        {"Q42": None},
    ],
)
@pytest.mark.parametrize("valid", [True, False])
def test_compute_refuses_a_bad_form_by_number(bad: dict[str, object], valid: bool) -> None:
    filler = {f"Q{i}": 4 for i in range(2, 8 if valid else 3)}  # 7 or 2 answered of 8
    forms = [SAMPLE_FORMS[0], Form("U", {**filler, **bad})]  # type: ignore[dict-item]
    with pytest.raises(InputError, match="^phiếu thứ 2, cột Q(1|42): "):
        compute(SAMPLE_CONFIG, forms)


def test_compute_refuses_a_form_without_unit() -> None:
    with pytest.raises(InputError, match="phiếu thứ 1, thiếu mã đơn vị"):
        compute(SAMPLE_CONFIG, [form("", 5, 5, 5, 5)])
    with pytest.raises(InputError, match="mã đơn vị '' không hợp lệ"):
        compute(SAMPLE_CONFIG, [], units=[""])


def test_rounded_for_display() -> None:
    assert rounded(D("66.665")) == D("66.67")
    assert rounded(None) is None


# -- properties


@st.composite
def surveys(draw: st.DrawFn) -> tuple[SurveyConfig, list[Form]]:
    factor_count = draw(st.integers(1, 5))
    factors = []
    for i in range(factor_count):
        questions = tuple(f"F{i}Q{q}" for q in range(draw(st.integers(1, 3))))
        weight = D(draw(st.integers(0, 12))) / 4
        factors.append(FactorDef(f"F{i}", f"Yếu tố {i}", questions, weight))
    if not any(f.weight for f in factors):
        factors[0] = replace(factors[0], weight=D(1))
    scale_max = draw(st.integers(2, 7))
    places = draw(st.integers(0, 3))
    halves = 2 if places else 1  # survey_max must not have more places than the rounding
    config = SurveyConfig(
        tuple(factors),
        survey_max=D(draw(st.integers(0, 40))) / halves,
        scale_max=scale_max,
        satisfied_at=draw(st.integers(1, scale_max)),
        min_answered_share=D(draw(st.integers(0, 10))) / 10,
        min_forms=draw(st.integers(1, 5)),
        conversion=draw(
            st.none()
            | st.builds(
                Conversion,
                st.integers(-30, 30).map(lambda a: D(a) / 100),
                st.integers(-20, 20).map(D),
            )
        ),
        rounding=Rounding(draw(st.sampled_from(["truncate", "half_up"])), places),
    )
    value = st.none() | st.integers(1, scale_max)
    questions = config.questions
    forms = draw(
        st.lists(
            st.builds(
                Form,
                st.sampled_from(["A", "B", "C"]),
                st.fixed_dictionaries({q: value for q in questions}),
            ),
            max_size=30,
        )
    )
    return config, forms


def reference_points(config: SurveyConfig, index: Fraction) -> Decimal:
    """Points from the exact index with fractions: an independent oracle."""
    conversion = config.effective_conversion
    x = Fraction(conversion.a) * index + Fraction(conversion.b)
    x = min(max(x, Fraction(0)), Fraction(config.survey_max))
    scale = 10**config.rounding.places
    k = (
        floor(x * scale)
        if config.rounding.mode == "truncate"
        else floor(x * scale + Fraction(1, 2))
    )
    return D(k).scaleb(-config.rounding.places)


def reference_index(config: SurveyConfig, forms: Sequence[Form]) -> Fraction | None:
    questions = config.questions
    needed = Fraction(config.min_answered_share) * len(questions)
    valid = [f for f in forms if sum(f.answers.get(q) is not None for q in questions) >= needed]
    total = weight = Fraction(0)
    for factor in config.factors:
        values = [v for f in valid for q in factor.questions if (v := f.answers.get(q)) is not None]
        if values:
            rate = Fraction(100 * sum(v >= config.satisfied_at for v in values), len(values))
            total += Fraction(factor.weight) * rate
            weight += Fraction(factor.weight)
    return total / weight if weight else None


@settings(max_examples=200)
@given(surveys())
def test_index_and_points_match_an_exact_fraction_oracle(
    survey: tuple[SurveyConfig, list[Form]],
) -> None:
    config, forms = survey
    results = compute(config, forms)
    for unit, result in results.items():
        mine = [f for f in forms if f.unit == unit]
        exact = reference_index(config, mine)
        if exact is None:
            assert result.index is None and result.points is None
            continue
        assert result.index is not None and result.points is not None
        assert abs(Fraction(result.index) - exact) < Fraction(1, 10**20)
        assert result.points == reference_points(config, exact)


@settings(max_examples=200)
@given(surveys())
def test_index_between_factor_rates_and_points_within_the_maximum(
    survey: tuple[SurveyConfig, list[Form]],
) -> None:
    config, forms = survey
    weights = {f.code: f.weight for f in config.factors}
    for result in compute(config, forms).values():
        assert result.forms == result.valid_forms + result.invalid_forms
        assert result.too_few == (result.valid_forms < config.min_forms)
        rates = [f.rate for f in result.factors if f.rate is not None and weights[f.code] > 0]
        if result.index is None:
            assert not rates and result.points is None
            continue
        assert min(rates) <= result.index <= max(rates)
        assert result.points is not None and 0 <= result.points <= config.survey_max
        assert result.margin_of_error is not None and 0 <= result.margin_of_error <= 98
        for factor in result.factors:
            assert factor.answers == sum(factor.distribution)
            assert 0 <= factor.satisfied <= factor.answers


@settings(max_examples=100)
@given(surveys(), st.randoms())
def test_order_of_forms_and_grouping_do_not_change_any_number(
    survey: tuple[SurveyConfig, list[Form]], rnd: random.Random
) -> None:
    config, forms = survey
    results = compute(config, forms)
    shuffled = list(forms)
    rnd.shuffle(shuffled)
    assert compute(config, iter(shuffled)) == results
    for unit, result in results.items():
        alone: UnitSurvey = compute_unit(config, [f for f in forms if f.unit == unit])
        assert alone == result


@settings(max_examples=100)
@given(surveys())
def test_truncated_points_are_at_most_one_step_below_half_up(
    survey: tuple[SurveyConfig, list[Form]],
) -> None:
    config, forms = survey
    places = config.rounding.places
    half_up = compute(replace(config, rounding=Rounding("half_up", places)), forms)
    truncate = compute(replace(config, rounding=Rounding("truncate", places)), forms)
    step = D(1).scaleb(-places)
    for unit, result in half_up.items():
        other = truncate[unit].points
        if result.points is None:
            assert other is None
        else:
            assert other is not None and 0 <= result.points - other <= step
