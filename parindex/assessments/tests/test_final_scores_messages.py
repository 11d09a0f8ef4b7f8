"""Final scores refused for a bad value say so in plain Vietnamese — no engine notation
("0..100", ">= 0", "denominator"), numbers with a decimal comma — and name the unit (the
row) and the criterion or field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.criteria.models import CriteriaSet
from parindex.engine import Ratio
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind
from parindex.periods.services import period_create

pytestmark = pytest.mark.django_db

D = Decimal
NOTATION = ("0..", ">=", "<=", "denominator", "numerator", "Decimal(")


@pytest.fixture
def period(province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet) -> Period:
    return period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Năm 2024",
        groups={departments_group: criteria_set},
        actor=None,
    )


def problems(period: Period, unit: Unit, values: dict[str, Any], **extra: Any) -> list[str]:
    entry = FinalScores(unit=unit, values=values, survey_points=extra.pop("survey", D(9)), **extra)
    with pytest.raises(ValidationError) as caught:
        final_scores_store_many(period=period, entries=[entry], actor=None)
    messages = caught.value.messages
    for message in messages:
        for notation in NOTATION:
            assert notation not in message, message
    return messages


def test_a_percent_above_100_is_said_in_words_naming_the_unit_and_criterion(
    period: Period, so_noi_vu: Unit
) -> None:
    assert problems(period, so_noi_vu, {"1.2": D("120.5")}) == [
        f"Đơn vị {so_noi_vu.code}, tiêu chí 1.2: tỷ lệ 120,5% phải từ 0 đến 100."
    ]


def test_a_manual_score_above_the_maximum(period: Period, so_noi_vu: Unit) -> None:
    [message] = problems(period, so_noi_vu, {"2": D("10.5")})
    assert message == f"Đơn vị {so_noi_vu.code}, tiêu chí 2: điểm 10,5 phải từ 0 đến 10."


def test_a_fractional_deduction_count(period: Period, so_noi_vu: Unit) -> None:
    [message] = problems(period, so_noi_vu, {"3.2": D("1.5")})
    assert message == (
        f"Đơn vị {so_noi_vu.code}, tiêu chí 3.2: số lần 1,5 phải là số nguyên không âm."
    )


def test_ratios_say_numerator_and_denominator_in_vietnamese(
    period: Period, so_noi_vu: Unit
) -> None:
    messages = problems(period, so_noi_vu, {"3.1": Ratio(D(120), D(100)), "7.3": Ratio(D(1), D(0))})
    assert f"Đơn vị {so_noi_vu.code}, tiêu chí 3.1: tử số 120 lớn hơn mẫu số 100." in messages
    assert f"Đơn vị {so_noi_vu.code}, tiêu chí 7.3: mẫu số 0 phải lớn hơn 0." in messages


def test_survey_bonus_and_penalty_name_the_field(period: Period, so_noi_vu: Unit) -> None:
    messages = problems(
        period, so_noi_vu, {}, survey=D("10.5"), bonus=D("-1.5"), penalty=D("0.12345")
    )
    text = "\n".join(messages)
    assert f"Đơn vị {so_noi_vu.code}, điểm khảo sát 10,5 phải từ 0 đến 10" in text
    assert f"Đơn vị {so_noi_vu.code}, điểm thưởng -1,5 phải là số không âm" in text
    assert f"Đơn vị {so_noi_vu.code}, điểm trừ 0,12345 phải là số không âm, tối đa 4" in text


def test_a_value_that_is_not_a_value_is_shown_as_typed(period: Period, so_noi_vu: Unit) -> None:
    [message] = problems(period, so_noi_vu, {"1.2": D("NaN")})
    assert message.startswith(f"Đơn vị {so_noi_vu.code}, tiêu chí 1.2: giá trị “NaN” không hợp lệ")
