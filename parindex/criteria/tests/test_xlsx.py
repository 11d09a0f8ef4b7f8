"""XLSX import and export of criteria sets: round trip, a province-style workbook, and
malformed workbooks (row-numbered messages, nothing stored)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from parindex.accounts.models import User
from parindex.core.tests.bombs import xlsx_bomb
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import criteria_set_document, criteria_set_xlsx
from parindex.criteria.services import (
    SetInfo,
    criteria_set_delete,
    criteria_set_import_document,
    criteria_set_import_xlsx,
)
from parindex.criteria.tests.helpers import comparable, mutate, sheet_values
from parindex.criteria.xlsx import loading
from parindex.criteria.xlsx.cells import CellError, cell_decimal
from parindex.criteria.xlsx.layout import NODE_COLUMNS
from parindex.criteria.xlsx.writing import write_workbook
from parindex.engine import InputError
from parindex.organizations.models import Unit

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- round trip


def test_round_trip_xlsx_db_xlsx_db_unchanged(
    realistic_set: CriteriaSet, province: Unit, manager: User
) -> None:
    original = criteria_set_document(realistic_set)
    first_xlsx = criteria_set_xlsx(realistic_set)
    # An identical set is not imported twice (test_duplicates): each one goes before its copy.
    criteria_set_delete(criteria_set=realistic_set, actor=None)

    second = criteria_set_import_xlsx(file=first_xlsx, actor=manager, jurisdiction=province)
    second_xlsx = criteria_set_xlsx(second)
    second_document, second_version = criteria_set_document(second), second.version
    criteria_set_delete(criteria_set=second, actor=None)
    third = criteria_set_import_xlsx(
        file=io.BytesIO(second_xlsx), actor=manager, jurisdiction=province
    )

    assert comparable(second_document) == comparable(original)
    assert comparable(criteria_set_document(third)) == comparable(original)
    assert (second_version, third.version) == (1, 1)
    assert third.jurisdiction == province
    assert sheet_values(second_xlsx) == sheet_values(first_xlsx)
    # Texts, flags and numbers really made it (not just "equal because both empty").
    node = CriterionNode.objects.get(criteria_set=third, code="1.1.1")
    assert node.guidance.startswith("Ban hành kế hoạch CCHC năm trước ngày 31/12")
    assert "\n" in node.guidance
    assert CriterionNode.objects.get(criteria_set=third, code="2.2").allow_not_applicable
    assert CriterionNode.objects.get(criteria_set=third, code="2.2").per_item == Decimal("0.25")
    assert third.decision == "1234/QĐ-UBND"
    assert third.note.startswith("Áp dụng cho các xã, phường sau sắp xếp.")


def test_export_layout(realistic_set: CriteriaSet) -> None:
    data = criteria_set_xlsx(realistic_set)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Tiêu chí", "Thông tin", "Xếp loại", "Hướng dẫn"]
    nodes = workbook["Tiêu chí"]
    assert [c.value for c in nodes[1]] == [c.header for c in NODE_COLUMNS]
    assert nodes.freeze_panes == "A2"
    assert nodes["A1"].font.b
    assert nodes["C2"].alignment.wrap_text
    assert nodes.column_dimensions["C"].width > 40
    # Codes are text (1.10 is not 1.1), tiers are written the Vietnamese way.
    assert nodes["A4"].value == "1.1.1" and nodes["A4"].data_type == "s"
    assert nodes["B4"].value == "1.1"
    assert nodes["D11"].value == 4.5
    row_6 = {c.header: nodes.cell(6, j + 1).value for j, c in enumerate(NODE_COLUMNS)}
    assert row_6["Cách chấm"] == "Theo mức (bậc)"
    assert row_6["Các mức (tỷ lệ hoặc số: điểm)"] == "1: 2; 0,7: 1"
    # A text starting with "=" is not turned into a formula.
    assert nodes["K8"].value.startswith("=Số văn bản")
    assert nodes["K8"].data_type == "s"
    info = {row[0].value: row[1].value for row in workbook["Thông tin"].iter_rows(min_row=2)}
    assert info["Cấp áp dụng"] == "Xã, phường, thị trấn, đặc khu"
    assert info["Năm áp dụng"] == 2025
    assert info["Ngày ban hành (dd/mm/yyyy)"].date().isoformat() == "2025-03-15"
    assert info["Xếp hạng khi bằng điểm"].startswith("Đồng hạng, không bỏ hạng")
    bands = list(workbook["Xếp loại"].iter_rows(min_row=2, values_only=True))
    assert bands[0] == ("Xuất sắc", 90, "Không", 80)
    assert bands[2] == ("Khá", 70, "Có", None)


def test_province_style_workbook(manager: User) -> None:
    """What a person types: numeric codes, decimal commas, English rule codes, "x" for yes,
    "70%", blank parents derived from dotted codes, an extra column of their own."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tiêu chí"
    sheet.append(
        [
            "STT",
            "Nội dung tiêu chí",
            "Điểm tối đa",
            "Cách chấm",
            "Ngưỡng tối thiểu (tỷ lệ)",
            "Các mức (tỷ lệ hoặc số: điểm)",
            "Cho phép không áp dụng",
            "Ghi chú riêng",
        ]
    )
    sheet.append([1, "Chỉ đạo, điều hành", 6, None, None, None, None, "bỏ qua"])
    sheet.append([1.1, "Kế hoạch CCHC", "2,5", "boolean", None, None, "x", None])
    sheet.append([1.2, "Tỷ lệ hoàn thành", 3.5, "tỷ lệ phần trăm", "70%", None, None, None])
    sheet.append(["2", "Cải cách TTHC", "4", "Theo mức", None, "1: 4; 0,5: 2", "Không", None])
    info = workbook.create_sheet("Thong tin")  # without diacritics is fine too
    info.append(["Tên bộ tiêu chí", "Bộ tiêu chí thử"])
    info.append(["Cấp áp dụng", "xa, phuong, thi tran, dac khu"])
    info.append(["Năm áp dụng", "2026"])
    info.append(["Ngày ban hành", "05/01/2026"])
    info.append(["Làm tròn điểm tiêu chí", "Cắt bỏ"])
    info.append(["Điểm tối đa khảo sát", "10,0"])
    out = io.BytesIO()
    workbook.save(out)

    imported = criteria_set_import_xlsx(file=out.getvalue(), actor=manager)

    doc = criteria_set_document(imported)
    nodes = {n["code"]: n for n in doc["criteria_set"]["nodes"]}
    assert list(nodes) == ["1", "1.1", "1.2", "2"]
    assert nodes["1.1"]["parent"] == "1" and nodes["1.2"]["parent"] == "1"
    assert "parent" not in nodes["2"]
    assert nodes["1.1"]["max"] == "2.5" and nodes["1.1"]["rule"] == {"type": "boolean"}
    assert nodes["1.1"]["allow_not_applicable"] is True
    assert nodes["1.2"]["rule"] == {"type": "percent", "floor": "0.7"}
    assert nodes["2"]["rule"]["tiers"] == [
        {"min": "1", "points": "4"},
        {"min": "0.5", "points": "2"},
    ]
    assert doc["survey"] == {"max": "10"}
    assert doc["criteria_set"]["rounding"]["mode"] == "truncate"
    assert (imported.level, imported.year) == ("commune", 2026)
    assert imported.decision_date is not None and imported.decision_date.isoformat() == "2026-01-05"


