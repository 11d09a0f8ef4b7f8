"""Reading the units' Báo cáo tự đánh giá: one unit's report, and the council's list of every
unit's kiến nghị, đề xuất on the criteria of a period (searchable without diacritics, and as
XLSX)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from parindex.assessments.models import Assessment, AssessmentStatus, SelfAssessmentReport
from parindex.core.formatting import fmt_datetime, fmt_time, person_name
from parindex.core.text import fold
from parindex.periods.models import Period

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def self_assessment_report(assessment: Assessment) -> SelfAssessmentReport:
    """The unit's saved report of ``assessment``, or an unsaved empty one (``pk`` None)."""
    found = (
        SelfAssessmentReport.objects.select_related("updated_by")
        .filter(assessment_id=assessment.pk)
        .first()
    )
    return found if found is not None else SelfAssessmentReport(assessment=assessment)


@dataclass(frozen=True)
class ProposalRow:
    """One unit's kiến nghị, đề xuất in the council's list."""

    assessment: Assessment
    unit_name: str
    unit_code: str
    group_name: str
    status_label: str
    text: str
    updated_at: datetime.datetime | None
    updated_by: str


@dataclass(frozen=True)
class Proposals:
    """The list of a period: the units that wrote proposals (matching the search, if
    any) and the names of those that have not written any."""

    period: Period
    query: str
    rows: list[ProposalRow]
    without: list[str]
    units: int


def _row(assessment: Assessment, report: SelfAssessmentReport) -> ProposalRow:
    unit = assessment.unit
    return ProposalRow(
        assessment=assessment,
        unit_name=unit.name,
        unit_code=unit.code,
        group_name=unit.group.name if unit.group is not None else "",
        status_label=AssessmentStatus(assessment.status).label,
        text=report.proposals,
        updated_at=report.updated_at,
        updated_by=person_name(report.updated_by, fallback=""),
    )


def _matches(row: ProposalRow, words: list[str]) -> bool:
    haystack = fold(f"{row.unit_name} {row.unit_code} {row.group_name} {row.text}")
    return all(word in haystack for word in words)


def period_proposals(period: Period, query: str = "") -> Proposals:
    """Every unit of ``period`` with its kiến nghị, đề xuất (in the units' order: group,
    position, name). ``query`` keeps the rows whose unit, group and text hold each of its
    words, without regard to diacritics or case ("de xuat" finds "đề xuất")."""
    assessments = (
        Assessment.objects.filter(period=period)
        .select_related("unit__group", "report__updated_by")
        .order_by("unit__group__position", "unit__position", "unit__name", "pk")
    )
    rows: list[ProposalRow] = []
    without: list[str] = []
    count = 0
    for assessment in assessments:
        count += 1
        report = getattr(assessment, "report", None)
        if report is None or not report.proposals:
            without.append(assessment.unit.name)
            continue
        rows.append(_row(assessment, report))
    words = fold(query).split()
    if words:
        rows = [row for row in rows if _matches(row, words)]
    return Proposals(period=period, query=query.strip(), rows=rows, without=without, units=count)


COLUMNS = (
    ("STT", 6),
    ("Đơn vị", 32),
    ("Mã đơn vị", 16),
    ("Nhóm đơn vị", 20),
    ("Trạng thái hồ sơ", 18),
    ("Kiến nghị, đề xuất về nội dung và cách chấm điểm bộ tiêu chí", 90),
    ("Cập nhật lúc", 17),
    ("Người cập nhật", 22),
)


def proposals_xlsx(proposals: Proposals) -> bytes:
    """The sheet "Kiến nghị": one row per unit of :func:`period_proposals` (as filtered)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Kiến nghị")
    period = proposals.period
    sheet.write_string(0, 0, f"Kiến nghị, đề xuất của các đơn vị – {period.name}", bold)
    note = f"Tìm: “{proposals.query}”. " if proposals.query else ""
    sheet.write_string(
        1, 0, f"{note}{len(proposals.rows)} đơn vị · xuất lúc {fmt_time(timezone.now())}"
    )
    for col, (label, width) in enumerate(COLUMNS):
        sheet.write_string(3, col, label, head)
        sheet.set_column(col, col, width)
    for number, row in enumerate(proposals.rows, start=1):
        line = 3 + number
        cells: Sequence[str] = (
            row.unit_name,
            row.unit_code,
            row.group_name,
            row.status_label,
            row.text,
            fmt_datetime(row.updated_at),
            row.updated_by,
        )
        sheet.write_number(line, 0, number, wrap)
        for col, value in enumerate(cells, start=1):
            sheet.write_string(line, col, value, wrap)
    sheet.freeze_panes(4, 2)
    book.close()
    return buffer.getvalue()
