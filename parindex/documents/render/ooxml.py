"""WordprocessingML fragments written as text: paragraphs and tables in the Decree 30 style.

Tables are built as one XML string (python-docx's cell API takes ~1 ms a cell, too slow for
the 11,000-row results table) and parsed once. Every run carries its font directly (ascii,
hAnsi, eastAsia and cs: Word otherwise picks another font for some Vietnamese letters), so
the text looks the same in an administrator's template whatever its styles.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

from parindex.core.formatting import format_vn
from parindex.documents.content import Align, Cell, Table

FONT = "Times New Roman"
BODY_PT = 14
"""Decree 30: body text 13–14 pt."""
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def run_props(*, pt: float = BODY_PT, bold: bool = False, italic: bool = False) -> str:
    fonts = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    size = round(pt * 2)
    return (
        f"<w:rPr>{fonts}{'<w:b/><w:bCs/>' if bold else ''}{'<w:i/><w:iCs/>' if italic else ''}"
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="vi-VN"/></w:rPr>'
    )


def run(text: str, **props: object) -> str:
    """One run; a line break in ``text`` ("\\n": several tasks in a cell) is a ``w:br``."""
    lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(t)}</w:t>' for t in text.split("\n"))
    return f"<w:r>{run_props(**props)}{lines}</w:r>"  # type: ignore[arg-type]


def paragraph(
    text: str = "",
    *,
    align: Align | str = "both",
    pt: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    indent_mm: float = 0,
    before_pt: float = 0,
    after_pt: float = 6,
    keep_next: bool = False,
    runs: str | None = None,
) -> str:
    jc = {"left": "left", "center": "center", "right": "right"}.get(align, align)
    ind = f'<w:ind w:firstLine="{twips(indent_mm)}"/>' if indent_mm else ""
    props = (
        f"<w:pPr>{'<w:keepNext/>' if keep_next else ''}"
        f'<w:spacing w:before="{round(before_pt * 20)}" w:after="{round(after_pt * 20)}"'
        f' w:line="276" w:lineRule="auto"/>{ind}<w:jc w:val="{jc}"/>'
        f"{run_props(pt=pt, bold=bold, italic=italic)}</w:pPr>"
    )
    body = (
        runs if runs is not None else (run(text, pt=pt, bold=bold, italic=italic) if text else "")
    )
    return f"<w:p>{props}{body}</w:p>"


def body_paragraph(text: str) -> str:
    """A paragraph of running text: justified, first line indented 12,7 mm."""
    return paragraph(text, indent_mm=12.7, after_pt=6)


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_vn(value)
    if isinstance(value, int):
        return format_vn(value)
    return value


_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def table(t: Table) -> str:
    """The whole table as one ``w:tbl`` element; the first row repeats on every page."""
    widths = [twips(c.width_mm) for c in t.columns]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = _row(
        [c.title for c in t.columns],
        widths,
        ["center"] * len(widths),
        t.font_pt,
        bold=True,
        header=True,
    )
    aligns = [c.align for c in t.columns]
    rows = "".join(
        _row([cell_text(v) for v in row], widths, aligns, t.font_pt, bold=i in t.bold_rows)
        for i, row in enumerate(t.rows)
    )
    props = (
        f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
    )
    return f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>{head}{rows}</w:tbl>"


def _row(
    texts: Iterable[str],
    widths: list[int],
    aligns: list[Align],
    pt: float,
    *,
    bold: bool = False,
    header: bool = False,
) -> str:
    trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f"{paragraph(text, align=align, pt=pt, bold=bold, after_pt=0)}</w:tc>"
        for text, w, align in zip(texts, widths, aligns, strict=True)
    )
    return f"<w:tr>{trpr}{cells}</w:tr>"
