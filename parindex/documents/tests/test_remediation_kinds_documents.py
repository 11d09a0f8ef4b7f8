"""The unit's *Báo cáo đánh giá kết quả và giải pháp nâng cao Chỉ số CCHC* (seed 003) and
the *công văn* giving its remedies (seed 004), on the Hiền Thành season: result, class,
rank and change from the published result version, the points lost from the engine, the
tasks per section and officer, the deadline; the files open in Word, LibreOffice and
Excel; ``parindex document deductions|improvement|directive`` and its refusals; the
unit's documents page offers the three kinds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django.fixtures import Settings

from parindex.documents.content import Document, Quote
from parindex.documents.errors import DocumentError
from parindex.documents.generate import Request, make_file
from parindex.documents.kinds import directive, improvement
from parindex.documents.models import GeneratedDocument, JobStatus
from parindex.documents.tests.clients import (
    needs_libreoffice,
    needs_poppler,
    office_to_pdf,
    pdf_text,
)
from parindex.documents.tests.remediation_season import (  # noqa: F401 (fixtures)
    OFFICER,
    HienThanh,
    hien_thanh_fixture,
    with_tasks,
)
from parindex.documents.tests.test_kind_self_assessment import docx_text, xlsx_values
from parindex.periods.models import PeriodKind
from parindex.periods.services import period_create
from parindex.results.selectors import period_results
from tests.personas import client_for

pytestmark = pytest.mark.django_db
D = Decimal


def engine_entry(season: HienThanh) -> Any:
    """Hiền Thành's result as the results pages compute it (the engine, compared)."""
    [(_binding, results)] = period_results(season.period)
    [unit] = [u for u in results.units if u.unit == season.unit.code]
    return unit


def section(doc: Document, heading: str) -> list[Any]:
    [found] = [s for s in doc.sections if s.heading == heading]
    return found.items


def test_the_improvement_report(hien_thanh: HienThanh) -> None:
    with_tasks(hien_thanh)
    entry = engine_entry(hien_thanh)
    assert (entry.index, entry.rank, entry.index_change) == (D("69.82"), 2, D("9.18"))
    doc = improvement.build(hien_thanh.period, unit=hien_thanh.unit)

    assert doc.summary == (
        "Đánh giá kết quả Chỉ số cải cách hành chính 6 tháng đầu năm 2023, nhiệm vụ và giải "
        "pháp cải thiện, nâng cao Chỉ số CCHC của UBND xã Hiền Thành 6 tháng cuối năm 2023"
    )
    assert (doc.agency, doc.number, doc.place) == ("UBND xã Hiền Thành", "…/BC-UBND", "Hiền Thành")
    [result] = section(doc, "I. KẾT QUẢ CHỈ SỐ CCHC ĐẠT ĐƯỢC 6 THÁNG ĐẦU NĂM 2023")
    assert result.startswith(
        "Theo Quyết định số 285/QĐ-UBND ngày 08/08/2023 của UBND tỉnh Hà Nam về việc công bố "
        "Chỉ số CCHC 6 tháng đầu năm 2023, Chỉ số CCHC 6 tháng đầu năm 2023 của UBND xã Hiền "
        "Thành đạt 69,82/100 điểm, xếp loại Khá, đứng thứ 2 trong số 03 đơn vị nhóm UBND cấp "
        "xã (tăng 9,18 điểm so với năm 2022)."
    )
    assert "bị trừ 30,18 điểm so với điểm chuẩn" in result and "trong đó 7,18 điểm" in result
    fields = section(doc, "1. Các nội dung bị trừ điểm theo lĩnh vực")
    assert fields[0].startswith(
        "- Lĩnh vực 1. Công tác chỉ đạo, điều hành CCHC: đạt 6,90/13,00 điểm, bị trừ 6,10 "
        "điểm ở các nội dung: 1.1.3 Mức độ thực hiện kế hoạch CCHC (1,40/2,00, bị trừ 0,60)"
    )
    headings = [s.heading for s in doc.sections if s.level == 3]
    assert headings == [
        "2.1. Văn phòng – Thống kê",
        "2.2. Tư pháp – Hộ tịch",
        "2.3. Văn hóa – Xã hội",
        f"2.4. Đồng chí {OFFICER}",
        "2.5. Các nội dung chưa phân công",
    ]
    office = section(doc, "2.1. Văn phòng – Thống kê")
    assert office[0] == (
        "- Theo dõi, đôn đốc thực hiện các nhiệm vụ chưa hoàn thành (tiêu chí 1.1.3 Mức độ "
        f"thực hiện kế hoạch CCHC; người thực hiện: {OFFICER}; hạn hoàn thành: 15/10/2023)."
    )
    assert len(office) == 3  # the dropped task is left out
    assert section(doc, "2.5. Các nội dung chưa phân công") == [
        "- Triển khai thanh toán trực tuyến (tiêu chí 3.12 Thủ tục hành chính có yêu cầu "
        "nghĩa vụ tài chính được triển khai thanh toán trực tuyến; hạn hoàn thành: "
        "01/10/2023)."
    ]
    [appendix] = doc.appendices
    assert appendix.attached_to == (
        "(Kèm theo Báo cáo số …/BC-UBND ngày …/…/… của UBND xã Hiền Thành)"
    )
    assert doc.table("deductions").rows[-1][6] == D("7.18")