# --------------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.7, Decimal("0.7")),
        (0.1 + 0.2, Decimal("0.3")),
        (1.1000000000000001, Decimal("1.1")),
        (3, Decimal(3)),
        ("0,7", Decimal("0.7")),
        (" 12.50 ", Decimal("12.50")),
        ("", None),
        (None, None),
    ],
)
def test_cell_decimal(value: object, expected: Decimal | None) -> None:
    assert cell_decimal(value) == expected


def test_cell_decimal_percent_and_refusals() -> None:
    assert cell_decimal("70%", percent_divisor=100) == Decimal("0.7")
    for bad in ("abc", "1.000,5", True, "70%", float("nan")):
        with pytest.raises(CellError):
            cell_decimal(bad)


# --------------------------------------------------------------------------- malformed


def _set_cell(sheet: str, ref: str, value: object) -> Callable[[Any], None]:
    def change(workbook: Any) -> None:
        workbook[sheet][ref] = value

    return change


def _delete_sheet(name: str) -> Callable[[Any], None]:
    def change(workbook: Any) -> None:
        del workbook[name]

    return change


def _clear_rows(workbook: Any) -> None:
    sheet = workbook["Tiêu chí"]
    sheet.delete_rows(2, sheet.max_row)


def _drop_max_column(workbook: Any) -> None:
    workbook["Tiêu chí"]["D1"] = "Điểm"  # an alias still works...
    workbook["Tiêu chí"]["D1"] = "Số điểm"  # ...but this header is unknown


