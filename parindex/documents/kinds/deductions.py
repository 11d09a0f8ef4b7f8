"""*Phụ lục các nội dung bị trừ điểm* of one unit (seed 004's "PHỤ LỤC KẾT QUẢ ĐÁNH GIÁ
CCHC … VÀ BIỆN PHÁP KHẮC PHỤC"): every field, criterion and leaf that lost points, with
the applicable max, the self-assessed and appraised points, the points lost and the
difference from the self-assessment (all from the engine), the council's comment, and
the remediation tasks made for it (who, what, by when); the totals last.

Document contents (keys): table ``deductions``; no keyed section, no chart.
"""

from __future__ import annotations

from parindex.documents.content import Document, Section
from parindex.documents.kinds.remediation_common import (
    deductions_sheet,
    deductions_table,
    sheet_words,
    signer_of,
    totals_sentence,
    unit_tasks,
)
from parindex.documents.kinds.unit_common import parent_agency, unit_agency, unit_place
from parindex.documents.models import DocumentKind
from parindex.organizations.models import Unit
from parindex.periods.models import Period


def build(period: Period, *, unit: Unit, round: int | None = None) -> Document:
    """The appendix of ``unit`` after appraisal ``round`` (None: as settled, the default).
    Raises :class:`~parindex.documents.errors.DocumentError` when it is not ready."""
    sheet = deductions_sheet(period, unit, round)
    tasks = unit_tasks(period, unit, sheet)
    words = sheet_words(sheet)
    agency = unit_agency(unit)
    return Document(
        landscape=True,
        kind=DocumentKind.DEDUCTIONS.value,
        title="Phụ lục",
        summary=(
            f"Kết quả đánh giá Chỉ số CCHC {words} của {unit.name}: các nội dung bị trừ "
            "điểm và biện pháp khắc phục"
        ),
        parent_agency=parent_agency(unit, period),
        agency=agency,
        number="…",
        place=unit_place(unit, period),
        issued_on=None,
        sections=[Section("", [totals_sentence(sheet), deductions_table(sheet, tasks)])],
        signers=[signer_of(sheet.ctx)],
        file_stem="phu-luc-noi-dung-bi-tru-diem",
    )
