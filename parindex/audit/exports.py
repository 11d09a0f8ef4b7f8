"""The filtered audit trail as CSV (UTF-8 with BOM, for Excel) and XLSX: the same rows as
the page (:func:`parindex.audit.selectors.rows_for_export`), every text cell made inert."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from parindex.audit.selectors import Row
from parindex.core.cells import inert, inert_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Thời điểm", 17),
    ("Người thực hiện", 24),
    ("Tên đăng nhập", 16),
    ("Hành động", 30),
    ("Mã hành động", 26),
    ("Kỳ đánh giá", 28),
    ("Đơn vị", 30),
    ("Tiêu chí", 12),
    ("Đối tượng", 30),
    ("Tóm tắt", 60),
    ("Thay đổi (trước → sau)", 70),
)
HEADER = [label for label, _ in COLUMNS]


def _cells(row: Row) -> list[Any]:
    target = row.target
    return [
        row.at,
        row.person,
        row.username,
        row.action,
        row.event.action,
        target.period,
        target.unit,
        target.item.removeprefix("Tiêu chí "),
        target.other,
        row.event.summary,
        row.changes_text,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv(rows: Iterable[Row]) -> Iterator[str]:
    """The rows as CSV lines (the first with the BOM), for a streamed response."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in rows:
        yield writer.writerow(inert_row(_cells(row)))


def audit_xlsx(rows: Iterable[Row], *, title: str) -> bytes:
    """The rows as one sheet "Nhật ký", the time as a real date-time cell."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Nhật ký")
    for col, (_label, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, title)
    for col, label in enumerate(HEADER):
        sheet.write_string(2, col, label, head)
    line = 3
    for row in rows:
        cells = _cells(row)
        local = timezone.localtime(row.event.at).replace(tzinfo=None)
        sheet.write_datetime(line, 0, local, when)
        for col, value in enumerate(cells[1:], start=1):
            sheet.write_string(line, col, str(inert(value) or ""), wrap)
        line += 1
    sheet.freeze_panes(3, 0)
    book.close()
    return buffer.getvalue()
