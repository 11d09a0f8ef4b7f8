"""The *Phụ lục các nội dung bị trừ điểm* on seed 004's appendix data (UBND xã Hiền Thành,
6 tháng đầu năm 2023): the points lost per item and in total as the scores give them —
3.12 loses 2,00, 3.13 loses 0,67, 7,18 between self and appraised — not as the seed
printed them (7,82); the tasks made for each item in the last three columns."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as open_docx

from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.documents.content import Cell, Document
from parindex.documents.errors import DocumentError
from parindex.documents.generate import Request, make_file
from parindex.documents.kinds import deductions
from parindex.documents.render.docx import render_docx
from parindex.documents.render.frame import build_frame
from parindex.documents.render.xlsx import render_xlsx
from parindex.documents.tests.clients import needs_libreoffice, needs_poppler, pdf_text
from parindex.documents.tests.remediation_season import (  # noqa: F401 (fixtures)
    APPRAISED_TOTAL,
    OFFICER,
    SELF_TOTAL,
    HienThanh,
    hien_thanh_fixture,
    with_tasks,
)
from parindex.documents.tests.test_kind_minutes import REASON, lower_13
from parindex.documents.tests.test_kind_self_assessment import docx_text, xlsx_values

pytestmark = pytest.mark.django_db
D = Decimal
NUMBERS = slice(2, 7)  # max, self, appraised, lost, self − appraised


def rows_by_code(doc: Document) -> dict[str, list[Cell]]:
    return {str(row[0]): row for row in doc.table("deductions").rows if row[0]}


def docx_rows(data: bytes) -> dict[str, list[str]]:
    """The deductions table of a DOCX as python-docx reads it: code → cell texts."""
    doc = open_docx(BytesIO(data))
    [table] = [t for t in doc.tables if t.rows[0].cells[0].text == "STT/Mã"]
    found = {}
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        found[cells[0] or cells[1]] = cells
    return found


def test_the_appendix_prints_the_losses_the_scores_give(hien_thanh: HienThanh) -> None:
    doc = deductions.build(hien_thanh.period, unit=hien_thanh.unit)
    rows = rows_by_code(doc)
    # Non-leaf criteria and fields that lost points are listed (bold) with their leaves.
    assert rows["3.12"][NUMBERS] == [D("2.00"), D("0.00"), D("0.00"), D("2.00"), D("0.00")]
    assert rows["3.13"][NUMBERS] == [D("3.00"), D("3.00"), D("2.33"), D("0.67"), D("0.67")]
    assert rows["3.13.2"][NUMBERS] == [D("1.00"), D("1.00"), D("0.69"), D("0.31"), D("0.31")]
    assert rows["3.13.3"][NUMBERS] == [D("1.00"), D("1.00"), D("0.64"), D("0.36"), D("0.36")]
    assert rows["1.1.3"][NUMBERS] == [D("2.00"), D("2.00"), D("1.40"), D("0.60"), D("0.60")]
    assert rows["1.7"][NUMBERS] == [D("1.00"), D("0.00"), D("0.00"), D("1.00"), D("0.00")]
    assert rows["1.5.4"][NUMBERS] == [D("2.00"), D("0.50"), D("0.50"), D("1.50"), D("0.00")]
    assert rows["3.11.1"][7] == "b/a = 164/739 = 0,22 < 0,7 nên đạt 0 điểm."
    assert "3.13.1" not in rows and "1.1.1" not in rows and "2" not in rows  # nothing lost
    table = doc.table("deductions")
    bold = {str(table.rows[i][0]) for i in table.bold_rows}
    assert {"1", "1.1", "3", "3.12", "3.13", ""} <= bold and "3.13.2" not in bold
    total = table.rows[-1]
    assert total[1] == "Tổng điểm"
    assert total[NUMBERS] == [D("100.00"), SELF_TOTAL, APPRAISED_TOTAL, D("30.18"), D("7.18")]
    assert doc.sections[0].items[0] == (
        "Tổng điểm tự đánh giá 77,00/100,00 điểm; tổng điểm thẩm định 69,82/100,00 điểm; bị "
        "trừ 30,18 điểm so với điểm chuẩn ở 17 tiêu chí, tiêu chí thành phần, trong đó 7,18 "
        "điểm so với điểm tự đánh giá."
    )
    assert doc.summary == (
        "Kết quả đánh giá Chỉ số CCHC 6 tháng đầu năm 2023 của UBND xã Hiền Thành: các nội "
        "dung bị trừ điểm và biện pháp khắc phục"
    )

    data = render_docx(doc, build_frame())
    printed = docx_rows(data)
    assert printed["3.12"][2:7] == ["2,00", "0,00", "0,00", "2,00", "0,00"]
    assert printed["3.13"][2:7] == ["3,00", "3,00", "2,33", "0,67", "0,67"]
    assert printed["Tổng điểm"][2:7] == ["100,00", "77,00", "69,82", "30,18", "7,18"]
    text = docx_text(data)
    assert "7,82" not in text
    assert "UBND XÃ HIỀN THÀNH" in text and "PHỤ LỤC" in text


def test_the_tasks_fill_the_last_columns(hien_thanh: HienThanh) -> None:
    with_tasks(hien_thanh)
    doc = deductions.build(hien_thanh.period, unit=hien_thanh.unit)
    rows = rows_by_code(doc)
    who, action, due = rows["1.1.3"][8:11]
    # Two tasks on one item: two lines, by due date; an officer with the section.
    assert who == f"- {OFFICER} (Văn phòng – Thống kê)\n- Văn phòng – Thống kê"
    assert str(action).splitlines() == [
        "- Theo dõi, đôn đốc thực hiện các nhiệm vụ chưa hoàn thành",
        "- Xác định số nhiệm vụ phải hoàn thành trong 6 tháng trên tổng số 30 nhiệm vụ",
    ]
    assert due == "15/10/2023\n31/10/2023"
    assert rows["3.13.2"][8:11] == [
        OFFICER,
        "Hướng dẫn người dân nộp hồ sơ trực tuyến",
        "25/10/2023",
    ]
    assert rows["3.12"][8] == "Chưa phân công"
    assert rows["6"][8:11] == ["", "", ""]  # its only task was dropped
    assert rows["1.4.1"][8:11] == ["", "", ""]  # no task yet

    data = render_docx(doc, build_frame())
    printed = docx_rows(data)
    assert printed["1.1.3"][10] == "15/10/2023\n31/10/2023"  # a line break in the cell
    [sheet] = xlsx_values(render_xlsx(doc)).values()
    [row] = [r for r in sheet if r[0] == "3.13"]
    assert row[2:7] == (3, 3, 2.33, 0.67, 0.67)
    [total] = [r for r in sheet if r[1] == "Tổng điểm"]
    assert total[2:7] == (100, 77, 69.82, 30.18, 7.18)


@needs_libreoffice
@needs_poppler
def test_the_pdf_prints_the_computed_totals(hien_thanh: HienThanh, tmp_path: Path) -> None:
    with_tasks(hien_thanh)
    made = make_file(Request("deductions", hien_thanh.period, unit=hien_thanh.unit), "pdf")
    assert made.name == "phu-luc-noi-dung-bi-tru-diem-t-xa-hienthanh.pdf"
    text = pdf_text(made.data, tmp_path)
    for expected in ("PHỤ LỤC", "Tổng điểm", "69,82", "77,00", "30,18", "7,18", "0,67", "2,33"):
        assert expected in text, expected
    assert "7,82" not in text
    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "1", "-"], input=made.data, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.3" in sizes  # A4 landscape: a wide table of ten columns


def test_a_round_gives_the_same_numbers_after_the_only_round(hien_thanh: HienThanh) -> None:
    settled = deductions.build(hien_thanh.period, unit=hien_thanh.unit)
    first = deductions.build(hien_thanh.period, unit=hien_thanh.unit, round=1)
    assert first.table("deductions").rows == settled.table("deductions").rows
    assert "(sau thẩm định vòng 1)" in first.summary
    with pytest.raises(DocumentError) as exc:
        deductions.build(hien_thanh.period, unit=hien_thanh.unit, round=2)
    assert str(exc.value) == (
        "UBND xã Hiền Thành chưa có kết quả thẩm định vòng 2 trong kỳ đánh giá “6 tháng đầu "
        "năm 2023” (đã thẩm định: 1): chưa lập được phụ lục của vòng này."
    )


def test_not_ready_while_the_appraisal_is_open(round_1: Season) -> None:
    with pytest.raises(DocumentError) as exc:
        deductions.build(round_1.period, unit=round_1.unit_a)
    assert str(exc.value) == (
        "Kết quả thẩm định của Sở Tư pháp trong kỳ đánh giá “Năm 2024” chưa được chốt: chưa "
        "lập được phụ lục các nội dung bị trừ điểm (hoặc chọn một vòng thẩm định đã có)."
    )
    lower_13(round_1)
    doc = deductions.build(round_1.period, unit=round_1.unit_a, round=1)
    assert rows_by_code(doc)["1.3"][NUMBERS] == [
        D("6.00"),
        D("3.00"),
        D("0.00"),
        D("6.00"),
        D("3.00"),
    ]
    assert rows_by_code(doc)["1.3"][7] == REASON
