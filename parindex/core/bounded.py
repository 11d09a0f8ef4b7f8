"""Bounded reading of uploaded spreadsheets and JSON: one set of limits for every import.

An XLSX file is a ZIP archive: 3 MB can unpack to gigabytes, and a reader that unpacks it
(openpyxl, calamine) holds it in memory. A CSV field or a JSON integer can be long enough to
make the standard library raise instead of answer. Every import (criteria, history, survey)
reads through this module, in the web process and in the worker, so each refuses at the
same documented limits (``IMPORT_*`` in docs/configuration.md) with a located Vietnamese
message, before it has used the memory.

* :func:`check_xlsx` looks at the archive before any reader opens it: the declared sizes,
  then the real unpacked size, counted by decompressing each part in constant memory (a
  crafted archive can declare less than it holds).
* :func:`csv_rows` wraps :func:`csv.reader`: row count, column count and field length.
* :func:`check_text` is the same field rule for a cell read from a workbook.
* :func:`json_loads` refuses integers with too many digits (Python refuses past 4,300 with
  a ValueError that names no place) and reports the line and column of a syntax error.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

MIB = 1024 * 1024
_CHUNK = 1024 * 1024


class InputLimitError(ValueError):
    """Input past a limit, or unreadable; ``str()`` is the Vietnamese message for the user."""


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int
    rows: int
    columns: int
    field_chars: int
    integer_digits: int


def limits() -> Limits:
    """The installation's limits (settings ``IMPORT_MAX_*``), read at call time."""
    return Limits(
        unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
        rows=settings.IMPORT_MAX_ROWS,
        columns=settings.IMPORT_MAX_COLUMNS,
        field_chars=settings.IMPORT_MAX_FIELD_CHARS,
        integer_digits=settings.IMPORT_MAX_INTEGER_DIGITS,
    )


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f}".replace(",", ".")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_xlsx(
    source: bytes | IO[bytes],
    *,
    what: str = "Tệp",
    max_unpacked: int | None = None,
    hint: str = "Hãy chia nhỏ tệp, hoặc nhập dạng CSV.",
) -> None:
    """Raise :class:`InputLimitError` unless ``source`` is a ZIP archive (an XLSX workbook)
    whose parts unpack to at most ``max_unpacked`` bytes (default: the setting). Reads in
    constant memory; a file object is rewound afterwards. ``hint`` ends the "too big"
    message (what the user can do instead)."""
    limit = limits().unpacked_bytes if max_unpacked is None else max_unpacked
    handle: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    start = handle.tell()
    too_big = (f"{what}: bảng tính quá lớn khi giải nén (tối đa {_mib(limit)} MB). {hint}").rstrip()
    try:
        if not zipfile.is_zipfile(handle):
            raise InputLimitError(f"{what}: không phải tệp Excel (.xlsx) hợp lệ.")
        handle.seek(start)
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            if sum(info.file_size for info in members) > limit:
                raise InputLimitError(too_big)
            total = 0
            for info in members:
                with archive.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise InputLimitError(too_big)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        NotImplementedError,  # a compression method zipfile does not know: not an XLSX
    ) as exc:
        raise InputLimitError(f"{what}: tệp Excel bị hỏng, không đọc được ({exc}).") from exc
    finally:
        handle.seek(start)


def check_text(value: str, *, where: str, field_chars: int | None = None) -> str:
    """``value`` if it is at most the field limit long, else :class:`InputLimitError`
    naming ``where`` (e.g. "Dòng 12, cột «Ý kiến»")."""
    limit = limits().field_chars if field_chars is None else field_chars
    if len(value) > limit:
        raise InputLimitError(
            f"{where}: nội dung dài {_number(len(value))} ký tự, tối đa {_number(limit)} ký tự."
        )
    return value


def check_shape(*, rows: int, columns: int, what: str = "Tệp") -> None:
    """Refuse a sheet with more rows or columns than the limits (e.g. from its dimension)."""
    bound = limits()
    if rows > bound.rows:
        raise InputLimitError(
            f"{what}: có {_number(rows)} dòng, tối đa {_number(bound.rows)} dòng mỗi lần nhập."
        )
    if columns > bound.columns:
        raise InputLimitError(
            f"{what}: có {_number(columns)} cột, tối đa {_number(bound.columns)} cột."
        )


def csv_rows(
    lines: Iterable[str], *, what: str = "Tệp CSV", first_line: int = 1, **reader_options: Any
) -> Iterator[list[str]]:
    """Rows of a CSV text as :func:`csv.reader` gives them, refusing (with the line number)
    a field longer than the limit, a row with more columns than the limit, more rows than
    the limit, and malformed quoting. ``first_line`` is the number of the first line read."""
    bound = limits()
    # The csv module's own limit (131,072 by default) raises an error that names no line;
    # ours is checked below with the line number, so let the parser read one more.
    csv.field_size_limit(max(bound.field_chars + 1, 1024))
    reader = csv.reader(lines, **reader_options)
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = first_line + reader.line_num - 1
            if "field larger than field limit" in str(exc):
                raise InputLimitError(
                    f"{what}, dòng {_number(line)}: có ô dài hơn {_number(bound.field_chars)}"
                    " ký tự."
                ) from exc
            raise InputLimitError(f"{what}, dòng {_number(line)}: không đọc được ({exc}).") from exc
        count += 1
        line = first_line + reader.line_num - 1
        if count > bound.rows:
            raise InputLimitError(
                f"{what}: quá {_number(bound.rows)} dòng (dòng {_number(line)}); hãy chia nhỏ tệp."
            )
        if len(row) > bound.columns:
            raise InputLimitError(
                f"{what}, dòng {_number(line)}: có {_number(len(row))} cột,"
                f" tối đa {_number(bound.columns)} cột."
            )
        for column, value in enumerate(row, start=1):
            if len(value) > bound.field_chars:
                raise InputLimitError(
                    f"{what}, dòng {_number(line)}, cột {column}: nội dung dài"
                    f" {_number(len(value))} ký tự, tối đa {_number(bound.field_chars)} ký tự."
                )
        yield row


def json_loads(text: str | bytes, *, what: str = "Tệp JSON") -> Any:
    """``json.loads`` that refuses integers past the digit limit and names the line and
    column of a syntax error, in Vietnamese."""
    digits = limits().integer_digits

    def parse_int(literal: str) -> int:
        if len(literal.lstrip("-")) > digits:
            raise InputLimitError(
                f"{what}: có số nguyên dài {_number(len(literal.lstrip('-')))} chữ số,"
                f" tối đa {digits} chữ số."
            )
        return int(literal)

    try:
        return json.loads(text, parse_int=parse_int)
    except InputLimitError:
        raise
    except json.JSONDecodeError as exc:
        raise InputLimitError(
            f"{what}: không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg})."
        ) from exc
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise InputLimitError(f"{what}: không đọc được nội dung JSON ({exc}).") from exc
