"""Reading an import file: the rows of a CSV or a workbook as stripped text, bounded by the
``IMPORT_MAX_*`` settings (:mod:`parindex.core.bounded`); a workbook is measured unpacked
before any reader opens it."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError

from parindex.core.bounded import InputLimitError, check_shape, check_xlsx, limits

ZIPPED = (".xlsx", ".xlsm", ".ods")
"""Workbooks that are ZIP archives: measured unpacked before a reader opens them."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _refused(exc: InputLimitError) -> ValidationError:
    return ValidationError(str(exc))


def check_workbook(name: str, data: bytes) -> None:
    """Refuse (ValidationError) a workbook that unpacks past ``IMPORT_MAX_UNPACKED_BYTES``,
    before any reader opens it (a CSV or an old .xls has nothing to unpack)."""
    if name.lower().endswith(ZIPPED):
        try:
            check_xlsx(data, what=f"Tệp “{name}”")
        except InputLimitError as exc:
            raise _refused(exc) from exc


def read_table(name: str, data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV (UTF-8, comma, semicolon or tab) or XLSX/XLS/ODS file (first
    sheet), every cell as stripped text. Bounded by the ``IMPORT_MAX_*`` settings: past
    them a ValidationError names the line (and the column)."""
    lower = name.lower()
    what = f"Tệp “{name}”"
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
            ) from exc
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        yield from _csv_table(what, text, delimiter)
        return
    if lower.endswith((*ZIPPED, ".xls")):
        yield from _workbook_table(name, what, data)
        return
    raise ValidationError("Chỉ nhận tệp CSV hoặc Excel (.xlsx).")


def _workbook_table(name: str, what: str, data: bytes) -> Iterator[list[str]]:
    """The workbook reader of :func:`read_table` (its first sheet, every cell as text)."""
    check_workbook(name, data)
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        check_shape(rows=sheet.total_height, columns=sheet.total_width, what=what)
        rows = sheet.iter_rows()
    except InputLimitError as exc:
        raise _refused(exc) from exc
    except Exception as exc:  # a damaged or password-protected workbook
        raise ValidationError(f"Không đọc được tệp Excel “{name}”: {exc}.") from exc
    longest = limits().field_chars
    for number, cells in enumerate(rows, start=1):
        row = [_cell(c) for c in cells]
        if row and max(map(len, row)) > longest:
            column = next(i for i, value in enumerate(row, start=1) if len(value) > longest)
            raise ValidationError(
                f"{what}, dòng {_number(number)}, cột {column}: nội dung dài "
                f"{_number(len(row[column - 1]))} ký tự, tối đa {_number(longest)} ký tự."
            )
        yield row


def _csv_table(what: str, text: str, delimiter: str) -> Iterator[list[str]]:
    """The CSV reader of :func:`read_table`: the fast path of a million-row import, so the
    field limit is the csv module's own (raised as csv.Error, reported here with the line)
    and only the row's length is checked in Python."""
    bound = limits()
    # As parindex.core.bounded.csv_rows: the parser refuses a field past the limit.
    csv.field_size_limit(max(bound.field_chars + 1, 1024))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns, rows = bound.columns, bound.rows + 1  # the header row is not a form
    try:
        for count, row in enumerate(reader, start=1):
            if len(row) > columns:
                raise ValidationError(
                    f"{what}, dòng {_number(reader.line_num)}: có {_number(len(row))} cột, "
                    f"tối đa {_number(columns)} cột."
                )
            if count > rows:
                raise ValidationError(
                    f"{what}: quá {_number(bound.rows)} dòng (dòng {_number(reader.line_num)}); "
                    "hãy chia nhỏ tệp."
                )
            yield list(map(str.strip, row))
    except csv.Error as exc:
        line = _number(reader.line_num)
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                f"{what}, dòng {line}: có ô dài hơn {_number(bound.field_chars)} ký tự "
                "(giới hạn của một ô); hãy sửa ô này rồi nhập lại."
            ) from exc
        raise ValidationError(f"{what}, dòng {line}: không đọc được ({exc}).") from exc
