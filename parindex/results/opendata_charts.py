"""Charts of the open-data XLSX tables (:mod:`parindex.results.opendata`).

Below a group's table: a small summary "Số đơn vị theo xếp loại" (units counted from the
rows just written: no arithmetic on points) with its column chart, and a bar chart
"Chỉ số CCHC của các đơn vị" of the table's own index column. Both reference the sheet's
cells (:mod:`parindex.core.xlsx_charts`). A per-unit chart of more than
:data:`~parindex.core.xlsx_charts.IN_SHEET_MAX` units goes to its own chart sheet; above
:data:`~parindex.core.xlsx_charts.PER_UNIT_MAX` (11,000 communes) there is none, a line
says so, and the distribution chart stays.

The workbook is written in constant-memory mode: everything here comes after the last row
of the table, in increasing row order, and the charts get the values of the cells they
reference as their cache (names and indexes of at most ``PER_UNIT_MAX`` units are kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from parindex.core import xlsx_charts as charts
from parindex.core.cells import inert
from parindex.core.formatting import format_vn
from parindex.results.models import ResultGroup

INDEX_TITLE = "Chỉ số CCHC của các đơn vị"
CLASSES_TITLE = "Số đơn vị theo xếp loại"
INDEX_CHART_SHEET = "Biểu đồ chỉ số"
UNCLASSIFIED = "Chưa xếp loại"


@dataclass(frozen=True)
class ChartColumns:
    """Where the table holds the unit's name, its index and (ranking only) its class."""

    name: int
    index: int
    class_label: int | None = None


class GroupCharts:
    """Counts the classes while the rows are written (:meth:`add`), then writes the summary
    and the charts below the table (:meth:`write`)."""

    def __init__(self, group: ResultGroup, columns: ChartColumns, number_format: str) -> None:
        self.group = group
        self.columns = columns
        self.number_format = number_format
        self.counts: dict[str, int] = {}
        self.names: list[str] = []
        self.indexes: list[float | None] = []

    def add(self, values: list[Any]) -> None:
        """One row of the table, as it is written."""
        if len(self.names) <= charts.PER_UNIT_MAX:  # past it, no per-unit chart: not kept
            self.names.append(inert(str(values[self.columns.name] or "")))
            index = values[self.columns.index]
            self.indexes.append(None if index in (None, "") else float(Decimal(str(index))))
        if self.columns.class_label is not None:
            label = values[self.columns.class_label] or UNCLASSIFIED
            self.counts[label] = self.counts.get(label, 0) + 1

    def classes(self) -> list[tuple[str, int]]:
        """(class, units) best first, as the criteria set orders them (classes nobody
        reached included, so that the chart shows the whole scale)."""
        if not self.group.classified or set(self.counts) <= {UNCLASSIFIED}:
            return []
        order = [str(label) for label in self.group.stats.get("class_order") or []]
        order += [label for label in self.counts if label not in order and label != UNCLASSIFIED]
        if UNCLASSIFIED in self.counts:
            order.append(UNCLASSIFIED)
        return [(label, self.counts.get(label, 0)) for label in order]

    def write(
        self, book: Workbook, sheet: Worksheet, sheet_name: str, first_row: int, last_row: int
    ) -> None:
        """Everything below the table whose units are ``first_row``..``last_row``."""
        if last_row < first_row:
            return
        row = last_row + 2
        classes = self.classes()
        if classes:
            row = self._classes(book, sheet, sheet_name, row, classes) + 1
        self._index(book, sheet, sheet_name, row, first_row, last_row)

    def _classes(
        self,
        book: Workbook,
        sheet: Worksheet,
        sheet_name: str,
        row: int,
        classes: list[tuple[str, int]],
    ) -> int:
        """The summary table and its chart at ``row``; the first row free below them."""
        bold = book.add_format({"bold": True})
        head = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        sheet.write_string(row, 0, CLASSES_TITLE, bold)
        sheet.write_string(row + 1, 0, "Xếp loại", head)
        sheet.write_string(row + 1, 1, "Số đơn vị", head)
        first = row + 2
        for n, (label, count) in enumerate(classes):
            sheet.write_string(first + n, 0, inert(label))
            sheet.write_number(first + n, 1, count)
        last = first + len(classes) - 1
        chart = charts.pie_or_column_distribution(
            book,
            title=CLASSES_TITLE,
            categories=charts.CellRange(sheet_name, first, 0, last, 0),
            values=charts.CellRange(sheet_name, first, 1, last, 1),
            category_cache=[inert(label) for label, _ in classes],
            value_cache=[count for _, count in classes],
        )
        covered = charts.insert_chart(sheet, (row, 3), chart, rows=len(classes))
        return max(last + 1, row + covered)

    def _index(
        self,
        book: Workbook,
        sheet: Worksheet,
        sheet_name: str,
        row: int,
        first_row: int,
        last_row: int,
    ) -> None:
        names = charts.CellRange(
            sheet_name, first_row, self.columns.name, last_row, self.columns.name
        )
        where = charts.placement(names.size)
        if where is charts.Placement.SKIPPED:
            note = (
                f"Nhóm có {format_vn(names.size)} đơn vị: không vẽ biểu đồ chỉ số của từng "
                f"đơn vị (quá {charts.PER_UNIT_MAX} đơn vị, không đọc được); xem bảng ở trên."
            )
            sheet.write_string(row, 0, note, book.add_format({"italic": True}))
            return
        index = charts.CellRange(
            sheet_name, first_row, self.columns.index, last_row, self.columns.index
        )
        chart = charts.bar_chart(
            book,
            title=INDEX_TITLE,
            categories=names,
            series=[charts.Series("Chỉ số (%)", index, data_labels=True, cache=self.indexes)],
            y_title="Chỉ số (%)",
            horizontal=where is charts.Placement.IN_SHEET,
            number_format=self.number_format,
            value_max=100,
            category_cache=self.names,
        )
        if where is charts.Placement.IN_SHEET:
            charts.insert_chart(sheet, (row, 0), chart, rows=names.size, horizontal=True)
            return
        charts.add_chart_sheet(book, INDEX_CHART_SHEET, chart)
        note = f"{INDEX_TITLE}: xem trang tính “{INDEX_CHART_SHEET}”."
        sheet.write_string(row, 0, note, book.add_format({"italic": True}))
