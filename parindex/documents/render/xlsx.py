"""The tables of a document as an Excel workbook: one sheet per table, numbers as numbers
(with the decimal places the engine printed), native Excel charts that read the table's
own cells. The same writer prints a long table for the PDF (A4, heading row repeated,
page numbers continuing the document's)."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from parindex.documents.content import Chart, Document, Table
from parindex.documents.render.ooxml import FONT

TITLE_ROWS = 3
"""Rows above a table's heading: the document's title, the table's title, a blank row."""
MAX_CHART_CATEGORIES = 200
"""A per-unit chart of more units than this is unreadable: the sheet keeps the table."""
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def render_xlsx(document: Document) -> bytes:
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"title": document.title, "subject": document.summary})
    formats = _Formats(book)
    placed: dict[str, tuple[Worksheet, str]] = {}
    names: set[str] = set()
    for table in document.tables():
        sheet = book.add_worksheet(_sheet_name(table, names))
        _write_table(sheet, table, formats, heading=f"{document.title} — {document.summary}")
        placed[table.key] = (sheet, sheet.get_name())
    for chart in document.charts():
        if chart.table in placed:
            sheet, name = placed[chart.table]
            _add_chart(book, sheet, name, chart, document.table(chart.table))
    book.close()
    return out.getvalue()


def print_table_xlsx(table: Table, *, first_page: int, heading: str) -> bytes:
    """One long table laid out for printing (the PDF route for thousands of rows)."""
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Bảng")
    _write_table(sheet, table, _Formats(book), heading=heading)
    sheet.set_paper(9)  # A4
    sheet.set_portrait()
    # Decree 30 margins in inches: left 30 mm, right 15 mm, top and bottom 20 mm.
    sheet.set_margins(left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4)
    sheet.set_header(f'&C&"{FONT},Regular"&14&P', {"margin": 10 / 25.4})
    sheet.set_start_page(first_page)
    sheet.repeat_rows(TITLE_ROWS)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    book.close()
    return out.getvalue()


class _Formats:
    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
        cell = {**base, "border": 1}
        self.title = book.add_format({**base, "bold": True, "font_size": 13})
        self.head = book.add_format({**cell, "bold": True, "align": "center", "text_wrap": True})
        self.text = book.add_format({**cell, "text_wrap": True})
        self.center = book.add_format({**cell, "align": "center"})
        self.bold_text = book.add_format({**cell, "bold": True, "text_wrap": True})
        self.note = book.add_format({**base, "italic": True})
        self._book, self._numbers = book, {}  # type: tuple[Workbook, dict[tuple[int, bool], Any]]

    def number(self, places: int, bold: bool) -> Any:
        key = (places, bold)
        if key not in self._numbers:
            pattern = "0" if places == 0 else "0." + "0" * places
            self._numbers[key] = self._book.add_format(
                {
                    "font_name": FONT,
                    "font_size": 12,
                    "border": 1,
                    "num_format": pattern,
                    "bold": bold,
                    "valign": "vcenter",
                }
            )
        return self._numbers[key]


def _sheet_name(table: Table, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", table.title or table.key).strip()[:28] or "Bảng"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name.lower())
    return name


def _write_table(sheet: Worksheet, table: Table, f: _Formats, *, heading: str) -> None:
    sheet.write(0, 0, heading, f.title)
    sheet.write(1, 0, table.title, f.title)
    for col, column in enumerate(table.columns):
        sheet.set_column(col, col, max(6.0, column.width_mm / 2.1))
        sheet.write(TITLE_ROWS, col, column.title, f.head)
    for i, row in enumerate(table.rows):
        bold = i in table.bold_rows
        r = TITLE_ROWS + 1 + i
        for col, value in enumerate(row):
            _write_cell(sheet, r, col, value, table, f, bold)
    if table.note:
        sheet.write(TITLE_ROWS + 2 + len(table.rows), 0, table.note, f.note)
    sheet.freeze_panes(TITLE_ROWS + 1, 0)


def _write_cell(
    sheet: Worksheet, r: int, col: int, value: object, table: Table, f: _Formats, bold: bool
) -> None:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        sheet.write_number(r, col, float(value), f.number(places, bold))
    elif isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(r, col, value, f.number(0, bold))
    elif value is None:
        sheet.write_blank(r, col, None, f.text)
    else:
        align_center = table.columns[col].align == "center"
        style = f.bold_text if bold else (f.center if align_center else f.text)
        sheet.write_string(r, col, str(value), style)


_CHART_TYPES = {
    "bar": {"type": "column"},
    "column": {"type": "column"},
    "barh": {"type": "bar"},
    "line": {"type": "line"},
    "pie": {"type": "pie"},
}


def _add_chart(book: Workbook, sheet: Worksheet, name: str, chart: Chart, table: Table) -> None:
    first, last = chart.rows if chart.rows is not None else (0, len(table.rows) - 1)
    count = last - first + 1
    if count <= 0 or (chart.kind in ("bar", "barh") and count > MAX_CHART_CATEGORIES):
        return
    excel = book.add_chart(_CHART_TYPES[chart.kind])
    if excel is None:
        return
    row0, row1 = TITLE_ROWS + 1 + first, TITLE_ROWS + 1 + last
    for i, col in enumerate(chart.value_columns):
        series_name = (
            chart.series_names[i] if i < len(chart.series_names) else table.columns[col].title
        )
        excel.add_series(
            {
                "name": series_name,
                "categories": [name, row0, chart.category_column, row1, chart.category_column],
                "values": [name, row0, col, row1, col],
                **({"data_labels": {"value": True}} if chart.kind in ("pie", "line") else {}),
            }
        )
    font = {"name": FONT}
    excel.set_title({"name": chart.title, "name_font": {**font, "size": 12}})
    if chart.kind != "pie":
        excel.set_legend(
            {"none": True} if len(chart.value_columns) == 1 else {"position": "bottom"}
        )
        axis = {"num_font": font, "name": chart.value_title, "name_font": font}
        excel.set_y_axis(axis)
        if chart.kind == "barh":
            excel.set_y_axis({"reverse": True, "num_font": font})
            excel.set_x_axis(axis)
    height = 480 if chart.kind != "barh" else max(320, 22 * count + 80)
    excel.set_size({"width": 760, "height": height})
    anchor_col = len(table.columns) + 1
    sheet.insert_chart(TITLE_ROWS, anchor_col, excel, {"object_position": 3})
