"""Render a :class:`~parindex.documents.content.Document` into its kind's Word template.

The template (docxtpl) holds the frame; this module fills its scalar tags and writes the
three subdocuments (``body``, ``closing``, ``appendices``) as WordprocessingML.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from io import BytesIO
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate

from parindex.documents.content import Appendix, Chart, Document, Quote, Section, Signer, Table
from parindex.documents.render import ooxml
from parindex.documents.render.charts import chart_png
from parindex.documents.render.frame import MARGINS_MM

CHART_WIDTH_MM = 160
CONTEXT_NAMES = (
    "parent_agency",
    "agency",
    "number_line",
    "number",
    "date_line",
    "place",
    "title",
    "summary",
    "body",
    "closing",
    "appendices",
)
"""Every name a template may use (its frame tags)."""


def render_docx(
    document: Document,
    template: bytes,
    *,
    skip_tables: frozenset[str] = frozenset(),
) -> bytes:
    """The document as DOCX bytes. ``skip_tables`` leaves tables out (the PDF prints very
    long ones through the spreadsheet route and appends them)."""
    tpl = DocxTemplate(BytesIO(template))
    writer = _Writer(tpl, document, skip_tables)
    context: dict[str, Any] = {
        "parent_agency": document.parent_agency.upper(),
        "agency": document.agency.upper(),
        "number_line": f"Số: {document.number}",
        "number": document.number,
        "date_line": document.date_line(),
        "place": document.place,
        "title": document.title.upper(),
        "summary": document.summary,
        "body": writer.body(),
        "closing": writer.closing(),
        "appendices": writer.appendices(),
    }
    tpl.render(context, autoescape=True)
    _orient(tpl.docx.element.body, whole=document.landscape)
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, tpl: DocxTemplate, document: Document, skip: frozenset[str]) -> None:
        self.tpl, self.document, self.skip = tpl, document, skip
        self.landscape = document.landscape
        """Whether what is written now lands on landscape pages (tables are widened)."""

    def _subdoc(self) -> Any:
        sd = self.tpl.new_subdoc()
        body = sd.subdocx.element.body
        if body.sectPr is not None:
            body.remove(body.sectPr)
        return sd

    def _append(self, sd: Any, xml: str) -> None:
        """Append the paragraphs and tables of ``xml`` to the subdocument."""
        wrapper = parse_xml(f'<w:body xmlns:w="{ooxml.W_NS}">{xml}</w:body>')
        body = sd.subdocx.element.body
        for child in list(wrapper):
            body.append(child)

    def body(self) -> Any:
        sd = self._subdoc()
        for text in self.document.intro:
            self._append(sd, ooxml.body_paragraph(text))
        for section in self.document.sections:
            self._section(sd, section)
        return sd

    def _section(self, sd: Any, section: Section) -> None:
        if section.heading:
            self._append(
                sd,
                ooxml.paragraph(
                    section.heading,
                    bold=True,
                    italic=section.level >= 3,
                    indent_mm=12.7,
                    before_pt=6,
                    keep_next=True,
                ),
            )
        for item in section.items:
            if isinstance(item, Table):
                self._table(sd, item)
            elif isinstance(item, Chart):
                self._chart(sd, item)
            elif isinstance(item, Quote):
                for line in item.text.split("\n"):
                    if line.strip():
                        self._append(sd, ooxml.paragraph(line.strip(), italic=True, indent_mm=12.7))
            else:
                for line in item.split("\n"):
                    if line.strip():
                        self._append(sd, ooxml.body_paragraph(line.strip()))

    def _table(self, sd: Any, table: Table) -> None:
        if table.key in self.skip:
            return
        if table.title:
            self._append(
                sd, ooxml.paragraph(table.title, align="center", bold=True, keep_next=True)
            )
        self._append(sd, ooxml.table(_widened(table) if self.landscape else table))
        if table.note:
            self._append(sd, ooxml.paragraph(table.note, italic=True, pt=12, before_pt=3))
        else:
            self._append(sd, ooxml.paragraph("", after_pt=3))

    def _chart(self, sd: Any, chart: Chart) -> None:
        table = self.document.table(chart.table)
        picture = chart_png(chart, table, width_mm=CHART_WIDTH_MM)
        para = sd.add_paragraph()
        para.alignment = 1  # centre
        para.add_run().add_picture(BytesIO(picture), width=Mm(CHART_WIDTH_MM))

    def closing(self) -> Any:
        sd = self._subdoc()
        signers = self.document.signers
        recipients = self.document.recipients
        if len(signers) <= 1:
            left = _recipients_xml(recipients)
            right = _signer_xml(signers[0]) if signers else ooxml.paragraph("")
            self._append(sd, _two_columns(left, right))
        else:
            pairs = [signers[i : i + 2] for i in range(0, len(signers), 2)]
            for pair in pairs:
                cells = [_signer_xml(s) for s in pair] + [ooxml.paragraph("")] * (2 - len(pair))
                self._append(sd, _two_columns(cells[0], cells[1], widths=(82, 83)))
            if recipients:
                self._append(sd, _recipients_xml(recipients))
        return sd

    def appendices(self) -> Any:
        sd = self._subdoc()
        for number, appendix in enumerate(self.document.appendices, start=1):
            self._appendix(sd, appendix, number)
        return sd

    def _appendix(self, sd: Any, appendix: Appendix, number: int) -> None:
        if appendix.landscape and not self.landscape:
            # Ends the portrait pages here; :func:`_orient` fills the section's properties.
            self._append(sd, f"<w:p><w:pPr>{SECTION_BREAK}</w:pPr></w:p>")
            self.landscape = True
        else:
            self._append(sd, '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        label = "Phụ lục" if len(self.document.appendices) == 1 else f"Phụ lục {_roman(number)}"
        self._append(sd, ooxml.paragraph(label, align="center", bold=True, after_pt=0))
        self._append(
            sd, ooxml.paragraph(appendix.heading.upper(), align="center", bold=True, after_pt=0)
        )
        self._append(
            sd, ooxml.paragraph(appendix.attached_to, align="center", italic=True, after_pt=12)
        )
        for section in appendix.sections:
            self._section(sd, section)


SECTION_MARK = "00A1B2C3"
SECTION_BREAK = f'<w:sectPr w:rsidR="{SECTION_MARK}"/>'
"""The mark of a paragraph that ends the portrait pages (filled by :func:`_orient`)."""
PORTRAIT_TEXT_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
LANDSCAPE_TEXT_MM = 297 - MARGINS_MM["left"] - MARGINS_MM["right"]


def _widened(table: Table) -> Table:
    """``table`` with its columns widened from the portrait text width to the landscape one."""
    factor = LANDSCAPE_TEXT_MM / PORTRAIT_TEXT_MM
    columns = [replace(c, width_mm=round(c.width_mm * factor, 1)) for c in table.columns]
    return replace(table, columns=columns)


def _orient(body: Any, *, whole: bool) -> None:
    """Landscape pages: the whole document (``whole``), or from the section break the
    writer left before a landscape appendix. The break takes a copy of the template's
    portrait section; the last section (the template's own, with its header) turns to A4
    landscape, its page number on its first page too."""
    final = body.sectPr
    if final is None:
        return
    breaks = [
        p
        for p in body.iter(qn("w:sectPr"))
        if p is not final and p.get(qn("w:rsidR")) == SECTION_MARK
    ]
    if not whole and not breaks:
        return
    for mark in breaks:
        portrait = copy.deepcopy(final)
        mark.getparent().replace(mark, portrait)
        title_page = final.find(qn("w:titlePg"))
        if title_page is not None:
            final.remove(title_page)
    size = final.find(qn("w:pgSz"))
    if size is None:
        return
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    if width and height and int(width) < int(height):
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _recipients_xml(recipients: list[str]) -> str:
    if not recipients:
        return ooxml.paragraph("")
    lines = [ooxml.paragraph("Nơi nhận:", align="left", bold=True, italic=True, pt=12, after_pt=0)]
    last = len(recipients) - 1
    for i, name in enumerate(recipients):
        end = "." if i == last else ";"
        lines.append(
            ooxml.paragraph(f"- {name.rstrip(';.')}{end}", align="left", pt=11, after_pt=0)
        )
    return "".join(lines)


def _signer_xml(signer: Signer) -> str:
    parts = []
    if signer.authority:
        parts.append(
            ooxml.paragraph(signer.authority.upper(), align="center", bold=True, after_pt=0)
        )
    parts.append(ooxml.paragraph(signer.title.upper(), align="center", bold=True, after_pt=66))
    parts.append(ooxml.paragraph(signer.name, align="center", bold=True, after_pt=0))
    return "".join(parts)


def _two_columns(left: str, right: str, *, widths: tuple[float, float] = (75, 90)) -> str:
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{ooxml.twips(w)}" w:type="dxa"/></w:tcPr>{xml}</w:tc>'
        for xml, w in ((left, widths[0]), (right, widths[1]))
    )
    grid = "".join(f'<w:gridCol w:w="{ooxml.twips(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{ooxml.twips(sum(widths))}"'
        ' w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr></w:tbl>"
    )
