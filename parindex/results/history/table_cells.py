"""The rows of a table file (CSV, or the first sheet of a workbook) as text, read within
the bounds of :mod:`parindex.core.bounded`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

from parindex.core.bounded import InputLimitError, check_shape, check_text, check_xlsx, csv_rows

MAX_TABLE_ROWS = 50_000
"""Result rows of one table file: a published ranking has at most a few thousand units."""

Lines = Iterator[tuple[int, list[str]]]


def table_rows(name: str, data: bytes) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a table file (CSV, or the first sheet of a workbook) with their
    row numbers, every cell as stripped text. Bounded (:mod:`parindex.core.bounded`): a
    workbook is refused before it is opened if it unpacks past ``IMPORT_MAX_UNPACKED_BYTES``,
    a cell or CSV field past ``IMPORT_MAX_FIELD_CHARS``, more than :data:`MAX_TABLE_ROWS`
    rows; each refusal is an :class:`InputLimitError` naming the file (and line)."""
    what = f"Tệp {name}"
    lower = name.lower()
    lines = _csv_lines(what, data) if lower.endswith(".csv") else _sheet_lines(lower, what, data)
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if any(cells):
            if len(rows) >= MAX_TABLE_ROWS:
                most = f"{MAX_TABLE_ROWS:,}".replace(",", ".")
                raise InputLimitError(
                    f"{what}, dòng {number}: quá {most} dòng kết quả; một bảng xếp hạng đã "
                    "công bố không dài như vậy."
                )
            rows.append((number, cells))
    return rows


def _csv_lines(what: str, data: bytes) -> Lines:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputLimitError(
            f"{what}: tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv_rows(io.StringIO(text, newline=""), what=what, delimiter=delimiter)
    for number, row in enumerate(reader, start=1):
        yield number, [c.strip() for c in row]


def _sheet_lines(lower: str, what: str, data: bytes) -> Lines:
    if not lower.endswith(".xls"):  # XLSX, XLSM, ODS: ZIP archives (an old .xls is not)
        check_xlsx(data, what=what, hint="Hãy chia nhỏ tệp theo nhóm, hoặc nhập dạng CSV.")
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        check_shape(rows=sheet.total_height, columns=sheet.total_width, what=what)
        cells_of = sheet.iter_rows()
    except InputLimitError:
        raise
    except Exception as exc:  # a damaged or password-protected workbook
        raise InputLimitError(f"{what}: không đọc được tệp Excel ({exc}).") from exc
    for number, values in enumerate(cells_of, start=1):
        cells = [cell_text(v) for v in values]
        for column, value in enumerate(cells, start=1):
            check_text(value, where=f"{what}, dòng {number}, cột {column}")
        yield number, cells


def cell_text(value: Any) -> str:
    """A workbook cell as the text a person typed (12.0 → "12", a date as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
