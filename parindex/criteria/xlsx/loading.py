"""Opening an uploaded workbook: refusing what is not a small, sound .xlsx, and reading the
raw rows of the sheets that import reads."""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

from parindex.core.bounded import InputLimitError, check_xlsx, limits
from parindex.core.text import fold
from parindex.criteria.xlsx.cells import blank
from parindex.criteria.xlsx.layout import SHEET_BANDS, SHEET_INFO, SHEET_NODES
from parindex.engine.errors import InputError

MAX_ROWS = 5000
"""Data rows allowed in one sheet."""
MAX_SCANNED_ROWS = 100_000
"""Rows (blank ones included) read before giving up: a sheet formatted to row 1,048,576."""
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
"""Total unpacked size of the workbook's parts (a small file that unpacks to gigabytes),
checked by :func:`parindex.core.bounded.check_xlsx`: tighter than the setting
``IMPORT_MAX_UNPACKED_BYTES`` of the other imports."""
MAX_COLUMNS = 40

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Rows = list[tuple[Any, ...]]
"""A sheet's rows as read: cell values, blank rows included."""


def load_sheets(data: bytes) -> dict[str, Rows]:
    """The rows of «Tiêu chí», «Thông tin» and «Xếp loại» (those present, found by folded
    name). Raises :class:`InputError` for a file that is not a sound, small enough .xlsx."""
    _refuse_if_not_xlsx(data)
    _check_size(data)
    return _read_sheets(data)


def _refuse_if_not_xlsx(data: bytes) -> None:
    if not data:
        raise InputError(["tệp rỗng (0 byte)"])
    if data[:8] == _OLE_MAGIC:
        raise InputError(
            [
                "đây là tệp Excel cũ (.xls) hoặc tệp đã đặt mật khẩu; hãy mở bằng Excel, bỏ "
                "mật khẩu nếu có và «Lưu thành» Sổ làm việc Excel (.xlsx) rồi tải lên lại"
            ]
        )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise InputError(["tệp không phải là bảng tính Excel (.xlsx)"])
    try:
        with zipfile.ZipFile(buffer) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise InputError(
                    ["tệp nén không phải là bảng tính Excel (.xlsx): thiếu xl/workbook.xml"]
                )
    except zipfile.BadZipFile as exc:
        raise InputError([f"tệp .xlsx bị hỏng: {exc}"]) from exc


def _check_size(data: bytes) -> None:
    try:  # the shared rule of every import, tighter here (a criteria set is small)
        limit = min(MAX_UNCOMPRESSED_BYTES, limits().unpacked_bytes)
        check_xlsx(
            data,
            what="Tệp bộ tiêu chí",
            max_unpacked=limit,
            hint="Hãy bỏ bớt nội dung thừa, hoặc nhập dạng JSON.",
        )
    except InputLimitError as exc:
        raise InputError([str(exc)]) from exc


def _read_sheets(data: bytes) -> dict[str, Rows]:
    import openpyxl

    wanted = {
        fold(SHEET_NODES): SHEET_NODES,
        fold(SHEET_INFO): SHEET_INFO,
        fold(SHEET_BANDS): SHEET_BANDS,
    }
    sheets: dict[str, Rows] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                for title in workbook.sheetnames:
                    name = wanted.get(fold(title))
                    if name is None or name in sheets:
                        continue
                    worksheet = workbook[title]
                    if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                        continue
                    sheets[name] = _sheet_rows(name, worksheet)
            finally:
                workbook.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl/XML errors of a damaged file are of many kinds
        raise InputError(
            [
                f"không đọc được tệp .xlsx (tệp bị hỏng hoặc không đúng định dạng: "
                f"{type(exc).__name__})"
            ]
        ) from exc
    return sheets


def _sheet_rows(name: str, worksheet: Any) -> Rows:
    rows: Rows = []
    filled = 0
    for number, values in enumerate(
        worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_SCANNED_ROWS:
            raise InputError(
                [
                    f"Sheet «{name}» có quá nhiều dòng (hơn {_thousands(MAX_SCANNED_ROWS)} dòng kể "
                    "cả dòng trống); hãy xóa các dòng thừa ở cuối sheet"
                ]
            )
        row = tuple(values)
        if any(not blank(v) for v in row):
            filled += 1
            if filled > MAX_ROWS + 1:  # the header row is not a data row
                limit = _thousands(MAX_ROWS)
                raise InputError(
                    [f"Sheet «{name}» có hơn {limit} dòng dữ liệu; tối đa {limit} dòng"]
                )
        rows.append(row)
    return rows


def _thousands(number: int) -> str:
    """5000 as Vietnamese write it: 5.000."""
    return f"{number:,}".replace(",", ".")
