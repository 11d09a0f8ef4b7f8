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

from parindex.core.xlsx_charts import (
    CellRange,
    Placement,
    Series,
    bar_chart,
    insert_chart,
    line_chart,
    pie_or_column_distribution,
    placement,
)
from parindex.documents.content import Chart, Document, Table
from parindex.documents.render.ooxml import FONT

TITLE_ROWS = 3
"""Rows above a table's heading: the document's title, the table's title, a blank row."""
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
        _write_table(sheet, table, formats, heading=workbook_heading(document))
        placed[table.key] = (sheet, sheet.get_name())
    next_row: dict[str, int] = {}
    for chart in document.charts():
        if chart.table in placed:
            sheet, name = placed[chart.table]
            next_row[name] = _add_chart(
                book, sheet, name, chart, document.table(chart.table), next_row.get(name, 0)
            )
    book.close()
    return out.getvalue()


def workbook_heading(document: Document) -> str:
    """The first row of every sheet: who issues the document and what it is."""
    return f"{document.agency} — {document.title}: {document.summary}"


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


def _add_chart(
    book: Workbook, sheet: Worksheet, name: str, chart: Chart, table: Table, row: int
) -> int:
    """Draw ``chart`` from the table's cells on its sheet at ``row``; the next free row."""
    first, last = chart.rows if chart.rows is not None else (0, len(table.rows) - 1)
    count = last - first + 1
    if count <= 0 or placement(count) is not Placement.IN_SHEET and chart.kind in ("bar", "barh"):
        return row
    row0, row1 = TITLE_ROWS + 1 + first, TITLE_ROWS + 1 + last
    col = chart.category_column
    categories = CellRange(name, row0, col, row1, col)
    series = [
        Series(
            chart.series_names[i] if i < len(chart.series_names) else table.columns[c].title,
            CellRange(name, row0, c, row1, c),
        )
        for i, c in enumerate(chart.value_columns)
    ]
    if chart.kind in ("pie", "column") and len(series) == 1 and chart.value_title == "Số đơn vị":
        excel = pie_or_column_distribution(
            book,
            title=chart.title,
            categories=categories,
            values=series[0].values,
            kind="pie" if chart.kind == "pie" else "column",
        )
    elif chart.kind == "line":
        excel = line_chart(
            book,
            title=chart.title,
            categories=categories,
            series=series,
            y_title=chart.value_title or series[0].name,
        )
    else:
        excel = bar_chart(
            book,
            title=chart.title,
            categories=categories,
            series=series,
            y_title=chart.value_title or series[0].name,
            horizontal=chart.kind == "barh",
        )
    anchor = (row, len(table.columns) + 1)
    return row + insert_chart(sheet, anchor, excel, rows=count, horizontal=chart.kind == "barh") + 1
