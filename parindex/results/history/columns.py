"""The columns of the published results table (bảng kết quả đã công bố) and how a
header cell is matched to one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parindex.core.text import fold


@dataclass(frozen=True)
class TableColumn:
    key: str
    label: str
    kind: str
    """``text``, ``group``, ``points`` (≥ 0), ``index`` (0..100), ``change`` (any sign),
    ``rank`` (a positive whole number) or ``int`` (a whole number of any sign)."""
    help: str


TEMPLATE_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("code", "Mã đơn vị", "text", "Bắt buộc; mã của đơn vị trên hệ thống nếu có."),
    TableColumn("name", "Tên đơn vị", "text", "Bắt buộc; tên như trong quyết định công bố."),
    TableColumn(
        "group",
        "Nhóm (mã nhóm)",
        "group",
        "Bắt buộc (trừ khi chọn một nhóm cho cả tệp): mã nhóm đơn vị trên hệ thống "
        "(hoặc tên nhóm); xem danh sách ở dưới.",
    ),
    TableColumn("points", "Điểm thẩm định", "points", "Không bắt buộc; số, ví dụ 62,5."),
    TableColumn(
        "survey", "Điểm khảo sát", "points", "Không bắt buộc; để trống nếu không khảo sát."
    ),
    TableColumn("total", "Tổng điểm", "points", "Không bắt buộc."),
    TableColumn("index", "Chỉ số (%)", "index", "Bắt buộc; từ 0 đến 100, ví dụ 85,42."),
    TableColumn(
        "rank",
        "Xếp hạng",
        "rank",
        "Nhập cho mọi đơn vị của nhóm, hoặc để trống cả cột để hệ thống xếp hạng theo chỉ số "
        "(bằng chỉ số thì cùng hạng).",
    ),
    TableColumn("class_label", "Xếp loại", "text", "Không bắt buộc, ví dụ Tốt."),
)
"""The columns of the template (bảng kết quả đã công bố), in order."""

OPTIONAL_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("parent", "Trực thuộc", "text", ""),
    TableColumn("bonus", "Điểm thưởng", "points", ""),
    TableColumn("penalty", "Điểm trừ", "points", ""),
    TableColumn("max", "Điểm tối đa", "points", ""),
    TableColumn("leader_rating", "Đánh giá người đứng đầu", "text", ""),
    TableColumn("previous_index", "Chỉ số năm trước (%)", "index", ""),
    TableColumn("index_change", "Tăng/giảm chỉ số", "change", ""),
    TableColumn("previous_rank", "Hạng năm trước", "rank", ""),
    TableColumn("rank_change", "Tăng/giảm hạng", "int", ""),
)
"""Further columns accepted (those of the open data download)."""

KINDS: dict[str, str] = {c.key: c.kind for c in (*TEMPLATE_COLUMNS, *OPTIONAL_COLUMNS)}
"""Column key → kind, template columns first."""

DETAIL_KEYS = {"class_label": "class"}
"""Table column → key of the ``parindex-results/1`` unit document (else the same)."""
IGNORED_HEADERS = {"stt", "tt", "so tt"}


def header_key(text: str) -> str:
    """ "Nhóm (mã nhóm)" → "nhom", "Chỉ số (%)" → "chi so"."""
    folded = re.sub(r"\([^)]*\)", " ", fold(text))
    return " ".join(folded.replace("*", " ").replace(":", " ").split())


COLUMNS_BY_HEADER: dict[str, TableColumn] = {
    header_key(c.label): c for c in (*TEMPLATE_COLUMNS, *OPTIONAL_COLUMNS)
}
COLUMNS_BY_HEADER["ma nhom"] = TEMPLATE_COLUMNS[2]
COLUMNS_BY_HEADER["chi so cchc"] = TEMPLATE_COLUMNS[6]