MALFORMED = {
    "non-numeric max": (
        _set_cell("Tiêu chí", "D6", "abc"),
        ["Sheet «Tiêu chí», dòng 6, cột «Điểm tối đa»: «abc» không phải là số"],
    ),
    "unknown rule label": (
        _set_cell("Tiêu chí", "E5", "Chấm theo cảm tính"),
        ["Sheet «Tiêu chí», dòng 5, cột «Cách chấm»: không rõ «Chấm theo cảm tính»"],
    ),
    "unknown parent": (
        _set_cell("Tiêu chí", "B7", "9.9"),
        ["Sheet «Tiêu chí», dòng 7, cột «Mã tiêu chí cha»: không có tiêu chí mã «9.9»"],
    ),
    "duplicate code": (
        _set_cell("Tiêu chí", "A5", "1.1.1"),
        ["Sheet «Tiêu chí», dòng 5, cột «Mã (STT)»: mã «1.1.1» trùng với dòng 4"],
    ),
    "children maxima below parent": (
        _set_cell("Tiêu chí", "D3", 5),
        ["Sheet «Tiêu chí», dòng 3 (mã 1.1): tổng điểm tối đa của tiêu chí con (3) nhỏ hơn"],
    ),
    "floor out of range": (
        _set_cell("Tiêu chí", "F5", 70),
        ["Sheet «Tiêu chí», dòng 5 (mã 1.1.2), cột «Ngưỡng tối thiểu (tỷ lệ)»: cần một tỷ lệ"],
    ),
    "floor above full_at": (
        _set_cell("Tiêu chí", "F5", 0.99),
        [
            "Sheet «Tiêu chí», dòng 5 (mã 1.1.2), cột «Ngưỡng tối thiểu (tỷ lệ)»: ngưỡng tối "
            "thiểu 0.99 lớn hơn ngưỡng đạt tối đa 0.95"
        ],
    ),
    "parameter of another rule": (
        _set_cell("Tiêu chí", "I4", 0.5),
        [
            "Sheet «Tiêu chí», dòng 4 (mã 1.1.1), cột «Điểm trừ mỗi lần»: không dùng được với "
            "cách chấm «Đạt / không đạt»"
        ],
    ),
    "rule on a parent": (
        _set_cell("Tiêu chí", "E3", "Đạt / không đạt"),
        ["Sheet «Tiêu chí», dòng 3 (mã 1.1), cột «Cách chấm»: tiêu chí có tiêu chí con"],
    ),
    "bad tiers": (
        _set_cell("Tiêu chí", "H6", "1 - 2"),
        ["Sheet «Tiêu chí», dòng 6, cột «Các mức (tỷ lệ hoặc số: điểm)»: mức «1 - 2» cần dạng"],
    ),
    "blank name (only spaces)": (
        _set_cell("Tiêu chí", "C5", "   "),
        ["Sheet «Tiêu chí», dòng 5, cột «Nội dung tiêu chí»: thiếu nội dung (tên) tiêu chí"],
    ),
    "negative tier threshold (engine)": (
        _set_cell("Tiêu chí", "H6", "1: 2; -0,5: 1"),
        [
            "Sheet «Tiêu chí», dòng 6 (mã 1.2), cột «Các mức (tỷ lệ hoặc số: điểm)»: ngưỡng "
            "của mức (-0.5) không được âm"
        ],
    ),
    "negative zero tier points (engine)": (
        _set_cell("Tiêu chí", "H6", "1: 2; 0,7: -0,00"),
        [
            "Sheet «Tiêu chí», dòng 6 (mã 1.2), cột «Các mức (tỷ lệ hoặc số: điểm)»: điểm "
            "của mức (-0) phải từ 0 đến 2"
        ],
    ),
    "bad yes/no": (
        _set_cell("Tiêu chí", "J7", "có lẽ"),
        ["Sheet «Tiêu chí», dòng 7, cột «Cho phép không áp dụng»: «có lẽ»: cần «Có» hoặc «Không»"],
    ),
    "too precise for storage": (
        _set_cell("Tiêu chí", "D12", 123456),
        ["Sheet «Tiêu chí», dòng 12 (mã 3), cột «Điểm tối đa»: 123456 vượt quá giới hạn"],
    ),
    "bad band order": (
        _set_cell("Xếp loại", "B3", 95),
        ["Sheet «Xếp loại», dòng 3, cột «Chỉ số tối thiểu (%)»: các mức phải theo thứ tự"],
    ),
    "bad year": (
        _set_cell("Thông tin", "B4", "năm nay"),
        ["Sheet «Thông tin», dòng 4 («Năm áp dụng»), cột «Giá trị»: «năm nay» không phải là số"],
    ),
    "unknown level": (
        _set_cell("Thông tin", "B3", "Thôn"),
        ["Sheet «Thông tin», dòng 3 («Cấp áp dụng»), cột «Giá trị»: không rõ «Thôn»"],
    ),
    "negative survey max (engine)": (
        _set_cell("Thông tin", "B13", -1),
        ["Sheet «Thông tin», dòng 13 («Điểm tối đa khảo sát»): điểm tối đa khảo sát phải"],
    ),
    "missing sheet": (
        _delete_sheet("Thông tin"),
        ["Sheet «Thông tin»: không có sheet này trong tệp"],
    ),
    "missing nodes sheet": (
        _delete_sheet("Tiêu chí"),
        ["Sheet «Tiêu chí»: không có sheet này trong tệp"],
    ),
    "missing required column": (
        _drop_max_column,
        ["Sheet «Tiêu chí», dòng 1, cột «Điểm tối đa»: thiếu cột bắt buộc"],
    ),
    "empty sheet": (
        _clear_rows,
        ["Sheet «Tiêu chí»: không có tiêu chí nào (bộ tiêu chí trống)"],
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_workbook_rejected_with_row_and_nothing_stored(
    case: str, realistic_set: CriteriaSet, manager: User
) -> None:
    change, expected = MALFORMED[case]
    data = mutate(criteria_set_xlsx(realistic_set), change)
    counts = (CriteriaSet.objects.count(), CriterionNode.objects.count())

    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=data, actor=manager)

    text = "\n".join(caught.value.problems)
    for fragment in expected:
        assert fragment in text
    assert (CriteriaSet.objects.count(), CriterionNode.objects.count()) == counts


def test_every_problem_reported_at_once(realistic_set: CriteriaSet, manager: User) -> None:
    def change(workbook: Any) -> None:
        workbook["Tiêu chí"]["D2"] = "mười"
        workbook["Tiêu chí"]["A9"] = None
        workbook["Xếp loại"]["C4"] = "hơn"

    data = mutate(criteria_set_xlsx(realistic_set), change)
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=data, actor=manager)
    problems = caught.value.problems
    assert any("dòng 2, cột «Điểm tối đa»" in p for p in problems)
    assert any("dòng 9, cột «Mã (STT)»: thiếu mã tiêu chí" in p for p in problems)
    assert any(p.startswith("Sheet «Xếp loại», dòng 4") for p in problems)
    assert CriteriaSet.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "tệp rỗng"),
        (b"code;name;max\n1;A;10\n", "không phải là bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "tệp Excel cũ (.xls)"),
    ],
)
def test_not_a_workbook(data: bytes, fragment: str, manager: User) -> None:
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=data, actor=manager)
    assert fragment in caught.value.problems[0]
    assert CriteriaSet.objects.count() == 0


