"""Criteria services: clone, JSON import/export, metadata, info edits, limits."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import (
    criteria_set_document,
    criteria_set_json,
    criteria_tree,
    describe_rule,
    download_filename,
)
from parindex.criteria.services import (
    criteria_set_clone,
    criteria_set_delete,
    criteria_set_import_json,
    criteria_set_update_info,
)
from parindex.criteria.tests.helpers import comparable
from parindex.engine import InputError
from parindex.organizations.models import Unit

pytestmark = pytest.mark.django_db

HANAM = Path(__file__).resolve().parents[2] / "engine" / "tests" / "fixtures" / "hanam_2022.json"


def _without(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    doc = comparable(document)
    for key in keys:
        doc["criteria_set"]["metadata"].pop(key)
    return doc


def test_clone_to_next_year(realistic_set: CriteriaSet, manager: User) -> None:
    clone = criteria_set_clone(source=realistic_set, year=2026, actor=manager)

    assert clone.pk != realistic_set.pk
    assert (clone.year, clone.version, clone.level) == (2026, 1, realistic_set.level)
    assert clone.name == "Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm 2026"
    assert clone.jurisdiction == realistic_set.jurisdiction
    original, copied = criteria_set_document(realistic_set), criteria_set_document(clone)
    assert copied["criteria_set"]["nodes"] == original["criteria_set"]["nodes"]
    assert copied["classification"] == original["classification"]
    assert copied["survey"] == original["survey"]
    assert copied["adjustments"] == original["adjustments"]
    assert CriterionNode.objects.filter(criteria_set=clone).count() == 11
    assert AuditEvent.objects.filter(action="criteria_set.cloned", target_id=str(clone.pk)).exists()
    # The source is untouched.
    assert criteria_set_document(realistic_set) == original


def test_json_round_trip(realistic_set: CriteriaSet, manager: User) -> None:
    data = criteria_set_json(realistic_set)
    assert json.loads(data)["criteria_set"]["metadata"]["decision"] == "1234/QĐ-UBND"
    original = criteria_set_document(realistic_set)
    jurisdiction = realistic_set.jurisdiction
    criteria_set_delete(criteria_set=realistic_set, actor=None)  # else refused as identical

    imported = criteria_set_import_json(data=data, actor=manager)

    assert comparable(criteria_set_document(imported)) == comparable(original)
    assert imported.version == 1
    assert imported.decision_date == datetime.date(2025, 3, 15)
    assert imported.jurisdiction == jurisdiction


def test_json_form_fields_override_metadata(
    realistic_set: CriteriaSet, manager: User, so_noi_vu: Unit
) -> None:
    imported = criteria_set_import_json(
        data=criteria_set_json(realistic_set),
        actor=manager,
        info_defaults={"year": 2030, "level": "district", "jurisdiction": so_noi_vu},
    )
    assert (imported.year, imported.level, imported.version) == (2030, "district", 1)
    assert imported.jurisdiction == so_noi_vu
    assert imported.decision == "1234/QĐ-UBND"  # not overridden: from the metadata
    assert _without(criteria_set_document(imported), "year", "level", "jurisdiction") == (
        _without(criteria_set_document(realistic_set), "year", "level", "jurisdiction")
    )


def test_json_without_metadata_needs_level_and_year(
    realistic_document: dict[str, Any], manager: User
) -> None:
    data = json.dumps(realistic_document).encode()
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(data=data, actor=manager)
    assert caught.value.problems == [
        "criteria_set.metadata.level: thiếu cấp áp dụng; hãy chọn cấp khi nhập",
        "criteria_set.metadata.year: thiếu năm áp dụng; hãy chọn năm khi nhập",
    ]
    assert CriteriaSet.objects.count() == 0

    imported = criteria_set_import_json(
        data=data, actor=manager, info_defaults={"level": "commune", "year": 2025}
    )
    assert imported.name == "Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm 2025"
    assert imported.jurisdiction is None


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"{not json", "JSON không hợp lệ (dòng 1, cột 2)"),
        (b"[1, 2]", "$: cần một đối tượng JSON"),
        (b'{"format": "parindex-results/1"}', "format: cần 'parindex-evaluation/1'"),
        (b'{"name": "\xc3\x28"}', "UTF-8"),
    ],
)
def test_json_bad_files(data: bytes, fragment: str, manager: User) -> None:
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(
            data=data, actor=manager, info_defaults={"level": "commune", "year": 2025}
        )
    assert any(fragment in p for p in caught.value.problems)
    assert CriteriaSet.objects.count() == 0


def test_json_engine_and_metadata_problems_together(
    realistic_document: dict[str, Any], manager: User
) -> None:
    realistic_document["criteria_set"]["nodes"][1]["max"] = "0.12345"
    realistic_document["criteria_set"]["nodes"][3]["rule"]["floor"] = "2"
    realistic_document["criteria_set"]["metadata"] = {
        "level": "commune",
        "year": 2025,
        "decision_date": "15/03/2025",
        "jurisdiction": "XYZ",
    }
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(data=json.dumps(realistic_document).encode(), actor=manager)
    problems = caught.value.problems
    assert "criteria_set.metadata.decision_date: cần ngày dạng YYYY-MM-DD" in problems[0]
    assert any("metadata.jurisdiction: không có đơn vị mã 'XYZ'" in p for p in problems)
    assert any(p.startswith("criteria_set.nodes[3] (node 1.1.2).rule.floor:") for p in problems)
    assert CriteriaSet.objects.count() == 0


def test_json_value_too_precise_for_storage(
    realistic_document: dict[str, Any], manager: User
) -> None:
    realistic_document["criteria_set"]["nodes"][10]["max"] = "2.12345"
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(
            data=json.dumps(realistic_document).encode(),
            actor=manager,
            info_defaults={"level": "commune", "year": 2025},
        )
    assert caught.value.problems == [
        "criteria_set.nodes[10] (node 3).max: 2.12345 vượt quá giới hạn lưu trữ "
        "(nhỏ hơn 100000, tối đa 4 chữ số thập phân)"
    ]
    assert CriteriaSet.objects.count() == 0


def test_json_import_of_a_whole_evaluation_file(manager: User) -> None:
    """The Hà Nam 2022 evaluation file (units and scores included) gives its criteria set."""
    imported = criteria_set_import_json(
        data=HANAM.read_bytes(),
        actor=manager,
        info_defaults={"level": "department", "year": 2022},
    )
    assert CriterionNode.objects.filter(criteria_set=imported).count() == 12
    assert imported.survey_max == 10
    assert imported.classification_otherwise == "Yếu"


@override_settings(CRITERIA_IMPORT_MAX_BYTES=100)
def test_file_too_large(manager: User) -> None:
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(data=b" " * 101, actor=manager)
    assert caught.value.problems[0].startswith("tệp quá lớn")


def test_nodes_get_a_folded_search_name(realistic_set: CriteriaSet) -> None:
    node = CriterionNode.objects.get(criteria_set=realistic_set, code="2")
    assert node.search_name == "cai cach thu tuc hanh chinh"
    node.name = "Đổi mới công tác"
    node.save()
    assert CriterionNode.objects.get(pk=node.pk).search_name == "doi moi cong tac"


def test_update_info_is_audited(realistic_set: CriteriaSet, manager: User) -> None:
    updated = criteria_set_update_info(
        criteria_set=realistic_set,
        actor=manager,
        name="Bộ tiêu chí cấp xã 2025 (sửa đổi)",
        period_label="2021–2030",
        decision="99/QĐ-UBND",
        decision_date=None,
        note="",
    )
    assert updated.search_name.startswith("bo tieu chi cap xa 2025 (sua doi)")
    event = AuditEvent.objects.get(action="criteria_set.updated")
    assert event.before is not None and event.after is not None
    assert event.before["decision"] == "1234/QĐ-UBND"
    assert event.after["decision"] == "99/QĐ-UBND"
    with pytest.raises(InputError):
        criteria_set_update_info(criteria_set=realistic_set, actor=manager, name="  ")


def test_tree_and_rule_words(realistic_set: CriteriaSet) -> None:
    rows = {row.code: row for row in criteria_tree(realistic_set)}
    assert [rows[c].depth for c in ("1", "1.1", "1.1.1", "3")] == [0, 1, 2, 0]
    assert rows["1.1"].rule_text == "Tổng điểm các tiêu chí con, tối đa 3 điểm"
    assert rows["1.1.1"].rule_text == "Đạt: 1 điểm; không đạt: 0 điểm"
    assert rows["1.1.2"].rule_text == (
        "Tỷ lệ × điểm tối đa; dưới 70% được 0 điểm; từ 95% trở lên được 2 điểm"
    )
    assert (
        rows["1.2"].rule_text == "Theo mức: từ 1 được 2 điểm; từ 0,7 được 1 điểm; thấp hơn: 0 điểm"
    )
    assert rows["1.4"].rule_text == "Tỷ lệ phần trăm × điểm tối đa; dưới 33,33% được 0 điểm"
    assert rows["2.2"].rule_text == "Trừ 0,25 điểm mỗi lần (từ 4,5 điểm, thấp nhất 0 điểm)"
    assert rows["3"].rule_text == "Chấm theo đánh giá: nhập điểm từ 0 đến 2,5"
    assert (
        describe_rule({"rule_type": "ratio", "max_points": 1, "floor": None, "full_at": None})
        == "Tỷ lệ × điểm tối đa"
    )


def test_download_filename_is_ascii(realistic_set: CriteriaSet) -> None:
    name = download_filename(realistic_set, "xlsx")
    assert name == "bo-tieu-chi-chi-so-cai-cach-hanh-chinh-cap-xa-nam-2025-v1.xlsx"
    assert name.isascii()


def test_json_extension_keys_are_checked(realistic_document: dict[str, Any], manager: User) -> None:
    realistic_document["criteria_set"]["nodes"][2]["allow_not_applicable"] = "false"
    realistic_document["criteria_set"]["nodes"][3]["guidance"] = 12
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(
            data=json.dumps(realistic_document).encode(),
            actor=manager,
            info_defaults={"level": "commune", "year": 2025},
        )
    assert caught.value.problems == [
        "criteria_set.nodes[2] (node 1.1.1).allow_not_applicable: cần true/false, "
        "không phải 'false'",
        "criteria_set.nodes[3] (node 1.1.2).guidance: cần một chuỗi, không phải 12",
    ]
    assert CriteriaSet.objects.count() == 0


def _import_json_problems(document: dict[str, Any], manager: User) -> list[str]:
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(
            data=json.dumps(document, ensure_ascii=False).encode(),
            actor=manager,
            info_defaults={"level": "commune", "year": 2025},
        )
    assert CriteriaSet.objects.count() == 0
    return caught.value.problems


def test_json_blank_names_are_refused(realistic_document: dict[str, Any], manager: User) -> None:
    realistic_document["criteria_set"]["name"] = "   "
    realistic_document["criteria_set"]["nodes"][3]["name"] = " \t "
    del realistic_document["criteria_set"]["nodes"][10]["name"]
    assert _import_json_problems(realistic_document, manager) == [
        "criteria_set.name: thiếu tên bộ tiêu chí, không phải «   »",
        "criteria_set.nodes[3] (node 1.1.2).name: thiếu nội dung (tên) tiêu chí, không phải « \t »",
        "criteria_set.nodes[10] (node 3).name: thiếu nội dung (tên) tiêu chí, không phải "
        "giá trị trống",
    ]


def test_json_negative_tiers_and_negative_zero_points_are_refused(
    realistic_document: dict[str, Any], manager: User
) -> None:
    realistic_document["criteria_set"]["nodes"][4]["rule"]["tiers"] = [
        {"min": "1", "points": "-0.00"},
        {"min": "-0.5", "points": "1"},
    ]
    realistic_document["criteria_set"]["nodes"][6]["rule"]["floor"] = "-0"
    assert _import_json_problems(realistic_document, manager) == [
        "criteria_set.nodes[4] (node 1.2).rule.tiers[0].points: điểm của mức (-0.00) phải "
        "trong khoảng 0..2",
        "criteria_set.nodes[4] (node 1.2).rule.tiers[1].min: ngưỡng của mức (-0.5) không được âm",
        "criteria_set.nodes[6] (node 1.4).rule.floor: cần một tỷ lệ trong khoảng 0..1, "
        "không phải -0",
    ]


def test_json_integer_of_5000_digits_is_refused_with_its_line(manager: User) -> None:
    data = b'{\n  "format": "parindex-evaluation/1",\n  "criteria_set": {"nodes": [\n' + (
        b'    {"code": "1", "name": "A", "max": ' + b"9" * 5000 + b"}]}}"
    )
    with pytest.raises(InputError) as caught:
        criteria_set_import_json(
            data=data, actor=manager, info_defaults={"level": "commune", "year": 2025}
        )
    assert caught.value.problems == [
        "JSON không hợp lệ (dòng 4, cột 39): số nguyên dài 5.000 chữ số, tối đa 30 chữ số "
        "(ghi số dạng chuỗi thập phân nếu cần)"
    ]
    assert CriteriaSet.objects.count() == 0
