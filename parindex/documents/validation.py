"""Checking a Word template an administrator uploads, before it replaces the one in use.

A template is refused, with the reason in Vietnamese, when it is not a Word (.docx) file,
when its tags do not parse (docxtpl/Jinja syntax), when it drops one of the placeholders
the application writes into, when it uses a name the application does not provide, or when
a trial render with sample content does not give a document Word can open (docxtpl works
on the XML text, so a tag split across runs can break the result: python-docx-template
#445, #489).
"""

from __future__ import annotations

import datetime
import zipfile
from io import BytesIO

import jinja2
from docx import Document as open_docx
from docxtpl import DocxTemplate
from lxml import etree

from parindex.documents.content import Column, Document, Section, Signer, Table
from parindex.documents.errors import DocumentError
from parindex.documents.render.docx import CONTEXT_NAMES, render_docx
from parindex.documents.render.frame import PLACEHOLDERS

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


def check_template(data: bytes, name: str) -> None:
    """Raise :class:`DocumentError` saying what is wrong with the template ``data``."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise DocumentError(f"Tệp “{name}” lớn hơn 10 MB: mẫu văn bản không cần lớn như vậy.")
    _check_package(data, name)
    try:
        tpl = DocxTemplate(BytesIO(data))
        names = tpl.get_undeclared_template_variables()
    except jinja2.TemplateSyntaxError as exc:
        raise DocumentError(
            f"Mẫu “{name}” có lỗi cú pháp ở thẻ {{{{ … }}}} / {{% … %}}: {_jinja_reason(exc)}."
            " Mẫu cũ được giữ nguyên."
        ) from exc
    except Exception as exc:  # docxtpl raises many kinds on a damaged file
        raise DocumentError(f"Không đọc được mẫu “{name}”: {exc}. Mẫu cũ được giữ nguyên.") from exc
    missing = [p for p in PLACEHOLDERS if p not in names]
    if missing:
        tags = ", ".join(f"{{{{p {p} }}}}" for p in missing)
        raise DocumentError(
            f"Mẫu “{name}” thiếu thẻ {tags}: phần nội dung đó sẽ không được in. Mẫu cũ được giữ"
            " nguyên."
        )
    unknown = sorted(set(names) - set(CONTEXT_NAMES))
    if unknown:
        raise DocumentError(
            f"Mẫu “{name}” dùng tên không có trong dữ liệu văn bản: {', '.join(unknown)}."
            f" Các tên dùng được: {', '.join(CONTEXT_NAMES)}. Mẫu cũ được giữ nguyên."
        )
    _trial_render(data, name)


def _check_package(data: bytes, name: str) -> None:
    if not zipfile.is_zipfile(BytesIO(data)):
        raise DocumentError(f"Tệp “{name}” không phải tệp Word (.docx). Mẫu cũ được giữ nguyên.")
    with zipfile.ZipFile(BytesIO(data)) as package:
        if "word/document.xml" not in package.namelist():
            raise DocumentError(
                f"Tệp “{name}” không phải văn bản Word (.docx): thiếu word/document.xml."
                " Mẫu cũ được giữ nguyên."
            )


def _jinja_reason(exc: jinja2.TemplateSyntaxError) -> str:
    message = exc.message or ""
    lowered = message.lower()
    if "unexpected end of template" in lowered:
        block = next((b for b in ("for", "if") if f"'{b}'" in message), "")
        opened = f"“{block}”" if block else "mở (for, if)"
        return f"thẻ {opened} không có thẻ đóng tương ứng (endfor, endif)"
    if "encountered unknown tag" in lowered:
        tag = message.split("'")[1] if "'" in message else ""
        return f"thẻ “{tag}” không hợp lệ hoặc không đúng chỗ"
    if "unexpected" in lowered or "expected token" in lowered:
        return f"biểu thức viết sai ({message})"
    return message or "không rõ"


def sample_document() -> Document:
    """A small document with every part, for the trial render of an uploaded template."""
    table = Table(
        "sample",
        "Bảng mẫu",
        [Column("STT", 15, "center"), Column("Đơn vị", 100), Column("Chỉ số (%)", 30, "right")],
        [[1, "UBND xã Thử Nghiệm", None]],
    )
    return Document(
        kind="sample",
        title="Báo cáo",
        summary="Văn bản thử mẫu",
        parent_agency="UBND tỉnh Thử Nghiệm",
        agency="Sở Nội vụ",
        number="…/BC-SNV",
        place="Thử Nghiệm",
        issued_on=datetime.date(2026, 1, 5),
        sections=[Section("I. PHẦN MẪU", ["Nội dung mẫu.", table])],
        signers=[Signer("", "Giám đốc", "Nguyễn Văn A")],
        recipients=["Lưu: VT"],
    )


def _trial_render(data: bytes, name: str) -> None:
    try:
        out = render_docx(sample_document(), data)
        opened = open_docx(BytesIO(out))
        etree.fromstring(opened.element.xml.encode("utf-8"))
    except jinja2.TemplateError as exc:
        raise DocumentError(
            f"Mẫu “{name}” không dựng được văn bản thử: {exc}. Mẫu cũ được giữ nguyên."
        ) from exc
    except Exception as exc:
        raise DocumentError(
            f"Mẫu “{name}” dựng ra văn bản Word bị hỏng ({exc}): thường do một thẻ bị định"
            " dạng dở dang giữa chừng; hãy gõ lại thẻ liền một mạch. Mẫu cũ được giữ nguyên."
        ) from exc
