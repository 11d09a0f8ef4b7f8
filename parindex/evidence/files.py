"""What an uploaded evidence file must be: its clean name, size, extension and real type."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from typing import Protocol

import magic
from django.core.exceptions import ValidationError

from parindex.evidence.signatures import PDF_HEADER
from parindex.evidence.validation import check_pdf
from parindex.periods.models import Period

SNIFF_BYTES = 64 * 1024
"""python-magic needs the first kilobytes (OOXML is told from a plain ZIP by its entries)."""

OOXML = "application/vnd.openxmlformats-officedocument"
OLE = frozenset({"application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office"})
ODF = "application/vnd.oasis.opendocument"
ZIP = "application/zip"

EXTENSION_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "docx": frozenset({f"{OOXML}.wordprocessingml.document", ZIP}),
    "xlsx": frozenset({f"{OOXML}.spreadsheetml.sheet", ZIP}),
    "pptx": frozenset({f"{OOXML}.presentationml.presentation", ZIP}),
    "doc": frozenset({"application/msword"}) | OLE,
    "xls": frozenset({"application/vnd.ms-excel"}) | OLE,
    "ppt": frozenset({"application/vnd.ms-powerpoint"}) | OLE,
    "odt": frozenset({f"{ODF}.text", ZIP}),
    "ods": frozenset({f"{ODF}.spreadsheet", ZIP}),
    "odp": frozenset({f"{ODF}.presentation", ZIP}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "png": frozenset({"image/png"}),
    "tif": frozenset({"image/tiff"}),
    "tiff": frozenset({"image/tiff"}),
    "zip": frozenset({ZIP}),
    "rar": frozenset({"application/x-rar", "application/vnd.rar"}),
    "7z": frozenset({"application/x-7z-compressed"}),
    "txt": frozenset({"text/plain"}),
    "csv": frozenset({"text/plain", "text/csv", "application/csv"}),
    "xml": frozenset({"text/xml", "application/xml"}),
}
"""What python-magic may call a genuine file with each extension."""

GENERIC_TYPES = frozenset({"application/octet-stream", ZIP, "text/plain"})
"""For an extension the period allows but this table does not know, any type is accepted
except one that belongs to another known extension (a PNG renamed .dwg is refused)."""


class UploadedFileLike(Protocol):
    """What the upload needs of Django's ``UploadedFile``."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...


@dataclass(frozen=True)
class Content:
    """An accepted file's bytes, with what was learnt of them."""

    data: bytes
    sha256: str
    content_type: str
    is_pdf: bool


def allowed_extensions(period: Period) -> list[str]:
    """The period's allowed extensions, lower case, without dots: ``["pdf"]``."""
    out: list[str] = []
    for item in period.evidence_types.replace(";", ",").split(","):
        ext = item.strip().lower().lstrip(".")
        if ext and ext not in out:
            out.append(ext)
    return out or ["pdf"]


def clean_filename(name: str | None) -> str:
    """The file's own name (no folders, no control characters), at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in (".", ".."):
        name = "tai-lieu"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_checked(uploaded_file: UploadedFileLike, name: str, period: Period) -> Content:
    """Size, extension and sniffed type checks; the content with its SHA-256."""
    limit = period.evidence_max_mb * 1024 * 1024
    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise ValidationError(
            f"Tệp “{name}” ({_mb(uploaded_file.size)} MB) vượt quá dung lượng tối đa "
            f"{period.evidence_max_mb} MB của kỳ đánh giá."
        )
    allowed = allowed_extensions(period)
    ext = _extension(name)
    if ext not in allowed:
        raise ValidationError(
            f"Tệp “{name}”: kỳ đánh giá chỉ nhận tệp {', '.join(e.upper() for e in allowed)}."
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            f"Tệp “{name}” vượt quá dung lượng tối đa {period.evidence_max_mb} MB của kỳ đánh giá."
        )
    if not data:
        raise ValidationError(f"Tệp “{name}” rỗng.")
    sniffed = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    if not _type_matches(ext, sniffed, data):
        raise ValidationError(
            f"Tệp “{name}” không phải tệp {ext.upper()} thật (nội dung nhận dạng được: "
            f"{sniffed}). Hãy tải lên đúng tệp gốc."
        )
    if sniffed == "application/pdf":
        check_pdf(data, name)  # parses, and refuses JavaScript and launch actions
    return Content(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=sniffed,
        is_pdf=sniffed == "application/pdf",
    )


def _type_matches(ext: str, sniffed: str, data: bytes) -> bool:
    if ext == "pdf":
        return data.startswith(PDF_HEADER) and sniffed == "application/pdf"
    known = EXTENSION_TYPES.get(ext)
    if known is not None:
        return sniffed in known
    if sniffed in GENERIC_TYPES:
        return True
    return not any(sniffed in types for types in EXTENSION_TYPES.values())
