"""The oversight export (XLSX): the filtered task list, the table per unit and the table per
criterion with a bar chart of the points at stake, from the selectors of
:mod:`parindex.remediation.oversight` (the page's own rows). Numbers are numbers, dates are
dates; every text typed by a person is made inert (:func:`parindex.core.cells.inert`).

Written in XlsxWriter's constant-memory mode: 11,000 communes' tasks are streamed from the
database in chunks, row after row, sheet after sheet.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from parindex.core.cells import inert
from parindex.core.formatting import fmt_time
from parindex.core.xlsx_charts import (
    CellRange,
    Placement,
    Series,
    add_chart_sheet,
    bar_chart,
    insert_chart,
    placement,
)
from parindex.periods.models import Period
from parindex.remediation.models import RemediationTask
from parindex.remediation.oversight import (
    Totals,
    criterion_rows,
    is_overdue,
    task_rows,
    totals,
    unit_rows,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TASKS_SHEET = "Nhiệm vụ"
UNITS_SHEET = "Theo đơn vị"
CRITERIA_SHEET = "Theo tiêu chí"
CHART_SHEET = "Biểu đồ tiêu chí"

TASK_COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Mã đơn vị", 16),
    ("Đơn vị", 32),
    ("Mã tiêu chí", 10),
    ("Điểm chuẩn", 10),
    ("Điểm tự đánh giá", 11),
    ("Điểm thẩm định", 11),
    ("Điểm bị trừ", 10),
    ("Ý kiến Hội đồng thẩm định", 40),
    ("Biện pháp khắc phục", 45),
    ("Người thực hiện", 22),
    ("Bộ phận thực hiện", 22),
    ("Hạn hoàn thành", 12),
    ("Trạng thái", 16),
    ("Quá hạn", 8),
    ("Kết quả thực hiện / lý do dừng", 40),
    ("Cập nhật lúc", 16),
)
UNIT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Mã đơn vị", 16),
    ("Đơn vị", 40),
    ("Số nhiệm vụ", 11),
    ("Đã hoàn thành", 11),
    ("Quá hạn", 9),
    ("Điểm chưa khắc phục", 13),
    ("Cập nhật lần cuối", 17),
)
CRITERION_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Mã tiêu chí", 10),
    ("Tiêu chí", 60),
    ("Số đơn vị có nhiệm vụ", 12),
    ("Số nhiệm vụ", 11),
    ("Quá hạn", 9),
    ("Điểm chưa khắc phục", 13),
)
HEAD_ROW = 3
"""Zero-based row of every table's header (title, filters and a blank line above)."""


class _Formats:
    def __init__(self, book: Any) -> None:
        self.head = book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.text = book.add_format({"valign": "top"})
        self.points = book.add_format({"num_format": "0.00", "valign": "top"})
        self.integer = book.add_format({"num_format": "0", "valign": "top"})
        self.date = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
        self.time = book.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"})


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _header(sheet: Any, fmt: _Formats, title: str, note: str, columns: Iterable[Any]) -> None:
    sheet.write_string(0, 0, title, fmt.bold)
    sheet.write_string(1, 0, note)
    for col, (label, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(HEAD_ROW, col, label, fmt.head)


def _cell(sheet: Any, row: int, col: int, value: Any, cell_format: Any) -> None:
    """A number, a date or nothing (an empty cell, never the text "None")."""
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), cell_format)
    else:
        sheet.write_datetime(row, col, value, cell_format)


