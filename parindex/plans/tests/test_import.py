"""Importing a plan from the XLSX template: all or nothing, every problem with its row and
column in Vietnamese."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest

from parindex.audit.models import AuditEvent
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.services.imports import PlanImportError, plan_import_xlsx
from parindex.plans.xlsx import COLUMNS, template_xlsx

from .conftest import YEAR

pytestmark = pytest.mark.django_db
HEADER = [c.label for c in COLUMNS]


def workbook(rows: list[list[Any]], *, title: str | None = "KẾ HOẠCH CCHC NĂM 2025") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD: list[list[Any]] = [
    ["I", "Cải cách thể chế", "Mục tiêu", "", "", "", ""],
    ["1", "Rà soát văn bản", "Nhiệm vụ", "Báo cáo", "30/06/2025", "Tư pháp", "Văn phòng"],
    ["a", "Lập danh mục", "Hoạt động", "Danh mục", "Quý I", "Tư pháp", ""],
    ["2", "Kiểm tra CCHC", "nhiem vu", "Kế hoạch kiểm tra", "Tháng 9", "Văn phòng", ""],
    ["II", "Cải cách TTHC", "MỤC TIÊU", "", "", "", ""],
    ["3", "Niêm yết TTHC", "Nhiệm vụ", "", "Thường xuyên", "Một cửa", ""],
    ["4", "Số hoá hồ sơ", "Nhiệm vụ", "", datetime.date(YEAR, 11, 30), "Một cửa", ""],
]


def test_a_good_file_builds_the_tree(plan: ReformPlan, unit_staff: Any) -> None:
    assert plan_import_xlsx(plan=plan, file=workbook(GOOD), actor=unit_staff) == 7
    items = {i.code: i for i in plan.items.all()}
    assert items["1"].parent == items["I"] and items["a"].parent == items["1"]
    assert items["3"].parent == items["II"] and items["a"].kind == ItemKind.ACTIVITY
    assert items["1"].deadline == datetime.date(YEAR, 6, 30)
    assert items["a"].deadline == datetime.date(YEAR, 3, 31)
    assert items["2"].deadline == datetime.date(YEAR, 9, 30)
    assert items["3"].deadline is None
    assert items["4"].deadline == datetime.date(YEAR, 11, 30)
    assert (items["1"].lead, items["1"].support, items["1"].product) == (
        "Tư pháp",
        "Văn phòng",
        "Báo cáo",
    )
    event = AuditEvent.objects.get(action="plan.imported")
    assert event.after is not None and event.after["task"] == 4
    assert "4 nhiệm vụ" in event.summary


def test_every_problem_names_row_and_column_and_nothing_is_stored(plan: ReformPlan) -> None:
    rows = [
        ["a", "Hoạt động lạc", "Hoạt động", "", "", "", ""],
        ["1", "", "Nhiệm vụ", "", "31/12/2024", "", ""],
        ["2", "Nhiệm vụ", "Việc", "", "sớm", "", ""],
        ["3", "Nhiệm vụ đúng", "Nhiệm vụ", "x" * 501, "", "", ""],
    ]
    with pytest.raises(PlanImportError) as exc:
        plan_import_xlsx(plan=plan, file=workbook(rows), actor=None)
    assert exc.value.messages == [
        "Dòng 3, cột «Loại»: hoạt động phải đứng sau (thuộc) một nhiệm vụ; hãy thêm dòng nhiệm "
        "vụ ở trên.",
        "Dòng 4, cột «Nội dung»: cần nhập nội dung.",
        "Dòng 4, cột «Thời hạn»: Thời hạn 31/12/2024 không thuộc năm 2025 của kế hoạch: cần từ "
        "01/01/2025 đến 31/12/2025.",
        "Dòng 5, cột «Loại»: «Việc»: cần «Mục tiêu», «Nhiệm vụ» hoặc «Hoạt động».",
        "Dòng 5, cột «Thời hạn»: «sớm» không phải thời hạn đọc được: nhập ngày dd/mm/yyyy, "
        "«Tháng 6», «Quý II», hoặc để trống (hết năm).",
        "Dòng 6, cột «Sản phẩm»: dài quá 500 ký tự.",
    ]
    assert not PlanItem.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.imported").exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "Tệp rỗng."),
        (b"not a workbook", "không phải tệp Excel"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(
    plan: ReformPlan, data: bytes, words: str
) -> None:
    with pytest.raises(PlanImportError) as exc:
        plan_import_xlsx(plan=plan, file=data, actor=None)
    assert words in exc.value.messages[0]


def test_a_sheet_without_the_header_is_refused(plan: ReformPlan) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Tên", "Ghi chú"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(PlanImportError) as exc:
        plan_import_xlsx(plan=plan, file=out.getvalue(), actor=None)
    assert "Không tìm thấy dòng tiêu đề" in exc.value.messages[0]


def test_the_template_reads_back_after_the_examples(plan: ReformPlan) -> None:
    """The template's three example rows import (its «Cách điền» notes are not rows of the
    table once removed, as the template says)."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.active
    assert [c.value for c in sheet[1]] == HEADER
    sheet.delete_rows(5, sheet.max_row)
    out = io.BytesIO()
    book.save(out)
    assert plan_import_xlsx(plan=plan, file=out.getvalue(), actor=None) == 3


def test_replace_is_refused_once_an_item_is_done(plan: ReformPlan) -> None:
    plan_import_xlsx(plan=plan, file=workbook(GOOD, title=None), actor=None)
    assert plan_import_xlsx(plan=plan, file=workbook(GOOD), actor=None, replace=True) == 7
    assert plan.items.count() == 7
    plan.items.filter(code="1").update(done_on=datetime.date(YEAR, 6, 1))
    with pytest.raises(PlanImportError) as exc:
        plan_import_xlsx(plan=plan, file=workbook(GOOD), actor=None, replace=True)
    assert "1 nội dung được xác nhận hoàn thành" in exc.value.messages[0]
    assert plan.items.count() == 7
