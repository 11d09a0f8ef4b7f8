"""The XLSX template of the published results table, with a guide to its columns."""

from __future__ import annotations

import io
from typing import Any

from parindex.organizations.models import UnitGroup
from parindex.results.history.columns import OPTIONAL_COLUMNS, TEMPLATE_COLUMNS

_NOTES = (
    "Mỗi dòng một đơn vị; có thể nhập nhiều nhóm trong một tệp. Số thập phân dùng dấu "
    "phẩy hoặc dấu chấm, tối đa 4 chữ số sau dấu thập phân; nhập đúng như quyết định "
    "công bố (hệ thống không làm tròn lại).",
    "Tệp được kiểm tra toàn bộ: nếu có dòng sai thì không lưu gì và hệ thống chỉ rõ "
    "dòng, cột sai. Nhập lại cùng kết quả không tạo bản trùng.",
    "Mã đơn vị chưa có trên hệ thống (đơn vị đã sáp nhập, giải thể) vẫn được nhập và "
    "được cảnh báo.",
    "Được thêm các cột: " + ", ".join(c.label for c in OPTIONAL_COLUMNS) + ".",
)


def history_template_xlsx() -> bytes:
    """The XLSX template: sheet "Kết quả" with the header row, sheet "Hướng dẫn" with every
    column and the unit groups of the system."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Kết quả")
    for col, column in enumerate(TEMPLATE_COLUMNS):
        sheet.write(0, col, column.label, bold)
        width = 40 if column.key == "name" else max(12, len(column.label) + 2)
        sheet.set_column(col, col, width, text if column.key in ("code", "group") else None)
    sheet.freeze_panes(1, 2)
    _write_guide(book.add_worksheet("Hướng dẫn"), bold, wrap)
    book.close()
    return buffer.getvalue()


def _write_guide(guide: Any, bold: Any, wrap: Any) -> None:
    """Every column of the template, the notes, then the system's unit groups."""
    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 90)
    guide.write(0, 0, "Cột", bold)
    guide.write(0, 1, "Cách ghi", bold)
    line = 1
    for column in TEMPLATE_COLUMNS:
        guide.write(line, 0, column.label)
        guide.write(line, 1, column.help, wrap)
        line += 1
    line += 1
    for note in _NOTES:
        guide.write(line, 1, note, wrap)
        line += 1
    line += 1
    guide.write(line, 0, "Mã nhóm", bold)
    guide.write(line, 1, "Tên nhóm", bold)
    for group in UnitGroup.objects.order_by("position", "name"):
        line += 1
        guide.write_string(line, 0, group.code)
        guide.write_string(line, 1, group.name)