def test_an_improvement_report_without_tasks_says_so(hien_thanh: HienThanh) -> None:
    doc = improvement.build(hien_thanh.period, unit=hien_thanh.unit)
    assert section(
        doc, "2. Nhiệm vụ cụ thể đối với các cán bộ, công chức và bộ phận chuyên môn"
    ) == [improvement.NO_TASKS]


def test_the_directive(hien_thanh: HienThanh) -> None:
    with_tasks(hien_thanh)
    doc = directive.build(hien_thanh.period, unit=hien_thanh.unit)
    assert doc.title == ""
    assert doc.summary == (
        "V/v khắc phục những tồn tại hạn chế trong công tác CCHC, nâng cao các chỉ số CCHC 6 "
        "tháng cuối năm 2023"
    )
    assert doc.number == "…/UBND"
    *addressees, grounds, result, _lead = doc.intro
    assert addressees == [  # one paragraph each: a justified paragraph would stretch them
        "Kính gửi:",
        "- Văn phòng – Thống kê;",
        "- Tư pháp – Hộ tịch;",
        "- Văn hóa – Xã hội;",
        "- Cán bộ, công chức.",
    ]
    assert grounds.startswith("Căn cứ Quyết định số 285/QĐ-UBND ngày 08/08/2023")
    assert result.startswith(
        "Chỉ số cải cách hành chính 6 tháng đầu năm 2023 của UBND xã Hiền Thành đạt 69,82/100 "
        "điểm, xếp loại Khá, xếp thứ 2/03 đơn vị nhóm UBND cấp xã (tăng 9,18 điểm so với năm "
        "2022). Sau khi rà soát, tổng điểm tự đánh giá 77,00/100,00 điểm"
    )
    assert "7,82" not in result and "7,18" in result
    office = section(doc, "1. Văn phòng – Thống kê:")
    assert office[0] == Quote("“Cần xác định số nhiệm vụ phải hoàn thành trong 6 tháng.”")
    assert [type(i).__name__ for i in office] == ["Quote", "str", "str", "Quote", "str"]
    assert section(doc, f"4. Đồng chí {OFFICER}:")[0] == Quote("“b/a = 11/16 = 0,69.”")
    closing = str(doc.sections[-1].items[0])
    assert "yêu cầu hoàn thành trước ngày 31/10/2023 để đảm bảo cho công tác chấm điểm" in closing
    assert (doc.signers[0].authority, doc.signers[0].title) == ("TM. Ủy ban nhân dân", "Chủ tịch")
    assert doc.recipients == ["UBND tỉnh Hà Nam (b/c)", "Như kính gửi", "Lưu: VT"]
    assert [t.key for t in doc.tables()] == ["deductions"]


def test_no_directive_without_tasks(hien_thanh: HienThanh) -> None:
    with pytest.raises(DocumentError) as exc:
        directive.build(hien_thanh.period, unit=hien_thanh.unit)
    assert str(exc.value) == (
        "UBND xã Hiền Thành chưa có nhiệm vụ khắc phục nào của kỳ đánh giá “6 tháng đầu năm "
        "2023”: hãy giao nhiệm vụ khắc phục trước khi lập công văn."
    )


