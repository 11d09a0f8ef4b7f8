"""A realistic criteria set for the criteria tests.

Personas (``tests/personas.py``): ``manager``, staff user of the Sở Nội vụ (imports,
clones); ``unit_staff``, a signed-in official without staff rights (reads only);
``superuser``; anonymous: pytest-django's plain ``client``.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest

from parindex.accounts.models import User
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit

GUIDANCE = (
    "Ban hành kế hoạch CCHC năm trước ngày 31/12 của năm trước: được điểm tối đa.\n"
    "Ban hành sau thời hạn: 0 điểm."
)
EVIDENCE = "Quyết định ban hành kế hoạch; báo cáo kết quả thực hiện (bản điện tử)."


def node(
    code: str, name: str, max_: str, parent: str | None = None, **extra: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {"code": code, "name": name, "max": max_}
    if parent is not None:
        item["parent"] = parent
    item.update(extra)
    return item


REALISTIC_DOCUMENT: dict[str, Any] = {
    "format": "parindex-evaluation/1",
    "criteria_set": {
        "name": "Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm 2025",
        "rounding": {"mode": "truncate", "places": 2},
        "index_rounding": {"mode": "half_up", "places": 2},
        "nodes": [
            node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
            node("1.1", "Kế hoạch cải cách hành chính năm", "3", "1"),
            node(
                "1.1.1",
                "Ban hành kế hoạch CCHC năm đúng thời hạn",
                "1",
                "1.1",
                rule={"type": "boolean"},
                guidance=GUIDANCE,
                evidence=EVIDENCE,
            ),
            node(
                "1.1.2",
                "Mức độ hoàn thành kế hoạch CCHC",
                "2",
                "1.1",
                rule={"type": "ratio", "floor": "0.7", "full_at": "0.95"},
                guidance="Tỷ lệ nhiệm vụ hoàn thành / tổng số nhiệm vụ trong kế hoạch.",
            ),
            node(
                "1.2",
                "Thực hiện chế độ báo cáo CCHC định kỳ",
                "2",
                "1",
                rule={
                    "type": "tiers",
                    "tiers": [
                        {"min": "1", "points": "2"},
                        {"min": "0.7", "points": "1"},
                    ],
                },
            ),
            node(
                "1.3",
                "Tổ chức kiểm tra công tác CCHC",
                "2",
                "1",
                allow_not_applicable=True,
                evidence="Kế hoạch kiểm tra; biên bản kiểm tra.",
            ),
            node(
                "1.4",
                "Tỷ lệ văn bản đến được xử lý đúng hạn",
                "3",
                "1",
                rule={"type": "percent", "floor": "0.3333"},
                guidance="=Số văn bản đúng hạn / tổng số văn bản (không phải công thức).",
            ),
            node("2", "Cải cách thủ tục hành chính", "8"),
            node("2.1", "Công khai thủ tục hành chính đầy đủ, đúng quy định", "4", "2"),
            node(
                "2.2",
                "Hồ sơ thủ tục hành chính giải quyết quá hạn",
                "4.5",
                "2",
                rule={"type": "deduction", "per_item": "0.25"},
                allow_not_applicable=True,
            ),
            node("3", "Xây dựng và phát triển chính quyền số", "2.5"),
        ],
    },
    "survey": {"max": "10"},
    "adjustments": {"bonus_max": "2", "penalty_max": "3.5"},
    "classification": {
        "bands": [
            {"label": "Xuất sắc", "min": "90", "field_min": "80"},
            {"label": "Tốt", "min": "80"},
            {"label": "Khá", "min": "70", "min_exclusive": True},
            {"label": "Trung bình", "min": "50"},
        ],
        "otherwise": "Yếu",
    },
    "ranking": {"ties": "dense"},
}
"""All six rule types, N/A flags, guidance/evidence texts, bands with field_min and
min_exclusive, survey, bonus and penalty caps. Sheet rows: node i is on row i + 2."""


@pytest.fixture
def realistic_document() -> dict[str, Any]:
    return copy.deepcopy(REALISTIC_DOCUMENT)


@pytest.fixture
def realistic_set(realistic_document: dict[str, Any], province: Unit, manager: User) -> CriteriaSet:
    return criteria_set_import_document(
        document=realistic_document,
        info=SetInfo(
            level=Level.COMMUNE,
            year=2025,
            jurisdiction=province,
            period_label="2021–2030",
            decision="1234/QĐ-UBND",
            decision_date=datetime.date(2025, 3, 15),
            note="Áp dụng cho các xã, phường sau sắp xếp.\nThay thế bộ tiêu chí năm 2024.",
        ),
        actor=manager,
    )
