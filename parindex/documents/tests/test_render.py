"""The renderers on a document made by hand: Decree 30's page and type, the header block,
page numbers from page 2, tables, charts, appendices, and the XLSX's native charts."""

from __future__ import annotations

import datetime
import re
import zipfile
from decimal import Decimal
from io import BytesIO

from docx import Document as open_docx
from docx.shared import Length

from parindex.documents.content import (
    Appendix,
    Chart,
    Column,
    Document,
    Section,
    Signer,
    Table,
    date_line,
)
from parindex.documents.render.docx import render_docx
from parindex.documents.render.frame import MARGINS_MM, build_frame
from parindex.documents.render.xlsx import render_xlsx

D = Decimal


def sample(rows: int = 3) -> Document:
    table = Table(
        "results",
        "Bảng 1: Kết quả Chỉ số CCHC năm 2024",
        [Column("Xếp hạng", 20, "center"), Column("Đơn vị", 90), Column("Chỉ số (%)", 30, "right")],
        [[i + 1, f"UBND xã Đông Hưng {i + 1}", D("96.59") - i] for i in range(rows)],
    )
    return Document(
        kind="results",
        title="Báo cáo",
        summary="Kết quả Chỉ số cải cách hành chính năm 2024",
        parent_agency="UBND tỉnh Hà Nam",
        agency="Sở Nội vụ",
        number="251/BC-SNV",
        place="Hà Nam",
        issued_on=datetime.date(2024, 12, 14),
        sections=[
            Section("I. KẾT QUẢ", ["Chỉ số trung bình đạt 90,70%.", table]),
            Section(
                "",
                [Chart("idx", "Chỉ số CCHC năm 2024", "barh", "results", 1, [2])],
            ),
        ],
        signers=[Signer("", "Giám đốc", "Nguyễn Văn Ấn")],
        recipients=["UBND tỉnh", "Lưu: VT"],
        appendices=[
            Appendix("Kết quả chi tiết", "(Kèm theo Báo cáo số 251/BC-SNV ngày 14/12/2024)", [])
        ],
    )


def mm(length: Length | None) -> int:
    assert length is not None
    return int(round(length.mm))


def text_of(data: bytes) -> str:
    doc = open_docx(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_date_line_pads_days_below_ten_and_the_first_two_months() -> None:
    assert date_line("Hà Nam", datetime.date(2023, 2, 5)) == "Hà Nam, ngày 05 tháng 02 năm 2023"
    assert date_line("Hà Nam", datetime.date(2022, 12, 14)) == "Hà Nam, ngày 14 tháng 12 năm 2022"
    assert date_line("Phủ Lý", datetime.date(2024, 6, 30)) == "Phủ Lý, ngày 30 tháng 6 năm 2024"
    assert date_line("Hà Nam", None) == "Hà Nam, ngày … tháng … năm …"


def test_the_page_is_a4_with_the_decrees_margins_and_times_new_roman_14() -> None:
    doc = open_docx(BytesIO(render_docx(sample(), build_frame())))
    section = doc.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20
    assert MARGINS_MM == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size is not None
    assert 13 <= normal.size.pt <= 14
    body = doc.element.body.xml
    sizes = {int(v) / 2 for v in re.findall(r'<w:sz w:val="(\d+)"/>', body)}
    assert 14 in sizes
    fonts = set(re.findall(r'w:ascii="([^"]+)"', body))
    assert fonts == {"Times New Roman"}
    assert 'w:eastAsia="Times New Roman"' in body and 'w:cs="Times New Roman"' in body


def test_page_numbers_start_on_page_two() -> None:
    doc = open_docx(BytesIO(render_docx(sample(), build_frame())))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_the_header_block_the_title_and_the_signature() -> None:
    text = text_of(render_docx(sample(), build_frame()))
    for expected in (
        "UBND TỈNH HÀ NAM",
        "SỞ NỘI VỤ",
        "Số: 251/BC-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nam, ngày 14 tháng 12 năm 2024",
        "BÁO CÁO",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Lưu: VT.",
        "GIÁM ĐỐC",
        "Nguyễn Văn Ấn",
        "Phụ lục",
        "(Kèm theo Báo cáo số 251/BC-SNV ngày 14/12/2024)",
    ):
        assert expected in text, expected


def test_tables_print_the_engines_numbers_with_a_decimal_comma_and_repeat_their_heading() -> None:
    data = render_docx(sample(), build_frame())
    text = text_of(data)
    assert "UBND xã Đông Hưng 1" in text and "96,59" in text and "94,59" in text
    assert "<w:tblHeader/>" in open_docx(BytesIO(data)).element.body.xml


def test_a_chart_is_a_picture_in_the_word_file() -> None:
    data = render_docx(sample(), build_frame())
    with zipfile.ZipFile(BytesIO(data)) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())


def test_skipped_tables_are_left_out() -> None:
    text = text_of(render_docx(sample(), build_frame(), skip_tables=frozenset({"results"})))
    assert "UBND xã Đông Hưng 1" not in text


def test_the_xlsx_has_the_table_as_numbers_and_a_native_chart_reading_its_cells() -> None:
    data = render_xlsx(sample(rows=4))
    with zipfile.ZipFile(BytesIO(data)) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
        assert charts
        xml = package.read(charts[0]).decode()
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<c:barChart>" in xml and '<c:barDir val="bar"/>' in xml
    assert "$B$5:$B$8" in xml and "$C$5:$C$8" in xml
    assert "Chỉ số CCHC năm 2024" in xml
    assert "<v>96.59</v>" in sheet


def _wide() -> Table:
    return Table(
        "tru-diem",
        "Các nội dung bị trừ điểm",
        [Column("STT", 15, "center"), Column("Tiêu chí", 90), Column("Điểm bị trừ", 60, "right")],
        [["1.1.3", "Mức độ thực hiện kế hoạch CCHC", D("0.60")]],
    )


def test_a_landscape_appendix_turns_only_its_own_pages() -> None:
    document = sample()
    document.appendices = [
        Appendix("Phụ lục điểm bị trừ", "(Kèm theo …)", [Section("", [_wide()])], landscape=True)
    ]
    doc = open_docx(BytesIO(render_docx(document, build_frame())))
    portrait, landscape = doc.sections
    assert (mm(portrait.page_width), mm(portrait.page_height)) == (210, 297)
    assert portrait.different_first_page_header_footer  # no number on page 1
    assert (mm(landscape.page_width), mm(landscape.page_height)) == (297, 210)
    assert str(landscape.orientation) == "LANDSCAPE (1)"
    assert not landscape.different_first_page_header_footer  # its first page is numbered
    assert mm(landscape.left_margin) == MARGINS_MM["left"]
    # The appendix's table is widened to the landscape text width (252 mm), in proportion.
    widths = [mm(cell.width) for cell in doc.tables[-1].rows[0].cells]
    assert abs(sum(widths) - (297 - MARGINS_MM["left"] - MARGINS_MM["right"])) <= 1
    assert abs(widths[1] / widths[2] - 1.5) < 0.02  # 90 : 60 kept


def test_a_landscape_document_has_one_landscape_section() -> None:
    document = sample()
    document.landscape = True
    document.appendices = []
    doc = open_docx(BytesIO(render_docx(document, build_frame())))
    [section] = doc.sections
    assert (mm(section.page_width), mm(section.page_height)) == (297, 210)
    assert section.different_first_page_header_footer
