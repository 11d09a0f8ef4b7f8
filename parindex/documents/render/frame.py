"""The built-in Word template of every kind: the frame of a Decree 30 document.

The frame holds what an administrator may want to reword or re-lay out in Word — the header
block (agency, national motto), the number and date line, the title — and placeholders
(docxtpl tags) for what the application writes: ``{{p body }}`` (the sections, tables and
charts), ``{{p closing }}`` (Nơi nhận and the signature block) and ``{{p appendices }}``.
Page setup follows Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins 20/20/30/15 mm, Times New
Roman 14 pt, the page number centred at the top from page 2.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from parindex.documents.render.ooxml import BODY_PT, FONT, W_NS

MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
"""Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm."""
PLACEHOLDERS = ("body", "closing", "appendices")
"""The subdocument tags every template must keep (checked on upload)."""
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def build_frame() -> bytes:
    """The built-in template (the same frame for every kind; kinds differ in content)."""
    doc = new_docx()
    _page_setup(doc)
    _default_font(doc)
    _header_block(doc)
    title = doc.add_paragraph()
    _fmt(title, align="center", before=12, after=0)
    _add(title, "{{ title }}", bold=True)
    summary = doc.add_paragraph()
    _fmt(summary, align="center", after=12)
    _add(summary, "{{ summary }}", bold=True)
    for name in PLACEHOLDERS:
        para = doc.add_paragraph()
        para.add_run("{{p " + name + " }}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: object) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header._p.append(  # noqa: SLF001 - python-docx has no API for fields
        parse_xml(
            f'<w:fldSimple xmlns:w="{W_NS}" w:instr="PAGE"><w:r><w:rPr>'
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:sz w:val="28"/></w:rPr>'
            "<w:t>2</w:t></w:r></w:fldSimple>"
        )
    )


def _default_font(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    fonts = style.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:cs", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(6)


def _header_block(doc: object) -> None:
    """Agency and number on the left, the national motto and the date line on the right;
    explicit column widths so that the motto does not wrap."""
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    for cell, width in ((left, 60), (right, 105)):
        cell.width = Mm(width)
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, (60, 105), strict=True):  # noqa: SLF001
        col.w = Mm(width)
    layout = parse_xml(f'<w:tblLayout xmlns:w="{W_NS}" w:type="fixed"/>')
    table._tbl.tblPr.append(layout)  # noqa: SLF001
    _cell_lines(
        left,
        [
            ("{{ parent_agency }}", False, False, 13),
            ("{{ agency }}", True, False, 13),
            ("________", False, False, 13),
            ("{{ number_line }}", False, False, 13),
        ],
    )
    _cell_lines(
        right,
        [
            (COUNTRY, True, False, 13),
            (MOTTO, True, False, 14),
            ("_______________________", False, False, 13),
            ("{{ date_line }}", False, True, 14),
        ],
    )


def _cell_lines(cell: _Cell, lines: list[tuple[str, bool, bool, float]]) -> None:
    first = True
    for text, bold, italic, pt in lines:
        para = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _fmt(para, align="center", after=0)
        _add(para, text, bold=bold, italic=italic, pt=pt)


def _fmt(para: Paragraph, *, align: str, before: float = 0, after: float = 6) -> None:
    para.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    para.paragraph_format.space_before = Pt(before)
    para.paragraph_format.space_after = Pt(after)


def _add(
    para: Paragraph, text: str, *, bold: bool = False, italic: bool = False, pt: float = BODY_PT
) -> None:
    run = para.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.name = FONT
    run.font.size = Pt(pt)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # noqa: SLF001
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
