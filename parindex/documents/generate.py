"""Making a document's file: the one path the background job and ``parindex document`` take.

:func:`make_file` builds the kind's :class:`~parindex.documents.content.Document` from the
period's data and the engine's results, and renders it as DOCX (the active Word template),
PDF (LibreOffice, from that DOCX; very long tables through Calc) or XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.text import slugify

from parindex.documents.content import Document
from parindex.documents.errors import DocumentError
from parindex.documents.kinds import KINDS, KindSpec, build
from parindex.documents.models import DocumentFormat, DocumentTemplate
from parindex.documents.render.docx import render_docx
from parindex.documents.render.frame import build_frame
from parindex.documents.render.pdf import append_pdfs, convert_to_pdf, page_count
from parindex.documents.render.xlsx import print_table_xlsx, render_xlsx, workbook_heading
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion

LARGE_TABLE_ROWS = 400
"""Above this, a table goes to the PDF through Calc (Writer lays out 2,000 rows in ~10 s and
11,000 in minutes; Calc prints 11,000 in under 2 s)."""
Progress = Callable[[int, int, str], None]


@dataclass
class Request:
    kind: str
    period: Period
    unit: Unit | None = None
    group_code: str = ""
    round: int | None = None
    version: ResultVersion | None = None
    spec: KindSpec = field(init=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DocumentError(
                f"Không có loại văn bản “{self.kind}”; chọn một trong: {', '.join(KINDS)}."
            )
        self.spec = KINDS[self.kind]
        if self.spec.per_unit and self.unit is None:
            raise DocumentError(f"{self.spec.label} là văn bản của một đơn vị: hãy chọn đơn vị.")


@dataclass
class MadeFile:
    data: bytes
    name: str
    content_type: str
    template: DocumentTemplate | None


CONTENT_TYPES: dict[str, str] = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def active_template(kind: str, jurisdiction: Unit | None) -> tuple[bytes, DocumentTemplate | None]:
    """The kind's template in use for ``jurisdiction``: its own newest active upload, else
    the installation's, else the built-in one."""
    template = uploaded_template(kind, jurisdiction)
    if template is None:
        return build_frame(), None
    with template.file.open("rb") as handle:
        return handle.read(), template


def uploaded_template(kind: str, jurisdiction: Unit | None) -> DocumentTemplate | None:
    active = DocumentTemplate.objects.filter(kind=kind, is_active=True).order_by("-pk")
    own = active.filter(jurisdiction=jurisdiction).first() if jurisdiction is not None else None
    return own or active.filter(jurisdiction__isnull=True).first()


def build_document(request: Request) -> Document:
    if request.spec.per_unit:
        extra = {"version": request.version} if request.spec.uses_results else {}
        return build(
            request.spec, period=request.period, unit=request.unit, round=request.round, **extra
        )
    return build(
        request.spec,
        period=request.period,
        group_code=request.group_code,
        version=request.version,
    )


def make_file(request: Request, fmt: str, progress: Progress | None = None) -> MadeFile:
    step = progress or (lambda _done, _total, _label: None)
    total = 3
    step(0, total, "Đọc số liệu và kết quả")
    document = build_document(request)
    step(1, total, "Soạn văn bản")
    template_bytes, template = active_template(request.kind, request.period.jurisdiction)
    if fmt == DocumentFormat.XLSX:
        data = render_xlsx(document)
    elif fmt == DocumentFormat.DOCX:
        data = render_docx(document, template_bytes)
    elif fmt == DocumentFormat.PDF:
        step(2, total, "Chuyển sang PDF")
        data = render_pdf(document, template_bytes)
    else:
        raise DocumentError(f"Định dạng “{fmt}” không hỗ trợ; chọn docx, pdf hoặc xlsx.")
    step(total, total, "Đã tạo xong")
    return MadeFile(data, file_name(request, document, fmt), CONTENT_TYPES[fmt], template)


def render_pdf(document: Document, template: bytes) -> bytes:
    """PDF from the DOCX; tables longer than :data:`LARGE_TABLE_ROWS` are printed through
    Calc with the page numbers continuing, and appended."""
    large = [table for table in document.tables() if len(table.rows) > LARGE_TABLE_ROWS]
    docx = render_docx(document, template, skip_tables=frozenset(t.key for t in large))
    main = convert_to_pdf(docx, "docx")
    parts: list[bytes] = []
    pages = page_count(main)
    heading = workbook_heading(document)
    for table in large:
        part = convert_to_pdf(
            print_table_xlsx(table, first_page=pages + 1, heading=heading), "xlsx"
        )
        pages += page_count(part)
        parts.append(part)
    return append_pdfs(main, parts)


def file_name(request: Request, document: Document, fmt: str) -> str:
    parts = [document.file_stem]
    if request.unit is not None:
        parts.append(slugify(request.unit.code) or str(request.unit.pk))
    if request.group_code:
        parts.append(slugify(request.group_code))
    if request.round:
        parts.append(f"vong-{request.round}")
    return "-".join(parts) + f".{fmt}"
