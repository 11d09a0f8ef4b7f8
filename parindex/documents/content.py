"""What a document says, independent of its file format.

A kind's builder (``parindex.documents.kinds``) turns a period's data and the engine's
results into a :class:`Document`; the renderers (``parindex.documents.render``) write it as
DOCX (through the kind's Word template), PDF (LibreOffice, from that DOCX) or XLSX (its
tables, with native charts). Numbers in tables are kept as the engine printed them
(``Decimal`` with the set's decimal places): renderers format them, they never compute.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Cell = str | int | Decimal | None
"""A table cell: text, a count, a number as the engine printed it, or empty."""

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    align: Align = "left"


@dataclass
class Table:
    """A table of the document; also one sheet of its XLSX."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    bold_rows: frozenset[int] = frozenset()
    """Rows printed in bold (a group's heading row, a total)."""
    note: str = ""
    font_pt: float = 12


ChartKind = Literal["bar", "barh", "line", "column", "pie"]


@dataclass
class Chart:
    """A chart drawn from columns of one of the document's tables: a picture in DOCX/PDF,
    a native Excel chart on that table's sheet in XLSX."""

    key: str
    title: str
    kind: ChartKind
    table: str
    category_column: int
    value_columns: list[int]
    rows: tuple[int, int] | None = None
    """First and last row (0-based, inclusive) of the table the chart reads; all rows when
    None."""
    value_title: str = ""
    series_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Quote:
    """A passage quoted in italics (the council's words in a công văn)."""

    text: str


Item = str | Quote | Table | Chart


@dataclass
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    level: int = 1
    key: str = ""
    """Set for the sections a person writes (DocumentText.sections / the unit's report)."""


@dataclass
class Appendix:
    heading: str
    attached_to: str
    """"(Kèm theo Báo cáo số …/BC-UBND ngày … của …)"."""
    sections: list[Section] = field(default_factory=list)
    landscape: bool = False
    """Printed on landscape pages (a wide table: the deductions appendix); the appendices
    after it too."""


@dataclass
class Signer:
    authority: str
    """"TM. ỦY BAN NHÂN DÂN", "TM. HỘI ĐỒNG THẨM ĐỊNH" or empty."""
    title: str
    name: str = ""


@dataclass
class Document:
    kind: str
    title: str
    summary: str
    """Trích yếu, under the title."""
    parent_agency: str
    agency: str
    number: str
    """"Số: 101/BC-UBND" without "Số: "; blanks to fill by hand are dots."""
    place: str
    issued_on: datetime.date | None
    sections: list[Section]
    signers: list[Signer]
    recipients: list[str] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    file_stem: str = "van-ban"
    intro: list[str] = field(default_factory=list)
    """Paragraphs between the title and the first section (căn cứ …)."""
    landscape: bool = False
    """The whole document on landscape pages (a document that is one wide table)."""

    def tables(self) -> list[Table]:
        found: list[Table] = []
        for section in self._all_sections():
            found.extend(item for item in section.items if isinstance(item, Table))
        return found

    def charts(self) -> list[Chart]:
        found: list[Chart] = []
        for section in self._all_sections():
            found.extend(item for item in section.items if isinstance(item, Chart))
        return found

    def table(self, key: str) -> Table:
        for table in self.tables():
            if table.key == key:
                return table
        raise KeyError(key)

    def _all_sections(self) -> list[Section]:
        sections = list(self.sections)
        for appendix in self.appendices:
            sections.extend(appendix.sections)
        return sections

    def date_line(self) -> str:
        """ "Hà Nam, ngày 10 tháng 02 năm 2023"; dots when not dated yet (a draft)."""
        return date_line(self.place, self.issued_on)


def date_line(place: str, day: datetime.date | None) -> str:
    """Decree 30's place-and-date line: a day below 10 and the months 1 and 2 take a
    leading zero (ngày 05 tháng 02, ngày 15 tháng 6)."""
    where = f"{place}, " if place else ""
    if day is None:
        return f"{where}ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{where}ngày {day.day:02d} tháng {month} năm {day.year}"
