"""The unit's *Báo cáo tự đánh giá*: built for the appraisal tests' season (Sở Tư pháp answers
every leaf of the sample set, self total 77,44 of 90, survey 10 apart) and for a commune
added to it; rendered as DOCX, XLSX and PDF; every total the engine's self block."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from docx import Document as open_docx
from openpyxl import load_workbook

from parindex import engine
from parindex.assessments.models import Assessment, AssessmentStatus, SelfAssessmentReport
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    A_TOTAL,
    Season,
    fill,
    season_fixture,
)
from parindex.documents.errors import DocumentError
from parindex.documents.kinds import self_assessment
from parindex.documents.kinds.self_assessment import EMPTY_SECTION
from parindex.documents.render.docx import render_docx
from parindex.documents.render.frame import build_frame
from parindex.documents.render.pdf import convert_to_pdf
from parindex.documents.render.xlsx import render_xlsx
from parindex.documents.tests.clients import needs_libreoffice, needs_poppler, pdf_text
from parindex.engine.evalfile import parse, results_document
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import PeriodGroup
from parindex.results.selectors import period_document

pytestmark = pytest.mark.django_db

IMPLEMENTATION = "Đơn vị ban hành kế hoạch cải cách hành chính năm 2024 đúng hạn.\nĐã kiểm tra."
PROPOSAL = "Đề nghị điều chỉnh cách chấm điểm tiêu chí 3.2 theo nhiều mức hơn."


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX (body, closing and appendices)."""
    doc = open_docx(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]

    def walk(tables: Sequence[Any]) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.append(cell.text)
                    walk(cell.tables)

    walk(doc.tables)
    return "\n".join(parts)


def xlsx_values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def engine_self_block(season: Season, unit: Unit) -> dict[str, object]:
    """The unit's "self" block of the engine run on the exported evaluation file."""
    binding = PeriodGroup.objects.get(period=season.period, group_id=unit.group_id)
    document = results_document(engine.evaluate(parse(period_document(season.period, binding))))
    [entry] = [u for u in document["units"] if u["unit"] == unit.code]
    block: dict[str, object] = entry["self"]
    return block


def with_report_and_evidence(season: Season) -> None:
    """Unit A's report (implementation and proposals only) and evidence for 1.1 and 1.2."""
    SelfAssessmentReport.objects.create(
        assessment=season.a, implementation=IMPLEMENTATION, proposals=PROPOSAL
    )
    EvidenceLink.objects.create(
        answer=season.answer(season.a, "1.1"),
        document_number="12/KH-STP",
        document_date=datetime.date(2023, 12, 20),
        document_title="Kế hoạch cải cách hành chính năm 2024",
    )
    signed = Evidence.objects.create(
        period=season.period,
        unit=season.unit_a,
        file="evidence/x",
        original_name="bao-cao-thuc-hien-ke-hoach.pdf",
        sha256="0" * 64,
        size=10,
        content_type="application/pdf",
        signature_status=SignatureStatus.VALID,
    )
    EvidenceLink.objects.create(answer=season.answer(season.a, "1.2"), evidence=signed)


