"""The import file's columns (:func:`template_headers`) and the blank templates offered for
download: a CSV, and an XLSX whose second sheet explains every column."""

from __future__ import annotations

import csv
import io
from typing import Any

from parindex.core.cells import inert, inert_row
from parindex.surveys.models import Channel, Questionnaire
from parindex.surveys.selectors import question_codes

KEY = "Mã phiếu"
UNIT = "Mã đơn vị"
DATE = "Ngày thu phiếu"
CHANNEL = "Hình thức"
COMMENT = "Góp ý"

MAX_KEY = 64
MAX_COMMENT = 4000


def template_headers(questionnaire: Questionnaire) -> list[str]:
    """The columns of the import file, in order."""
    respondent = list(questionnaire.respondent_questions.values_list("code", flat=True))
    return [KEY, UNIT, DATE, CHANNEL, *question_codes(questionnaire), *respondent, COMMENT]


def template_csv(questionnaire: Questionnaire) -> bytes:
    """A UTF-8 CSV template (with BOM, so that Excel shows the diacritics)."""
    out = io.StringIO()
    csv.writer(out).writerow(inert_row(template_headers(questionnaire)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(questionnaire: Questionnaire) -> bytes:
    """An XLSX template: sheet "Phiếu" with the header row, sheet "Hướng dẫn" explaining
    every column, the answer scale and the allowed values."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Phiếu")
    headers = template_headers(questionnaire)
    for col, header in enumerate(headers):
        sheet.write(0, col, inert(header), bold)
        sheet.set_column(col, col, max(10, len(header) + 2))
    sheet.freeze_panes(1, 0)
    _write_guide(book.add_worksheet("Hướng dẫn"), _guide_rows(questionnaire), bold, wrap)
    book.close()
    return buffer.getvalue()


def _guide_rows(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """(column, how to fill it) of every column of the template."""
    scale = (
        ", ".join(
            f"{questionnaire.scale_min + i} = {label}"
            for i, label in enumerate(questionnaire.scale_labels)
        )
        or f"{questionnaire.scale_min}..{questionnaire.scale_max}"
    )
    rows: list[tuple[str, str]] = [
        (
            KEY,
            "Bắt buộc, duy nhất trong kỳ (tối đa 64 ký tự). "
            "Nhập lại cùng mã sẽ không tạo phiếu mới.",
        ),
        (UNIT, "Bắt buộc: mã đơn vị được khảo sát (xem kế hoạch khảo sát)."),
        (DATE, "Không bắt buộc, dạng ngày/tháng/năm, ví dụ 15/10/2025."),
        (CHANNEL, "Không bắt buộc: " + "; ".join(Channel.labels) + "."),
    ]
    for factor in questionnaire.factors.prefetch_related("questions"):
        for question in factor.questions.all():
            rows.append(
                (
                    question.code,
                    f"{factor.name}: {question.text}. Mức {scale}; để trống nếu không trả lời.",
                )
            )
    for asked in questionnaire.respondent_questions.all():
        rows.append((asked.code, f"{asked.text}: " + "; ".join(asked.choices) + "."))
    rows.append((COMMENT, f"Không bắt buộc, tối đa {MAX_COMMENT} ký tự."))
    return rows


def _write_guide(guide: Any, rows: list[tuple[str, str]], bold: Any, wrap: Any) -> None:
    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 90)
    guide.write(0, 0, "Cột", bold)
    guide.write(0, 1, "Cách ghi", bold)
    for n, (column, text) in enumerate(rows, start=1):
        guide.write(n, 0, inert(column))
        guide.write(n, 1, inert(text), wrap)
