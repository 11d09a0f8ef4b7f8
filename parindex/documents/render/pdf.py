"""PDF through LibreOffice (headless), from the same DOCX a person downloads.

Every font is embedded (PDF/A-2b). Each process keeps its own LibreOffice profile (two
``soffice`` runs on one profile collide and fail at random) and every call has a time limit.
Tables too long for Writer's layout (it needs minutes for thousands of rows) are printed
through Calc from an XLSX with the same columns, and the pages appended.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from io import BytesIO
from pathlib import Path

from django.conf import settings

from parindex.documents.errors import ConversionTimeout, DocumentError

PDFA_FILTER = '{"SelectPdfVersion":{"type":"long","value":"2"}}'
_lock = threading.Lock()


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    configured: str = settings.DOCUMENTS_SOFFICE
    return configured or shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice() is not None


_VIETNAMESE_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>vi-VN</value></prop></item>
</oor:items>
"""
"""A new profile's settings: the Vietnamese locale, so that Calc prints 97,05 (not 97.05)
from a workbook's number formats, as Excel does on a Vietnamese computer."""


def _profile_dir() -> Path:
    path = Path(settings.DOCUMENTS_WORK_DIR) / str(os.getpid())
    settings_file = path / "user" / "registrymodifications.xcu"
    if not settings_file.exists():
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        settings_file.write_text(_VIETNAMESE_LOCALE, encoding="utf-8")
    return path


def convert_to_pdf(data: bytes, suffix: str) -> bytes:
    """``data`` (a .docx or .xlsx file) as PDF/A-2b bytes."""
    program = soffice()
    if program is None:
        raise DocumentError(
            "Máy chủ chưa cài LibreOffice nên chưa tạo được PDF; hãy tải bản Word hoặc Excel."
        )
    export = "writer_pdf_Export" if suffix == "docx" else "calc_pdf_Export"
    timeout = int(settings.DOCUMENTS_CONVERT_TIMEOUT)
    with _lock, tempfile.TemporaryDirectory(prefix="parindex-pdf-") as work:
        source = Path(work) / f"van-ban.{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"pdf:{export}:{PDFA_FILTER}",
            "--outdir",
            work,
            str(source),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - fixed program and arguments
                command, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionTimeout(
                f"LibreOffice không chuyển xong sang PDF trong {timeout} giây."
            ) from exc
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise DocumentError(f"LibreOffice không chuyển được sang PDF. {detail[0]}".strip())
        return target.read_bytes()


def append_pdfs(first: bytes, rest: list[bytes]) -> bytes:
    """``first`` followed by the pages of ``rest``."""
    if not rest:
        return first
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in [first, *rest]:
        writer.append(BytesIO(part))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)
