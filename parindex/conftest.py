"""A sample criteria set for the app tests (the personas and their province:
``tests/personas.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit


def _sample_document() -> dict[str, Any]:
    """A small Hà Nam-like set (fields 14, 10, 19, 8, 13, 6, 20, survey 10) with every rule."""
    nodes: list[dict[str, Any]] = [
        {"code": "1", "name": "Chỉ đạo, điều hành cải cách hành chính", "max": "14"},
        {
            "code": "1.1",
            "parent": "1",
            "name": "Ban hành kế hoạch CCHC",
            "max": "4",
            "rule": {"type": "boolean"},
        },
        {
            "code": "1.2",
            "parent": "1",
            "name": "Mức độ thực hiện kế hoạch CCHC",
            "max": "4",
            "rule": {"type": "percent"},
        },
        {
            "code": "1.3",
            "parent": "1",
            "name": "Sáng kiến cải cách hành chính",
            "max": "6",
            "rule": {
                "type": "tiers",
                "tiers": [{"min": "3", "points": "6"}, {"min": "1", "points": "3"}],
            },
        },
        {"code": "2", "name": "Cải cách thể chế", "max": "10"},
        {
            "code": "3",
            "name": "Cải cách thủ tục hành chính",
            "max": "19",
            "allow_not_applicable": True,
        },
        {
            "code": "3.1",
            "parent": "3",
            "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            "max": "10",
            "rule": {"type": "ratio", "floor": "0.7"},
        },
        {
            "code": "3.2",
            "parent": "3",
            "name": "Số hồ sơ bị yêu cầu bổ sung quá một lần",
            "max": "9",
            "rule": {"type": "deduction", "per_item": "1.5"},
        },
        {"code": "4", "name": "Cải cách tổ chức bộ máy hành chính nhà nước", "max": "8"},
        {"code": "5", "name": "Cải cách chế độ công vụ", "max": "13"},
        {"code": "6", "name": "Cải cách tài chính công", "max": "6"},
        {
            "code": "7",
            "name": "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
            "max": "20",
        },
        {"code": "7.1", "parent": "7", "name": "Hạ tầng, nền tảng số", "max": "9"},
        {
            "code": "7.3",
            "parent": "7",
            "name": "Cung cấp dịch vụ công trực tuyến",
            "max": "7",
            "rule": {"type": "ratio"},
            "allow_not_applicable": True,
        },
        {
            "code": "7.5",
            "parent": "7",
            "name": "Áp dụng ISO",
            "max": "4",
            "rule": {"type": "boolean"},
            "allow_not_applicable": True,
        },
    ]
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí thử nghiệm năm 2024",
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": nodes,
        },
        "survey": {"max": "10"},
        "adjustments": {"bonus_max": "2", "penalty_max": "3"},
        "classification": {
            "bands": [
                {"label": "Xuất sắc", "min": "95"},
                {"label": "Tốt", "min": "85"},
                {"label": "Khá", "min": "75"},
                {"label": "Trung bình", "min": "70"},
            ],
            "otherwise": "Yếu",
        },
        "ranking": {"ties": "shared"},
    }


@pytest.fixture
def sample_document() -> dict[str, Any]:
    return _sample_document()


@pytest.fixture
def criteria_set(province: Unit, sample_document: dict[str, Any]) -> CriteriaSet:
    """The sample set, 2024, for sở (and, Hà Nam style, huyện)."""
    return criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.DEPARTMENT, year=2024, jurisdiction=province),
        actor=None,
    )