def test_corrupt_workbook(realistic_set: CriteriaSet, manager: User) -> None:
    good = criteria_set_xlsx(realistic_set)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet1"):
                body = body[: len(body) // 2]  # cut in the middle of the XML
            target.writestr(item, body)
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=out.getvalue(), actor=manager)
    assert "không đọc được tệp .xlsx" in caught.value.problems[0]
    assert CriteriaSet.objects.count() == 1

    zip_not_xlsx = io.BytesIO()
    with zipfile.ZipFile(zip_not_xlsx, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=zip_not_xlsx.getvalue(), actor=manager)
    assert "thiếu xl/workbook.xml" in caught.value.problems[0]


def test_more_than_5000_rows_rejected(manager: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "MAX_ROWS", 30)  # the same code path as 5,000, faster
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tiêu chí"
    sheet.append(["Mã (STT)", "Nội dung tiêu chí", "Điểm tối đa"])
    for i in range(31):
        sheet.append([str(i + 1), f"Tiêu chí {i + 1}", 1])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=out.getvalue(), actor=manager)
    assert caught.value.problems == ["Sheet «Tiêu chí» có hơn 30 dòng dữ liệu; tối đa 30 dòng"]
    assert CriteriaSet.objects.count() == 0


def test_blank_template_is_an_empty_set(manager: User) -> None:
    template = write_workbook(None)
    assert openpyxl.load_workbook(io.BytesIO(template)).sheetnames == [
        "Tiêu chí",
        "Thông tin",
        "Xếp loại",
        "Hướng dẫn",
    ]
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=template, actor=manager)
    assert caught.value.problems[0] == (
        "Sheet «Tiêu chí»: không có tiêu chí nào (bộ tiêu chí trống); hãy điền mỗi tiêu chí "
        "một dòng bên dưới dòng tiêu đề"
    )
    assert CriteriaSet.objects.count() == 0


