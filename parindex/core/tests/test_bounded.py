"""The shared import limits (core.bounded) and the one rule for spreadsheet cells (core.cells)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.test import override_settings

from parindex.core.bounded import InputLimitError, check_xlsx, csv_rows, json_loads
from parindex.core.cells import inert, inert_row
from parindex.core.tests.bombs import MIB, peak_memory_growth, xlsx_bomb


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _understate_sizes(data: bytes) -> bytes:
    """The same archive with every declared unpacked size set to 1 byte (a crafted bomb)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := out.find(signature, start)) != -1:
            struct.pack_into("<I", out, at + offset, 1)
            start = at + 4
    return bytes(out)


def test_a_workbook_within_the_limit_passes_and_the_file_is_rewound() -> None:
    handle = io.BytesIO(_zip({"xl/worksheets/sheet1.xml": b"<c/>" * 1000}))
    handle.seek(0)
    check_xlsx(handle, what="Tệp thử")
    assert handle.tell() == 0


def test_declared_unpacked_size_past_the_limit_is_refused(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "bom.xlsx", unpacked_bytes=300 * MIB)
    with peak_memory_growth() as memory, pytest.raises(InputLimitError) as caught:
        check_xlsx(bomb.read_bytes(), what="Tệp “bom.xlsx”")
    assert str(caught.value) == (
        "Tệp “bom.xlsx”: bảng tính quá lớn khi giải nén (tối đa 256 MB). "
        "Hãy chia nhỏ tệp, hoặc nhập dạng CSV."
    )
    assert memory.grown < 300 * MIB


@override_settings(IMPORT_MAX_UNPACKED_BYTES=1 * MIB)
def test_an_archive_that_understates_its_sizes_is_refused_without_unpacking_it() -> None:
    """Declared sizes of 1 byte: the parts are really 3 MiB; the real count refuses it."""
    crafted = _understate_sizes(_zip({"xl/worksheets/sheet1.xml": b"0" * (3 * MIB)}))
    with pytest.raises(InputLimitError) as caught:
        check_xlsx(crafted, what="Tệp")
    assert "Tệp:" in str(caught.value)


def test_not_a_workbook_is_refused_by_name() -> None:
    with pytest.raises(InputLimitError, match="không phải tệp Excel"):
        check_xlsx(b"%PDF-1.4 hello", what="Tệp “a.xlsx”")


@override_settings(IMPORT_MAX_FIELD_CHARS=10)
def test_a_csv_field_past_the_limit_names_its_line() -> None:
    lines = io.StringIO('a,b\n1,2\n3,"' + "x" * 50 + '"\n')
    with pytest.raises(InputLimitError) as caught:
        list(csv_rows(lines, what="Tệp “dot-1.csv”"))
    assert str(caught.value) == (
        "Tệp “dot-1.csv”, dòng 3, cột 2: nội dung dài 50 ký tự, tối đa 10 ký tự."
    )


def test_a_csv_field_past_the_standard_librarys_own_limit_is_a_clear_refusal() -> None:
    """131,072 characters made csv raise an error that named no line."""
    lines = io.StringIO("a\n" + "y" * 200_000 + "\n")
    with pytest.raises(InputLimitError, match=r"dòng 2: có ô dài hơn 32\.767 ký tự"):
        list(csv_rows(lines))


@override_settings(IMPORT_MAX_COLUMNS=3, IMPORT_MAX_ROWS=2)
def test_csv_columns_and_rows_past_the_limits() -> None:
    with pytest.raises(InputLimitError, match="dòng 1: có 4 cột, tối đa 3 cột"):
        list(csv_rows(io.StringIO("a,b,c,d\n")))
    with pytest.raises(InputLimitError, match="quá 2 dòng"):
        list(csv_rows(io.StringIO("a\nb\nc\n")))
    assert list(csv_rows(io.StringIO("a,b\nc,d\n"))) == [["a", "b"], ["c", "d"]]


def test_json_with_a_5000_digit_integer_is_refused_with_a_message() -> None:
    with pytest.raises(InputLimitError, match="5.000 chữ số, tối đa 30 chữ số"):
        json_loads('{"max": ' + "9" * 5000 + "}", what="Tệp JSON")
    with pytest.raises(InputLimitError, match=r"dòng 1, cột 2"):
        json_loads("{,}")
    assert json_loads('{"a": 12, "b": -3}') == {"a": 12, "b": -3}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x","bấm")', '\'=HYPERLINK("http://x","bấm")'),
        ("+1+2", "'+1+2"),
        ("-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1,5", "-1,5"),
        ("-3", "-3"),
        ("UBND xã Liêm Tuyền", "UBND xã Liêm Tuyền"),
        ("", ""),
    ],
)
def test_inert_quotes_formula_like_text_only(text: str, expected: str) -> None:
    assert inert(text) == expected


def test_inert_leaves_numbers_and_empty_cells() -> None:
    assert inert_row([-1, 2.5, None, "=1"]) == [-1, 2.5, None, "'=1"]
