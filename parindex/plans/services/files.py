"""The evidence file of a plan item: a PDF or an office document, checked as evidence
uploads are (size, extension, sniffed type, an inert PDF), stored under a random key with
its SHA-256; replaced or removed files are deleted once the change is committed."""

from __future__ import annotations

import functools
import hashlib
import os

import magic
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction

from parindex.evidence.files import (
    EXTENSION_TYPES,
    SNIFF_BYTES,
    Content,
    UploadedFileLike,
    clean_filename,
)
from parindex.evidence.signatures import PDF_HEADER
from parindex.evidence.validation import check_pdf

PLAN_EVIDENCE_MAX_MB = 20
"""As the evidence uploads' default limit (``Period.evidence_max_mb``)."""
PLAN_EVIDENCE_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods")
"""A plan's results are documents: a PDF, or an office document."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_plan_evidence(upload: UploadedFileLike) -> tuple[str, Content]:
    """The upload's clean name and content if it is an accepted evidence file, else
    :class:`ValidationError` (Vietnamese, on ``file``, naming the file)."""
    name = clean_filename(upload.name)
    limit = PLAN_EVIDENCE_MAX_MB * 1024 * 1024

    def refuse(message: str) -> ValidationError:
        return ValidationError({"file": [message]})

    if upload.size is not None and upload.size > limit:
        raise refuse(
            f"Tệp “{name}” ({_mb(upload.size)} MB) vượt quá dung lượng tối đa "
            f"{PLAN_EVIDENCE_MAX_MB} MB."
        )
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in PLAN_EVIDENCE_TYPES:
        allowed = ", ".join(e.upper() for e in PLAN_EVIDENCE_TYPES)
        raise refuse(f"Tệp “{name}”: chỉ nhận tệp {allowed}.")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise refuse(f"Tệp “{name}” vượt quá dung lượng tối đa {PLAN_EVIDENCE_MAX_MB} MB.")
    if not data:
        raise refuse(f"Tệp “{name}” rỗng.")
    sniffed = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    genuine = (
        data.startswith(PDF_HEADER) and sniffed == "application/pdf"
        if ext == "pdf"
        else sniffed in EXTENSION_TYPES[ext]
    )
    if not genuine:
        raise refuse(
            f"Tệp “{name}” không phải tệp {ext.upper()} thật (nội dung nhận dạng được: "
            f"{sniffed}). Hãy tải lên đúng tệp gốc."
        )
    if sniffed == "application/pdf":
        try:
            check_pdf(data, name)  # parses, and refuses JavaScript and launch actions
        except ValidationError as error:
            raise refuse(" ".join(error.messages)) from error
    sha256 = hashlib.sha256(data).hexdigest()
    return name, Content(
        data=data, sha256=sha256, content_type=sniffed, is_pdf=sniffed == "application/pdf"
    )


def delete_on_commit(storage: Storage, name: str | None) -> None:
    """Remove a replaced or removed file once the change is committed."""
    if name:
        transaction.on_commit(functools.partial(storage.delete, name), robust=True)
