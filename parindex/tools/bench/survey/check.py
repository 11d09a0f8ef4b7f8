"""The independent check: a few units' points recomputed from their CSV rows in plain Python
with exact fractions (not the engine) and compared with what the import and computation stored."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from parindex.tools.bench.survey import Out
from parindex.tools.bench.survey.world import Layout, Seeded

SPOT_CHECKS = 3


@dataclass(frozen=True)
class Expected:
    unit: str
    forms: int
    valid_forms: int
    points: Decimal | None


def expected_unit(rows: Iterable[dict[str, str]], unit: str, layout: Layout) -> Expected:
    """One unit's points from its CSV rows (dicts by header), computed here in plain Python
    with exact fractions from the questionnaire's rules, without the engine: a form is
    valid with at least ⌈share × questions⌉ answers; a factor's rate is the share of its
    answers (on valid forms) ≥ satisfied_at; the index is the weighted mean of the rates of
    the factors with answers; points = clamp(a × index + b, 0, max), rounded."""
    from parindex.surveys.import_template import UNIT

    questions = layout.questions
    answered_per_factor = {code: 0 for code, _, _ in layout.factors}
    satisfied_per_factor = {code: 0 for code, _, _ in layout.factors}
    forms = valid = 0
    for row in rows:
        if row[UNIT].upper() != unit:
            continue
        forms += 1
        if sum(1 for q in questions if row[q]) < layout.needed:
            continue
        valid += 1
        for code, factor_questions, _ in layout.factors:
            for q in factor_questions:
                if row[q]:
                    answered_per_factor[code] += 1
                    satisfied_per_factor[code] += int(row[q]) >= layout.satisfied_at
    rates = [
        (Fraction(weight), Fraction(100 * satisfied_per_factor[code], answered_per_factor[code]))
        for code, _, weight in layout.factors
        if answered_per_factor[code] and weight > 0
    ]
    if not rates:
        return Expected(unit, forms, valid, None)
    index = sum(w * r for w, r in rates) / sum(w for w, _ in rates)
    slope = (
        Fraction(layout.slope) if layout.slope is not None else Fraction(layout.survey_max) / 100
    )
    ceiling = Fraction(layout.survey_max)
    points = min(max(slope * index + Fraction(layout.intercept), Fraction(0)), ceiling)
    scaled = points * 10**layout.rounding_places
    whole = (
        math.floor(scaled + Fraction(1, 2)) if layout.rounding_mode == "half_up" else int(scaled)
    )
    return Expected(unit, forms, valid, Decimal(whole).scaleb(-layout.rounding_places))


def read_rows(path: Path, units: set[str]) -> list[dict[str, str]]:
    """The CSV rows (dicts by header) of ``units``."""
    from parindex.surveys.import_template import UNIT

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row[UNIT].upper() in units]


def spot_check(seeded: Seeded, csv_path: Path, period: Any, out: Out) -> list[str]:
    """Recompute a few units from their CSV rows (:func:`expected_unit`) and compare with
    the stored results and assessments: the busiest, the quietest and a seeded random one."""
    from parindex.assessments.models import Assessment
    from parindex.surveys.models import SurveyResult

    codes = {pk: code for code, pk in seeded.unit_ids.items()}
    ordered = list(
        SurveyResult.objects.filter(period=period, forms__gt=0)
        .order_by("-forms", "unit_id")
        .values_list("unit_id", flat=True)
    )
    if not ordered:
        return ["không đơn vị nào có phiếu / no unit has forms"]
    rnd = random.Random(len(ordered))  # noqa: S311 - a reproducible pick, not security
    picks = list(dict.fromkeys([ordered[0], ordered[-1], rnd.choice(ordered)]))[:SPOT_CHECKS]
    rows = read_rows(csv_path, {codes[pk] for pk in picks})
    problems: list[str] = []
    for pk in picks:
        expected = expected_unit(rows, codes[pk], seeded.layout)
        result = SurveyResult.objects.get(period=period, unit_id=pk)
        given = Assessment.objects.get(period=period, unit_id=pk).survey_points
        same = (
            (result.forms, result.valid_forms) == (expected.forms, expected.valid_forms)
            and result.points == expected.points
            and given == expected.points
        )
        out(
            f"  {codes[pk]}: {expected.forms} phiếu, {expected.valid_forms} hợp lệ; điểm tính "
            f"độc lập / recomputed {expected.points} — lưu / stored {result.points} "
            f"({result.valid_forms} hợp lệ), phiếu chấm / assessment {given}: "
            f"{'khớp / match' if same else 'KHÁC / MISMATCH'}"
        )
        if not same:
            problems.append(f"{codes[pk]}: điểm khác / points differ")
    return problems
