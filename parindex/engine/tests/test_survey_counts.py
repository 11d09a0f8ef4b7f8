"""The survey engine scoring counted forms (:class:`UnitCounts`) instead of forms: the same
results as the forms themselves, counts and forms adding up, counts no forms can give
refused."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal as D

import pytest

from parindex.engine.errors import InputError
from parindex.engine.survey import (
    Form,
    SurveyConfig,
    UnitCounts,
    answers_needed,
    compute,
    standard_factors,
)

CONFIG = SurveyConfig(standard_factors((2, 2, 1, 2, 1)), survey_max=D(10), min_forms=3)


def _forms(count: int, seed: int) -> list[Form]:
    rnd = random.Random(seed)
    questions = CONFIG.questions
    return [
        Form(
            unit=rnd.choice("ABC"),
            answers={q: rnd.choice([None, 1, 2, 3, 4, 5, 5]) for q in questions},
        )
        for _ in range(count)
    ]


def _counted(forms: list[Form]) -> list[UnitCounts]:
    """What the database counts: per unit and validity, each question's values."""
    needed = answers_needed(CONFIG)
    tallies: dict[tuple[str, bool], Counter[tuple[str, int]]] = {}
    forms_of: Counter[tuple[str, bool]] = Counter()
    for form in forms:
        valid = sum(v is not None for v in form.answers.values()) >= needed
        forms_of[form.unit, valid] += 1
        tally = tallies.setdefault((form.unit, valid), Counter())
        tally.update((q, v) for q, v in form.answers.items() if v is not None)
    return [
        UnitCounts(
            unit=unit,
            valid_forms=n if valid else 0,
            invalid_forms=0 if valid else n,
            answers={q: [tallies[unit, valid][q, v] for v in range(1, 6)] for q in CONFIG.questions}
            if valid
            else {},
        )
        for (unit, valid), n in forms_of.items()
    ]


def test_answers_needed_is_the_share_of_the_questions_rounded_up() -> None:
    assert answers_needed(CONFIG) == 4  # ⌈0.5 × 8⌉
    assert answers_needed(SurveyConfig(CONFIG.factors, D(10), min_answered_share=D("0.3"))) == 3


def test_counts_give_the_results_of_the_forms_they_count() -> None:
    forms = _forms(400, seed=3)
    units = ["A", "B", "C", "D"]
    assert compute(CONFIG, (), units=units, counted=_counted(forms)) == compute(
        CONFIG, forms, units=units
    )


def test_counts_and_forms_add_up() -> None:
    forms = _forms(300, seed=5)
    both = compute(CONFIG, forms[150:], counted=_counted(forms[:150]))
    assert both == compute(CONFIG, forms)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (UnitCounts("A", -1, 0, {}), "số phiếu hợp lệ -1"),
        (UnitCounts("A", 1, 0, {"Q99": [0, 0, 0, 0, 1]}), "không có câu hỏi Q99"),
        (UnitCounts("A", 1, 0, {"Q1": [0, 0, 1]}), "câu Q1: cần 5 số đếm"),
        (UnitCounts("A", 1, 0, {"Q1": [0, 0, 0, 0, 1.0]}), "câu Q1: cần 5 số đếm"),  # type: ignore[list-item]
        (UnitCounts(" ", 1, 0, {}), "mã đơn vị"),
    ],
)
def test_counts_no_forms_can_give_are_refused(counts: UnitCounts, message: str) -> None:
    with pytest.raises(InputError, match=message):
        compute(CONFIG, (), counted=[counts])
