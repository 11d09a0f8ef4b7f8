"""Writing a criteria workbook (export, and the blank template): the three sheets import
reads, with choice lists on the cells that take one, and the instructions sheet."""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from parindex.criteria.models import RoundingMode, RuleType, TieRule
from parindex.criteria.xlsx.cells import tiers_text
from parindex.criteria.xlsx.layout import (
    BAND_COLUMNS,
    INFO_FIELDS,
    NO,
    NO_PARENT,
    NODE_COLUMNS,
    RULE_LABELS,
    SHEET_BANDS,
    SHEET_HELP,
    SHEET_INFO,
    SHEET_NODES,
    YES,
    Column,
    choice_labels,
)
from parindex.organizations.models import Level


def write_workbook(document: Mapping[str, Any] | None = None) -> bytes:
    """The workbook of a set's evaluation document (with ``criteria_set.metadata`` as
    :func:`~parindex.criteria.selectors.criteria_set_document` writes it), or the blank
    template when ``document`` is None."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,  # a name starting with "=" stays text
            "strings_to_urls": False,
        },
    )
    workbook.set_properties(
        {
            "title": (document or {}).get("criteria_set", {}).get("name", "Bộ tiêu chí"),
            "comments": "parindex: bộ tiêu chí Chỉ số cải cách hành chính",
        }
    )
    fmt = _Formats(workbook)
    _write_nodes(workbook, fmt, document)
    _write_info(workbook, fmt, document)
    _write_bands(workbook, fmt, document)
    _write_help(workbook, fmt)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#DDEBF7",
                "border": 1,
            }
        )
        self.text = workbook.add_format({"valign": "top", "num_format": "@"})
        self.wrap = workbook.add_format({"valign": "top", "text_wrap": True})
        self.cell = workbook.add_format({"valign": "top"})
        self.date = workbook.add_format({"valign": "top", "num_format": "dd/mm/yyyy"})
        self.bold = workbook.add_format({"bold": True, "valign": "top"})
        self.hint = workbook.add_format(
            {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}
        )
        self.title = workbook.add_format({"bold": True, "font_size": 14})


def _write_header(sheet: Any, fmt: _Formats, columns: Sequence[Column]) -> None:
    for j, column in enumerate(columns):
        cell_format = (
            fmt.text
            if column.key in ("code", "parent")
            else (fmt.wrap if column.wrap else fmt.cell)
        )
        sheet.set_column(j, j, column.width, cell_format)
        sheet.write_string(0, j, column.header, fmt.header)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 0)


def _number(sheet: Any, row: int, col: int, value: object, cell_format: Any) -> None:
    if value is None or value == "":
        return
    number = Decimal(str(value))
    if number == number.to_integral_value() and abs(number) < 10**15:
        sheet.write_number(row, col, int(number), cell_format)
    else:
        sheet.write_number(row, col, float(number), cell_format)


def _write_nodes(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_NODES)
    _write_header(sheet, fmt, NODE_COLUMNS)
    nodes = list((document or {}).get("criteria_set", {}).get("nodes", []))
    codes = {str(n["code"]) for n in nodes}
    parents = {str(n["parent"]) for n in nodes if n.get("parent")}
    col = {c.key: j for j, c in enumerate(NODE_COLUMNS)}
    last_row = max(len(nodes), 200)
    sheet.data_validation(
        1,
        col["rule"],
        last_row,
        col["rule"],
        {
            "validate": "list",
            "source": [label for _, label in RuleType.choices],
            "error_type": "information",
            "ignore_blank": True,
            "error_title": "Cách chấm",
            "error_message": "Nên chọn một cách chấm trong danh sách.",
        },
    )
    sheet.data_validation(
        1,
        col["allow_na"],
        last_row,
        col["allow_na"],
        {
            "validate": "list",
            "source": [YES, NO],
            "error_type": "information",
            "ignore_blank": True,
        },
    )
    for i, node in enumerate(nodes, start=1):
        code = str(node["code"])
        sheet.write_string(i, col["code"], code, fmt.text)
        parent = node.get("parent")
        if parent:
            sheet.write_string(i, col["parent"], str(parent), fmt.text)
        elif "." in code.rstrip(".") and any(c in codes for c in _derived_parents(code)):
            sheet.write_string(i, col["parent"], NO_PARENT, fmt.text)
        sheet.write_string(i, col["name"], str(node.get("name", "")), fmt.wrap)
        _number(sheet, i, col["max"], node.get("max"), fmt.cell)
        rule = node.get("rule") or {}
        if rule or code not in parents:
            kind = rule.get("type", "manual")
            sheet.write_string(i, col["rule"], RULE_LABELS.get(kind, str(kind)), fmt.cell)
        _number(sheet, i, col["floor"], rule.get("floor"), fmt.cell)
        _number(sheet, i, col["full_at"], rule.get("full_at"), fmt.cell)
        if rule.get("tiers"):
            sheet.write_string(i, col["tiers"], tiers_text(rule["tiers"]), fmt.cell)
        _number(sheet, i, col["per_item"], rule.get("per_item"), fmt.cell)
        if node.get("allow_not_applicable"):
            sheet.write_string(i, col["allow_na"], YES, fmt.cell)
        if node.get("guidance"):
            sheet.write_string(i, col["guidance"], str(node["guidance"]), fmt.wrap)
        if node.get("evidence"):
            sheet.write_string(i, col["evidence"], str(node["evidence"]), fmt.wrap)
    sheet.activate()


def _derived_parents(code: str) -> tuple[str, str]:
    candidate = code.rstrip(".").rsplit(".", 1)[0]
    return candidate, candidate + "."


def _info_values(document: Mapping[str, Any]) -> dict[str, Any]:
    cs = document.get("criteria_set", {})
    meta = cs.get("metadata") or {}
    rounding = cs.get("rounding") or {}
    index_rounding = cs.get("index_rounding") or {}
    level = meta.get("level")
    decision_date = None
    if meta.get("decision_date"):
        try:
            decision_date = datetime.date.fromisoformat(str(meta["decision_date"]))
        except ValueError:
            decision_date = None
    return {
        "name": cs.get("name", ""),
        "level": Level(level).label if level in Level.values else (level or ""),
        "year": meta.get("year"),
        "period_label": meta.get("period_label") or "",
        "decision": meta.get("decision") or "",
        "decision_date": decision_date,
        "rounding_mode": _label(RoundingMode, rounding.get("mode")),
        "rounding_places": rounding.get("places"),
        "index_rounding_mode": _label(RoundingMode, index_rounding.get("mode")),
        "index_rounding_places": index_rounding.get("places"),
        "survey_max": (document.get("survey") or {}).get("max"),
        "bonus_max": (document.get("adjustments") or {}).get("bonus_max"),
        "penalty_max": (document.get("adjustments") or {}).get("penalty_max"),
        "ties": _label(TieRule, (document.get("ranking") or {}).get("ties")),
        "otherwise": (document.get("classification") or {}).get("otherwise") or "",
        "note": meta.get("note") or "",
        "jurisdiction": meta.get("jurisdiction_label") or meta.get("jurisdiction") or "",
    }


def _label(choices: Any, value: object) -> str:
    if value is None:
        return ""
    return str(choices(value).label) if value in choices.values else str(value)


def _write_info(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_INFO)
    sheet.set_column(0, 0, 34, fmt.bold)
    sheet.set_column(1, 1, 50, fmt.wrap)
    sheet.set_column(2, 2, 70, fmt.hint)
    sheet.write_string(0, 0, "Mục", fmt.header)
    sheet.write_string(0, 1, "Giá trị", fmt.header)
    sheet.write_string(0, 2, "Cách điền", fmt.header)
    sheet.freeze_panes(1, 0)
    values = _info_values(document) if document is not None else {}
    for i, info in enumerate(INFO_FIELDS, start=1):
        sheet.write_string(i, 0, info.label, fmt.bold)
        if info.hint:
            sheet.write_string(i, 2, info.hint, fmt.hint)
        value = values.get(info.key)
        if value is None or value == "":
            continue
        if info.key == "decision_date":
            sheet.write_datetime(i, 1, value, fmt.date)
        elif info.key in (
            "year",
            "rounding_places",
            "index_rounding_places",
            "survey_max",
            "bonus_max",
            "penalty_max",
        ):
            _number(sheet, i, 1, value, fmt.cell)
        else:
            sheet.write_string(i, 1, str(value), fmt.wrap)


def _write_bands(workbook: Any, fmt: _Formats, document: Mapping[str, Any] | None) -> None:
    sheet = workbook.add_worksheet(SHEET_BANDS)
    _write_header(sheet, fmt, BAND_COLUMNS)
    sheet.data_validation(
        1,
        2,
        50,
        2,
        {
            "validate": "list",
            "source": [YES, NO],
            "error_type": "information",
            "ignore_blank": True,
        },
    )
    bands = ((document or {}).get("classification") or {}).get("bands") or []
    for i, band in enumerate(bands, start=1):
        sheet.write_string(i, 0, str(band["label"]), fmt.cell)
        _number(sheet, i, 1, band.get("min"), fmt.cell)
        sheet.write_string(i, 2, YES if band.get("min_exclusive") else NO, fmt.cell)
        _number(sheet, i, 3, band.get("field_min"), fmt.cell)


HELP_LINES: tuple[str, ...] = (
    "Hướng dẫn điền bộ tiêu chí",
    "",
    "Sheet «Tiêu chí»: mỗi tiêu chí một dòng, theo thứ tự hiển thị. Không thêm dòng ghi chú, "
    "dòng tiêu đề phụ hay dòng tổng cộng vào sheet này.",
    "• «Mã (STT)»: bắt buộc, không trùng nhau, ví dụ 1, 1.1, 1.1.2. Lĩnh vực là tiêu chí "
    "không có tiêu chí cha.",
    "• «Mã tiêu chí cha»: để trống thì tự suy ra từ mã (1.2.3 thuộc 1.2 nếu có mã 1.2; nếu "
    "không có thì là lĩnh vực). Ghi «-» để chỉ rõ đây là lĩnh vực.",
    "• «Điểm tối đa»: bắt buộc, lớn hơn 0. Tổng điểm tối đa của các tiêu chí con không được "
    "nhỏ hơn điểm tối đa của tiêu chí cha; tiêu chí cha được tổng điểm con, không vượt "
    "điểm tối đa.",
    "• «Cách chấm» (chỉ cho tiêu chí không có tiêu chí con; để trống = chấm theo đánh giá): "
    + choice_labels(RuleType.choices)
    + ".",
    "• «Ngưỡng tối thiểu (tỷ lệ)» và «Ngưỡng đạt tối đa (tỷ lệ)» (cho cách chấm tỷ lệ): số từ "
    "0 đến 1, ví dụ 0,7 hoặc 70%. Dưới ngưỡng tối thiểu được 0 điểm; từ ngưỡng đạt tối đa "
    "trở lên được điểm tối đa.",
    "• «Các mức» (cho cách chấm theo mức): các cặp «ngưỡng: điểm» cách nhau bởi dấu chấm "
    "phẩy, ví dụ «1: 1; 0,7: 0,5» (tỷ lệ từ 100% được 1 điểm, từ 70% được 0,5 điểm).",
    "• «Điểm trừ mỗi lần» (cho cách chấm trừ điểm theo số lần): ví dụ 0,5.",
    "• «Cho phép không áp dụng»: «Có» nếu đơn vị có thể không thuộc đối tượng của tiêu chí.",
    "• «Hướng dẫn chấm điểm», «Tài liệu kiểm chứng»: văn bản tự do.",
    "",
    "Số thập phân ghi bằng dấu phẩy (0,5) hoặc dấu chấm (0.5) đều được.",
    "",
    "Sheet «Thông tin»: điền cột «Giá trị»; không đổi tên các mục ở cột «Mục».",
    "Sheet «Xếp loại»: mỗi mức xếp loại một dòng, từ cao xuống thấp (ví dụ Xuất sắc ≥ 90, "
    "Tốt ≥ 80...). «Mỗi lĩnh vực đạt tối thiểu (%)» để trống nếu không có điều kiện này.",
    "",
    "Sheet «Hướng dẫn» này không được đọc khi nhập. Khi nhập, toàn bộ tệp được kiểm tra: "
    "nếu có lỗi thì không lưu gì và danh sách lỗi ghi rõ sheet, dòng và cột.",
)


def _write_help(workbook: Any, fmt: _Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_HELP)
    sheet.set_column(0, 0, 120, fmt.wrap)
    for i, line in enumerate(HELP_LINES):
        if line:
            sheet.write_string(i, 0, line, fmt.title if i == 0 else fmt.wrap)