def test_overrides_fill_level_and_year(
    realistic_set: CriteriaSet, manager: User, so_noi_vu: Unit
) -> None:
    def clear(workbook: Any) -> None:
        workbook["Thông tin"]["B3"] = None
        workbook["Thông tin"]["B4"] = None

    data = mutate(criteria_set_xlsx(realistic_set), clear)
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=data, actor=manager)
    assert any(
        "«Cấp áp dụng»), cột «Giá trị»: chưa có cấp áp dụng" in p for p in caught.value.problems
    )

    imported = criteria_set_import_xlsx(
        file=data,
        actor=manager,
        overrides={"level": "district", "year": 2027, "jurisdiction": so_noi_vu},
    )
    assert (imported.level, imported.year, imported.jurisdiction) == ("district", 2027, so_noi_vu)
    assert imported.version == 1


def test_dotted_field_code_keeps_no_parent(manager: User) -> None:
    """A field coded "1.2" next to a field "1" is written with «-» as its parent, so it does
    not become a child of "1" on the way back."""
    document = {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Mã có dấu chấm",
            "nodes": [
                {"code": "1", "name": "Lĩnh vực một", "max": "5"},
                {"code": "1.2", "name": "Lĩnh vực riêng", "max": "3"},
                {"code": "1.2.1", "name": "Tiêu chí con", "max": "3", "parent": "1.2"},
            ],
        },
    }
    original = criteria_set_import_document(
        document=document, info=SetInfo(level="other", year=2025), actor=manager
    )
    data = criteria_set_xlsx(original)
    assert openpyxl.load_workbook(io.BytesIO(data))["Tiêu chí"]["B3"].value == "-"
    original_document = criteria_set_document(original)
    criteria_set_delete(criteria_set=original, actor=None)  # else refused as identical
    again = criteria_set_import_xlsx(file=data, actor=manager)
    assert comparable(criteria_set_document(again)) == comparable(original_document)


def test_workbook_unpacking_past_the_limit_is_refused_before_reading(
    manager: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared rule (core.bounded.check_xlsx), with the criteria import's tighter limit
    (lowered here so that the file stays small)."""
    monkeypatch.setattr(loading, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    bomb = xlsx_bomb(tmp_path / "bo.xlsx", unpacked_bytes=3 * 1024 * 1024).read_bytes()
    assert len(bomb) < 100_000

    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=bomb, actor=manager)

    assert caught.value.problems == [
        "Tệp bộ tiêu chí: bảng tính quá lớn khi giải nén (tối đa 2 MB). Hãy bỏ bớt nội "
        "dung thừa, hoặc nhập dạng JSON."
    ]
    assert CriteriaSet.objects.count() == 0


def test_the_criteria_limit_never_exceeds_the_setting(
    manager: User, tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = xlsx_bomb(tmp_path / "bo.xlsx", unpacked_bytes=2 * 1024 * 1024).read_bytes()
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=bomb, actor=manager)
    assert "quá lớn khi giải nén (tối đa 1 MB)" in caught.value.problems[0]
