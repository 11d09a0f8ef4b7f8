"""Opening generated files with real programs: LibreOffice (headless) and poppler."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from parindex.documents.render.pdf import convert_to_pdf

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils is not installed"
)
ARTIFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artifacts" / "documents"


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdf_fonts(data: bytes, tmp: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF."""
    path = tmp / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in out:
        parts = line.split()
        # name type [type2] encoding emb sub uni object ID: "emb" is the 5th from the end.
        fonts.append((parts[0], parts[-5] == "yes"))
    return fonts


def first_page_png(data: bytes, name: str) -> Path:
    """Page 1 rendered by pdftoppm, kept under var/test-artifacts/documents/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    return ARTIFACTS / f"{name}.png"


def office_to_pdf(data: bytes, suffix: str) -> bytes:
    """A DOCX or XLSX opened and printed by LibreOffice: it raises if LibreOffice cannot."""
    pdf = convert_to_pdf(data, suffix)
    assert pdf.startswith(b"%PDF-")
    return pdf
