"""Reading the published table (XLSX, CSV, ODS; the template's columns or the open data
download): the header row, then every row checked, each problem naming its row and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parindex.core.bounded import InputLimitError
from parindex.organizations.models import UnitGroup
from parindex.results.history.columns import (
    COLUMNS_BY_HEADER,
    DETAIL_KEYS,
    IGNORED_HEADERS,
    KINDS,
    TEMPLATE_COLUMNS,
    header_key,
)
from parindex.results.history.parsed import HistoryRow
from parindex.results.history.reader import Reader
from parindex.results.history.table_cells import table_rows
from parindex.results.history.values import parse_decimal, parse_whole, quoted

HEADER_SEARCH = 30
"""Rows searched for the header row (the open data XLSX has a header block above it)."""
_NOT_DETAIL = ("code", "name", "group", "parent")


@dataclass(frozen=True)
class _Layout:
    """Where the header row is and which cell holds which column."""

    line: int
    columns: dict[str, int]
    """Column key → cell index."""
    labels: dict[str, str]
    """Column key → the heading as written in the file."""


class _Line:
    """One row below the header; :meth:`bad` records a problem at one of its cells."""

    def __init__(
        self, reader: Reader, prefix: str, layout: _Layout, number: int, cells: list[str]
    ) -> None:
        self.reader, self.prefix, self.layout = reader, prefix, layout
        self.number, self.cells = number, cells
        self.ok = True

    def cell(self, key: str) -> str:
        col = self.layout.columns.get(key)
        return self.cells[col].strip() if col is not None and col < len(self.cells) else ""

    def bad(self, key: str, message: str) -> None:
        self.reader.err(
            f"{self.prefix}Dòng {self.number}, cột “{self.layout.labels[key]}”: {message}."
        )
        self.ok = False


def read_table(reader: Reader, name: str, data: bytes) -> None:
    """Every row of the table file ``name`` below its header row."""
    prefix = reader.prefix(name)
    try:
        lines = table_rows(name, data)
    except InputLimitError as exc:
        reader.err(str(exc))
        return
    header = next(
        (
            (number, cells)
            for number, cells in lines
            if number <= HEADER_SEARCH and any(header_key(c) == "ma don vi" for c in cells)
        ),
        None,
    )
    if header is None:
        reader.err(f"{prefix}Không tìm thấy dòng tiêu đề có cột “Mã đơn vị” (hãy dùng mẫu tải về).")
        return
    layout = _layout(reader, prefix, *header)
    if layout is None:
        return
    count = 0
    for number, cells in lines:
        if number <= layout.line:
            continue
        count += 1
        _read_line(_Line(reader, prefix, layout, number, cells), name)
    if not count:
        reader.err(f"{prefix}Không có dòng kết quả nào dưới dòng tiêu đề.")


def _layout(reader: Reader, prefix: str, line: int, headings: list[str]) -> _Layout | None:
    """The columns of the header row; None (with the problem) when one is missing."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for col, heading in enumerate(headings):
        if not heading:
            continue
        key = header_key(heading)
        column = COLUMNS_BY_HEADER.get(key)
        if column is None:
            if key not in IGNORED_HEADERS:
                ignored.append(heading)
            continue
        if column.key in columns:
            reader.err(f"{prefix}Dòng {line}: cột “{heading}” lặp lại.")
            continue
        columns[column.key] = col
        labels[column.key] = heading
    required = ["code", "name", "index"] + ([] if reader.forced else ["group"])
    absent = [c.label for c in TEMPLATE_COLUMNS if c.key in required and c.key not in columns]
    if absent:
        reader.err(f"{prefix}Dòng {line}: thiếu cột " + ", ".join(f"“{a}”" for a in absent) + ".")
        return None
    if ignored:
        reader.warnings.append(
            f"{prefix}Bỏ qua các cột không có trong mẫu: "
            + ", ".join(f"“{c}”" for c in ignored)
            + "."
        )
    return _Layout(line, columns, labels)


def _read_line(line: _Line, name: str) -> None:
    """The row's unit, added to its group when every cell is right."""
    reader, prefix, number = line.reader, line.prefix, line.number
    code, unit_name = line.cell("code"), line.cell("name")
    _check_code_and_name(line, code, unit_name)
    group = _group(line)
    detail: dict[str, Any] = {"unit": code, "name": unit_name}
    for key, kind in KINDS.items():
        if key not in _NOT_DETAIL and key in line.layout.columns:
            _read_cell(line, detail, key, kind)
    if not line.ok or group is None:
        return
    where = f"{prefix}Dòng {number}"
    sentence = f"dòng {number}" + (f" của tệp {name}" if prefix else "")
    if not reader.unique(code, where, sentence):
        return
    detail["group"] = group.name
    target = reader.new_group(group, name, "table")
    target.rows.append(
        HistoryRow(
            where=where,
            line=sentence,
            code=code,
            name=unit_name,
            group=group,
            detail=detail,
            source=name,
            survey="survey" in detail,
            leader_rating=line.cell("leader_rating"),
            parent_name=line.cell("parent")[:300],
        )
    )


def _check_code_and_name(line: _Line, code: str, unit_name: str) -> None:
    if not code:
        line.bad("code", "thiếu mã đơn vị")
    elif len(code) > 50:
        line.bad("code", "mã đơn vị dài quá 50 ký tự")
    if not unit_name:
        line.bad("name", "thiếu tên đơn vị")
    elif len(unit_name) > 300:
        line.bad("name", "tên đơn vị dài quá 300 ký tự")


def _group(line: _Line) -> UnitGroup | None:
    """The row's unit group: the one chosen for the whole file unless the row names one."""
    forced = line.reader.forced
    if forced is not None and not line.cell("group"):
        return forced
    text = line.cell("group")
    if not text:
        line.bad("group", "thiếu mã nhóm đơn vị")
        return None
    group = line.reader.lookup(text)
    if group is None:
        line.bad("group", line.reader.unknown_group(text))
    return group


def _read_cell(line: _Line, detail: dict[str, Any], key: str, kind: str) -> None:
    """The cell of column ``key`` checked into ``detail`` (decimal string or int)."""
    text = line.cell(key)
    if kind == "text":
        if len(text) > 100:
            line.bad(key, "dài quá 100 ký tự")
        elif text and key == "class_label":
            detail["class"] = text
        return
    if not text:
        if key == "index":
            line.bad(key, "thiếu chỉ số")
        return
    if kind in ("rank", "int"):
        whole = parse_whole(text, kind)
        if isinstance(whole, str):
            line.bad(key, f"{whole}, không phải {quoted(text)}")
        else:
            detail[key] = whole
        return
    value = parse_decimal(text, kind)
    if isinstance(value, str):
        line.bad(key, f"{value}, không phải {quoted(text)}")
    else:
        detail[DETAIL_KEYS.get(key, key)] = format(value, "f")