def test_the_report_of_a_sở(season: Season) -> None:
    with_report_and_evidence(season)
    doc = self_assessment.build(season.period, unit=season.unit_a)

    assert doc.title == "Báo cáo"
    assert doc.summary == "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2024"
    assert (doc.parent_agency, doc.agency) == ("UBND tỉnh Hà Nam", "Sở Tư pháp")
    assert (doc.number, doc.place) == ("…/BC-STP", "Hà Nam")
    assert doc.issued_on == timezone.localdate()  # the day the unit submitted
    keyed = {s.key: s for s in doc.sections if s.key}
    assert list(keyed) == ["implementation", "shortcomings", "causes", "solutions", "proposals"]
    assert keyed["implementation"].items == [
        "Đơn vị ban hành kế hoạch cải cách hành chính năm 2024 đúng hạn.",
        "Đã kiểm tra.",
    ]
    assert keyed["shortcomings"].items == [EMPTY_SECTION]
    assert keyed["proposals"].items[0] == PROPOSAL

    # The totals are the engine's self block of the exported evaluation file.
    own = engine_self_block(season, season.unit_a)
    assert Decimal(str(own["points"])) == A_TOTAL
    fields = doc.table("self_fields")
    assert fields.rows[-1][2:] == [
        Decimal(str(own["max"])),
        Decimal(str(own["points"])),
        Decimal(str(own["percent"])),
    ]
    assert [row[0] for row in fields.rows[:-1]] == [f["code"] for f in own["fields"]]  # type: ignore[attr-defined]
    [chart] = doc.charts()
    assert (chart.key, chart.table, chart.kind) == ("self_fields_chart", "self_fields", "column")
    assert chart.rows == (0, len(fields.rows) - 2)
    percent = str(own["percent"]).replace(".", ",")
    body = [item for s in doc.sections for item in s.items if isinstance(item, str)]
    assert f"Tổng điểm tự đánh giá: 77,44/90,00 điểm, đạt {percent}%." in body
    assert any("tối đa 10 điểm, được báo cáo riêng" in t for t in body)

    # Items without evidence: every self-assessed leaf but 1.1 and 1.2, with the unit's words.
    missing = {row[0]: row for row in doc.table("no_evidence").rows}
    assert "1.1" not in missing and "1.2" not in missing
    assert missing["1.3"][2:] == [Decimal("3.00"), "Thuyết minh 1.3"]
    evidence = doc.table("evidence").rows
    assert [row[1:3] for row in evidence] == [["1.1", "12/KH-STP"], ["1.2", ""]]
    assert evidence[0][3:] == [
        "20/12/2023",
        "Kế hoạch cải cách hành chính năm 2024",
        "",
        "Không kèm tệp (trích dẫn văn bản)",
    ]
    assert evidence[1][5:] == ["bao-cao-thuc-hien-ke-hoach.pdf", "Chữ ký số hợp lệ"]

    sheet = doc.table("self_scores")
    codes = [row[0] for row in sheet.rows]
    assert codes[:4] == ["1", "1.1", "1.2", "1.3"] and codes[-1] == ""
    assert {codes[i] for i in sheet.bold_rows} == {"1", "2", "3", "4", "5", "6", "7", ""}
    today = timezone.localdate().strftime("%d/%m/%Y")
    for appendix in doc.appendices:
        assert appendix.attached_to == f"(Kèm theo Báo cáo số …/BC-STP ngày {today} của Sở Tư pháp)"
    [signer] = doc.signers
    assert (signer.authority, signer.title) == ("", "Thủ trưởng đơn vị")
    assert doc.recipients == ["Hội đồng thẩm định Chỉ số CCHC Hà Nam", "Sở Nội vụ", "Lưu: VT"]


def test_the_report_renders_as_docx_and_xlsx(season: Season) -> None:
    with_report_and_evidence(season)
    doc = self_assessment.build(season.period, unit=season.unit_a)
    own = engine_self_block(season, season.unit_a)
    percent = str(own["percent"]).replace(".", ",")

    text = docx_text(render_docx(doc, build_frame()))
    for expected in (
        "SỞ TƯ PHÁP",
        "UBND TỈNH HÀ NAM",
        "Số: …/BC-STP",
        "BÁO CÁO",
        "Thực hiện yêu cầu của Hội đồng thẩm định Chỉ số CCHC Hà Nam",
        f"Tổng điểm tự đánh giá: 77,44/90,00 điểm, đạt {percent}%.",
        "Chỉ đạo, điều hành cải cách hành chính",
        "77,44",
        "II. KẾT QUẢ TỰ ĐÁNH GIÁ",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
        PROPOSAL,
        EMPTY_SECTION,
        "BẢNG ĐIỂM TỰ ĐÁNH GIÁ CHỈ SỐ CCHC",
        "DANH MỤC TÀI LIỆU KIỂM CHỨNG",
        "Thuyết minh 1.3",
        "THỦ TRƯỞNG ĐƠN VỊ",
    ):
        assert expected in text, expected

    sheets = xlsx_values(render_xlsx(doc))
    [fields] = [rows for name, rows in sheets.items() if name.startswith("Điểm tự đánh giá theo")]
    total = [row for row in fields if row[1] == "Tổng cộng"][0]
    assert total[2:5] == pytest.approx(
        (float(str(own["max"])), float(A_TOTAL), float(str(own["percent"])))
    )
    assert any(
        row[0] == "1.3" and row[3] == pytest.approx(3) for rows in sheets.values() for row in rows
    )


