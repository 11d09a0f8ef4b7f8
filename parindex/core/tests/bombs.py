"""Test helpers: spreadsheets that unpack to far more than they weigh ("zip bombs").

Used by the import tests (surveys, history, criteria) to check that every XLSX reader
refuses a workbook past ``IMPORT_MAX_UNPACKED_BYTES`` before it unpacks it. The archive is
written in constant memory (chunks streamed into the ZIP entry), so a test can build a file
that unpacks to hundreds of MiB without using that memory itself.

:func:`peak_memory_growth` measures how far the process's peak resident memory rose during
a block, to show that a refusal came before the memory was used.
"""

from __future__ import annotations

import resource
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
_ROW = "<row>" + "<c><v>1</v></c>" * 64 + "</row>"
_CHUNK_ROWS = 1024


def xlsx_bomb(path: Path, *, unpacked_bytes: int) -> Path:
    """Write at ``path`` a valid-looking XLSX whose one sheet part unpacks to at least
    ``unpacked_bytes`` bytes (rows of ``<c><v>1</v></c>``), compressed with DEFLATE so the
    file itself stays small (about 1/1000 of that). Constant memory. Returns ``path``."""
    path = Path(path)
    chunk = (_ROW * _CHUNK_ROWS).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD.encode())
            written = len(SHEET_HEAD)
            while written < unpacked_bytes:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(SHEET_TAIL.encode())
    return path


@dataclass
class PeakMemory:
    grown: int = 0
    """Bytes by which the peak resident memory rose during the block (set at its end)."""
    exact: bool = False
    """True when the peak could be reset at the start (Linux ``/proc/self/clear_refs``):
    then any allocation in the block counts, not only one above an earlier peak."""


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _peak_bytes() -> int:
    peak = _status_kib("VmHWM")
    if peak is not None:
        return peak * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


@contextmanager
def peak_memory_growth() -> Iterator[PeakMemory]:
    """``with peak_memory_growth() as memory: ...`` then ``memory.grown`` (bytes). Resets
    the peak first where Linux allows it (writing 5 to ``/proc/self/clear_refs``), so an
    earlier, higher peak of the test process does not hide the block's own."""
    measured = PeakMemory()
    try:
        Path("/proc/self/clear_refs").write_text("5")
        measured.exact = True
    except OSError:
        measured.exact = False
    start = _peak_bytes()
    yield measured
    measured.grown = _peak_bytes() - start
