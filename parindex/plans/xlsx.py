"""The plan's spreadsheet: the downloadable template and reading an uploaded workbook.

One sheet, one item a row, in the columns STT | Nội dung | Loại | Sản phẩm | Thời hạn |
Chủ trì | Phối hợp (as the annexes of a plan print them). The header row is found by its
labels (compared without diacritics) among the first rows; columns may come in any order.
Reading never stores anything: :func:`parindex.plans.services.imports.plan_import_xlsx`
validates every row and stores all of them or none.
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
import warnings
from dataclasses import dataclass
from typing import Any

from parindex.core.bounded import InputLimitError, check_xlsx
from parindex.core.text import fold
from parindex.plans.models import ItemKind

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "mau-ke-hoach-cchc.xlsx"
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
HEADER_SEARCH = 15
"""Rows above the header (a title, the unit's name) the reader skips."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    hint: str


COLUMNS: tuple[Column, ...] = (
    Column("code", "STT", 8, "Số thứ tự như trong kế hoạch: I, 1, 1.1, a…"),
    Column("title", "Nội dung", 60, "Bắt buộc."),
    Column("kind", "Loại", 14, "Mục tiêu, Nhiệm vụ hoặc Hoạt động (bắt buộc)."),
    Column("product", "Sản phẩm", 30, "Sản phẩm, kết quả đầu ra."),
    Column("deadline", "Thời hạn", 16, "dd/mm/yyyy, «Tháng 6», «Quý II» hoặc để trống."),
    Column("lead", "Chủ trì", 24, "Cơ quan / bộ phận chủ trì."),
    Column("support", "Phối hợp", 24, "Cơ quan / bộ phận phối hợp."),
)
LABELS = {c.key: c.label for c in COLUMNS}
REQUIRED = ("title", "kind")

KINDS = {
    "muc tieu": ItemKind.OBJECTIVE,
    "nhiem vu": ItemKind.TASK,
    "hoat dong": ItemKind.ACTIVITY,
}
"""The «Loại» words, folded."""

YEAR_END_WORDS = frozenset({"ca nam", "trong nam", "thuong xuyen", "hang thang", "hang quy"})
"""Deadlines that mean "by the end of the year" (no date: counted at year end only)."""

QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


class SheetError(Exception):
    """A problem of the whole file (not of one cell)."""


class CellError(Exception):
    """A cell's problem, in Vietnamese (without the row and column)."""


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row: its number in the sheet and its cells by column key."""

    number: int
    cells: dict[str, Any]


def template_xlsx() -> bytes:
    """The blank template: the header row, a hint row and three example rows."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("Kế hoạch")
    bold = workbook.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
    )
    hint = workbook.add_format({"italic": True, "font_color": "#666666", "text_wrap": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for i, column in enumerate(COLUMNS):
        sheet.set_column(i, i, column.width)
        sheet.write_string(0, i, column.label, bold)
    examples = (
        ("I", "Cải cách thể chế", "Mục tiêu", "", "", "", ""),
        ("1", "Rà soát văn bản quy phạm pháp luật", "Nhiệm vụ", "Báo cáo kết quả rà soát",
         "30/06", "Văn phòng – Thống kê", "Tư pháp – Hộ tịch"),
        ("a", "Lập danh mục văn bản cần rà soát", "Hoạt động", "Danh mục", "Quý I",
         "Tư pháp – Hộ tịch", ""),
    )  # fmt: skip
    for r, row in enumerate(examples, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value, wrap)
    note_row = len(examples) + 2
    sheet.write_string(note_row, 0, "Cách điền:", hint)
    for i, column in enumerate(COLUMNS, start=1):
        sheet.write_string(note_row + i, 0, f"{column.label}: {column.hint}", hint)
    sheet.write_string(
        note_row + len(COLUMNS) + 1,
        0,
        "Xoá các dòng ví dụ và phần «Cách điền» này trước khi nhập. Nhiệm vụ thuộc mục tiêu "
        "đứng trên nó gần nhất; hoạt động thuộc nhiệm vụ đứng trên nó gần nhất.",
        hint,
    )
    sheet.freeze_panes(1, 0)
    workbook.close()
    return out.getvalue()


def read_rows(data: bytes) -> list[SheetRow]:
    """The non-empty rows under the header of the workbook's first sheet. Raises
    :class:`SheetError` for a file that is not a sound .xlsx, without the header or with
    too many rows."""
    if not data:
        raise SheetError("Tệp rỗng.")
    if len(data) > MAX_BYTES:
        raise SheetError(f"Tệp quá lớn: tối đa {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        check_xlsx(data, what="Tệp kế hoạch", hint="Hãy bỏ bớt nội dung thừa.")
    except InputLimitError as exc:
        raise SheetError(str(exc)) from exc
    raw = _first_sheet(data)
    header_at, columns = _header(raw)
    rows: list[SheetRow] = []
    for number, values in enumerate(raw[header_at + 1 :], start=header_at + 2):
        cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        rows.append(SheetRow(number, cells))
        if len(rows) > MAX_ROWS:
            raise SheetError(f"Tệp có hơn {MAX_ROWS} dòng nội dung.")
    if not rows:
        raise SheetError("Tệp không có dòng nội dung nào dưới dòng tiêu đề.")
    return rows


def _first_sheet(data: bytes) -> list[tuple[Any, ...]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                sheet = workbook.worksheets[0]
                return [
                    tuple(r)
                    for r, _ in zip(
                        sheet.iter_rows(max_col=20, values_only=True),
                        range(MAX_ROWS * 5),
                        strict=False,
                    )
                ]
            finally:
                workbook.close()
    except Exception as exc:  # openpyxl/XML errors of a damaged file are of many kinds
        raise SheetError(
            "Không đọc được tệp .xlsx (tệp bị hỏng hoặc không đúng định dạng). Hãy dùng tệp mẫu."
        ) from exc


def _header(raw: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]]:
    wanted = {fold(c.label): c.key for c in COLUMNS}
    for index, values in enumerate(raw[:HEADER_SEARCH]):
        found: dict[str, int] = {}
        for i, value in enumerate(values):
            key = wanted.get(fold(str(value))) if value is not None else None
            if key is not None and key not in found:
                found[key] = i
        if all(key in found for key in REQUIRED):
            return index, found
    names = ", ".join(f"«{c.label}»" for c in COLUMNS)
    raise SheetError(
        f"Không tìm thấy dòng tiêu đề có các cột {names} (bắt buộc «Nội dung» và «Loại»). "
        "Hãy dùng tệp mẫu."
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).replace("\x00", "").split())


def cell_kind(value: Any) -> str:
    text = cell_text(value)
    kind = KINDS.get(fold(text))
    if kind is None:
        shown = f"«{text}»" if text else "ô trống"
        raise CellError(f"{shown}: cần «Mục tiêu», «Nhiệm vụ» hoặc «Hoạt động»")
    return kind


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")
_MONTH = re.compile(r"thang (\d{1,2})(?:[/.-](\d{4}))?")
_QUARTER = re.compile(r"quy (i{1,3}|iv|[1-4])(?:[/.-](\d{4}))?")


def cell_deadline(value: Any, year: int) -> datetime.date | None:
    """A deadline: a date cell, dd/mm/yyyy (dd/mm: the plan's year), «Tháng 6» (its last
    day), «Quý II» (the quarter's last day), «6 tháng đầu năm» (30/6); empty, «Cả năm»,
    «Thường xuyên», «Trong năm» mean year end (no date)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = fold(cell_text(value)).removeprefix("truoc ngay ").removeprefix("truoc ")
    if not text or text in YEAR_END_WORDS or text == f"nam {year}":
        return None
    if text in ("6 thang dau nam", "6 thang"):
        return datetime.date(year, 6, 30)
    try:
        if match := _DATE.fullmatch(text):
            day, month, full_year = match.groups()
            return datetime.date(int(full_year or year), int(month), int(day))
        if match := _MONTH.fullmatch(text):
            return _month_end(int(match.group(2) or year), int(match.group(1)))
        if match := _QUARTER.fullmatch(text):
            return _month_end(int(match.group(2) or year), QUARTERS[match.group(1)] * 3)
    except ValueError:
        pass
    raise CellError(
        f"«{cell_text(value)}» không phải thời hạn đọc được: nhập ngày dd/mm/yyyy, «Tháng 6», "
        "«Quý II», hoặc để trống (hết năm)"
    )
