"""A small self-assessment season for the assessment tests.

* ``season_set``: a commune criteria set with every rule type, guidance and evidence texts,
  one leaf that allows "không áp dụng" (2.2), a survey (left out of the self-assessment).
* ``season``: the 2025 period of the province, in "tự đánh giá", deadline in a week.
* ``assessment``: the commune's assessment in that period.
* ``other_assessment``: the other commune's.

The personas (``unit_staff`` and ``unit_leader`` of the commune, ``other_staff`` of the
other commune, ``chair`` and ``observer`` of the Sở Nội vụ): ``tests/personas.py``.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status

GUIDANCE_11 = "Ban hành kế hoạch CCHC năm trước ngày 31/12 của năm trước: đạt."
EVIDENCE_11 = "Quyết định ban hành kế hoạch CCHC (bản điện tử có chữ ký số)."


def season_document() -> dict[str, Any]:
    def node(
        code: str, name: str, max_: str, parent: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if parent:
            item["parent"] = parent
        item.update(extra)
        return item

    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã năm 2025 (thử nghiệm)",
            "rounding": {"mode": "truncate", "places": 2},
            "index_rounding": {"mode": "half_up", "places": 2},
            "nodes": [
                node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
                node(
                    "1.1",
                    "Ban hành kế hoạch CCHC năm",
                    "2",
                    "1",
                    rule={"type": "boolean"},
                    guidance=GUIDANCE_11,
                    evidence=EVIDENCE_11,
                ),
                node(
                    "1.2",
                    "Tỷ lệ hoàn thành kế hoạch CCHC",
                    "3",
                    "1",
                    rule={"type": "percent", "floor": "0.5"},
                ),
                node(
                    "1.3",
                    "Số sáng kiến cải cách hành chính",
                    "2",
                    "1",
                    rule={
                        "type": "tiers",
                        "tiers": [{"min": "3", "points": "2"}, {"min": "1", "points": "1"}],
                    },
                ),
                node("1.4", "Kiểm tra công tác CCHC", "3", "1"),
                node("2", "Cải cách thủ tục hành chính", "10"),
                node(
                    "2.1",
                    "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "6",
                    "2",
                    rule={"type": "ratio", "floor": "0.5", "full_at": "0.95"},
                ),
                node(
                    "2.2",
                    "Hồ sơ bị yêu cầu bổ sung quá một lần",
                    "4",
                    "2",
                    rule={"type": "deduction", "per_item": "1.5"},
                    allow_not_applicable=True,
                ),
                node("3", "Xây dựng chính quyền số", "5"),
            ],
        },
        "survey": {"max": "10"},
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "70"}],
            "otherwise": "Trung bình",
        },
    }


@pytest.fixture
def season_set(province: Unit) -> CriteriaSet:
    return criteria_set_import_document(
        document=season_document(),
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=province),
        actor=None,
    )


@pytest.fixture
def deadline() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=7)


@pytest.fixture
def season(
    province: Unit,
    communes_group: UnitGroup,
    season_set: CriteriaSet,
    deadline: datetime.datetime,
) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC năm 2025",
        groups={communes_group: season_set},
        actor=None,
    )
    period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
    Period.objects.filter(pk=period.pk).update(self_assessment_deadline=deadline)
    period.refresh_from_db()
    return period


@pytest.fixture
def assessment(season: Period, commune: Unit) -> Assessment:
    return Assessment.objects.create(period=season, unit=commune)


@pytest.fixture
def other_assessment(season: Period, other_commune: Unit) -> Assessment:
    return Assessment.objects.create(period=season, unit=other_commune)