def test_a_commune_report_is_the_committees(
    season: Season, commune: Unit, communes_group: UnitGroup, unit_leader: object
) -> None:
    """UBND xã Liêm Tuyền scored with the same set: the committee's header, its own place,
    the number and signer it typed."""
    PeriodGroup.objects.create(
        period=season.period, group=communes_group, criteria_set=season.criteria_set
    )
    assessment = Assessment.objects.create(
        period=season.period, unit=commune, status=AssessmentStatus.IN_PROGRESS
    )
    fill(assessment, {"1.1": True, "2": "8"})
    SelfAssessmentReport.objects.create(
        assessment=assessment, report_number="101", signer_name="Phạm Văn Cường"
    )
    doc = self_assessment.build(season.period, unit=commune)
    assert (doc.parent_agency, doc.agency, doc.place) == (
        "UBND tỉnh Hà Nam",
        "UBND xã Liêm Tuyền",
        "Liêm Tuyền",
    )
    assert doc.number == "101/BC-UBND" and doc.issued_on is None
    [signer] = doc.signers
    assert (signer.authority, signer.title, signer.name) == (
        "TM. Ủy ban nhân dân",
        "Chủ tịch",
        "Phạm Văn Cường",
    )
    assert doc.appendices[0].attached_to == (
        "(Kèm theo Báo cáo số 101/BC-UBND ngày …/…/… của UBND xã Liêm Tuyền)"
    )
    own = engine_self_block(season, commune)
    assert doc.table("self_fields").rows[-1][3] == Decimal(str(own["points"])) == Decimal("12.00")
    text = docx_text(render_docx(doc, build_frame()))
    assert "UBND XÃ LIÊM TUYỀN" in text and "Liêm Tuyền, ngày … tháng … năm …" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Phạm Văn Cường" in text


def test_no_report_without_an_assessment_or_a_self_assessment(
    season: Season, other_commune: Unit
) -> None:
    with pytest.raises(DocumentError) as exc:
        self_assessment.build(season.period, unit=other_commune)
    assert str(exc.value) == (
        "UBND xã Thanh Sơn không có phiếu chấm điểm trong kỳ đánh giá “Năm 2024”: "
        "chưa có văn bản nào của đơn vị để tạo."
    )
    with pytest.raises(DocumentError) as exc:
        self_assessment.build(season.period, unit=season.office)
    assert str(exc.value) == (
        "Sở Nội vụ chưa tự chấm điểm tiêu chí nào trong kỳ đánh giá “Năm 2024”: "
        "chưa lập được báo cáo tự đánh giá."
    )


@needs_libreoffice
@needs_poppler
def test_the_report_as_pdf(season: Season, tmp_path: Path) -> None:
    with_report_and_evidence(season)
    doc = self_assessment.build(season.period, unit=season.unit_a)
    text = pdf_text(convert_to_pdf(render_docx(doc, build_frame()), "docx"), tmp_path)
    for expected in ("SỞ TƯ PHÁP", "BÁO CÁO", "77,44", "Chỉ số cải cách hành chính năm 2024"):
        assert expected in text, expected
    assert "DANH MỤC TÀI LIỆU KIỂM CHỨNG" in text