def _local(moment: datetime.datetime) -> datetime.datetime:
    """Local wall time without the zone (Excel has none)."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _person(task: RemediationTask) -> str:
    officer = task.officer
    return (officer.get_full_name() or officer.get_username()) if officer else ""


def _task_sheet(book: Any, fmt: _Formats, tasks: QuerySet[RemediationTask], note: str) -> None:
    sheet = book.add_worksheet(TASKS_SHEET)
    _header(sheet, fmt, "Danh sách nhiệm vụ khắc phục", note, TASK_COLUMNS)
    today = timezone.localdate()
    line = HEAD_ROW + 1
    for n, task in enumerate(task_rows(tasks), start=1):
        texts = {
            1: task.unit.code,
            2: task.unit.name,
            3: task.node_code,
            8: task.council_comment,
            9: task.action,
            10: _person(task),
            11: task.section.name if task.section else "",
            13: task.get_status_display(),
            14: "Quá hạn" if is_overdue(task, today) else "",
            15: task.result if task.status != "dropped" else task.drop_reason,
        }
        sheet.write_number(line, 0, n, fmt.integer)
        for col, text in texts.items():
            sheet.write_string(line, col, str(inert(text)), fmt.wrap)
        for col, value in (
            (4, task.max_points),
            (5, task.self_points),
            (6, task.appraised_points),
            (7, task.points_lost),
        ):
            _cell(sheet, line, col, _number(value), fmt.points)
        sheet.write_datetime(line, 12, task.due_date, fmt.date)
        sheet.write_datetime(line, 16, _local(task.updated_at), fmt.time)
        line += 1
    sheet.freeze_panes(HEAD_ROW + 1, 3)
    sheet.autofilter(HEAD_ROW, 0, max(line - 1, HEAD_ROW), len(TASK_COLUMNS) - 1)


def _cards(sheet: Any, fmt: _Formats, line: int, cards: Totals) -> None:
    """The summary cards under the per-unit table."""
    rows: tuple[tuple[str, Any], ...] = (
        ("Số đơn vị có nhiệm vụ", cards.units),
        ("Tổng số nhiệm vụ", cards.tasks),
        ("Chưa thực hiện", cards.open),
        ("Đang thực hiện", cards.in_progress),
        ("Đã hoàn thành", cards.done),
        ("Không thực hiện", cards.dropped),
        ("Quá hạn", cards.overdue),
        ("Điểm chưa khắc phục", cards.at_stake),
    )
    for label, value in rows:
        sheet.write_string(line, 2, label, fmt.bold)
        number = fmt.points if isinstance(value, Decimal) else fmt.integer
        sheet.write_number(line, 3, float(value), number)
        line += 1


def _unit_sheet(
    book: Any, fmt: _Formats, tasks: QuerySet[RemediationTask], note: str, cards: Totals
) -> None:
    sheet = book.add_worksheet(UNITS_SHEET)
    _header(sheet, fmt, "Nhiệm vụ khắc phục theo đơn vị", note, UNIT_COLUMNS)
    line = HEAD_ROW + 1
    for n, row in enumerate(unit_rows(tasks, timezone.localdate()).iterator(), start=1):
        sheet.write_number(line, 0, n, fmt.integer)
        sheet.write_string(line, 1, str(inert(row["unit__code"])), fmt.text)
        sheet.write_string(line, 2, str(inert(row["unit__name"])), fmt.wrap)
        for col, key in ((3, "tasks"), (4, "done"), (5, "overdue")):
            sheet.write_number(line, col, row[key], fmt.integer)
        sheet.write_number(line, 6, float(row["at_stake"] or 0), fmt.points)
        _cell(sheet, line, 7, _local(row["last"]) if row["last"] else None, fmt.time)
        line += 1
    sheet.freeze_panes(HEAD_ROW + 1, 3)
    _cards(sheet, fmt, line + 1, cards)


def _criterion_sheet(book: Any, fmt: _Formats, tasks: QuerySet[RemediationTask], note: str) -> None:
    rows = criterion_rows(tasks, timezone.localdate())
    sheet = book.add_worksheet(CRITERIA_SHEET)
    _header(sheet, fmt, "Nhiệm vụ khắc phục theo tiêu chí", note, CRITERION_COLUMNS)
    line = HEAD_ROW + 1
    for row in rows:
        sheet.write_string(line, 0, str(inert(row["node_code"])), fmt.text)
        sheet.write_string(line, 1, str(inert(row["node__name"])), fmt.wrap)
        for col, key in ((2, "units"), (3, "tasks"), (4, "overdue")):
            sheet.write_number(line, col, row[key], fmt.integer)
        sheet.write_number(line, 5, float(row["at_stake"] or 0), fmt.points)
        line += 1
    sheet.freeze_panes(HEAD_ROW + 1, 2)
    _chart(book, sheet, rows, line)


def _chart(book: Any, sheet: Any, rows: list[dict[str, Any]], line: int) -> None:
    """Bars of the points at stake per criterion, drawn from the table's cells (decided
    before the chart is made: XlsxWriter writes every chart it created)."""
    where = placement(len(rows))
    if where is Placement.SKIPPED:
        return
    first, last = HEAD_ROW + 1, HEAD_ROW + len(rows)
    chart = bar_chart(
        book,
        title="Điểm chưa khắc phục theo tiêu chí",
        categories=CellRange(CRITERIA_SHEET, first, 0, last, 0),
        category_cache=[r["node_code"] for r in rows],
        series=[
            Series(
                "Điểm chưa khắc phục",
                CellRange(CRITERIA_SHEET, first, 5, last, 5),
                data_labels=True,
                cache=[float(r["at_stake"] or 0) for r in rows],
            )
        ],
        y_title="Điểm",
        x_title="Tiêu chí",
        horizontal=True,
    )
    if where is Placement.IN_SHEET:
        insert_chart(sheet, (line + 1, 1), chart, rows=len(rows), horizontal=True)
    else:
        add_chart_sheet(book, CHART_SHEET, chart)


def oversight_xlsx(period: Period, tasks: QuerySet[RemediationTask], *, filters_text: str) -> bytes:
    """The workbook of ``tasks`` (already filtered): the list, per unit (with the summary
    cards under it) and per criterion (with its chart)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    fmt = _Formats(book)
    note = (
        f"{period.name} · {period.jurisdiction.name} · {filters_text or 'Tất cả nhiệm vụ'}"
        f" · Xuất lúc {fmt_time(timezone.now())}"
    )
    cards = totals(tasks, timezone.localdate())
    _task_sheet(book, fmt, tasks, note)
    _unit_sheet(book, fmt, tasks, note, cards)
    _criterion_sheet(book, fmt, tasks, note)
    book.close()
    return buffer.getvalue()
