"""A small scored province for the results tests.

Sở and huyện are scored with one set (as Hà Nam does) but ranked separately. Periods:
2023 and 2024 finalised (2024 compares with 2023), 2025 still in self-assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from parindex.assessments.services.final_scores import (
    FinalScores,
    InputValue,
    final_scores_store_many,
)
from parindex.criteria.models import CriteriaSet
from parindex.engine import NOT_APPLICABLE, Ratio
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import UnitSpec, unit_group_create, units_bulk_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status

D = Decimal


def values(quality: int, *, procedures: bool = True) -> dict[str, InputValue]:
    """Values for the sample set; ``quality`` 0..10 drives every criterion."""
    q = D(quality) / 10
    result: dict[str, InputValue] = {
        "1.1": quality >= 3,
        "1.2": (D(60) + 40 * q).quantize(D("0.1")),
        "1.3": quality // 3,
        "2": (D(10) * q).quantize(D("0.25")),
        "4": (D(8) * q).quantize(D("0.25")),
        "5": (D(13) * q).quantize(D("0.25")),
        "6": (D(6) * q).quantize(D("0.25")),
        "7.1": (D(9) * q).quantize(D("0.25")),
    }
    if procedures:
        result.update(
            {
                "3.1": Ratio(D(700 + 30 * quality), D(1000)),
                "3.2": D(10 - quality),
                "7.3": Ratio(D(quality), D(10)),
                "7.5": quality >= 5,
            }
        )
    else:
        result.update({"3": NOT_APPLICABLE, "7.3": NOT_APPLICABLE, "7.5": NOT_APPLICABLE})
    return result


@dataclass
class Scenario:
    departments: UnitGroup
    districts: UnitGroup
    p2023: Period
    p2024: Period
    p2025: Period
    units: dict[str, Unit]


QUALITY = {
    2023: {"T-SNV": 9, "T-STP": 7, "T-VP": 8, "T-PHULY": 8, "T-KIMBANG": 6, "T-DUYTIEN": 7},
    2024: {"T-SNV": 8, "T-STP": 10, "T-VP": 6, "T-PHULY": 7, "T-KIMBANG": 9, "T-DUYTIEN": 7},
    2025: {"T-SNV": 5, "T-STP": 5, "T-VP": 5, "T-PHULY": 5, "T-KIMBANG": 5, "T-DUYTIEN": 5},
}


@pytest.fixture
def scenario(
    province: Unit, so_noi_vu: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet
) -> Scenario:
    districts = unit_group_create(
        code="ubnd-cap-huyen",
        name="UBND cấp huyện",
        level=Level.DISTRICT,
        position=2,
        actor=None,
    )
    created = units_bulk_create(
        specs=[
            UnitSpec(
                code="T-STP",
                name="Sở Tư pháp",
                level=Level.DEPARTMENT,
                parent_code="T-HNA",
                group_code="so-ban-nganh",
            ),
            UnitSpec(
                code="T-VP",
                name="Văn phòng UBND tỉnh",
                level=Level.DEPARTMENT,
                parent_code="T-HNA",
                group_code="so-ban-nganh",
                has_procedures=False,
            ),
            UnitSpec(
                code="T-PHULY",
                name="UBND thành phố Phủ Lý",
                level=Level.DISTRICT,
                parent_code="T-HNA",
                group_code="ubnd-cap-huyen",
            ),
            UnitSpec(
                code="T-KIMBANG",
                name="UBND huyện Kim Bảng",
                level=Level.DISTRICT,
                parent_code="T-HNA",
                group_code="ubnd-cap-huyen",
            ),
            UnitSpec(
                code="T-DUYTIEN",
                name="UBND thị xã Duy Tiên",
                level=Level.DISTRICT,
                parent_code="T-HNA",
                group_code="ubnd-cap-huyen",
            ),
        ],
        actor=None,
    )
    units = {u.code: u for u in [so_noi_vu, *created]}
    periods: dict[int, Period] = {}
    previous = None
    for year in (2023, 2024, 2025):
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Năm {year}",
            groups={departments_group: criteria_set, districts: criteria_set},
            previous=previous,
            actor=None,
        )
        entries = []
        for code, quality in QUALITY[year].items():
            procedures = units[code].has_procedures
            entries.append(
                FinalScores(
                    unit=units[code],
                    values=values(quality, procedures=procedures),
                    survey_points=(D(7) + D(quality) * D("0.25")) if procedures else None,
                    survey_not_applicable=not procedures,
                    bonus=D("1.5") if code == "T-KIMBANG" and year == 2024 else D(0),
                    penalty=D("0.5") if code == "T-SNV" else D(0),
                )
            )
        final_scores_store_many(period=period, entries=entries, actor=None)
        if year < 2025:
            period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)
        else:
            period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
        periods[year] = previous = period
    return Scenario(
        departments_group, districts, periods[2023], periods[2024], periods[2025], units
    )
