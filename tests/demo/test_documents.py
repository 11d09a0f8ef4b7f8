"""Every document for the demo data, opened by real programs.

The demo's 2024 results (published) give the results report and the notice; its 2025
season, moved on by the chair (appraisal round 1 with Sở Tư pháp's first items appraised,
one of them lowered, then finalised), gives Sở Tư pháp's self-assessment report and its
round-1 minutes. For each: DOCX, XLSX and PDF; LibreOffice (headless) converts the DOCX and
the XLSX to PDF without error; ``pdftotext`` of every PDF has the units' names with their
diacritics and the expected numbers; ``pdffonts`` shows every font embedded; the DOCX's page
is A4 with the Decree's margins and Times New Roman 13–14 pt; page 1 of each PDF is kept as
a PNG in ``var/test-artifacts/documents/``. Every decimal number a document prints is one
``parindex evaluate`` prints for the exported period (the minutes' differences: two of its
numbers subtracted).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document as open_docx

from parindex.accounts.models import User
from parindex.assessments.models import Answer
from parindex.assessments.services.appraisal import appraisal_save
from parindex.core.formatting import format_vn
from parindex.documents.generate import Request, make_file
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
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodKind
from parindex.results.services import results_compute
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_start_appraisal

from .conftest import Demo

pytestmark = [pytest.mark.django_db, needs_libreoffice, needs_poppler]


def docx_text(data: bytes) -> str:
    doc = open_docx(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def check_format(data: bytes) -> None:
    doc = open_docx(BytesIO(data))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    top, bottom, left, right = (round(m.mm) for m in margins if m is not None)
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    font = doc.styles["Normal"].font
    assert font.name == "Times New Roman" and font.size is not None and 13 <= font.size.pt <= 14


def open_everything(request: Request, name: str, tmp: Path, expected: list[str]) -> str:
    """Make the three files, open them with LibreOffice and poppler; the DOCX text."""
    docx = make_file(request, DocumentFormat.DOCX).data
    xlsx = make_file(request, DocumentFormat.XLSX).data
    pdf = make_file(request, DocumentFormat.PDF).data
    check_format(docx)
    assert first_page_png(pdf, name).stat().st_size > 10_000
    for label, converted in (
        ("pdf", pdf),
        ("docx→pdf", office_to_pdf(docx, "docx")),
        ("xlsx→pdf", office_to_pdf(xlsx, "xlsx")),
    ):
        text = " ".join(pdf_text(converted, tmp).split())
        for wanted in expected:
            assert wanted in text, f"{name} {label}: {wanted}"
        fonts = pdf_fonts(converted, tmp)
        assert fonts and all(embedded for _font, embedded in fonts), (name, label, fonts)
    return docx_text(docx)


def test_the_results_report_and_the_notice_of_2024(demo: Demo, tmp_path: Path) -> None:
    period = Period.objects.get(year=2024)
    evaluated = evaluate_period(period, tmp_path)
    allowed = allowed_numbers(evaluated)
    best = max(
        (u for _doc, out in evaluated for u in out["units"]), key=lambda u: Decimal(u["index"])
    )
    expected = [best["name"], format_vn(Decimal(best["index"]))]
    for kind in ("results", "notice"):
        text = open_everything(Request(kind, period), f"demo-{kind}-2024", tmp_path, expected)
        printed = decimals_in(text)
        assert printed and printed <= allowed, (kind, sorted(printed - allowed)[:10])


@pytest.fixture
def season_2025(demo: Demo) -> tuple[Period, Unit]:
    """The chair opens round 1, appraises Sở Tư pháp's first four items (1.1.2 lowered to
    0,5 with a reason), and finalises the season."""
    chair = User.objects.get(username="chutich")
    period = Period.objects.get(year=2025, kind=PeriodKind.ANNUAL)
    unit = Unit.objects.get(code="MH-STP")
    period_start_appraisal(period=period, actor=chair)
    answers = (
        Answer.objects.filter(assessment__period=period, assessment__unit=unit)
        .exclude(self_value=None)
        .select_related("node")
        .order_by("node__position")[:4]
    )
    for answer in answers:
        lowered = answer.node.code == "1.1.2"
        appraisal_save(
            answer=answer,
            actor=chair,
            version=answer.version,
            value="0.5" if lowered else answer.self_value,
            comment="Kế hoạch ban hành chậm so với quy định." if lowered else "",
        )
    period_finalise(period=period, actor=chair)
    results_compute(period=period, actor=None)
    return period, unit


def _differences(evaluated: list[tuple[dict[str, Any], dict[str, Any]]], code: str) -> set[str]:
    """appraised − self per node and in total, for the unit: what the minutes subtract."""
    found: set[str] = set()
    for _doc, out in evaluated:
        for unit in out["units"]:
            if unit["unit"] != code or "self" not in unit:
                continue
            mine = {n["code"]: Decimal(n["points"]) for n in unit["self"]["nodes"]}
            for node in unit["nodes"]:
                if node["code"] in mine:
                    found.add(format_vn(Decimal(node["points"]) - mine[node["code"]]))
            found.add(format_vn(Decimal(unit["points"]) - Decimal(unit["self"]["points"])))
    return found


def test_the_self_assessment_report_and_the_minutes_of_2025(
    season_2025: tuple[Period, Unit], tmp_path: Path
) -> None:
    period, unit = season_2025
    evaluated = evaluate_period(period, tmp_path)
    allowed = allowed_numbers(evaluated)
    [mine] = [u for _doc, out in evaluated for u in out["units"] if u["unit"] == unit.code]
    self_total = format_vn(Decimal(mine["self"]["points"]))
    report = open_everything(
        Request("self-assessment", period, unit=unit),
        "demo-self-assessment-2025",
        tmp_path,
        ["Sở Tư pháp", "Kết quả tự đánh giá", self_total],
    )
    assert decimals_in(report) <= allowed, sorted(decimals_in(report) - allowed)[:10]
    minutes = open_everything(
        Request("minutes", period, unit=unit, round=1),
        "demo-minutes-2025",
        tmp_path,
        [
            "Sở Tư pháp",
            "Thẩm định kết quả tự đánh giá",
            "Kế hoạch ban hành",
            format_vn(Decimal(mine["points"])),
        ],
    )
    printed = decimals_in(minutes)
    assert printed <= allowed | _differences(evaluated, unit.code), sorted(printed - allowed)[:10]
