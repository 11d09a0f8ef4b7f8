"""The results report and the notice of Hà Nam's 2024 results (sở and huyện, compared with
2023): made through the same path as the job and the command, opened by LibreOffice and
poppler, every number equal to ``parindex evaluate`` on the exported period."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document as open_docx

from parindex.documents.errors import DocumentError
from parindex.documents.generate import Request, build_document, make_file
from parindex.documents.models import DocumentFormat
from parindex.documents.tests.clients import (
    first_page_png,
    needs_libreoffice,
    needs_poppler,
    office_to_pdf,
    pdf_fonts,
    pdf_text,
)
from parindex.documents.tests.numbers import allowed_numbers, decimals_in, evaluate_period
from parindex.results.models import ResultVersion
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    doc = open_docx(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_results_report_prints_the_engines_numbers_only(
    scenario: Scenario, published: ResultVersion, tmp_path: Path
) -> None:
    made = make_file(Request("results", scenario.p2024), DocumentFormat.DOCX)
    text = docx_text(made.data)
    allowed = allowed_numbers(evaluate_period(scenario.p2024, tmp_path))
    printed = decimals_in(text)
    assert printed, "the report prints numbers"
    assert printed <= allowed, sorted(printed - allowed)
    for name in ("Sở Tư pháp", "UBND huyện Kim Bảng", "UBND thị xã Duy Tiên"):
        assert name in text
    assert "so với kỳ trước" in text
    assert "Số đơn vị đạt điểm tối đa theo tiêu chí" in text


def test_the_notice_attaches_the_results_table(
    scenario: Scenario, published: ResultVersion, tmp_path: Path
) -> None:
    made = make_file(Request("notice", scenario.p2024), DocumentFormat.DOCX)
    text = docx_text(made.data)
    assert "THÔNG BÁO" in text
    assert "(Kèm theo Thông báo số …/TB-HĐTĐ ngày …)" in text
    allowed = allowed_numbers(evaluate_period(scenario.p2024, tmp_path))
    assert decimals_in(text) <= allowed


def test_a_period_without_results_is_not_ready(scenario: Scenario) -> None:
    with pytest.raises(DocumentError, match="chưa có kết quả đã tính"):
        build_document(Request("results", scenario.p2025))


def test_an_unknown_group_is_refused(scenario: Scenario, published: ResultVersion) -> None:
    with pytest.raises(DocumentError, match="không có nhóm đơn vị “khong-co”"):
        build_document(Request("results", scenario.p2024, group_code="khong-co"))


def test_a_unit_document_needs_a_unit(scenario: Scenario) -> None:
    with pytest.raises(DocumentError, match="hãy chọn đơn vị"):
        Request("minutes", scenario.p2024)


def test_the_xlsx_has_a_sheet_per_table_and_native_charts(
    scenario: Scenario, published: ResultVersion
) -> None:
    made = make_file(Request("results", scenario.p2024), DocumentFormat.XLSX)
    with zipfile.ZipFile(BytesIO(made.data)) as package:
        names = package.namelist()
    assert any(n.startswith("xl/charts/chart") for n in names)
    assert sum(n.startswith("xl/worksheets/sheet") for n in names) >= 8


@needs_libreoffice
@needs_poppler
@pytest.mark.slow
def test_libreoffice_opens_every_file_and_the_pdf_embeds_every_font(
    scenario: Scenario, published: ResultVersion, tmp_path: Path
) -> None:
    for kind in ("results", "notice"):
        request = Request(kind, scenario.p2024)
        docx = make_file(request, DocumentFormat.DOCX).data
        xlsx = make_file(request, DocumentFormat.XLSX).data
        pdf = make_file(request, DocumentFormat.PDF).data
        for converted in (office_to_pdf(docx, "docx"), office_to_pdf(xlsx, "xlsx"), pdf):
            text = pdf_text(converted, tmp_path)
            assert "Sở Tư pháp" in text and "UBND huyện Kim Bảng" in text
            fonts = pdf_fonts(converted, tmp_path)
            assert fonts and all(embedded for _name, embedded in fonts), fonts
        assert first_page_png(pdf, f"{kind}-ha-nam-2024").stat().st_size > 0
