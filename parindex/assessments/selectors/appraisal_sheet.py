"""The unit's own sheet as XLSX (bảng điểm tự đánh giá và thẩm định): every criterion with
the self score, the appraised score, the status and the appraiser's reason, then the totals
and the index computed by the engine from the appraised values."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parindex.assessments.selectors.unit_appraisal import AppraisalView
from parindex.core.formatting import fmt_time
from parindex.periods.selectors import EXCLUDED_LABEL

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    ("Mã", 8),
    ("Tiêu chí", 60),
    ("Điểm tối đa", 11),
    ("Điểm tự đánh giá", 14),
    ("Điểm thẩm định", 14),
    ("Điểm bị mất", 12),
    ("Trạng thái", 24),
    ("Ý kiến thẩm định (lý do)", 60),
    ("Lý do không áp dụng của đơn vị", 40),
    ("Nội dung giải trình", 50),
)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def appraisal_sheet_xlsx(view: AppraisalView) -> bytes:
    """The sheet "Bảng điểm": one row per node in the set's order (groups in bold), then
    the totals; "KAD" where a node does not apply."""
    import xlsxwriter

    assessment = view.assessment
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    places = "0." + "0" * view.points_places if view.points_places else "0"
    number = book.add_format({"num_format": places, "valign": "top"})
    group_number = book.add_format({"num_format": places, "bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Bảng điểm")
    title = "Kết quả chính thức" if view.final else "Kết quả thẩm định"
    sheet.write_string(0, 0, f"{title}: {assessment.unit.name} – {assessment.period.name}", bold)
    sheet.write_string(1, 0, f"Bộ tiêu chí: {view.criteria_set.name}")
    for col, (label, width) in enumerate(COLUMNS):
        sheet.write_string(3, col, label, head)
        sheet.set_column(col, col, width)
    line = 4
    for item in view.items:
        node = item.node
        is_group = not item.is_leaf
        text_format = bold if is_group else wrap
        sheet.write_string(line, 0, node.code, text_format)
        sheet.write_string(line, 1, node.name, text_format)
        sheet.write_number(line, 2, float(node.max_points), group_number if is_group else number)
        if item.period_excluded:  # chưa đánh giá ở kỳ 6 tháng: no score on either side
            sheet.write_string(line, 3, "—", text_format)
            sheet.write_string(line, 4, "—", text_format)
        else:
            _cell(sheet, line, 3, item.self_points, group_number if is_group else number)
            _cell(sheet, line, 4, item.appraised_points, group_number if is_group else number)
        lost = item.lost
        if lost is not None:
            sheet.write_number(line, 5, float(lost), number)
        sheet.write_string(line, 6, item.status_label, wrap)
        answer = item.answer
        sheet.write_string(line, 7, item.comment, wrap)
        if answer is not None:
            sheet.write_string(line, 8, answer.na_justification, wrap)
            sheet.write_string(line, 9, answer.unit_response, wrap)
        line += 1
    line += 1
    rows: list[tuple[str, Any]] = [
        ("Tổng điểm tự đánh giá", view.self_result.total),
        ("Tổng điểm theo kết quả thẩm định", view.result.total),
        ("Tổng điểm tối đa của các tiêu chí áp dụng", view.result.max),
        ("Chỉ số theo kết quả thẩm định (%)", view.result.index),
        ("Xếp loại theo kết quả thẩm định", view.result.class_label or ""),
    ]
    for label, value in rows:
        sheet.write_string(line, 1, label, bold)
        if isinstance(value, Decimal):
            sheet.write_number(line, 4, float(value), group_number)
        else:
            sheet.write_string(line, 4, value, bold)
        line += 1
    note = "Chưa gồm điểm khảo sát sự hài lòng, điểm thưởng, điểm trừ. " if view.has_survey else ""
    sheet.write_string(
        line + 1,
        1,
        note
        + "Tiêu chí chưa thẩm định giữ điểm tự đánh giá. KAD: không áp dụng."
        + (
            f" “{EXCLUDED_LABEL}”: không chấm, không tính vào điểm tối đa."
            if view.has_excluded
            else ""
        ),
        wrap,
    )
    sheet.write_string(line + 2, 1, f"Xuất lúc {fmt_time(timezone.now())}", wrap)
    sheet.freeze_panes(4, 2)
    book.close()
    return buffer.getvalue()


def _cell(sheet: Any, line: int, col: int, value: Decimal | None, fmt: Any) -> None:
    if value is None:
        sheet.write_string(line, col, "KAD")
    else:
        sheet.write_number(line, col, float(value), fmt)