@needs_libreoffice
@needs_poppler
def test_the_files_open(hien_thanh: HienThanh, tmp_path: Path) -> None:
    with_tasks(hien_thanh)
    for kind in ("improvement", "directive"):
        request = Request(kind, hien_thanh.period, unit=hien_thanh.unit)
        docx = make_file(request, "docx").data
        text = docx_text(docx)
        assert "69,82" in text and "7,18" in text and "7,82" not in text
        assert "CHỦ TỊCH" in text and "Phụ lục" in text and "UBND XÃ HIỀN THÀNH" in text
        office_to_pdf(docx, "docx")
        sheets = xlsx_values(make_file(request, "xlsx").data)
        [rows] = sheets.values()
        assert any(r[1] == "Tổng điểm" and r[6] == 7.18 for r in rows)
        office_to_pdf(make_file(request, "xlsx").data, "xlsx")
    pdf = make_file(Request("directive", hien_thanh.period, unit=hien_thanh.unit), "pdf")
    text = pdf_text(pdf.data, tmp_path)
    assert "31/10/2023" in text and "Cần xác định số nhiệm vụ" in text and "7,82" not in text


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("deductions", "phu-luc-noi-dung-bi-tru-diem"),
        ("improvement", "bao-cao-giai-phap-nang-cao-chi-so"),
        ("directive", "cong-van-khac-phuc"),
    ],
)
def test_the_command_makes_each_kind(
    hien_thanh: HienThanh, tmp_path: Path, kind: str, name: str
) -> None:
    with_tasks(hien_thanh)
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"{name}.{fmt}"
        call_command(
            "document",
            kind,
            "--period",
            str(hien_thanh.period.pk),
            "--unit",
            hien_thanh.unit.code,
            "--format",
            fmt,
            "-o",
            str(out),
        )
        assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deductions", "--period", "{p}"], "hãy chọn đơn vị"),
        (["improvement", "--period", "{p}", "--unit", "KHONG-CO"], "Không có đơn vị mã “KHONG-CO”"),
        (["directive", "--period", "{p}", "--unit", "{u}"], "chưa có nhiệm vụ khắc phục nào"),
        (["improvement", "--period", "{p2024}", "--unit", "{u}"], "chưa có kết quả đã tính"),
        (["deductions", "--period", "{p2024}", "--unit", "{u}"], "không có phiếu chấm điểm"),
        (["deductions", "--period", "{p}", "--unit", "{u}", "--round", "3"], "vòng 3"),
        (["deductions", "--period", "{p}", "--unit", "{u}", "--format", "odt"], "“odt”"),
    ],
)
def test_the_command_exits_2(
    hien_thanh: HienThanh, tmp_path: Path, args: list[str], message: str
) -> None:
    later = period_create(
        jurisdiction=hien_thanh.period.jurisdiction,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Năm 2024",
        groups={hien_thanh.unit.group: hien_thanh.criteria_set},  # type: ignore[dict-item]
        actor=None,
    )
    values = {
        "p": hien_thanh.period.pk,
        "p2024": later.pk,
        "u": hien_thanh.unit.code,
    }
    filled = [a.format(**values) for a in args] + ["-o", str(tmp_path / "x.docx")]
    with pytest.raises(CommandError) as caught:
        call_command("document", *filled)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert not (tmp_path / "x.docx").exists()


# --------------------------------------------------------------------------- the page


@pytest.fixture
def immediate_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


def test_the_unit_page_offers_and_makes_the_three_kinds(
    hien_thanh: HienThanh, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    with_tasks(hien_thanh)
    client = client_for(hien_thanh.leader)
    url = f"/van-ban/danh-gia/{hien_thanh.assessment.pk}/"
    page = client.get(url).content.decode()
    for label in (
        "Phụ lục các nội dung bị trừ điểm",
        "Báo cáo đánh giá kết quả và giải pháp nâng cao Chỉ số CCHC",
        "Công văn khắc phục tồn tại, hạn chế",
    ):
        assert label in page, label
    for kind in ("deductions", "directive"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"kind": kind, "format": "docx", "round": "1"})
        assert response.status_code == 302
    made = {d.kind: d for d in GeneratedDocument.objects.all()}
    assert made["deductions"].status == JobStatus.DONE, made["deductions"].error
    assert made["deductions"].round is None  # the settled appraisal, not round 1
    assert made["deductions"].version is None
    assert made["directive"].status == JobStatus.DONE, made["directive"].error
    assert made["directive"].version == hien_thanh.version  # numbers from the results
    assert made["directive"].file_name == "cong-van-khac-phuc-t-xa-hienthanh.docx"
