"""The workbook's layout, shared by reading and writing: sheet names, the columns of
«Tiêu chí» and «Xếp loại», the settings of «Thông tin», and the words of the choices."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from parindex.core.text import fold
from parindex.criteria.models import RoundingMode, RuleType, TieRule
from parindex.organizations.models import Level

SHEET_NODES = "Tiêu chí"
SHEET_INFO = "Thông tin"
SHEET_BANDS = "Xếp loại"
SHEET_HELP = "Hướng dẫn"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_PARENT = "-"
"""Written in «Mã tiêu chí cha» for a field whose dotted code would otherwise name a parent."""
NO_PARENT_MARKS = {"-", "–", "—", "khong", "không"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    aliases: tuple[str, ...] = ()
    wrap: bool = False


NODE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã (STT)", 10, ("ma", "stt", "ma tieu chi", "so thu tu")),
    Column("parent", "Mã tiêu chí cha", 12, ("ma cha", "tieu chi cha", "thuoc")),
    Column("name", "Nội dung tiêu chí", 60, ("noi dung", "tieu chi", "ten tieu chi"), wrap=True),
    Column("max", "Điểm tối đa", 10, ("diem", "diem chuan", "thang diem")),
    Column("rule", "Cách chấm", 28, ("quy tac cham", "quy tac")),
    Column("floor", "Ngưỡng tối thiểu (tỷ lệ)", 14, ("nguong toi thieu",)),
    Column("full_at", "Ngưỡng đạt tối đa (tỷ lệ)", 14, ("nguong dat toi da",)),
    Column("tiers", "Các mức (tỷ lệ hoặc số: điểm)", 24, ("cac muc",)),
    Column("per_item", "Điểm trừ mỗi lần", 12, ()),
    Column("allow_na", "Cho phép không áp dụng", 12, ()),
    Column("guidance", "Hướng dẫn chấm điểm", 50, ("huong dan",), wrap=True),
    Column("evidence", "Tài liệu kiểm chứng", 40, ("tai lieu", "tai lieu kiem chung"), wrap=True),
)
NODE_REQUIRED = ("code", "name", "max")

BAND_COLUMNS: tuple[Column, ...] = (
    Column("label", "Xếp loại", 20, ("muc xep loai", "loai")),
    Column("min", "Chỉ số tối thiểu (%)", 18, ("chi so toi thieu",)),
    Column("min_exclusive", "Lớn hơn hẳn mức tối thiểu (Có/Không)", 22, ()),
    Column("field_min", "Mỗi lĩnh vực đạt tối thiểu (%)", 22, ()),
)
BAND_REQUIRED = ("label", "min")


@dataclass(frozen=True)
class InfoField:
    key: str
    label: str
    hint: str
    path: tuple[str, ...] = ()
    """Where the value lives in the evaluation document (for mapping engine messages)."""


def choice_labels(choices: Iterable[tuple[str, str]]) -> str:
    """The labels of a choice list as a message names them: «A»; «B»."""
    return "; ".join(f"«{label}»" for _, label in choices)


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("name", "Tên bộ tiêu chí", "Bắt buộc.", ("criteria_set.name",)),
    InfoField("level", "Cấp áp dụng", "Bắt buộc. Một trong: " + choice_labels(Level.choices) + "."),
    InfoField("year", "Năm áp dụng", "Bắt buộc. Ví dụ: 2025."),
    InfoField("period_label", "Giai đoạn / kỳ", "Ví dụ: 2022–2030, 6 tháng đầu năm."),
    InfoField("decision", "Quyết định ban hành", "Ví dụ: 1952/QĐ-UBND."),
    InfoField("decision_date", "Ngày ban hành (dd/mm/yyyy)", "Ví dụ: 15/03/2025."),
    InfoField(
        "jurisdiction",
        "Đơn vị ban hành",
        "Tên đơn vị, có thể kèm mã trong ngoặc, ví dụ: UBND tỉnh Hà Nam (T-HNA). "
        "Để trống: lấy đơn vị chọn khi nhập.",
    ),
    InfoField(
        "rounding_mode",
        "Làm tròn điểm tiêu chí",
        "Một trong: " + choice_labels(RoundingMode.choices) + ". Để trống: làm tròn (0,5 lên).",
        ("criteria_set.rounding.mode", "criteria_set.rounding"),
    ),
    InfoField(
        "rounding_places",
        "Số chữ số thập phân",
        "Số nguyên từ 0 đến 10. Để trống: 2.",
        ("criteria_set.rounding.places",),
    ),
    InfoField(
        "index_rounding_mode",
        "Làm tròn chỉ số",
        "Như mục «Làm tròn điểm tiêu chí». Để trống: giống cách làm tròn điểm tiêu chí.",
        ("criteria_set.index_rounding.mode", "criteria_set.index_rounding"),
    ),
    InfoField(
        "index_rounding_places",
        "Số chữ số thập phân của chỉ số",
        "Số nguyên từ 0 đến 10.",
        ("criteria_set.index_rounding.places",),
    ),
    InfoField(
        "survey_max",
        "Điểm tối đa khảo sát",
        "Điểm của phần khảo sát sự hài lòng; để trống nếu không có khảo sát.",
        ("survey.max", "survey"),
    ),
    InfoField(
        "bonus_max",
        "Điểm thưởng tối đa",
        "Để trống nếu không có điểm thưởng.",
        ("adjustments.bonus_max",),
    ),
    InfoField(
        "penalty_max",
        "Điểm trừ tối đa",
        "Để trống nếu không có điểm trừ.",
        ("adjustments.penalty_max", "adjustments"),
    ),
    InfoField(
        "ties",
        "Xếp hạng khi bằng điểm",
        "Một trong: "
        + choice_labels(TieRule.choices)
        + ". Để trống: đồng hạng, bỏ qua hạng kế tiếp.",
        ("ranking.ties", "ranking"),
    ),
    InfoField(
        "otherwise",
        "Xếp loại khi không đạt mức nào",
        "Ví dụ: Yếu. Có thể để trống.",
        ("classification.otherwise", "classification"),
    ),
    InfoField("note", "Ghi chú", ""),
)
INFO_BY_KEY = {f.key: f for f in INFO_FIELDS}

TEXT_LIMITS = {
    "period_label": 50,
    "decision": 200,
    "otherwise": 100,
    "name": 300,
    "jurisdiction": 300,
}

YES = "Có"
NO = "Không"


def match_key(text: str) -> str:
    """A header or label as compared: folded, parenthesised hints dropped."""
    return fold(re.sub(r"\([^)]*\)", " ", text))


def choice_map(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices:
        mapping[fold(value)] = value
        mapping[fold(label)] = value
        mapping[match_key(label)] = value
    return mapping


RULE_CHOICES = choice_map(RuleType.choices)
RULE_LABELS = dict(RuleType.choices)
ROUNDING_CHOICES = choice_map(RoundingMode.choices)
TIE_CHOICES = choice_map(TieRule.choices)
LEVEL_CHOICES = choice_map(Level.choices)

NODE_HEADERS = {c.key: c.header for c in NODE_COLUMNS}
